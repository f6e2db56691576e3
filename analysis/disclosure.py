"""Disclosure control for office-level cells (prikking av små celler).

Every office-level statistic the book prints is based on some number of persons. A cell based on
fewer than :func:`min_cell` persons is *suppressed* (printed as «–»): primary suppression. A
suppressed cell could still be backed out when a total is published (in the table, or elsewhere in
the book, e.g. the arm totals in the effects chapters): the total minus the other cells. So within
every group that has a known total (a column within an arm, or the whole column when a total row is
shown), a group with exactly one suppressed cell gets a second one: the unsuppressed cell based on
the fewest persons (secondary suppression, count based).

The rule is applied always, also to the synthetic data, so that the real data can be published
without manual checking.  What a cell discloses decides its minimum (the *kind* of cell):

* ``"personer"`` – counts and shares of participants, who are welfare recipients: at least
  ``MIN_CELL`` = 5 persons (``HPMT_MIN_CELL``), the stricter of the two common thresholds;
* ``"vurderinger"`` – the mean of caseworkers' ratings of their training or their own work, given as
  professionals: at least ``MIN_RATING`` = 3 respondents (``HPMT_MIN_CELL_RATING``), the threshold
  rule's common minimum, with which no respondent can back out another's answer from the mean.

Both defaults are the thresholds the UNECE/Eurostat glossary of statistical disclosure control
names for the threshold rule («some agencies require at least five respondents in a cell, others
require three»; Hundepool et al. 2012, ch. 4–5).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .config import SETTINGS, setting

#: the smallest number of participants an office-level count or share may be based on
ENV = "HPMT_MIN_CELL"
MIN_CELL = SETTINGS[ENV][0]
#: the smallest number of caseworkers an office-level mean rating may be based on
ENV_RATING = "HPMT_MIN_CELL_RATING"
MIN_RATING = SETTINGS[ENV_RATING][0]
#: kind of cell -> environment variable (default and range in ``config.SETTINGS``)
KINDS = {"personer": ENV, "vurderinger": ENV_RATING}
SUPPRESSED = fmt.MISSING


def min_cell(kind: str = "personer") -> int:
    """The minimum in force for a kind of cell: its environment variable if set (a non-negative
    integer), else its default."""
    return setting(KINDS[kind])


def suppress(counts, groups=None, k: int | None = None, kind: str = "personer") -> np.ndarray:
    """Boolean mask of cells to suppress, for one column of cells.

    ``counts``: persons each cell is based on. ``groups``: labels of the groups whose total is known
    (``None``: the whole column is one group). A cell with ``count < k`` is suppressed (primary); in a
    group with exactly one suppressed cell, the unsuppressed cell with the smallest count (ties: the
    first) is suppressed too (secondary), so no total minus the other cells reveals it.
    """
    k = min_cell(kind) if k is None else k
    c = np.asarray(pd.Series(counts).fillna(0), dtype="float64")
    mask = c < k
    g = np.zeros(len(c), dtype=int) if groups is None else pd.factorize(pd.Series(list(groups)))[0]
    for label in np.unique(g):
        idx = np.flatnonzero(g == label)
        if mask[idx].sum() == 1 and len(idx) > 1:
            rest = idx[~mask[idx]]
            mask[rest[np.argmin(c[rest])]] = True
    return mask


def note(kind: str | tuple = "personer") -> str:
    """The footnote under every office-level table and figure that applies the rule (one kind, or
    several for a table with both kinds of cells)."""
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    parts = []
    for k_ in kinds:
        k = min_cell(k_)
        what = "deltakere" if k_ == "personer" else "veiledere som svarte"
        parts.append(f"færre enn {fmt.integer(k)} {what}" + (f" ({'deltakertall' if k_ == 'personer' else 'vurderinger'})"
                                                           if len(kinds) > 1 else ""))
    envs = " og ".join(KINDS[k_] for k_ in kinds)
    return (f"{SUPPRESSED} = skjermet (prikket): kontortall som bygger på {' eller '.join(parts)}, vises ikke, og heller "
            "ikke tall som ville gjort det mulig å regne dem ut (en total minus de andre kontorene); da skjermes også "
            "kontoret med færrest personer i samme gruppe. Regelen brukes alltid, også på de syntetiske dataene; "
            f"grensen settes med miljøvariabelen {envs}.")
