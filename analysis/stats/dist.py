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


def two_sample_t(a, b, equal_var: bool = True) -> tuple[float, float, float, float, float]:
    """Two-sample t-test of mean(a) − mean(b): ``(estimate, se, df, t, two-sided p)``.

    Pooled variance (``scipy.stats.ttest_ind``) or, with ``equal_var=False``, Welch's
    standard error and Satterthwaite degrees of freedom.
    """
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    n1, n0 = len(a), len(b)
    if n1 < 1 or n0 < 1 or n1 + n0 < 3:
        return (float("nan"),) * 5
    est = a.mean() - b.mean()
    if equal_var:
        df = n1 + n0 - 2
        sp = (((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum()) / df
        se = np.sqrt(sp * (1 / n1 + 1 / n0))
    else:
        v1, v0 = a.var(ddof=1), b.var(ddof=1)
        se = np.sqrt(v1 / n1 + v0 / n0)
        df = (v1 / n1 + v0 / n0) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v0 / n0) ** 2 / (n0 - 1))
    t = est / se
    return float(est), float(se), float(df), float(t), float(2 * t_sf(abs(t), df))


def ttest_ind_p(a, b) -> float:
    """Two-sided p of the pooled-variance two-sample t-test (``scipy.stats.ttest_ind``)."""
    return two_sample_t(a, b)[4]


def chi2_2x2_p(k1, n1, k0, n0) -> float:
    """p of Pearson's chi-square for k1/n1 against k0/n0 without continuity correction
    (``scipy.stats.chi2_contingency(..., correction=False)``); NaN when an expected count is 0."""
    obs = np.array([[k1, n1 - k1], [k0, n0 - k0]], dtype="float64")
    exp = obs.sum(axis=1, keepdims=True) * obs.sum(axis=0, keepdims=True) / obs.sum()
    if (exp == 0).any():
        return float("nan")
    return float(chi2_sf(((obs - exp) ** 2 / exp).sum(), 1))
