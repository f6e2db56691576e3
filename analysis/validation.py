"""Method validation: how the inference methods behave in the 18-office design.

``python -m analysis validate-methods --trials N --jobs J`` draws N trials from the simulator
(model mode: a fresh draw of offices, caseworkers and participants each time) with no effect and
N with a known effect, analyses two outcomes with every method, and reports per method:

* **type I error**: the share of p < 0,05 in the no-effect trials, with its Monte Carlo standard
  error *at the nominal level*, √(0,05 · 0,95 / N) (the yardstick for «is it 5 %?»), an exact
  two-sided binomial test of the rejection count against 5 %, and the Holm-adjusted binomial p
  over all method × outcome combinations (they are judged on the same simulated data sets).
  A method **holds its level** unless the Holm-adjusted p is below 0,05;
* **coverage** of the 95 % interval, from the effect trials only (the truth there is the known
  effect), with its MCSE √(c(1 − c)/N); randomisation inference and the wild bootstrap give
  p-values, not intervals;
* **power**: the share of p < 0,05 in the effect trials.

The no-effect and the effect scenario use separate seeds (``seed + i`` and
``seed + EFFECT_SEED_OFFSET + i``), and the trials run in parallel processes (joblib/loky).
The outcomes are part-time work at T2 (participants) and the change in professional competence
(caseworkers).  Full-time work, which part-time work depends on (those in full-time work cannot
be in part-time work), has no effect in either scenario.
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
from .stats.wild import DRAWS as WILD_DRAWS
from .stats.wild import wild_cluster_bootstrap
from .synth.simulate import EFFECTS, ICCS, LATENT_SD, Params, _expit, _logit, item_columns, simulate_outcomes
from .synth import targets as T

METHODS = {"individ": "Rapportens metode (individnivå)", "kontor": "Kontornivå, t-test 9 mot 9",
           "cr2": "CR2 (Bell–McCaffrey)", "randomisering": "Randomiseringsinferens",
           "wcr": "Wild cluster bootstrap (WCR, Webb)", "flerniva": "Flernivåmodell (t, mellom–innen df)"}
OUTCOMES = {"deltid": "Deltidsarbeid ved T2 (prosentpoeng)", "faglig_kompetanse": "Faglig kompetanse, endring (skalapoeng)"}
RESULTS = Path(__file__).resolve().parent / "validation_results.csv"
#: nominal level, and the level of the binomial test of each rejection rate (after Holm)
ALPHA = 0.05
#: the effect scenario's seeds start here (relative to --seed), far from the no-effect seeds
EFFECT_SEED_OFFSET = 1_000_000
#: the outcomes whose effect the effect scenario sets to the generator's default (0 in the no-effect one)
VALIDATED = ("deltid", "faglig_kompetanse")


def true_effect(outcome: str, effect: float) -> float:
    """The true marginal effect the methods estimate (for coverage).

    Part-time work in model mode: a person is first drawn into full-time work with probability
    expit(logit(h) + u), and only those not in full-time work can be drawn into part-time work, with
    probability expit(logit(q) + u), with the same office effect u in both draws (see
    ``synth/participants.py``).  The marginal share is therefore
    E_u[(1 − expit(logit(h) + u)) · expit(logit(q) + u)], integrated over the office effect, with the
    full-time share h the same in both arms (the validation sets its effect to 0).
    """
    if outcome == "faglig_kompetanse":
        return effect
    base = T.ACTIVITY_PCT["deltid"][1] / 100
    full_time = T.ACTIVITY_PCT["heltid"][1] / 100
    sd = LATENT_SD(ICCS["deltaker"])
    x, w = np.polynomial.hermite_e.hermegauss(40)
    w = w / w.sum()
    m = lambda q: float(np.sum(w * (1 - _expit(_logit(full_time) + sd * x)) * _expit(_logit(q) + sd * x)))  # noqa: E731
    return (m(base + effect / 100) - m(base)) * 100


def _analyse(y, treat, office, seed: int = 0) -> dict:
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
    wb = wild_cluster_bootstrap(X, y, office, coef=1, B=WILD_DRAWS, seed=seed)
    out["wcr"] = (r.estimate, np.nan, np.nan, wb.p)
    est, lo, hi, p_mm = random_intercept(X, y, office).contrast(1)
    out["flerniva"] = (est, lo, hi, p_mm)
    return out


def one_trial(seed: int, with_effect: bool) -> list[dict]:
    eff = {k: (EFFECTS[k] if with_effect else 0.0) for k in VALIDATED}
    eff["heltid"] = 0.0  # full-time work equal in both arms: the no-effect scenario has no effect at all
    f = simulate_outcomes(Params(seed=seed, effects=eff, mode="model"))
    arm = dict(zip(f["offices"]["office_id"], f["offices"]["arm"]))
    t2 = f["participant_t2"].merge(f["participants"][["participant_id", "office_id"]], on="participant_id")
    rows = []
    res = {"deltid": _analyse(t2["act_deltid"].astype(float) * 100, (t2["office_id"].map(arm) == "tiltak").astype(float), t2["office_id"], seed)}
    sv = f["caseworker_survey"].merge(f["caseworkers"][["caseworker_id", "office_id"]], on="caseworker_id")
    sv["score"] = sv[item_columns("faglig_kompetanse")].astype(float).mean(axis=1)
    wide = sv.pivot_table(index=["caseworker_id", "office_id"], columns="wave", values="score").dropna().reset_index()
    res["faglig_kompetanse"] = _analyse(wide["T2"] - wide["T1"], (wide["office_id"].map(arm) == "tiltak").astype(float), wide["office_id"], seed)
    for outcome, methods in res.items():
        truth = true_effect(outcome, eff[outcome])
        for m, (est, lo, hi, p) in methods.items():
            rows.append(dict(seed=seed, scenario="effekt" if with_effect else "ingen effekt", outcome=outcome, method=m,
                             estimate=est, lo=lo, hi=hi, p=p, truth=truth,
                             covered=(lo <= truth <= hi) if np.isfinite(lo) else np.nan))
    return rows


def _seeds(trials: int, seed: int) -> list[tuple[int, bool]]:
    return [(seed + i, False) for i in range(trials)] + [(seed + EFFECT_SEED_OFFSET + i, True) for i in range(trials)]


def run_raw(trials: int, seed: int = 1, jobs: int = 1) -> tuple[pd.DataFrame, float]:
    """Every trial's every method (one row per seed × outcome × method) and the wall time in seconds."""
    t0 = time.perf_counter()
    tasks = _seeds(trials, seed)
    if jobs == 1:
        parts = [one_trial(s, e) for s, e in tasks]
    else:
        from joblib import Parallel, delayed

        parts = Parallel(n_jobs=jobs, backend="loky", batch_size=4)(delayed(one_trial)(s, e) for s, e in tasks)
    raw = pd.DataFrame([row for part in parts for row in part])
    return raw, time.perf_counter() - t0


