"""Exact randomisation inference for a cluster-randomised trial.

Every allocation of ``k`` treated clusters among ``G`` is enumerated once per process
(``C(18, 9) = 48 620`` rows) and the statistic — the difference between the unweighted
means of the cluster-level summaries in the two arms — is computed for every allocation
and every outcome in a single matrix product.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain, combinations
from math import comb

import numpy as np

#: relative tolerance when comparing |stat| with |observed| (ties from floating point)
TOL = 1e-9


@lru_cache(maxsize=8)
def allocations(G: int, k: int) -> np.ndarray:
    """The ``C(G, k) × G`` 0/1 matrix of all allocations of ``k`` treated clusters (cached).

    Up to 24 clusters the rows are the G-bit numbers with exactly k bits set, found with
    array operations (about 0,01 s for 18 clusters); beyond that, from itertools.
    """
    if G <= 24:
        m = np.arange(1 << G, dtype=np.uint32)
        shifts = np.arange(G, dtype=np.uint32)
        count = np.zeros(len(m), dtype=np.uint8)
        for b in shifts:
            count += ((m >> b) & 1).astype(np.uint8)
        Z = ((m[count == k][:, None] >> shifts) & 1).astype("float64")
    else:
        n = comb(G, k)
        idx = np.fromiter(chain.from_iterable(combinations(range(G), k)), dtype=np.intp, count=n * k).reshape(n, k)
        Z = np.zeros((n, G), dtype="float64")
        Z[np.arange(n)[:, None], idx] = 1.0
    Z.setflags(write=False)
    return Z


def mean_difference(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Difference in unweighted cluster means (treated − control) for each allocation row of Z
    and each column of Y (G × outcomes)."""
    k = Z[0].sum()
    G = Z.shape[1]
    ZY = Z @ Y
    return ZY / k - (Y.sum(axis=0) - ZY) / (G - k)


def randomisation_pvalues(Y, treated) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided exact p-values for each column of ``Y`` (clusters × outcomes).

    ``treated`` is the observed 0/1 allocation.  Returns ``(observed statistics, p-values)``;
    p = share of allocations with ``|stat| ≥ |observed|`` (with a small tolerance).
    A column with missing clusters (an office without answers) is tested over the clusters it
    has, by the allocations of as many treated among them (exact conditional on which clusters
    answered); with no cluster left in one arm its statistic and p-value are NaN.
    """
    Y = np.asarray(Y, dtype="float64")
    if Y.ndim == 1:
        Y = Y[:, None]
    treated = np.asarray(treated, dtype="float64")
    complete = ~np.isnan(Y).any(axis=0)
    obs, p = np.full(Y.shape[1], np.nan), np.full(Y.shape[1], np.nan)
    if complete.any():
        obs[complete], p[complete] = _pvalues(Y[:, complete], treated)
    for j in np.flatnonzero(~complete):
        have = ~np.isnan(Y[:, j])
        t = treated[have]
        if 0 < t.sum() < len(t):
            o, q = _pvalues(Y[have, j][:, None], t)
            obs[j], p[j] = o[0], q[0]
    return obs, p


def _pvalues(Y: np.ndarray, treated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    G, k = len(treated), int(treated.sum())
    Z = allocations(G, k)
    obs = mean_difference(treated[None, :], Y)[0]
    dist = mean_difference(Z, Y)
    thr = np.abs(obs) * (1 - TOL) - 1e-12
    p = (np.abs(dist) >= thr).mean(axis=0)
    return obs, p
