"""Suppressed office cells do not leave the build, on data with small offices: the CSV exports have
the value blanked (the *_skjermet flag stays), results.json and reproduction.csv say «skjermet» with
no value, and the Markdown tables show «–»."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCALES = ("faglig_kompetanse", "veiledning", "relasjonell_allianse", "mote_med_bruker", "systemorientert", "forvaltning")
#: table -> flag column -> the value columns it covers
FLAGGED = {
    "tbl-kontor-implementering": {f"{c}_skjermet": [f"{c}_mean", f"{c}_n"]
                                  for c in ("samling1", "implementation_aims", "supervisions_2012")},
    "tbl-kontorfunn": {"skala_skjermet": [f"{s}_{w}" for s in SCALES for w in ("t1", "t2", "delta", "symbol")],
                       "heltid_skjermet": ["n_heltid", "heltid_pct"], "deltid_skjermet": ["n_deltid", "deltid_pct"],
                       "selvhjulpen_skjermet": ["selvhjulpen_pct"]},
    "tbl-kontor-skalaer": {"skala_skjermet": [f"{s}_{w}" for s in SCALES for w in ("t1", "t2", "delta")]},
    "tbl-rekruttering": {"rekruttert_skjermet": ["n_deltakere", "andel_maltall_pct"],
                         "innvandrer_skjermet": ["innvandrer_pct"]},
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A simulated study with small offices (a few participants and caseworkers each), built."""
    base = tmp_path_factory.mktemp("small")
    data, out = base / "data", base / "out"
    for cmd in (["simulate", "--out", str(data), "--scale", "0.15", "--seed", "3"],
                ["build", "--data", str(data), "--out", str(out)]):
        proc = subprocess.run([sys.executable, "-m", "analysis", *cmd], cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    return data, out


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_exports_blank_every_suppressed_cell(small):
    _, out = small
    flagged = shown = 0
    for label, flags in FLAGGED.items():
        rows = _rows(out / "tables" / f"{label}.csv")
        for row in rows:
            for flag, columns in flags.items():
                if row[flag] == "True":
                    flagged += 1
                    assert {c: row[c] for c in columns} == {c: "" for c in columns}, (label, row["office_id"], flag)
                else:
                    shown += any(row[c] != "" for c in columns)
    assert flagged >= 10 and shown >= 10  # the small offices did trigger the rule; the others keep their values


def test_inline_numbers_of_suppressed_cells_say_skjermet(small):
    from analysis.data import load
    from analysis.outputs import kontor

    data, out = small
    numbers = json.loads((out / "results.json").read_text(encoding="utf-8"))["numbers"]
    study = load(data)
    fm = kontor.findings_masks(study)
    rm = kontor.recruitment_masks(study)
    checked = 0
    for i, office in enumerate(fm["office_id"]):
        k = f"k{int(office):02d}"
        keys = []
        if fm["skala"].iloc[i]:
            keys += [f"kontor_{k}_{kontor.SCALE_KEYS[s]}_endring" for s in SCALES]
        if rm["rekruttert"].iloc[i]:
            keys += [f"kontor_{k}_deltakere_n", f"kontor_{k}_rekruttert_pct"]
        for key in keys:
            assert numbers[key] == {"value": None, "text": "skjermet"}, (key, numbers[key])
            checked += 1
    assert checked >= 5
    for v in numbers.values():  # nothing else carries a value under the «skjermet» text
        assert v["text"] != "skjermet" or v["value"] is None


def test_reproduction_does_not_print_suppressed_values(small):
    """Every published office number whose cell is suppressed shows «skjermet», not the computed value
    (which a computation without disclosure control would give)."""
    from analysis import results
    from analysis.data import StudyData, load

    data, out = small
    rows = {r["key"]: r for r in _rows(out / "reproduction.csv")}
    numbers = json.loads((out / "results.json").read_text(encoding="utf-8"))["numbers"]
    suppressed = [k for k, v in numbers.items() if v["text"] == "skjermet" and k in rows]
    assert suppressed
    study = load(data)
    fresh = StudyData(study.folder, study.frames, study.descriptor, study.checksum)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HPMT_MIN_CELL", "0")
        mp.setenv("HPMT_MIN_CELL_RATING", "0")
        raw = results.compute(fresh).complete()
        for key in suppressed:
            assert rows[key]["computed"] == "skjermet" and rows[key]["status"] == "not-computable", key
            assert raw[key] != "skjermet"  # without the rule there is a number, and it is not printed


def test_markdown_tables_show_a_dash_for_suppressed_offices(small):
    _, out = small
    rows = _rows(out / "tables" / "tbl-kontor-skalaer.csv")
    md = (out / "tables" / "tbl-kontor-skalaer.md").read_text(encoding="utf-8")
    for r in rows:
        line = next(ln for ln in md.splitlines() if ln.startswith(f"| {r['office_id']} "))
        cells = [c.strip() for c in line.strip("|").split("|")][2:]
        if r["skala_skjermet"] == "True":
            assert set(cells) == {"–"}, line


def test_every_number_is_computed_when_many_offices_are_suppressed(small):
    """A strict minimum (10 participants, 10 respondents) suppresses most office cells, also the
    recruitment counts: every provider still runs, and the report's office aggregates say «skjermet»."""
    from analysis import results
    from analysis.data import StudyData, load

    data, _ = small
    study = load(data)
    fresh = StudyData(study.folder, study.frames, study.descriptor, study.checksum)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HPMT_MIN_CELL", "10")
        mp.setenv("HPMT_MIN_CELL_RATING", "10")
        R = results.compute(fresh).complete()
        assert R["rapport_tekst_10_3_recruit_share_min_pct"] == "skjermet"
        assert R["ord_rapport_tekst_10_3_offices_over50_count"] == "et skjermet antall kontor"
        assert R.value("rapport_tekst_10_3_recruit_share_min_pct") is None


@pytest.fixture(scope="module")
def unsuppressed(small, tmp_path_factory):
    """The same data built with the rule off: what each suppressed cell would have shown."""
    import os

    data, _ = small
    out0 = tmp_path_factory.mktemp("small0") / "out"
    env = dict(os.environ, HPMT_MIN_CELL="0", HPMT_MIN_CELL_RATING="0")
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out0)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out0


