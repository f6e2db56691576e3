"""The distribution functions and two-group tests the book needs, computed with
``scipy.special`` — the same routines ``scipy.stats`` calls underneath.

Importing ``scipy.stats`` takes 0,6–0,8 s, more than most chapters spend on their own
numbers, while ``scipy.special`` takes about 0,1 s; chapters that fit no statsmodels model
therefore never import ``scipy.stats``.  Every function is checked against its
``scipy.stats`` counterpart in tests/test_stats.py.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def t_sf(x, df):
    """Upper tail of Student's t (``scipy.stats.t.sf``); df may be fractional."""
    return special.stdtr(df, -np.asarray(x, dtype="float64"))


def t_ppf(q, df):
    """Quantile of Student's t (``scipy.stats.t.ppf``)."""
    return special.stdtrit(df, q)


def norm_sf(x):
    return special.ndtr(-np.asarray(x, dtype="float64"))


def norm_ppf(q):
    return special.ndtri(q)


def chi2_sf(x, df):
    return special.chdtrc(df, x)


def ttest_ind_p(a, b) -> float:
    """Two-sided p of the pooled-variance two-sample t-test (``scipy.stats.ttest_ind``)."""
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    n1, n0 = len(a), len(b)
    df = n1 + n0 - 2
    if n1 < 1 or n0 < 1 or df < 1:
        return float("nan")
    sp = (((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum()) / df
    t = (a.mean() - b.mean()) / np.sqrt(sp * (1 / n1 + 1 / n0))
    return float(2 * t_sf(abs(t), df))


def chi2_2x2_p(k1, n1, k0, n0) -> float:
    """p of Pearson's chi-square for k1/n1 against k0/n0 without continuity correction
    (``scipy.stats.chi2_contingency(..., correction=False)``); NaN when an expected count is 0."""
    obs = np.array([[k1, n1 - k1], [k0, n0 - k0]], dtype="float64")
    exp = obs.sum(axis=1, keepdims=True) * obs.sum(axis=0, keepdims=True) / obs.sum()
    if (exp == 0).any():
        return float("nan")
    return float(chi2_sf(((obs - exp) ** 2 / exp).sum(), 1))
