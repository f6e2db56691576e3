"""The one registry of the book's tables and figures.

Each output is defined once, under its Quarto label (``tbl-…`` or ``fig-…``), as a
function of the loaded study data:

* a table returns a :class:`Table` (a DataFrame plus its footnotes),
* a figure returns a matplotlib ``Figure``.

Captions and alt texts live here too; the chapter cell that shows an output
carries the same caption (``tbl-cap``/``fig-cap``) and alt text (``fig-alt``), and
the consistency test checks that they are identical, so a caption is written in
one place and copied verbatim into the one chapter that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import pandas as pd


@dataclass
class Table:
    """A table ready to print: the frame (already in display form) and footnotes."""

    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: column alignment for tabulate ("left", "right", "center"); default: text
    #: columns left, the rest right.
    colalign: tuple[str, ...] | None = None
    #: the underlying numbers (unformatted), written by ``build`` as CSV.
    data: pd.DataFrame | None = None

    def to_markdown(self) -> str:
        from tabulate import tabulate

        frame = self.frame
        align = self.colalign or tuple(
            "left" if i == 0 else "right" for i in range(len(frame.columns))
        )
        body = tabulate(
            frame.astype(str).values.tolist(),
            headers=[str(c) for c in frame.columns],
            tablefmt="pipe",
            colalign=align,
            disable_numparse=True,
        )
        if self.notes:
            body += "\n\n" + "\n".join(f"*{n}*  " if not n.startswith("*") else f"{n}  " for n in self.notes).rstrip()
        return body


Kind = Literal["table", "figure"]


@dataclass(frozen=True)
class Output:
    label: str
    kind: Kind
    caption: str
    chapter: str
    func: Callable
    alt: str | None = None
    #: drawn from the statistical models the inline numbers also fit (e.g. every effect under
    #: every method): ``build`` makes it after the numbers, from the shared fits
    after_numbers: bool = False

    def compute(self, study):
        if self.kind == "figure":
            from . import theme

            theme.apply()  # figures only: tables never pay for importing seaborn
        result = self.func(study)
        if self.kind == "table" and not isinstance(result, Table):
            raise TypeError(f"{self.label}: a table must return Table, got {type(result).__name__}")
        if self.kind == "figure":
            from matplotlib.figure import Figure

            if not isinstance(result, Figure):
                raise TypeError(f"{self.label}: a figure must return a matplotlib Figure")
        return result


REGISTRY: dict[str, Output] = {}


def _register(label: str, kind: Kind, caption: str, chapter: str, alt: str | None, after_numbers: bool = False):
    prefix = "tbl-" if kind == "table" else "fig-"
    if not label.startswith(prefix):
        raise ValueError(f"{kind} label must start with {prefix!r}: {label}")
    if kind == "figure" and not alt:
        raise ValueError(f"{label}: every figure needs alt text")

    def deco(func):
        if label in REGISTRY:
            raise ValueError(f"output {label} registered twice")
        REGISTRY[label] = Output(label, kind, caption, chapter, func, alt, after_numbers)
        return func

    return deco


def table(label: str, *, caption: str, chapter: str):
    """Register a table under its Quarto label."""
    return _register(label, "table", caption, chapter, None)


def figure(label: str, *, caption: str, alt: str, chapter: str, after_numbers: bool = False):
    """Register a figure under its Quarto label, with its alt text."""
    return _register(label, "figure", caption, chapter, alt, after_numbers)


def load_all() -> dict[str, Output]:
    """Import every output module so the registry is complete."""
    import importlib

    from .outputs import MODULES

    for module in MODULES:
        importlib.import_module(f"{__package__}.outputs.{module}")  # importing registers the outputs
    return REGISTRY


def get(label: str) -> Output:
    """The output registered under ``label``, importing only its module when the index knows it."""
    if label not in REGISTRY:
        import importlib

        from .index import output_module

        module = output_module(label)
        if module is not None:
            importlib.import_module("analysis." + module)
        if label not in REGISTRY:
            load_all()
    try:
        return REGISTRY[label]
    except KeyError:
        raise KeyError(f"no registered output {label!r}; known: {', '.join(sorted(REGISTRY))}") from None