def test_no_file_the_build_writes_discloses_a_suppressed_cell(small, unsuppressed):
    """Every text file of the build (tables in Markdown and CSV, results.json, reproduction.csv, alt
    texts) is scanned for the cell texts the rule hid (tests/disclosure_scan.py)."""
    from disclosure_scan import leaks, suppressed_cells, text_files

    _, out = small
    cells = suppressed_cells(out, unsuppressed)
    assert len(cells) >= 50 and sum(c.distinctive for c in cells) >= 20, len(cells)
    files = text_files(out)
    assert {"results.json", "reproduction.csv", "tables/tbl-kontor-skalaer.csv"} <= set(files)
    assert leaks(cells, files) == []


def test_the_scan_finds_a_disclosed_cell(small, unsuppressed):
    """The scan can fail: a table row with its unsuppressed values, an alt text that quotes one, and
    an HTML table that shows one are each reported."""
    from disclosure_scan import leaks, suppressed_cells, text_files

    _, out = small
    cells = suppressed_cells(out, unsuppressed)
    files = text_files(out)
    victim = next(c for c in cells if c.distinctive and c.label == "tbl-kontor-skalaer")
    label_md = f"tables/{victim.label}.md"
    leaked = dict(files)
    leaked[label_md] = (unsuppressed / label_md).read_text(encoding="utf-8")
    assert any(label_md in p and victim.raw in p for p in leaks(cells, leaked))
    assert any("alt.txt" in p for p in leaks(cells, {**files, "figures/x.alt.txt": f"Kontoret har {victim.raw}."}))
    row = "".join(f"<td>{x}</td>" for x in [victim.office] + [victim.raw] * (victim.index + 1))
    page = f'<div id="{victim.label}"><table><tr>{row}</tr></table></div>'
    problems = leaks(cells, files, {"chapters/kontorforskjeller.html": page})
    assert any("raden viser" in p for p in problems) and any(p.startswith("side: ") for p in problems)
