"""Cluster-robust regression inference with a small-sample correction.

CR2 (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018) for OLS with an identity
working model::

    V = (X'X)^-1 Σ_g X_g' A_g e_g e_g' A_g X_g (X'X)^-1,   A_g = (I − H_gg)^(−1/2)

with ``A_g`` the symmetric inverse square root and ``H_gg`` the diagonal block of the hat
matrix for cluster g.  The degrees of freedom for a single contrast ``c`` are the
Satterthwaite approximation of Bell and McCaffrey: with ``p_g = (I − H)_{·g} A_g X_g (X'X)^-1 c``
(an N-vector per cluster) and ``G = [p_1 … p_m]``, ``df = tr(G'G)² / tr((G'G)²)``,
which assumes homoskedastic independent errors as the working model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


def _inv_sqrt_sym(m: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Symmetric inverse square root (pseudo-inverse for eigenvalues ≈ 0)."""
    w, v = np.linalg.eigh((m + m.T) / 2)
    inv = np.where(w > tol, 1.0 / np.sqrt(np.clip(w, tol, None)), 0.0)
    return (v * inv) @ v.T


def _groups(groups) -> tuple[np.ndarray, list[np.ndarray]]:
    codes, idx = np.unique(np.asarray(groups), return_inverse=True)
    return codes, [np.flatnonzero(idx == k) for k in range(len(codes))]


def robust_vcov(X, y, groups, kind: str = "CR2", weights=None):
    """Cluster-robust covariance of the (weighted) least-squares coefficients.

    kind: ``CR0`` (no correction), ``CR1`` (Stata/statsmodels: G/(G−1)·(N−1)/(N−K)),
    ``CR1S`` (G/(G−1) only) or ``CR2`` (Bell–McCaffrey).  Returns ``(beta, V, parts)``
    where ``parts`` holds what :func:`bm_df` needs.
    """
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if X.ndim == 1:
        X = X[:, None]
    if weights is not None:
        sw = np.sqrt(np.asarray(weights, dtype="float64"))
        X, y = X * sw[:, None], y * sw
    N, K = X.shape
    M = np.linalg.inv(X.T @ X)
    beta = M @ X.T @ y
    e = y - X @ beta
    _, members = _groups(groups)
    G = len(members)
    meat = np.zeros((K, K))
    adj = []
    for idx in members:
        Xg, eg = X[idx], e[idx]
        if kind == "CR2":
            Hgg = Xg @ M @ Xg.T
            Ag = _inv_sqrt_sym(np.eye(len(idx)) - Hgg)
        else:
            Ag = None
        adj.append(Ag)
        u = Xg.T @ (Ag @ eg if Ag is not None else eg)
        meat += np.outer(u, u)
    V = M @ meat @ M
    if kind == "CR1":
        V *= G / (G - 1) * (N - 1) / (N - K)
    elif kind == "CR1S":
        V *= G / (G - 1)
    elif kind not in ("CR0", "CR2"):
        raise ValueError(f"unknown kind {kind!r}")
    return beta, V, dict(X=X, M=M, members=members, adj=adj)


def bm_df(parts: dict, c) -> float:
    """Bell–McCaffrey (Satterthwaite) degrees of freedom for the contrast ``c'β`` under CR2."""
    X, M, members, adj = parts["X"], parts["M"], parts["members"], parts["adj"]
    c = np.asarray(c, dtype="float64")
    Mc = M @ c
    cols = []
    for idx, Ag in zip(members, adj):
        a = Ag @ (X[idx] @ Mc)                # A_g X_g M c  (n_g)
        p = -X @ (M @ (X[idx].T @ a))         # −X M X_g' a   (N)
        p[idx] += a                           # + E_g a  → (I − H)_{·g} a
        cols.append(p)
    Gm = np.column_stack(cols)
    B = Gm.T @ Gm
    return float(np.trace(B) ** 2 / np.sum(B * B))


@dataclass
class Contrast:
    estimate: float
    se: float
    df: float
    t: float
    p: float
    lo: float
    hi: float


def cr2_regression(X, y, groups, coef: int = 1, weights=None, level: float = 0.95) -> Contrast:
    """OLS/WLS coefficient ``coef`` with CR2 standard error and Bell–McCaffrey degrees of freedom."""
    beta, V, parts = robust_vcov(X, y, groups, "CR2", weights)
    c = np.zeros(len(beta))
    c[coef] = 1.0
    est, se = float(beta[coef]), float(np.sqrt(V[coef, coef]))
    df = bm_df(parts, c)
    t = est / se
    q = stats.t.ppf(0.5 + level / 2, df)
    return Contrast(est, se, df, t, float(2 * stats.t.sf(abs(t), df)), est - q * se, est + q * se)


def cluster_ttest(a, b, level: float = 0.95, equal_var: bool = True) -> Contrast:
    """Two-sample t-test on cluster-level summaries (difference a − b)."""
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    n1, n0 = len(a), len(b)
    est = a.mean() - b.mean()
    v1, v0 = a.var(ddof=1), b.var(ddof=1)
    if equal_var:
        df = n1 + n0 - 2
        sp = ((n1 - 1) * v1 + (n0 - 1) * v0) / df
        se = np.sqrt(sp * (1 / n1 + 1 / n0))
    else:
        se = np.sqrt(v1 / n1 + v0 / n0)
        df = (v1 / n1 + v0 / n0) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v0 / n0) ** 2 / (n0 - 1))
    t = est / se
    q = stats.t.ppf(0.5 + level / 2, df)
    return Contrast(float(est), float(se), float(df), float(t), float(2 * stats.t.sf(abs(t), df)),
                    float(est - q * se), float(est + q * se))


def icc_anova(y, groups) -> tuple[float, float]:
    """One-way ANOVA estimator of the intra-cluster correlation; returns ``(icc, mean cluster size)``.

    ICC = (MSB − MSW) / (MSB + (n₀ − 1)·MSW), with n₀ = (N − Σn_g²/N)/(G − 1) for unequal
    cluster sizes (Donner).  Can be negative when clusters differ less than chance.
    """
    y = np.asarray(y, dtype="float64")
    _, members = _groups(groups)
    sizes = np.array([len(m) for m in members], dtype="float64")
    N, G = sizes.sum(), len(members)
    means = np.array([y[m].mean() for m in members])
    grand = y.mean()
    ssb = float(np.sum(sizes * (means - grand) ** 2))
    ssw = float(sum(np.sum((y[m] - y[m].mean()) ** 2) for m in members))
    msb, msw = ssb / (G - 1), ssw / (N - G)
    n0 = (N - np.sum(sizes**2) / N) / (G - 1)
    denom = msb + (n0 - 1) * msw
    icc = (msb - msw) / denom if denom > 0 else np.nan
    return float(icc), float(sizes.mean())


def design_effect(icc: float, mean_size: float) -> float:
    """1 + (m̄ − 1)·ICC."""
    return 1 + (mean_size - 1) * icc
