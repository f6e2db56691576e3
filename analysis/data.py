"""Reading, validating and typing the study data.

One pass over each CSV both validates it against the codebook
(``analysis/schema/datapackage.yaml``, a Frictionless data package) and produces
the typed DataFrame the analysis uses, so checking never drifts from loading.
Every problem is reported, each as ``file:line: kolonne 'x' verdi 'y' — rule`` (in Norwegian);
invalid data never reach an output.

The loaded data are cached per process (keyed on the folder and the files'
sizes and modification times), so every table, figure and inline number of a
chapter or a ``build`` shares one load.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .config import data_dir as resolve_data_dir

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "datapackage.yaml"
DESCRIPTOR = "datapackage.yaml"
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
#: Study periods used by the cross-file rules.
RANDOMISATION_DATE = pd.Timestamp("2011-02-16")
UTU_INTRODUCED = pd.Timestamp("2012-02-01")


class DataError(Exception):
    """Invalid data: carries every problem found."""

    def __init__(self, folder: Path, problems: list[str]):
        self.folder = folder
        self.problems = problems
        head = "\n".join(problems[:200])
        more = f"\n… og {count_problems(len(problems) - 200)} til" if len(problems) > 200 else ""
        super().__init__(
            f"Dataene i {folder} er ikke gyldige ({count_problems(len(problems))}); "
            f"ingen resultater er laget:\n{head}{more}"
        )


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same result, much faster


def read_yaml(path) -> object:
    """Parse a YAML file safely, with libyaml when it is installed (10–20 × faster than pure Python)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)


@lru_cache(maxsize=1)
def _schema_parsed() -> dict:
    return read_yaml(SCHEMA_PATH)


def load_schema() -> dict:
    """The canonical codebook: parsed once per process, a fresh (deep) copy each call, so
    callers may change it freely."""
    import copy

    return copy.deepcopy(_schema_parsed())


def _shown(value, limit: int = 80) -> str:
    """A value as a message quotes it: control characters (NUL, line breaks, escape sequences) as
    \\xNN, so the message stays one clean line, and at most ``limit`` characters."""
    text = "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number_text(value) -> str:
    """A bound or limit as a message shows it: Norwegian digit groups (no-break space) from five
    digits on, so a year stays 1940; decimal comma; a date as written (ISO)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0") if abs(value) >= 10_000 else str(value)
    return repr(value).replace(".", ",")


def count_problems(n: int) -> str:
    """«1 problem», «2 problemer», «1 234 problemer»."""
    return f"{number_text(n)} {'problem' if n == 1 else 'problemer'}"


@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)
    #: file -> physical line of each data row (by frame index), for files where
    #: blank lines or quoted line breaks make it differ from index + 2
    lines: dict = field(default_factory=dict)
    #: file -> the rows as read (strings), so messages quote the value as written
    #: even when a rule looks at the typed frame
    raw: dict = field(default_factory=dict)

    def add(self, file: str, line, column, value, rule: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        col = f" kolonne '{_shown(column)}'" if column is not None else ""
        val = f" verdi '{_shown(value)}'" if value is not None else ""
        self.items.append(f"{where}:{col}{val} — {rule}")

    def add_rows(self, file: str, frame: pd.DataFrame, mask, column: str, rule: str) -> None:
        """Add one problem per row where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = frame.index.to_numpy()[mask]
        lines = self.lines[file][rows] if file in self.lines else rows + 2  # header is line 1
        src = self.raw[file] if file in self.raw and column in self.raw[file].columns else frame
        values = src[column].loc[rows].to_numpy() if column in src.columns else [None] * int(mask.sum())
        for line, value in zip(lines, values):
            self.add(file, int(line), column, "" if value is None else value, rule)


