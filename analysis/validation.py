"""Method validation: how the inference methods behave in the 18-office design.

``python -m analysis validate-methods --trials N`` draws N trials from the simulator
(model mode: a fresh draw of offices, caseworkers and participants each time) with no
effect and N with a known effect, analyses two outcomes with every method, and reports
per method the type I error (share of p < 0,05 with no effect), the coverage of the 95 %
interval (share of intervals that contain the true effect) and the power (share of
p < 0,05 with the effect).  The outcomes are part-time work at T2 (participants) and the
change in professional competence (caseworkers).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from .stats.cluster import cluster_ttest, cr2_regression
from .stats.dist import ttest_ind_p
from .stats.mixed import random_intercept
from .stats.randomisation import randomisation_pvalues
from .synth.simulate import EFFECTS, ICCS, LATENT_SD, Params, _expit, _logit, item_columns, simulate
from .synth import targets as T

METHODS = {"individ": "Rapportens metode (individnivå)", "kontor": "Kontornivå, t-test 9 mot 9",
           "cr2": "CR2 (Bell–McCaffrey)", "randomisering": "Randomiseringsinferens", "flerniva": "Flernivåmodell"}
OUTCOMES = {"deltid": "Deltidsarbeid ved T2 (prosentpoeng)", "faglig_kompetanse": "Faglig kompetanse, endring (skalapoeng)"}
RESULTS = Path(__file__).resolve().parent / "validation_results.csv"


def true_effect(outcome: str, effect: float) -> float:
    """The true marginal effect the methods estimate (for coverage)."""
    if outcome == "faglig_kompetanse":
        return effect
    # part-time: E[expit(logit(p) + u)] differs from p; integrate over the office effect
    base = T.ACTIVITY_PCT["deltid"][1] / 100
    sd = LATENT_SD(ICCS["deltaker"])
    x, w = np.polynomial.hermite_e.hermegauss(40)
    w = w / w.sum()
    m = lambda q: float(np.sum(w * _expit(_logit(q) + sd * x)))  # noqa: E731
    return (m(base + effect / 100) - m(base)) * 100


def _analyse(y, treat, office) -> dict:
    """Every method on one outcome: estimate, 95 % CI (None for randomisation) and p."""
    y, treat, office = np.asarray(y, float), np.asarray(treat, float), np.asarray(office)
    out = {}
    a, b = y[treat == 1], y[treat == 0]
    d = a.mean() - b.mean()
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    out["individ"] = (d, d - 1.96 * se, d + 1.96 * se, ttest_ind_p(a, b))
    offices = np.unique(office)
    means = np.array([y[office == o].mean() for o in offices])
    tr = np.array([treat[office == o][0] for o in offices])
    c = cluster_ttest(means[tr == 1], means[tr == 0])
    out["kontor"] = (c.estimate, c.lo, c.hi, c.p)
    X = np.column_stack([np.ones_like(y), treat])
    r = cr2_regression(X, y, office)
    out["cr2"] = (r.estimate, r.lo, r.hi, r.p)
    _, p_ri = randomisation_pvalues(means[:, None], tr)
    out["randomisering"] = (c.estimate, np.nan, np.nan, float(p_ri[0]))
    est, lo, hi, p_mm = random_intercept(X, y, office).contrast(1)
    out["flerniva"] = (est, lo, hi, p_mm)
    return out


def one_trial(seed: int, with_effect: bool) -> list[dict]:
    eff = {k: (EFFECTS[k] if with_effect else 0.0) for k in ("deltid", "faglig_kompetanse")}
    f = simulate(Params(seed=seed, effects=eff, mode="model"))
    arm = dict(zip(f["offices"]["office_id"], f["offices"]["arm"]))
    t2 = f["participant_t2"].merge(f["participants"][["participant_id", "office_id"]], on="participant_id")
    rows = []
    res = {"deltid": _analyse(t2["act_deltid"].astype(float) * 100, (t2["office_id"].map(arm) == "tiltak").astype(float), t2["office_id"])}
    sv = f["caseworker_survey"].merge(f["caseworkers"][["caseworker_id", "office_id"]], on="caseworker_id")
    sv["score"] = sv[item_columns("faglig_kompetanse")].astype(float).mean(axis=1)
    wide = sv.pivot_table(index=["caseworker_id", "office_id"], columns="wave", values="score").dropna().reset_index()
    res["faglig_kompetanse"] = _analyse(wide["T2"] - wide["T1"], (wide["office_id"].map(arm) == "tiltak").astype(float), wide["office_id"])
    for outcome, methods in res.items():
        truth = true_effect(outcome, eff[outcome])
        for m, (est, lo, hi, p) in methods.items():
            rows.append(dict(seed=seed, scenario="effekt" if with_effect else "ingen effekt", outcome=outcome, method=m,
                             estimate=est, lo=lo, hi=hi, p=p, truth=truth,
                             covered=(lo <= truth <= hi) if np.isfinite(lo) else np.nan))
    return rows


def run(trials: int, seed: int = 1) -> tuple[pd.DataFrame, float]:
    t0 = time.perf_counter()
    rows = []
    for i in range(trials):
        for with_effect in (False, True):
            rows.extend(one_trial(seed + i, with_effect))
    raw = pd.DataFrame(rows)
    return summarise(raw), time.perf_counter() - t0


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    out = []
    for (outcome, method), g in raw.groupby(["outcome", "method"], sort=False):
        null, alt = g[g["scenario"] == "ingen effekt"], g[g["scenario"] == "effekt"]
        t1 = float((null["p"] < 0.05).mean())
        cov = pd.concat([null, alt])["covered"].dropna()
        out.append(dict(outcome=outcome, method=method, trials=len(null), type1=t1,
                        type1_mcse=float(np.sqrt(t1 * (1 - t1) / max(len(null), 1))),
                        coverage=float(cov.mean()) if len(cov) else np.nan,
                        power=float((alt["p"] < 0.05).mean()), truth=float(alt["truth"].iloc[0]) if len(alt) else np.nan))
    return pd.DataFrame(out)


def write(summary: pd.DataFrame, seconds: float, trials: int, seed: int, path: Path = RESULTS) -> Path:
    summary = summary.assign(seconds=round(seconds, 1), seed=seed,
                             command=f"python -m analysis validate-methods --trials {trials} --seed {seed}")
    summary.to_csv(path, index=False, float_format="%.4f")
    return path