def run(trials: int, seed: int = 1, jobs: int = 1) -> tuple[pd.DataFrame, float]:
    raw, seconds = run_raw(trials, seed, jobs)
    return summarise(raw), seconds


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome × method; the verdict uses a binomial test against 5 % with Holm over all rows."""
    from scipy.stats import binomtest
    from statsmodels.stats.multitest import multipletests

    out = []
    for (outcome, method), g in raw.groupby(["outcome", "method"], sort=False):
        null, alt = g[g["scenario"] == "ingen effekt"], g[g["scenario"] == "effekt"]
        n0, n1 = len(null), len(alt)
        k = int((null["p"] < ALPHA).sum())
        t1 = k / n0 if n0 else np.nan
        cov = alt["covered"].dropna().astype(float)
        c = float(cov.mean()) if len(cov) else np.nan
        out.append(dict(outcome=outcome, method=method, trials=n0, trials_effect=n1, rejections=k, type1=t1,
                        type1_mcse=float(np.sqrt(ALPHA * (1 - ALPHA) / n0)) if n0 else np.nan,
                        binom_p=float(binomtest(k, n0, ALPHA).pvalue) if n0 else np.nan,
                        coverage=c, coverage_mcse=float(np.sqrt(c * (1 - c) / len(cov))) if len(cov) else np.nan,
                        power=float((alt["p"] < ALPHA).mean()) if n1 else np.nan,
                        truth=float(alt["truth"].iloc[0]) if n1 else np.nan))
    s = pd.DataFrame(out)
    ok = s["binom_p"].notna()
    s["binom_p_holm"] = np.nan
    s.loc[ok, "binom_p_holm"] = multipletests(s.loc[ok, "binom_p"].to_numpy(), method="holm")[1]
    s["holds"] = ~(s["binom_p_holm"] < ALPHA)
    return s


def write(summary: pd.DataFrame, seconds: float, trials: int, seed: int, jobs: int = 1, path: Path = RESULTS) -> Path:
    summary = summary.assign(seconds=round(seconds, 1), jobs=jobs, seed=seed, effect_seed=seed + EFFECT_SEED_OFFSET,
                             command=f"python -m analysis validate-methods --trials {trials} --seed {seed} --jobs {jobs} --write")
    summary.to_csv(path, index=False, float_format="%.5g")
    return path