#: ASCII digits only ([0-9], not \d: that matches any Unicode digit, «١» or «１９５６»), whole value
_INT = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _layout(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Physical first line and field count of every non-blank data record.

    pandas skips blank lines and pads short rows with '' (even with
    ``na_filter=False``), so neither row positions nor short rows can be read
    off the DataFrame; the csv module sees both.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, counts, prev = [], [], 0
    for row in reader:
        start, prev = prev + 1, reader.line_num
        if start == 1 or not row or (len(row) == 1 and not row[0].strip()):
            continue  # header or blank line
        starts.append(start)
        counts.append(len(row))
    return np.asarray(starts, dtype=int), np.asarray(counts, dtype=int)


def _read_csv(path: Path, fields: list[str], problems: _Problems) -> pd.DataFrame | None:
    name = path.name
    if not path.exists():
        problems.add(name, None, None, None, "filen mangler (kodeboka oppgir den)")
        return None
    raw = path.read_bytes()
    if not raw.strip():
        problems.add(name, 1, None, None, "tom fil (ingen overskriftsrad)")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(name, line, None, repr(raw[err.start : err.start + 4])[2:-1], "ikke UTF-8-kodet")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])))
    missing = [f for f in fields if f not in header]
    extra = [h for h in header if h not in fields]
    for sep, word in ((";", "semikolon (;)"), ("\t", "tabulator")):
        if missing and len(header) == 1 and sep in header[0]:
            problems.add(name, 1, None, None, f"kolonnene ser ut til å være skilt med {word}; kodeboka krever "
                         "komma (lagre filen som kommaseparert CSV, UTF-8)")
    for col in missing:
        problems.add(name, 1, col, None, "kolonnen mangler (kodeboka krever den)")
    for col in extra:
        problems.add(name, 1, col, None, "ukjent kolonne (finnes ikke i kodeboka)")
    for col in dict.fromkeys(h for h in header if header.count(h) > 1):
        problems.add(name, 1, col, None, "kolonnen står flere ganger (et kolonnenavn kan bare stå én gang)")
    if missing:
        return None
    starts, counts = _layout(text)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as err:
        long = counts > len(header)
        if long.any():  # every overlong row, at its physical line
            for line, n in zip(starts[long], counts[long]):
                problems.add(name, int(line), None, None, f"ugyldig rad: skal ha {len(header)} felt, har {n}")
            return None
        m = re.search(r"line (\d+), saw (\d+)", str(err))
        q = re.search(r"EOF inside string starting at row (\d+)", str(err))  # row is 0-based
        line = int(m.group(1)) if m else int(q.group(1)) + 1 if q else None
        rule = "et felt i anførselstegn er ikke lukket før slutten av filen" if q else f"skal ha {len(header)} felt"
        problems.add(name, line, None, None, f"ugyldig rad: {rule}" + (f", har {m.group(2)}" if m else ""))
        return None
    if len(starts) == len(frame):
        if not np.array_equal(starts, np.arange(len(frame)) + 2):
            problems.lines[name] = starts
        short = counts < len(header)
    else:  # csv and pandas disagree on the rows; fall back to what pandas shows
        short = frame.isna().any(axis=1).to_numpy()
    if short.any():
        for idx in frame.index[short]:
            line = problems.lines[name][idx] if name in problems.lines else idx + 2
            problems.add(name, int(line), None, None, f"avkortet rad: færre enn {len(header)} felt")
        frame = frame[~short]
    if frame.empty:
        problems.add(name, 2, None, None, "ingen datarader")
    problems.raw[name] = frame
    return frame


