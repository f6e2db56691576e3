"""Small exact-calibration tools for the simulator."""

from __future__ import annotations

import numpy as np

from ..fmt import round_half_up


def ints_with_total(rng, x, total: int, lo: int, hi: int) -> np.ndarray:
    """Round ``x`` to integers in [lo, hi] and nudge random entries by one until they sum to ``total``."""
    out = np.clip(np.rint(np.asarray(x, dtype=float)), lo, hi).astype(int)
    if not lo * len(out) <= total <= hi * len(out):
        raise ValueError(f"total {total} impossible for {len(out)} values in [{lo}, {hi}]")
    diff = int(total - out.sum())
    while diff:
        step = 1 if diff > 0 else -1
        ok = np.flatnonzero(out < hi) if step > 0 else np.flatnonzero(out > lo)
        pick = rng.choice(ok, size=min(abs(diff), len(ok)), replace=False)
        out[pick] += step
        diff = int(total - out.sum())
    return out


def count_for_pct(pct: float, n: int, decimals: int = 1) -> int | None:
    """The integer k with round(100 k / n) == pct at the printed precision, or None."""
    guess = int(round(pct * n / 100))
    for k in sorted(range(max(0, guess - 2), min(n, guess + 2) + 1), key=lambda k: abs(k - pct * n / 100)):
        if round_half_up(100 * k / n, decimals) == round_half_up(pct, decimals):
            return k
    return None


def choose_exact(rng, n: int, k: int, weights=None) -> np.ndarray:
    """A boolean array of length n with exactly k true, drawn with probabilities ∝ weights."""
    mask = np.zeros(n, dtype=bool)
    if k <= 0:
        return mask
    p = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        p = w / w.sum()
    mask[rng.choice(n, size=k, replace=False, p=p)] = True
    return mask


def exact_mean_sd(rng, n: int, mean: float, sd: float, lo: float = 0, skew: float = 0.6, hi: float = np.inf) -> np.ndarray:
    """Integers with the given mean and (to within rounding) SD, all in [lo, hi], right-skewed."""
    z = rng.standard_normal(n)
    if skew:
        z = np.exp(skew * z)
    z = (z - z.mean()) / z.std(ddof=1)
    x = mean + sd * z
    x = np.clip(x, lo, hi)
    for _ in range(50):  # re-standardise after clipping
        x = (x - x.mean()) / x.std(ddof=1) * sd + mean
        if x.min() >= lo and x.max() <= hi:
            break
        x = np.clip(x, lo, hi)
    out = np.rint(x).astype(int)
    target = int(round(mean * n))
    diff = target - out.sum()
    idx = rng.choice(n, size=abs(diff), replace=abs(diff) > n)
    np.add.at(out, idx, int(np.sign(diff)))
    return out
