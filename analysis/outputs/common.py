"""Derived frames shared by many outputs (computed once per loaded data set)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt
from ..synth.simulate import SCALE_ITEMS, item_columns

ARMS = ("tiltak", "sammenligning")
SCALE_LABELS = {
    "faglig_kompetanse": "Faglig kompetanse", "veiledning": "Veiledning", "relasjonell_allianse": "Relasjonell allianse",
    "mote_med_bruker": "Møte med bruker", "systemorientert": "Systemorientert innsats",
    "forvaltning": "Forvaltning, koordinering og pådriverfunksjon",
}
SCALES = list(SCALE_ITEMS)
#: The declared family of main outcomes (keys of ``effekter_samlet.effect_summary``), adjusted together
#: with Holm's method.  Source: the final report (shared/seeds/001_*) names the six caseworker scales of
#: chapter 6 as its «effektmål ... kjernekomponentene i HPMT» (kap. 10.2, lines 7290–7294) and work,
#: activity and income as «de primære målene for undersøkelsen» for the participants (kap. 9.4,
#: lines 6898–6900; kap. 9 intro line 6531: «arbeid, aktivitet og inntekt»).  Work is part- and full-time
#: work at T2 (Table 6/7), economic independence the register's self-sufficiency at the last follow-up
#: (May 2013, kap. 9.2) and income household income at T2 (Table 8) — the same main effects as
#: ``kontor.LOO_EFFECTS``.  Activation (KVP or other measures), work in the register and November 2012
#: are reported as secondary outcomes, unadjusted.
MAIN_OUTCOMES = tuple(f"skala_{s}" for s in SCALES) + ("deltid", "heltid", "selvhjulpen_2013_05", "inntekt")


def _with_arm(study, resource: str) -> pd.DataFrame:
    """A copy of a resource that has office_id, with the office's arm added (computed once)."""
    def f(s):
        frame = s.frames[resource].copy()
        frame["arm"] = frame["office_id"].map(s.arm_of_office)
        return frame
    return study.shared(f"with_arm:{resource}", f)


def caseworkers(study) -> pd.DataFrame:
    return _with_arm(study, "caseworkers")


def participants(study) -> pd.DataFrame:
    return _with_arm(study, "participants")


def t2(study) -> pd.DataFrame:
    """T2 respondents with office and arm."""
    def f(s):
        pa = participants(s)
        return s.participant_t2.merge(pa[["participant_id", "office_id", "arm", "immigrant", "prior_paid_work"]], on="participant_id")
    return study.shared("t2", f)


def scale_scores(study) -> pd.DataFrame:
    """One row per caseworker and wave: the six scale scores (mean of answered items)."""
    def f(s):
        sv = s.caseworker_survey.merge(caseworkers(s)[["caseworker_id", "office_id", "arm"]], on="caseworker_id")
        out = sv[["caseworker_id", "office_id", "arm", "wave"]].copy()
        for scale in SCALES:
            out[scale] = sv[item_columns(scale)].astype("float64").mean(axis=1)
        return out
    return study.shared("scales", f)


def scale_panel(study, scale: str) -> pd.DataFrame:
    """Caseworkers who answered at both T1 and T2: caseworker_id, office_id, arm, T1 and T2 of one
    scale (all six reshaped in one step, once per data set)."""
    def f(s):
        wide = scale_scores(s).set_index(["caseworker_id", "office_id", "arm", "wave"])[SCALES].unstack("wave")
        return {sc: wide[sc].reindex(columns=["T1", "T2"]).dropna(subset=["T1", "T2"]).reset_index().rename_axis(columns=None)
                for sc in SCALES}
    return study.shared("scale_panel", f)[scale]


def answer_shares(answers: pd.Series, codes) -> dict:
    """Count and share of those answering per answer code, in code order:
    ``{"n_<code>": count, "pct_<code>": percent, …}`` (percent NaN when nobody answered)."""
    counts = answers.value_counts().reindex(list(codes), fill_value=0)
    n = len(answers)
    out = {}
    for code in codes:
        out[f"n_{code}"] = int(counts[code])
        out[f"pct_{code}"] = counts[code] / n * 100 if n else np.nan
    return out


def coded_counts(out: pd.DataFrame, seg: pd.DataFrame, groups, waves) -> pd.DataFrame:
    """The counts of a table of coded excerpts, added to ``out`` (one row per code, indexed by code):
    ``segmenter`` (segments), ``kilder`` (distinct sources), ``gruppe_<group>`` (segments per informant
    group) and ``bolge_<wave>`` (segments per wave), from the segments ``seg``; returns ``out``."""
    out["segmenter"] = seg.groupby("code").size().reindex(out.index, fill_value=0).astype(int)
    out["kilder"] = seg.groupby("code")["source_id"].nunique().reindex(out.index, fill_value=0).astype(int)
    for g in groups:
        out[f"gruppe_{g}"] = seg[seg["informant_role"] == g].groupby("code").size().reindex(
            out.index, fill_value=0).astype(int)
    for w in waves:
        out[f"bolge_{w}"] = seg[seg["wave"] == w].groupby("code").size().reindex(out.index, fill_value=0).astype(int)
    return out


def coded_count_rows(frame: pd.DataFrame, groups, waves, label_of) -> list[list[str]]:
    """Table rows of :func:`coded_counts`: the code's label (``label_of(row)``), segments per informant group
    and per wave, and the total."""
    return [[label_of(r)] + [fmt.integer(getattr(r, f"gruppe_{g}")) for g in groups]
            + [fmt.integer(getattr(r, f"bolge_{w}")) for w in waves] + [fmt.integer(r.segmenter)]
            for r in frame.itertuples(index=False)]


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha from the item covariance matrix (pairwise complete, as pingouin's
    ``cronbach_alpha`` with its default ``nan_policy="pairwise"``): k/(k−1)·(1 − tr C / ΣC).

    Computed here rather than with pingouin because importing pingouin also imports seaborn
    and matplotlib (about 0,5 s per chapter); tests/test_effects.py checks the two agree.
    """
    C = items.astype("float64").cov().to_numpy()
    k = C.shape[0]
    return float(k / (k - 1) * (1 - np.trace(C) / C.sum()))


def cluster_ttest(values: pd.Series, office: pd.Series, arm_of: dict):
    """Cluster-level comparison: office means, then a t-test of 9 vs 9 office means (p-value)."""
    from ..stats.cluster import cluster_ttest as office_ttest

    v = pd.Series(values).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    o = pd.Series(office).to_numpy()
    keep = ~np.isnan(v)
    codes, idx = np.unique(o[keep], return_inverse=True)
    means = np.bincount(idx, weights=v[keep]) / np.bincount(idx)
    arms = np.array([arm_of[c] for c in codes])
    a, b = means[arms == "tiltak"], means[arms == "sammenligning"]
    if len(a) < 2 or len(b) < 2:
        return np.nan
    return office_ttest(a, b).p


def share(x) -> float:
    x = pd.Series(x).dropna().astype(bool)
    return float(x.mean() * 100) if len(x) else np.nan


def chi2_two_groups(k1, n1, k0, n0) -> float:
    """Pearson's chi-square test (no continuity correction) of k1/n1 against k0/n0, the report's
    test for shares; NaN when nobody has the outcome."""
    from ..stats.dist import chi2_2x2_p

    if k1 + k0 == 0:
        return float("nan")
    return chi2_2x2_p(k1, n1, k0, n0)