def _check_field(name: str, frame: pd.DataFrame, spec: dict, problems: _Problems):
    """Validate one column; return it typed (or None if it could not be typed)."""
    col = spec["name"]
    s = frame[col]
    cons = spec.get("constraints", {})
    empty = (s == "").to_numpy()
    if cons.get("required"):
        problems.add_rows(name, frame, empty, col, "påkrevd verdi mangler")
    typ = spec["type"]
    present = ~empty
    if typ == "integer":
        bad = present & ~s.str.fullmatch(_INT).to_numpy()
        problems.add_rows(name, frame, bad, col, "ikke et heltall")
        # more than 18 digits may not fit in 64 bits: those are checked one by one
        long = present & ~bad & (s.str.lstrip("+-").str.lstrip("0").str.len() > 18).to_numpy()
        huge = np.zeros(len(s), dtype=bool)
        for i in np.flatnonzero(long):
            huge[i] = not (_INT64_MIN <= int(s.iat[i]) <= _INT64_MAX)
        problems.add_rows(name, frame, huge, col, f"heltallet er for stort (grensen er ±{number_text(_INT64_MAX)})")
        bad |= huge
        typed = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        good = present & ~bad
        if good.any():  # every value fits in int64: converted exactly, never through float
            typed[good] = pd.to_numeric(s[good]).astype("int64").to_numpy()
    elif typ == "number":
        typed = pd.to_numeric(s.where(present & s.str.fullmatch(_NUMBER).to_numpy()), errors="coerce")
        bad = present & typed.isna().to_numpy()  # also «inf», « 5» and digits other than 0–9
        problems.add_rows(name, frame, bad, col, "ikke et tall")
        typed = typed.astype("float64")
    elif typ == "boolean":
        is_t, is_f = s.isin(TRUE_VALUES).to_numpy(), s.isin(FALSE_VALUES).to_numpy()
        bad = present & ~(is_t | is_f)
        problems.add_rows(name, frame, bad, col, "ikke en sannhetsverdi (true/false)")
        typed = pd.Series(pd.array(np.where(is_t, True, np.where(is_f, False, None)), dtype="boolean"), index=frame.index)
        typed[~(is_t | is_f)] = pd.NA
    elif typ == "date":
        ok_shape = s.str.fullmatch(_DATE).to_numpy()
        typed = pd.to_datetime(s.where(present & ok_shape), format="%Y-%m-%d", errors="coerce")
        bad = present & typed.isna().to_numpy()
        problems.add_rows(name, frame, bad, col, "ikke en dato (ÅÅÅÅ-MM-DD)")
    else:
        typed = s.where(present, None).astype("object")
        bad = np.zeros(len(s), dtype=bool)
    ok = present & ~bad
    if "enum" in cons:
        problems.add_rows(name, frame, ok & ~s.isin([str(v) for v in cons["enum"]]).to_numpy(), col,
                          "ikke én av " + ", ".join(map(str, cons["enum"])))
    if "pattern" in cons:
        problems.add_rows(name, frame, ok & ~s.str.fullmatch(cons["pattern"]).to_numpy(), col,
                          f"passer ikke med mønsteret {cons['pattern']}")
    for bound, cmp, word in (("minimum", np.less, "under minimum"), ("maximum", np.greater, "over maksimum")):
        if bound in cons:
            limit = pd.Timestamp(cons[bound]) if typ == "date" else cons[bound]
            vals = typed.to_numpy(dtype="datetime64[ns]") if typ == "date" else typed.to_numpy(dtype="float64", na_value=np.nan)
            with np.errstate(invalid="ignore"):
                out = ok & np.asarray(cmp(vals, np.datetime64(limit) if typ == "date" else limit), dtype=bool)
            problems.add_rows(name, frame, out, col, f"{word} {number_text(cons[bound])}")
    if cons.get("unique"):
        dup = ok & s.duplicated(keep="first").to_numpy()
        problems.add_rows(name, frame, dup, col, "verdien står flere ganger (skal være unik)")
    return typed


def _read_resource(folder: Path, res: dict, problems: _Problems) -> pd.DataFrame | None:
    fields = res["schema"]["fields"]
    frame = _read_csv(folder / res["path"], [f["name"] for f in fields], problems)
    if frame is None:
        return None
    typed = pd.DataFrame({f["name"]: _check_field(res["path"], frame, f, problems) for f in fields}, index=frame.index)
    pk = res["schema"].get("primaryKey", [])
    if len(pk) > 1:
        dup = frame.duplicated(subset=pk, keep="first").to_numpy()
        problems.add_rows(res["path"], frame, dup, pk[0],
                          f"primærnøkkelen ({', '.join(pk)}) står flere ganger")
    return typed


def _foreign_keys(schema: dict, frames: dict, problems: _Problems) -> None:
    for res in schema["resources"]:
        child = frames.get(res["name"])
        if child is None:
            continue
        for fk in res["schema"].get("foreignKeys", []):
            col, ref = fk["fields"][0], fk["reference"]
            parent = frames.get(ref["resource"])
            if parent is None:
                continue
            vals = child[col]
            known = set(parent[ref["fields"][0]].dropna().tolist())
            bad = vals.notna().to_numpy() & ~vals.isin(known).to_numpy()
            problems.add_rows(res["path"], child, bad, col,
                              f"ukjent {ref['fields'][0]} (finnes ikke i {ref['resource']}.csv)")


