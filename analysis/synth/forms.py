"""FE forms, the qualitative material and the gatherings, for the generator
(:mod:`analysis.synth.simulate`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import read_yaml
from . import targets as T
from .tools import choose_exact, count_for_pct, ints_with_total

if TYPE_CHECKING:
    from .simulate import Params

BANK = Path(__file__).resolve().parent / "qualitative_bank.yaml"

FE_TOOLS = ["apne_sporsmal", "aktiv_lytting", "speiling", "oppsummering", "utu", "skalering", "endringsspiralen",
            "ambivalensvekt", "livshjulet", "fak_svak", "fak_sterk", "smarte_mal", "helhetsmodellen", "plan_smarte_mal",
            "iima", "nettverkskart", "systemkart", "ai_5d"]
#: base probability of planning each tool (start, end of period): rapport 5.3
FE_TOOL_P = {"apne_sporsmal": (.90, .94), "aktiv_lytting": (.86, .88), "speiling": (.62, .66), "oppsummering": (.88, .91),
             "skalering": (.08, .10), "endringsspiralen": (.06, .08), "ambivalensvekt": (.05, .06), "livshjulet": (.05, .06),
             "fak_svak": (.04, .05), "fak_sterk": (.04, .05), "smarte_mal": (.22, .45), "helhetsmodellen": (.18, .38),
             "plan_smarte_mal": (.16, .36), "iima": (.10, .28), "nettverkskart": (.04, .06), "systemkart": (.03, .05), "ai_5d": (.03, .04)}
FE_PRINCIPLE_P = [.93, .82, .66, .62, .64, .60, .28, .58, .24, .23]
#: forms per month, Sept 2011 - Apr 2013 (dips in July and at Christmas, rise after the
#: booster gathering of September 2012); relative weights
FE_MONTH_W = [40, 70, 80, 45, 55, 75, 80, 70, 75, 65, 25, 55, 110, 130, 125, 80, 90, 110, 115, 100]


def _fe_forms(rng, p: Params) -> pd.DataFrame:
    months = pd.period_range("2011-09", "2013-04", freq="M")
    n_total = int(round(T.FE_FORMS * p.scale))
    w = np.array(FE_MONTH_W, dtype=float)
    counts = ints_with_total(rng, w / w.sum() * n_total, n_total, 0, n_total)
    month_of = np.repeat(np.arange(len(months)), counts)
    day = np.array([rng.integers(1, months[i].days_in_month + 1) for i in month_of]) if n_total < 5000 else \
        np.minimum(rng.integers(1, 29, n_total), 28)
    dates = pd.to_datetime([f"{months[i].year}-{months[i].month:02d}-{d:02d}" for i, d in zip(month_of, day)])
    order = np.argsort(dates.values, kind="stable")
    dates, month_of = dates[order], month_of[order]
    t = month_of / (len(months) - 1)
    df = pd.DataFrame({"form_id": [f"F{i:06d}" for i in range(1, n_total + 1)], "form_date": dates})
    for tool in FE_TOOLS:
        if tool == "utu":
            utu_start = months.get_loc(pd.Period("2012-02", "M"))
            rel = np.clip((month_of - utu_start) / 10, 0, 1)
            prob = np.where(month_of >= utu_start, 0.25 + 0.5 * rel, 0.0)
        else:
            a, b = FE_TOOL_P[tool]
            prob = a + (b - a) * t
        df[f"tool_{tool}"] = rng.random(n_total) < prob
    if p.calibrated:
        for ym, pct in T.FE_UTU.items():
            i = months.get_loc(pd.Period(ym, "M"))
            rows = np.flatnonzero(month_of == i)
            k = count_for_pct(pct, len(rows), 0)
            df.loc[rows, "tool_utu"] = choose_exact(rng, len(rows), k)
        # open questions in 85-98 % of forms every month
        for i in range(len(months)):
            rows = np.flatnonzero(month_of == i)
            share = df.loc[rows, "tool_apne_sporsmal"].mean()
            if not 0.855 <= share <= 0.975:
                k = int(np.clip(round(share * len(rows)), np.ceil(0.855 * len(rows)), np.floor(0.975 * len(rows))))
                df.loc[rows, "tool_apne_sporsmal"] = choose_exact(rng, len(rows), k)
        _exact_mean_ticks(rng, df, [f"tool_{x}" for x in FE_TOOLS if x not in ("utu", "apne_sporsmal")], T.FE_MEAN_TOOLS)
    for i, pp in enumerate(FE_PRINCIPLE_P, 1):
        df[f"principle_{i:02d}"] = rng.random(n_total) < pp
    if p.calibrated:
        _exact_mean_ticks(rng, df, [f"principle_{i:02d}" for i in range(2, 11)], T.FE_MEAN_PRINCIPLES)
    filled = rng.random(n_total) < 0.88
    df["rating_as_planned"] = np.where(filled, np.clip(np.rint(rng.normal(7.4 + 0.3 * t, 1.5)), 0, 10), np.nan)
    df["rating_goal"] = np.where(filled & (rng.random(n_total) < 0.97), np.clip(np.rint(rng.normal(7.6 + 0.5 * t, 1.6)), 0, 10), np.nan)
    df["comment_factors"] = rng.random(n_total) < T.FE_COMMENT_FACTORS
    df["comment_challenges"] = rng.random(n_total) < T.FE_COMMENT_CHALLENGES
    return df


def _exact_mean_ticks(rng, df, cols, mean):
    """Toggle ticks in ``cols`` at random until the mean number of ticks per form (all tool
    or principle columns of that kind) equals ``mean`` at one decimal."""
    prefix = cols[0].split("_")[0]
    allc = [c for c in df.columns if c.startswith(prefix + "_")]
    n = len(df)
    target = int(round(mean * n))
    cur = int(df[allc].to_numpy().sum())
    diff = target - cur
    arr = df[cols].to_numpy().copy()
    flat = arr.ravel()
    if diff > 0:
        idx = rng.choice(np.flatnonzero(~flat), diff, replace=False)
        flat[idx] = True
    elif diff < 0:
        idx = rng.choice(np.flatnonzero(flat), -diff, replace=False)
        flat[idx] = False
    df[cols] = flat.reshape(arr.shape)


# ---------------------------------------------------------------- qualitative material and gatherings
def _bank() -> dict:
    return read_yaml(BANK)


def _qualitative(rng, p: Params):
    bank = _bank()
    src_rows = []
    for row in bank["sources_inventory"]:
        count = row.get("count") or (4 if row["kind"] == "observasjon" else 1)
        for i in range(int(count)):
            persons = row.get("persons")
            # the inventory's persons spread over its sources so that they add up (5 over 4 -> 2, 1, 1, 1)
            n_inf = None if row["kind"] == "observasjon" else (
                max(1, int(persons) // int(count) + (1 if i < int(persons) % int(count) else 0)) if persons else
                (2 if row["kind"] == "gruppeintervju" else 1))
            office_group = "ingen" if row["informant_group"] in ("fm_veileder", "ledelse_ressurs") or row["kind"] == "observasjon" else (
                "tiltak" if row["wave"] == "T2" or rng.random() < 0.55 else "sammenligning")
            src_rows.append(("", row["kind"], row["informant_group"], row["wave"], n_inf, office_group))
    src = pd.DataFrame(src_rows, columns=["source_id", "kind", "informant_group", "wave", "n_informants", "office_group"])
    src["source_id"] = [f"K{i:03d}" for i in range(1, len(src) + 1)]
    codes = pd.DataFrame([{
        "code": c["code"], "family": c["family"], "label": c["label"], "area": c.get("area"), "stage": c.get("stage"),
        "level": c.get("level"), "direction": c.get("direction"), "theme": c.get("theme"),
        "description": c["description"]} for c in bank["codebook"]])
    first = [c for c in bank["codebook"] if c["family"] not in SEPARATE_FAMILIES]
    seg_rows = []
    for s in src.itertuples(index=False):
        group, wave = s.informant_group, s.wave
        weights = np.array([c["weight_by_group"].get(group, 0) * c["weight_by_wave"].get(wave, 0) for c in first], dtype=float)
        if weights.sum() == 0:
            continue
        n_seg = int(rng.integers(4, 9)) if s.kind != "observasjon" else int(rng.integers(6, 12))
        for ci in rng.choice(len(weights), n_seg, p=weights / weights.sum()):
            code = first[ci]
            fits = [e for e in code["excerpts"] if group in e.get("groups", [group])] or code["excerpts"]
            ex = fits[rng.integers(len(fits))]
            seg_rows.append((s.source_id, code["code"], group, s.office_group, wave, ex["text"].strip()))
    seg_rows += _competence_segments(p, src, [c for c in bank["codebook"] if c["family"] in SEPARATE_FAMILIES])
    seg = pd.DataFrame(seg_rows, columns=["source_id", "code", "informant_role", "office_group", "wave", "text"])
    seg.insert(0, "segment_id", [f"S{i:05d}" for i in range(1, len(seg) + 1)])
    seg["synthetic"] = True
    return src, codes, seg


#: code families drawn after all the others, from a stream of their own (seeded by the seed and the
#: family's number in SEPARATE_STREAMS), so that adding a family leaves every earlier segment unchanged
SEPARATE_FAMILIES = ("kompetanseutvikling",)
SEPARATE_STREAMS = {"kompetanseutvikling": 8}  # the report's chapter 8
#: segments per source of these families, [low, high): the T1 interviews touched on competence in one
#: question, the later interviews were mostly about it (001, linje 5773-5778)
SEPARATE_COUNTS = {"T1": (1, 3), "intervju": (3, 8), "gruppeintervju": (3, 8), "observasjon": (2, 5)}


def _fitting_excerpts(code: dict, group: str, observation: bool) -> list[dict]:
    """Excerpts a source can yield for a code: the informant group's, in the source's voice (field notes for
    an observation, the informant's own words for an interview); none means the source cannot raise the code."""
    return [e for e in code["excerpts"]
            if (e.get("voice") == "observasjon") == observation and group in e.get("groups", [group])]


def _competence_segments(p: Params, src: pd.DataFrame, codebook: list[dict]) -> list[tuple]:
    """Segments of the separately drawn families: per source, a number drawn from SEPARATE_COUNTS,
    among the codes its informant group, wave and office group can raise (``office_groups`` in the bank; experiences with HPMT only from intervention offices and from
    informants without an office)."""
    rows = []
    for family in SEPARATE_FAMILIES:
        codes = [c for c in codebook if c["family"] == family]
        if not codes:
            continue
        rng = np.random.default_rng([p.seed, SEPARATE_STREAMS[family]])
        for s in src.itertuples(index=False):
            group, wave = s.informant_group, s.wave
            fits = [_fitting_excerpts(c, group, s.kind == "observasjon") for c in codes]
            weights = np.array([c["weight_by_group"].get(group, 0) * c["weight_by_wave"].get(wave, 0)
                                * (s.office_group in c.get("office_groups", [s.office_group])) * bool(f)
                                for c, f in zip(codes, fits)], dtype=float)
            if weights.sum() == 0:
                continue
            n_seg = int(rng.integers(*SEPARATE_COUNTS["T1" if s.wave == "T1" else s.kind]))
            for ci in rng.choice(len(codes), n_seg, p=weights / weights.sum()):
                ex = fits[ci][rng.integers(len(fits[ci]))]
                rows.append((s.source_id, codes[ci]["code"], group, s.office_group, wave, ex["text"].strip()))
    return rows


MONTHS_NB = {"januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8,
             "september": 9, "oktober": 10, "november": 11, "desember": 12}


SEASONS = {"våren": 3, "sommeren": 6, "høsten": 9, "vinteren": 1}


def _parse_when(text: str) -> str | None:
    """'12.-13. september 2012' -> 2012-09-12; 'juni-august 2011' -> 2011-06-01; 'høsten 2011' -> 2011-09-01."""
    import re

    m = re.search(r"(\d{1,2})\.(?:\s*-\s*\d{1,2}\.)?\s+([a-zæøå]+)\s+(\d{4})", text)
    if m and m.group(2) in MONTHS_NB:
        return f"{m.group(3)}-{MONTHS_NB[m.group(2)]:02d}-{int(m.group(1)):02d}"
    m = re.search(r"([a-zæøå]+)(?:\s*-\s*[a-zæøå]+)?\s+(\d{4})", text)
    if m:
        month = MONTHS_NB.get(m.group(1)) or SEASONS.get(m.group(1))
        if month:
            return f"{m.group(2)}-{month:02d}-01"
    return None


def _gatherings() -> pd.DataFrame:
    rows = []
    for g in _bank()["gatherings"]:
        name = g["name"]
        num = g.get("number")
        low = name.lower()
        kind = ("opplaering" if num and num <= 4 else "hpmt_veileder" if num == 5 else
                "booster" if "booster" in low else "dialog" if "dialog" in low else "ledersamling" if "leder" in low else "dialog")
        start = _parse_when(str(g.get("month_approx") or ""))
        if start is None:
            continue
        rows.append({"gathering_id": f"S{num}" if num else f"X{len(rows) + 1}", "kind": kind, "title": name, "start": str(start),
                     "days": g.get("days"), "audience": g.get("participants", ""),
                     "content": "; ".join(g.get("content_keywords", [])), "source_ref": f"Rapporten, linje {g.get('lines', '')}"})
    return pd.DataFrame(rows)
