"""What ``build`` makes when data that ``validate`` accepts cannot support an estimate.

Valid data can still be too thin for a statistic: two offices (one per arm), an outcome nobody
answered, four offices whose randomisation distribution is tiny.  ``build`` then still makes a
complete book: a table or figure that cannot be computed is replaced by one that says so in
Norwegian («kan ikke beregnes med disse dataene»), and the inline numbers of a provider that cannot
run read «kan ikke beregnes».  Every replacement is listed in ``results.json`` (``meta.ikke_beregnet``)
and on standard error, and the tests require the bundled data to need none, so a real bug cannot hide
here on the data the project ships.

Only errors that thin data cause are caught (arithmetic, value, lookup and type errors, which include
numpy's LinAlgError, decimal's InvalidOperation and ZeroDivisionError); anything else stops the build.
"""

from __future__ import annotations

#: errors that an estimate on too little data raises
ESTIMATION_ERRORS = (ArithmeticError, ValueError, LookupError, TypeError)
#: the text of an inline number that cannot be computed
TEXT = "kan ikke beregnes"


def reason(err: BaseException) -> str:
    """One line for the log: the error's type and message (shortened)."""
    msg = " ".join(str(err).split())
    return f"{type(err).__name__}: {msg}"[:300]


def table(label: str, err: BaseException):
    import pandas as pd

    from .registry import Table

    frame = pd.DataFrame({"Merknad": ["Tabellen kan ikke beregnes med disse dataene."]})
    return Table(frame, [f"Beregningen stoppet: {reason(err)}."], colalign=("left",))


def figure(label: str, err: BaseException):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 1.6))
    ax.axis("off")
    ax.text(0.5, 0.5, "Figuren kan ikke beregnes med disse dataene.", ha="center", va="center", fontsize=11)
    return fig