def _cross_rules(frames: dict, problems: _Problems) -> None:
    """Rules that span files or rows, beyond what a Table Schema can say."""
    off, cw = frames.get("offices"), frames.get("caseworkers")
    if off is not None:
        arms = off["arm"].value_counts()
        for arm in ("tiltak", "sammenligning"):
            if arms.get(arm, 0) == 0:
                problems.add("offices.csv", None, "arm", arm, "ingen kontor i denne gruppen: forsøket trenger begge gruppene")
        bad = off["manager_at_leader_gathering"].notna().to_numpy() & (off["arm"] != "tiltak").to_numpy()
        problems.add_rows("offices.csv", off, bad, "manager_at_leader_gathering",
                          "ledersamlingen var bare for tiltakskontorene (tiltak)")
    if off is not None:
        for part in ("kvp_completed_2010", "kvp_in_work_2010"):  # parts of the year's participants
            bad = (off[part] > off["kvp_participants_2010"]).fillna(False).to_numpy(dtype=bool)
            problems.add_rows("offices.csv", off, bad, part, "flere enn kontorets KVP-deltakere i 2010 "
                              "(kvp_participants_2010)")
    arm_of_cw = None
    if off is not None and cw is not None:
        arm_of_cw = cw["office_id"].map(dict(zip(off["office_id"], off["arm"])))
        bad = (cw["responded_t2"].fillna(False) & ~cw["responded_t1"].fillna(False)).to_numpy(dtype=bool)
        problems.add_rows("caseworkers.csv", cw, bad, "responded_t2", "svar ved T2 uten svar ved T1")
    sv = frames.get("caseworker_survey")
    if sv is not None and cw is not None:
        t1 = set(sv.loc[sv["wave"] == "T1", "caseworker_id"])
        bad = (sv["wave"] == "T2").to_numpy() & ~sv["caseworker_id"].isin(t1).to_numpy()
        problems.add_rows("caseworker_survey.csv", sv, bad, "caseworker_id", "svar ved T2 uten svar ved T1")
        flags = {"T1": dict(zip(cw["caseworker_id"], cw["responded_t1"])), "T2": dict(zip(cw["caseworker_id"], cw["responded_t2"]))}
        for wave in ("T1", "T2"):
            flag = sv["caseworker_id"].map(flags[wave])
            bad = (sv["wave"] == wave).to_numpy() & (flag == False).to_numpy(dtype=bool)  # noqa: E712
            problems.add_rows("caseworker_survey.csv", sv, bad, "wave", f"veilederen er merket som ikke svart ved {wave} i caseworkers.csv")
        for wave in ("T1", "T2"):
            have = set(sv.loc[sv["wave"] == wave, "caseworker_id"])
            flag = cw[f"responded_{wave.lower()}"].fillna(False).to_numpy(dtype=bool)
            bad = flag & ~cw["caseworker_id"].isin(have).to_numpy()
            problems.add_rows("caseworkers.csv", cw, bad, f"responded_{wave.lower()}", f"merket som svart, men ingen svar ved {wave} i caseworker_survey.csv")
        dated = sv["response_date"].notna()
        t1_date = sv.loc[(sv["wave"] == "T1").to_numpy() & dated.to_numpy()].groupby("caseworker_id")["response_date"].min()
        first = sv["caseworker_id"].map(t1_date)
        bad = ((sv["wave"] == "T2") & dated & first.notna() & (sv["response_date"] <= first)).to_numpy(dtype=bool)
        problems.add_rows("caseworker_survey.csv", sv, bad, "response_date", "svaret ved T2 er ikke etter veilederens svar ved T1")
        bad = (dated & (sv["wave"] == "T1") & (sv["response_date"] > RANDOMISATION_DATE)).to_numpy(dtype=bool)
        problems.add_rows("caseworker_survey.csv", sv, bad, "response_date", "svaret ved T1 er etter randomiseringen (2011-02-16)")
    ht = frames.get("caseworker_hpmt_t2")
    if ht is not None and cw is not None and arm_of_cw is not None:
        ok_ids = set(cw.loc[(arm_of_cw == "tiltak").fillna(False).to_numpy(dtype=bool) & cw["responded_t2"].fillna(False).to_numpy(dtype=bool), "caseworker_id"])
        bad = ~ht["caseworker_id"].isin(ok_ids).to_numpy()
        problems.add_rows("caseworker_hpmt_t2.csv", ht, bad, "caseworker_id",
                          "HPMT-spørsmålene er bare for veiledere i tiltakskontorene (tiltak) som svarte ved T2")
    pa = frames.get("participants")
    if pa is not None and cw is not None:
        office_of = {c: o for c, o in zip(cw["caseworker_id"], cw["office_id"]) if pd.notna(o)}
        cw_office = pa["caseworker_id"].map(office_of).astype("Int64")
        bad = (cw_office.notna() & pa["office_id"].notna() & (cw_office != pa["office_id"])).fillna(False).to_numpy(dtype=bool)
        problems.add_rows("participants.csv", pa, bad, "caseworker_id", "veilederen hører til et annet kontor")
    p2 = frames.get("participant_t2")
    if pa is not None and p2 is not None:
        responded = set(pa.loc[pa["responded_t2"].fillna(False).to_numpy(dtype=bool), "participant_id"])
        known = set(pa["participant_id"])
        bad = p2["participant_id"].isin(known).to_numpy() & ~p2["participant_id"].isin(responded).to_numpy()
        problems.add_rows("participant_t2.csv", p2, bad, "participant_id", "svar ved T2 for en deltaker som er merket som ikke svart ved T2")
        have = set(p2["participant_id"])
        bad = pa["responded_t2"].fillna(False).to_numpy(dtype=bool) & ~pa["participant_id"].isin(have).to_numpy()
        problems.add_rows("participants.csv", pa, bad, "responded_t2", "merket som svart ved T2, men ingen rad i participant_t2.csv")
        t1 = pd.to_datetime(p2["participant_id"].map(dict(zip(pa["participant_id"], pa["t1_date"]))))
        bad = (t1.notna() & p2["t2_date"].notna() & (p2["t2_date"] <= t1)).to_numpy(dtype=bool)
        problems.add_rows("participant_t2.csv", p2, bad, "t2_date", "datoen ved T2 er ikke etter deltakerens dato ved T1")
    ga = frames.get("gatherings")
    if ga is not None and {"gathering_id", "start"} <= set(ga.columns):
        # the gatherings are numbered in the order they were held (S1 … S5, X6, X7)
        number = pd.to_numeric(ga["gathering_id"].astype(str).str.extract(r"(\d+)$")[0], errors="coerce")
        held = ga.assign(_n=number).dropna(subset=["_n", "start"]).sort_values("_n", kind="stable")
        latest = None
        for idx, row in held.iterrows():
            if latest is not None and row["start"] < latest["start"]:
                problems.add_rows("gatherings.csv", ga, ga.index == idx, "start",
                                  f"før samling {latest['gathering_id']} ({latest['start']:%Y-%m-%d}); samlingene er "
                                  "nummerert i den rekkefølgen de ble holdt")
            if latest is None or row["start"] >= latest["start"]:
                latest = row
    fe = frames.get("fe_forms")
    if fe is not None:
        bad = (fe["tool_utu"].fillna(False) & (fe["form_date"] < UTU_INTRODUCED)).to_numpy(dtype=bool)
        problems.add_rows("fe_forms.csv", fe, bad, "tool_utu", "UTU planlagt før verktøyet kom på lista (februar 2012)")
    qc = frames.get("qual_codes")
    if qc is not None and "theme" in qc.columns:
        competence = (qc["family"] == "kompetanseutvikling").to_numpy(dtype=bool)
        themed = qc["theme"].notna().to_numpy(dtype=bool)
        problems.add_rows("qual_codes.csv", qc, competence & ~themed, "theme",
                          "påkrevd for koder i familien kompetanseutvikling")
        problems.add_rows("qual_codes.csv", qc, ~competence & themed, "theme",
                          "bare for koder i familien kompetanseutvikling")
    qs, qg = frames.get("qual_sources"), frames.get("qual_segments")
    if qs is not None and qg is not None:
        for col in ("wave", "office_group"):
            src = qg["source_id"].map(dict(zip(qs["source_id"], qs[col])))
            bad = (src.notna() & (src != qg[col])).to_numpy(dtype=bool)
            problems.add_rows("qual_segments.csv", qg, bad, col, f"avviker fra {col} for kilden i qual_sources.csv")


