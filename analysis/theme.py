"""One look for every figure: set once, used by the book, ``build`` and the tests."""

from __future__ import annotations

#: Okabe–Ito, the colour-blind-safe palette; tiltak and sammenligning always
#: get the same two colours.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ARM_COLOURS = {"tiltak": PALETTE[0], "sammenligning": PALETTE[1]}
ARM_LABELS = {"tiltak": "Tiltak", "sammenligning": "Sammenligning"}
#: Figure size in inches: the text width of the PDF (A4, default margins) and
#: the HTML column; set once here and in _quarto.yml (fig-width/fig-height).
FIG_WIDTH, FIG_HEIGHT = 6.5, 4.0
DPI = 150

_applied = False


def apply() -> None:
    """Apply the project theme (idempotent)."""
    global _applied
    if _applied:
        return
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(context="paper", style="whitegrid", palette=PALETTE, font_scale=1.15)
    plt.rcParams.update({
        "figure.figsize": (FIG_WIDTH, FIG_HEIGHT),
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.formatter.use_locale": False,
        "legend.frameon": False,
        "svg.fonttype": "none",
    })
    _applied = True


def decimal_comma(ax, axis: str = "y", decimals: int = 1) -> None:
    """Norwegian tick labels (decimal comma, no-break thousands)."""
    from matplotlib.ticker import FuncFormatter

    from .fmt import num

    fmt = FuncFormatter(lambda v, _pos: num(v, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    from matplotlib.ticker import FuncFormatter

    from .fmt import pct

    fmt = FuncFormatter(lambda v, _pos: pct(v, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
