"""The one registry of the book's tables and figures.

Each output is defined once, under its Quarto label (``tbl-…`` or ``fig-…``), as a
function of the loaded study data:

* a table returns a :class:`Table` (a DataFrame plus its footnotes),
* a figure returns a matplotlib ``Figure``.

Captions and alt texts live here too; the chapter cell that shows an output
carries the same caption (``tbl-cap``/``fig-cap``) and alt text (``fig-alt``), and
the consistency test checks that they are identical, so a caption is written in
one place and copied verbatim into the one chapter that shows it.

That alt text is the same on all data, so it only describes what is drawn.  A figure may
also ``describe`` what its numbers show (``describe(study) -> str``, with the words of
:mod:`analysis.words`); ``build`` then stores the full alt text beside the PNG, and
:func:`analysis.book.show` gives it to Quarto with the image, in place of the cell's.
"""

from __future__ import annotations

import re
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
        cells = [[_inline_start(v) for v in row] for row in frame.astype(str).values.tolist()]
        headers = [_inline_start(str(c)) for c in frame.columns]
        align = self.colalign or tuple(
            "left" if i == 0 or not _numeric_column([r[i] for r in cells]) else "right"
            for i in range(len(headers)))
        body = tabulate(cells, headers=headers, tablefmt="pipe", colalign=align, disable_numparse=True)
        body = _with_column_widths(body, headers, cells, align)
        if self.notes:
            body += "\n\n" + "\n".join(f"*{n}*  " if not n.startswith("*") else f"{n}  " for n in self.notes).rstrip()
        return body


#: text that Typst reads as a heading, list, numbered list or term when it begins a table cell
#: («= (2,9 − 2,5)/2,5», «2. samling», «- ingen»); Pandoc escapes it at the start of a paragraph
#: but not in a cell
_BLOCK_MARKUP = re.compile(r"^(?:(?:\\?=)+|\\?[-+*/]|\d+[.)])(?=\s)")  # also when escaped (fmt.md_escape)


def _inline_start(cell: str) -> str:
    """A cell that begins like block markup starts with an invisible word joiner (U+2060), so the
    PDF prints it as the text it is; HTML shows the same text."""
    return "\u2060" + cell if _BLOCK_MARKUP.match(cell) else cell


#: a cell that reads as a number: digits with the book's separators, signs, units and stars
_NUMBER = re.compile(r"^[\s\u00a0]*[−\-+(\[]?[\d\u00a0 ,.;−\-–%*()\[\]≥≤<>=p∞/]*[\d∞–][\d\u00a0 ,.;%*()\]kr]*$")
#: characters of text that fit across the PDF's text block at the body font size (A4, 3 cm margins)
TEXT_WIDTH_CHARS = 90
#: cells up to this many characters are never wrapped; longer header words may be hyphenated
SHORT_CELL, HEADER_WORD = 14, 10


def _numeric_column(values) -> bool:
    filled = [v for v in values if v.strip() not in ("", "–", "nan")]
    return bool(filled) and sum(bool(_NUMBER.match(v)) for v in filled) >= 0.8 * len(filled)


def _column_widths(headers, cells) -> list[int]:
    """Relative column widths, in characters, for a table that does not fit on one line.

    Pandoc gives a wide pipe table the full text width and sizes its columns by the dashes
    under the header.  Dashes as long as each column's longest cell squeeze short columns
    until their single words break («Gruppeinter-vju»).  Here every column gets at least its
    longest word (the header's too) plus padding, and the rest of the width goes to the
    columns with long text, in proportion to how much more they need."""
    def words(text):
        return [w for w in re.split(r"[ \t]+", text.replace("**", "")) if w]

    cols = list(zip(headers, *cells)) if cells else [(h,) for h in headers]
    pad = 3

    def unbreakable(v, header):
        v = v.replace("**", "")
        if not header and len(v) <= SHORT_CELL:
            return len(v)  # «2,5 → 2,9», «[0,23; 0,58]»: a short cell stays on one line
        longest = max((len(w) for w in words(v)), default=1)
        return min(longest, HEADER_WORD) if header else longest

    least = [max(unbreakable(v, i == 0) for i, v in enumerate(col)) + pad for col in cols]
    natural = [max(len(v.replace("**", "")) for v in col) + pad for col in cols]
    natural = [max(n, m) for n, m in zip(natural, least)]
    room = TEXT_WIDTH_CHARS
    if sum(natural) <= room or sum(least) >= room:
        return natural if sum(natural) <= room else least
    spare, need = room - sum(least), sum(n - m for n, m in zip(natural, least))
    return [m + round((n - m) * spare / need) for n, m in zip(natural, least)]


def _with_column_widths(body: str, headers, cells, align) -> str:
    """Replace tabulate's separator line by one whose dashes give pandoc the widths above
    (only where pandoc uses them: a table with a line longer than its 72 columns)."""
    lines = body.split("\n")
    if max(len(line) for line in lines) <= 72:
        return body
    widths = _column_widths(headers, cells)
    marks = []
    for w, a in zip(widths, align):
        dashes = "-" * max(3, w)
        marks.append({"left": ":" + dashes[1:], "right": dashes[1:] + ":",
                      "center": ":" + dashes[2:] + ":"}.get(a, dashes))
    lines[1] = "|" + "|".join(marks) + "|"
    return "\n".join(lines)


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
    #: the sentences about what the figure's numbers show, computed from the same data
    describe: Callable | None = None

    def alt_text(self, study) -> str | None:
        """The alt text for these data: the fixed description plus what ``describe`` says."""
        if self.alt is None:
            return None
        extra = self.describe(study).strip() if self.describe else ""
        return f"{self.alt} {extra}" if extra else self.alt

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


def _register(label: str, kind: Kind, caption: str, chapter: str, alt: str | None, after_numbers: bool = False,
              describe: Callable | None = None):
    prefix = "tbl-" if kind == "table" else "fig-"
    if not label.startswith(prefix):
        raise ValueError(f"{kind} label must start with {prefix!r}: {label}")
    if kind == "figure" and not alt:
        raise ValueError(f"{label}: every figure needs alt text")

    def deco(func):
        if label in REGISTRY:
            raise ValueError(f"output {label} registered twice")
        REGISTRY[label] = Output(label, kind, caption, chapter, func, alt, after_numbers, describe)
        return func

    return deco


def table(label: str, *, caption: str, chapter: str):
    """Register a table under its Quarto label."""
    return _register(label, "table", caption, chapter, None)


def figure(label: str, *, caption: str, alt: str, chapter: str, after_numbers: bool = False,
           describe: Callable | None = None):
    """Register a figure under its Quarto label, with its alt text (and what its numbers show, see above)."""
    return _register(label, "figure", caption, chapter, alt, after_numbers, describe)


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