def _checksum(folder: Path, schema: dict) -> str:
    h = hashlib.sha256()
    for name in [DESCRIPTOR] + [r["path"] for r in schema["resources"]]:
        p = folder / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _read_descriptor(path: Path, problems: _Problems) -> dict:
    """The descriptor as a mapping ({} when it is unusable, with the problem added). Its
    ``synthetic`` must be a YAML boolean: only an explicit ``false`` turns the synthetic-data
    notice off, so an empty value, a missing key or the string 'false' are refused."""
    if not path.exists():
        problems.add(DESCRIPTOR, None, None, None, "filen mangler (beskrivelsen av datapakken)")
        return {}
    if not path.is_file():
        problems.add(DESCRIPTOR, None, None, None, "ikke en fil (en mappe?): beskrivelsen av datapakken skal være en YAML-fil")
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        parsed = yaml.load(text, Loader=_LOADER)
    except UnicodeDecodeError:
        problems.add(DESCRIPTOR, None, None, None, "ikke UTF-8-kodet")
        return {}
    except OSError as err:
        problems.add(DESCRIPTOR, None, None, None, f"kan ikke leses ({err.strerror or type(err).__name__})")
        return {}
    except yaml.YAMLError as err:  # PyYAML's own text is English: the place is what helps
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f" (feil ved tegn {mark.column + 1} i linjen)" if mark is not None else ""
        problems.add(DESCRIPTOR, mark.line + 1 if mark is not None else None, None, None,
                     f"ikke lesbar YAML{where}; sjekk innrykk, kolon og anførselstegn")
        return {}
    if parsed is None:
        problems.add(DESCRIPTOR, 1, None, None, "tom beskrivelse: den skal minst si synthetic: true eller synthetic: false")
        return {}
    if not isinstance(parsed, dict):
        problems.add(DESCRIPTOR, 1, None, str(parsed)[:80],
                     "ikke en YAML-tabell (linjer med nøkkel: verdi); beskrivelsen skal si synthetic: true eller false")
        return {}
    if "synthetic" not in parsed:
        problems.add(DESCRIPTOR, None, "synthetic", None, "mangler: beskrivelsen skal si om dataene er syntetiske (true/false)")
    elif not isinstance(parsed["synthetic"], bool):
        line = None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            line = next(v.start_mark.line + 1 for k, v in node.value if getattr(k, "value", None) == "synthetic")
        except (yaml.YAMLError, StopIteration, AttributeError, TypeError):
            pass
        problems.add(DESCRIPTOR, line, "synthetic", "" if parsed["synthetic"] is None else parsed["synthetic"],
                     "skal være YAML-sannhetsverdien true eller false (uten anførselstegn)")
    return parsed


