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
from .dist import t_ppf, t_sf, two_sample_t


def _inv_sqrt_sym(m: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Symmetric inverse square root (pseudo-inverse for eigenvalues ≈ 0)."""
    w, v = np.linalg.eigh((m + m.T) / 2)
    inv = np.where(w > tol, 1.0 / np.sqrt(np.clip(w, tol, None)), 0.0)
    return (v * inv) @ v.T


def _groups(groups) -> tuple[np.ndarray, list[np.ndarray]]:
    codes, idx = np.unique(np.asarray(groups), return_inverse=True)
    return codes, [np.flatnonzero(idx == k) for k in range(len(codes))]


def _cr2_factor(Xg: np.ndarray, M: np.ndarray, tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """``A_g = (I − X_g M X_g')^(−1/2)`` in low-rank form ``I + U C U'``.

    With the thin SVD ``X_g = U S V'`` (rank r ≤ K), ``H_gg = U B U'`` where
    ``B = S V' M V S``, so ``I − H_gg`` is the identity outside the column space of
    ``U`` and ``I_r − B`` inside it.  Its inverse square root is therefore
    ``I + U [(I_r − B)^(−1/2) − I_r] U'``: the cost is O(n_g K²) instead of the
    O(n_g³) of an eigendecomposition of the n_g × n_g block, which is what makes
    CR2 usable on register extracts with thousands of persons per office.
    """
    U, S, Vt = np.linalg.svd(Xg, full_matrices=False)
    keep = S > tol * max(S.max(initial=0.0), 1.0)
    U, S, Vt = U[:, keep], S[keep], Vt[keep]
    SV = S[:, None] * Vt
    B = SV @ M @ SV.T
    C = _inv_sqrt_sym(np.eye(len(S)) - B) - np.eye(len(S))
    return U, C


def _apply(U: np.ndarray, C: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``A_g v`` for ``A_g = I + U C U'``."""
    return v + U @ (C @ (U.T @ v))


def robust_vcov(X, y, groups, kind: str = "CR2", weights=None):
    """Cluster-robust covariance of the (weighted) least-squares coefficients.

    kind: ``CR0`` (no correction), ``CR1`` (Stata/statsmodels: G/(G−1)·(N−1)/(N−K)),
    ``CR1S`` (G/(G−1) only) or ``CR2`` (Bell–McCaffrey).  Returns ``(beta, V, parts)``
    where ``parts`` holds what :func:`bm_df` needs.  Time and memory are linear in the
    number of observations (see :func:`_cr2_factor`).
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
    beta = M @ (X.T @ y)
    e = y - X @ beta
    _, members = _groups(groups)
    G = len(members)
    meat = np.zeros((K, K))
    adj = []
    for idx in members:
        Xg, eg = X[idx], e[idx]
        if kind == "CR2":
            Ug, Cg = _cr2_factor(Xg, M)
            adj.append((Ug, Cg))
            eg = _apply(Ug, Cg, eg)
        u = Xg.T @ eg
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
    """Bell–McCaffrey (Satterthwaite) degrees of freedom for the contrast ``c'β`` under CR2.

    With ``a_g = A_g X_g M c`` the cluster columns are ``p_g = E_g a_g − X M X_g' a_g``, and
    their Gram matrix reduces to ``B = diag(a_g'a_g) − U' M U`` with ``U = [X_g' a_g]``
    (using ``X'X = M⁻¹``), so ``df = tr(B)² / tr(B²)`` needs no N × G matrix.
    """
    X, M, members, adj = parts["X"], parts["M"], parts["members"], parts["adj"]
    c = np.asarray(c, dtype="float64")
    Mc = M @ c
    aa = np.empty(len(members))
    U = np.empty((X.shape[1], len(members)))
    for g, (idx, (Ug, Cg)) in enumerate(zip(members, adj)):
        Xg = X[idx]
        a = _apply(Ug, Cg, Xg @ Mc)
        aa[g] = a @ a
        U[:, g] = Xg.T @ a
    B = np.diag(aa) - U.T @ M @ U
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
    q = t_ppf(0.5 + level / 2, df)
    return Contrast(est, se, df, t, float(2 * t_sf(abs(t), df)), est - q * se, est + q * se)


def cluster_ttest(a, b, level: float = 0.95, equal_var: bool = True) -> Contrast:
    """Two-sample t-test on cluster-level summaries (difference a − b), with its confidence interval."""
    est, se, df, t, p = two_sample_t(a, b, equal_var)
    q = t_ppf(0.5 + level / 2, df)
    return Contrast(est, se, df, t, p, float(est - q * se), float(est + q * se))


def icc_anova(y, groups, arm=None) -> tuple[float, float]:
    """One-way ANOVA estimator of the intra-cluster correlation; returns ``(icc, mean cluster size)``.

    ICC = (MSB − MSW) / (MSB + (n₀ − 1)·MSW), truncated at 0.  Without ``arm`` the clusters are
    compared with the grand mean: MSB = Σ n_g (ȳ_g − ȳ)² / (G − 1) and
    n₀ = (N − Σ n_g²/N) / (G − 1) (Donner's size for unequal clusters).  With ``arm`` (a label
    constant within each cluster) the arm is a fixed factor and the ICC is the one *within arms*:
    every cluster is compared with the mean of its own arm, MSB = Σ n_g (ȳ_g − ȳ_a(g))² / (G − A)
    (A = number of arms) and n₀ = (N − Σ_a Σ_{g∈a} n_g²/N_a) / (G − A), so a treatment effect does
    not inflate the ICC.  MSW = Σ (y − ȳ_g)² / (N − G) in both cases.  A negative estimate
    (clusters differ less than chance) is reported as 0.
    """
    y = np.asarray(y, dtype="float64")
    _, members = _groups(groups)
    sizes = np.array([len(m) for m in members], dtype="float64")
    N, G = sizes.sum(), len(members)
    means = np.array([y[m].mean() for m in members])
    if arm is None:
        strata = np.zeros(G, dtype=int)
    else:
        arm = np.asarray(arm)
        labels = [np.unique(arm[m]) for m in members]
        if any(len(lab) != 1 for lab in labels):
            raise ValueError("arm må være den samme for alle observasjoner i en klynge")
        _, strata = np.unique(np.array([lab[0] for lab in labels]), return_inverse=True)
    A = int(strata.max()) + 1
    if G - A < 1 or N - G < 1:
        raise ValueError(f"ICC krever flere klynger enn armer og flere observasjoner enn klynger (G = {G}, N = {int(N)})")
    ssb = n0_sum = 0.0
    for a in range(A):
        s = strata == a
        na = sizes[s]
        ma = np.sum(na * means[s]) / na.sum()
        ssb += float(np.sum(na * (means[s] - ma) ** 2))
        n0_sum += float(np.sum(na**2) / na.sum())
    ssw = float(sum(np.sum((y[m] - y[m].mean()) ** 2) for m in members))
    msb, msw = ssb / (G - A), ssw / (N - G)
    n0 = (N - n0_sum) / (G - A)
    denom = msb + (n0 - 1) * msw
    icc = max((msb - msw) / denom, 0.0) if denom > 0 else np.nan
    return float(icc), float(sizes.mean())


def design_effect(icc: float, mean_size: float) -> float:
    """1 + (m̄ − 1)·ICC."""
    return 1 + (mean_size - 1) * icc
