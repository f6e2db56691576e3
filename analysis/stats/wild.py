"""Restricted wild cluster bootstrap (WCR) for one OLS coefficient.

The bootstrap of Cameron, Gelbach and Miller (2008) with the null imposed, as in Stata's
``boottest`` (Roodman et al. 2019) and the PyPI package ``wildboottest``:

1. fit the restricted model (the tested coefficient set to 0), with fitted values ``ỹ`` and
   residuals ``ũ``;
2. for each draw b, multiply every cluster's residuals by one weight ``v_bg`` and refit the full
   model to ``y* = ỹ + v_bg ũ``;
3. the bootstrap t is the coefficient over its cluster-robust (CR1) standard error, and the
   two-sided symmetric p-value is the share of draws with ``|t*| > |t|`` (ties, such as the draws that
   reproduce the data, do not count).

Weights: Webb's six-point distribution (±√½, ±1, ±√(3/2), each with probability 1/6), which
has the first four moments of Rademacher weights but far more distinct sign patterns when
clusters are few (Webb 2023), or Rademacher (±1); with Rademacher and ``2^G ≤ B`` every sign
pattern is enumerated once, which gives an exact, deterministic p-value.

Because the model is linear, the whole bootstrap is two small matrix products: with
``w = (X′X)⁻¹c``, ``s_g = X_g′ũ_g`` and ``a_g = X_g′X_g w``, the numerator of draw b is
``Σ_g v_bg w′s_g`` and the score of cluster g is ``v_bg w′s_g − Σ_h v_bh a_g′(X′X)⁻¹s_h``, so
B draws cost O(B·G²) after one pass over the data.  The CR1 factor
``G/(G − 1)·(N − 1)/(N − K)`` multiplies the observed and every bootstrap variance alike and
cancels from the p-value; it is kept so that ``t`` is the usual CR1 t-statistic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np

#: Webb's six-point weights, each with probability 1/6
WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
#: default number of draws (odd, so that p·(B + 1) is an integer in the usual convention)
DRAWS = 9999
#: relative tolerance for |t*| = |t| (ties)
TIE = 1e-9


@dataclass
class WildResult:
    t: float        # observed CR1 t-statistic
    p: float        # two-sided symmetric bootstrap p-value
    draws: int      # number of bootstrap draws (2^G when enumerated)
    weights: str
    enumerated: bool


def weight_matrix(G: int, B: int, kind: str = "webb", rng=None) -> tuple[np.ndarray, bool]:
    """B × G bootstrap weights; Rademacher with 2^G ≤ B enumerates every sign pattern once."""
    if kind == "rademacher" and 2**G <= B:
        return np.array(list(product((-1.0, 1.0), repeat=G))), True
    rng = np.random.default_rng(rng)
    if kind == "webb":
        return WEBB[rng.integers(0, 6, size=(B, G))], False
    if kind == "rademacher":
        return rng.choice((-1.0, 1.0), size=(B, G)), False
    raise ValueError(f"ukjent vekttype for wild bootstrap: {kind!r} (bruk 'webb' eller 'rademacher')")


@lru_cache(maxsize=4)
def _cached_weights(G: int, B: int, kind: str, seed: int) -> tuple[np.ndarray, bool]:
    V, enumerated = weight_matrix(G, B, kind, seed)
    V.setflags(write=False)
    return V, enumerated


def wild_cluster_bootstrap(X, y, groups, coef: int = 1, B: int = DRAWS, weights: str = "webb", seed=None) -> WildResult:
    """WCR bootstrap p-value for ``H0: β_coef = 0`` in the OLS regression of y on X, clusters ``groups``."""
    X = np.asarray(X, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if X.ndim == 1:
        X = X[:, None]
    N, K = X.shape
    _, idx = np.unique(np.asarray(groups), return_inverse=True)
    G = int(idx.max()) + 1
    if G < 3:
        raise ValueError(f"wild cluster bootstrap krever minst tre klynger (fikk {G})")
    M = np.linalg.inv(X.T @ X)
    w = M[:, coef]
    # observed t with CR1
    beta = M @ (X.T @ y)
    e = y - X @ beta
    S_full = np.zeros((G, K))
    np.add.at(S_full, idx, X * e[:, None])
    ssc = G / (G - 1) * (N - 1) / (N - K)
    t_obs = float(beta[coef] / np.sqrt(ssc * np.sum((S_full @ w) ** 2)))
    # restricted fit (coefficient `coef` set to 0)
    Xr = np.delete(X, coef, axis=1)
    u = y - Xr @ np.linalg.lstsq(Xr, y, rcond=None)[0] if Xr.shape[1] else y.copy()
    S = np.zeros((G, K))                       # s_g = X_g′ũ_g
    np.add.at(S, idx, X * u[:, None])
    A = np.zeros((G, K))                       # a_g = X_g′X_g w
    np.add.at(A, idx, X * (X @ w)[:, None])
    d = S @ w                                  # w′s_g
    F = A @ M @ S.T                            # F_gh = a_g′ M s_h
    # an integer seed gives the same draws every time: drawn once per process
    V, enumerated = _cached_weights(G, B, weights, seed) if isinstance(seed, (int, np.integer)) else weight_matrix(G, B, weights, seed)
    num = V @ d
    Q = V * d - V @ F.T
    t_boot = num / np.sqrt(ssc * np.sum(Q**2, axis=1))
    # strictly larger, with a relative tolerance: the draws v = ±1 in every cluster reproduce ±t exactly,
    # and floating point must not decide whether they count
    p = float(np.mean(np.abs(t_boot) > abs(t_obs) * (1 + TIE)))
    return WildResult(t_obs, p, len(V), weights, enumerated)