def read_package(folder: str | Path | None = None) -> tuple[dict, dict, list[str]]:
    """Validate and type every resource. Returns (frames, descriptor, problems)."""
    folder = resolve_data_dir(folder)
    schema = load_schema()
    problems = _Problems()
    descriptor: dict = {}
    if not folder.is_dir():
        problems.add(str(folder), None, None, None, "datamappa finnes ikke")
        return {}, descriptor, problems.items
    descriptor = _read_descriptor(folder / DESCRIPTOR, problems)
    frames = {}
    for res in schema["resources"]:
        frame = _read_resource(folder, res, problems)
        if frame is not None:
            frames[res["name"]] = frame
    _foreign_keys(schema, frames, problems)
    _cross_rules(frames, problems)
    return frames, descriptor, problems.items


def validate(folder: str | Path | None = None) -> list[str]:
    """Every problem in the data folder (empty list: valid)."""
    return read_package(folder)[2]


class StudyData:
    """The validated, typed study data, with shared derived quantities."""

    def __init__(self, folder: Path, frames: dict, descriptor: dict, checksum: str):
        self.folder = folder
        self.frames = frames
        self.descriptor = descriptor
        self.checksum = checksum
        for name, frame in frames.items():
            setattr(self, name, frame)

    @property
    def synthetic(self) -> bool:
        return self.descriptor.get("synthetic", True) is not False  # only an explicit false removes the notice

    @cached_property
    def arm_of_office(self) -> dict:
        return dict(zip(self.offices["office_id"], self.offices["arm"]))

    @cached_property
    def cache(self) -> dict:
        """Scratch space for computations shared by several outputs."""
        return {}

    def shared(self, key, func):
        """Compute ``func(self)`` once per loaded data set and reuse it."""
        if key not in self.cache:
            self.cache[key] = func(self)
        return self.cache[key]


_CACHE: dict = {}


def _stamp(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


def load(folder: str | Path | None = None) -> StudyData:
    """Load and validate the data; raise :class:`DataError` listing every problem."""
    folder = resolve_data_dir(folder)
    key = (str(folder), _stamp(folder))
    if key in _CACHE:
        return _CACHE[key]
    frames, descriptor, problems = read_package(folder)
    if problems:
        raise DataError(folder, problems)
    study = StudyData(folder, frames, descriptor, _checksum(folder, load_schema()))
    _CACHE.clear()
    _CACHE[key] = study
    return study
