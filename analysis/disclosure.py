"""Disclosure control for office-level cells (prikking av små celler).

Every office-level statistic the book prints is based on some number of persons. A cell based on
fewer than :func:`min_cell` persons is *suppressed* (printed as «–»): primary suppression. A
suppressed cell could still be backed out when a total is published (in the table, or elsewhere in
the book, e.g. the arm totals in the effects chapters): the total minus the other cells. So within
every group that has a known total (a column within an arm, or the whole column when a total row is
shown), a group with exactly one suppressed cell gets a second one: the unsuppressed cell based on
the fewest persons (secondary suppression, count based).

The rule is applied always, also to the synthetic data, so that the real data can be published
without manual checking. The minimum is ``MIN_CELL`` unless the environment variable
``HPMT_MIN_CELL`` says otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .config import SETTINGS, setting

#: the smallest number of persons an office-level cell may be based on
ENV = "HPMT_MIN_CELL"
MIN_CELL = SETTINGS[ENV][0]
SUPPRESSED = fmt.MISSING


def min_cell() -> int:
    """The minimum in force: ``HPMT_MIN_CELL`` if set (a non-negative integer), else ``MIN_CELL``."""
    return setting(ENV)


def suppress(counts, groups=None, k: int | None = None) -> np.ndarray:
    """Boolean mask of cells to suppress, for one column of cells.

    ``counts``: persons each cell is based on. ``groups``: labels of the groups whose total is known
    (``None``: the whole column is one group). A cell with ``count < k`` is suppressed (primary); in a
    group with exactly one suppressed cell, the unsuppressed cell with the smallest count (ties: the
    first) is suppressed too (secondary), so no total minus the other cells reveals it.
    """
    k = min_cell() if k is None else k
    c = np.asarray(pd.Series(counts).fillna(0), dtype="float64")
    mask = c < k
    g = np.zeros(len(c), dtype=int) if groups is None else pd.factorize(pd.Series(list(groups)))[0]
    for label in np.unique(g):
        idx = np.flatnonzero(g == label)
        if mask[idx].sum() == 1 and len(idx) > 1:
            rest = idx[~mask[idx]]
            mask[rest[np.argmin(c[rest])]] = True
    return mask


def note(k: int | None = None) -> str:
    """The footnote under every office-level table and figure that applies the rule."""
    k = min_cell() if k is None else k
    return (f"{SUPPRESSED} = skjermet (prikket): kontortall som bygger på færre enn {fmt.integer(k)} personer vises "
            "ikke, og heller ikke tall som ville gjort det mulig å regne dem ut (en total minus de andre kontorene); "
            "da skjermes også kontoret med færrest personer i samme gruppe. Regelen brukes alltid, også på de "
            f"syntetiske dataene; grensen settes med miljøvariabelen {ENV}.")
