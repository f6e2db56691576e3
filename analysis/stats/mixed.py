"""A linear mixed model with a random intercept per cluster, fitted by REML.

The model is ``y = Xβ + u_g + e`` with ``u_g ~ N(0, τ²)`` and ``e ~ N(0, σ²)``.  With
``γ = τ²/σ²`` every cluster's covariance is ``σ²(I + γJ)``, whose inverse is
``(I − c_g J)/σ²`` with ``c_g = γ/(1 + n_g γ)``, so the REML criterion (σ² profiled out)
needs only cluster sums and is minimised over the single parameter γ ≥ 0.  It gives the
same estimates as ``statsmodels`` ``MixedLM`` (``reml=True``), tested in tests/test_stats.py,
in a fraction of the time, which matters because the book refits it for every outcome.

Inference (what the book prints):

* **Standard errors** from ``(X′V̂⁻¹X)⁻¹`` at the REML estimates of the variance components,
  ``V̂ = σ̂²(I + γ̂J)`` per cluster.  At the boundary (``γ̂ = 0``) this is exactly the OLS
  covariance ``σ̂²(X′X)⁻¹`` with ``σ̂² = RSS/(N − p)``.  ``statsmodels`` ``MixedLM`` stops just
  inside the boundary and its ``bse`` can then be far off; the book never prints it.
* **p-values and intervals** from a t distribution with between–within degrees of freedom
  (SAS ``DDFM=BW``): a coefficient on a column that is constant within clusters (the intercept, a
  cluster-level treatment) gets ``G − r_b`` with ``r_b`` the rank of the cluster-level columns, so
  a cluster-randomised treatment with an intercept gets ``G − 2`` (16 for 18 offices); a column that
  varies within clusters gets ``N − G − (p − r_b)``.  With 18 clusters the normal reference
  rejects too often.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .dist import t_ppf, t_sf


@dataclass
class MixedFit:
    params: np.ndarray
    bse: np.ndarray
    sigma2: float
    tau2: float
    df: np.ndarray
    cov: np.ndarray

    def contrast(self, k: int, level: float = 0.95):
        """Estimate, 95 % CI and two-sided p for coefficient k, t reference with between–within df."""
        est, se, df = self.params[k], self.bse[k], self.df[k]
        q = t_ppf(0.5 + level / 2, df)
        return float(est), float(est - q * se), float(est + q * se), float(2 * t_sf(abs(est / se), df))


def between_within_df(X, idx, G: int) -> np.ndarray:
    """Between–within degrees of freedom per column of X (``idx``: cluster index 0…G−1 per row)."""
    N, p = X.shape
    means = np.zeros((G, p))
    np.add.at(means, idx, X)
    means /= np.bincount(idx, minlength=G)[:, None]
    between = np.all(np.isclose(X, means[idx], rtol=1e-10, atol=1e-12), axis=0)
    rb = int(np.linalg.matrix_rank(X[:, between])) if between.any() else 0
    return np.where(between, G - rb, N - G - (p - rb)).astype("float64")


def random_intercept(X, y, groups) -> MixedFit:
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y, dtype="float64")
    _, idx = np.unique(np.asarray(groups), return_inverse=True)
    G = idx.max() + 1
    N, p = X.shape
    ng = np.bincount(idx, minlength=G).astype("float64")
    S = np.zeros((G, p))
    np.add.at(S, idx, X)                       # column sums per cluster
    t = np.bincount(idx, weights=y, minlength=G)
    XtX, Xty, yty = X.T @ X, X.T @ y, y @ y

    def parts(gamma):
        c = gamma / (1 + ng * gamma)
        A = XtX - (S * c[:, None]).T @ S
        b = Xty - S.T @ (c * t)
        beta = np.linalg.solve(A, b)
        Q = yty - np.sum(c * t**2) - b @ beta
        return c, A, beta, Q

    def crit(lg):
        gamma = np.exp(lg)
        _, A, _, Q = parts(gamma)
        return np.sum(np.log1p(ng * gamma)) + np.linalg.slogdet(A)[1] + (N - p) * np.log(Q)

    res = optimize.minimize_scalar(crit, bounds=(-20, 8), method="bounded", options={"xatol": 1e-8})
    lg = res.x if crit(res.x) < crit(-20) else -20
    gamma = float(np.exp(lg)) if lg > -20 else 0.0
    _, A, beta, Q = parts(gamma)
    sigma2 = Q / (N - p)
    cov = sigma2 * np.linalg.inv(A)            # (X′V̂⁻¹X)⁻¹, also at γ̂ = 0
    df = between_within_df(X, idx, int(G))
    if (df < 1).any():
        raise ValueError(f"flernivåmodellen har for få klynger ({G}) til frihetsgrader for alle koeffisientene")
    return MixedFit(beta, np.sqrt(np.diag(cov)), float(sigma2), float(gamma * sigma2), df, cov)
