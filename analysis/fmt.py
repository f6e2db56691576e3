"""Norwegian (bokmål) number formatting, used for every number the book prints.

Conventions (Språkrådet): decimal comma, a space between groups of three
digits (here a no-break space, U+00A0, so a number never breaks across lines),
a true minus sign (U+2212), a space before ``%`` and before ``kr``, and ``;`` between
the bounds of an interval because the comma is taken by the decimals.
"""

from __future__ import annotations

import math
from numbers import Real

NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"
MISSING = "–"


def _is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(isinstance(x, Real) and math.isnan(x))
    except TypeError:
        return False


def round_half_up(x, decimals: int = 0) -> float:
    """Round halves away from zero, as the report's tables do (12,5 -> 13)."""
    from decimal import ROUND_HALF_UP, Decimal

    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def num(x, decimals: int = 1, group: bool = True) -> str:
    """``2.5 -> '2,5'``; ``15620 -> '15 620'`` (no-break space); ``-0.4 -> '−0,4'``."""
    if _is_missing(x):
        return MISSING
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    value = round_half_up(x, decimals)
    if value == 0:
        value = 0.0  # no "−0,0"
    text = f"{abs(value):,.{decimals}f}" if group else f"{abs(value):.{decimals}f}"
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", NBSP)
    return (MINUS if value < 0 else "") + text


def integer(x) -> str:
    """A count: ``1672 -> '1 672'``."""
    return num(x, 0)


def year(x) -> str:
    """A calendar year (or a mean year): no thousands separator, ``1975``."""
    return num(x, 0, group=False)


def pct(x, decimals: int = 1, *, share: bool = False) -> str:
    """A percentage: ``pct(19.0) -> '19,0 %'``; ``share=True`` takes a 0–1 share."""
    if _is_missing(x):
        return MISSING
    return f"{num(x * 100 if share else x, decimals)}{NBSP}%"


def pp(x, decimals: int = 1) -> str:
    """Percentage points: ``9.4 -> '9,4 prosentpoeng'``."""
    return f"{num(x, decimals)}{NBSP}prosentpoeng"


def kr(x, decimals: int = 0) -> str:
    """Kroner: ``15620 -> '15 620 kr'``."""
    if _is_missing(x):
        return MISSING
    return f"{num(x, decimals)}{NBSP}kr"


def pvalue(p, decimals: int = 3, *, prefix: bool = True) -> str:
    """``0.006 -> 'p = 0,006'``; below the last decimal: ``'p < 0,001'``."""
    if _is_missing(p):
        return MISSING
    floor = 10 ** (-decimals)
    if p < floor:
        body = f"<{NBSP}{num(floor, decimals)}"
    else:
        body = f"={NBSP}{num(p, decimals)}"
    return f"p{NBSP}{body}" if prefix else body.replace(f"={NBSP}", "")


def stars(p) -> str:
    """Significance stars as in the report: * p<0,05, ** p<0,01, *** p<0,001."""
    if _is_missing(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


STARS_LEGEND = f"*{NBSP}p{NBSP}<{NBSP}0,05; **{NBSP}p{NBSP}<{NBSP}0,01; ***{NBSP}p{NBSP}<{NBSP}0,001"


def ci(lo, hi, decimals: int = 1) -> str:
    """A confidence interval: ``[0,1; 0,5]``."""
    return f"[{num(lo, decimals)}; {num(hi, decimals)}]"


def month(ts) -> str:
    """``2012-06 -> 'juni 2012'``."""
    names = ["januar", "februar", "mars", "april", "mai", "juni", "juli",
             "august", "september", "oktober", "november", "desember"]
    return f"{names[ts.month - 1]} {ts.year}"


#: characters that Markdown (Pandoc) or Quarto could read as syntax: emphasis, links, citations
#: and cross-references (@), maths ($), raw HTML (<) and entities (&), shortcodes ({{< >}}),
#: tables (|), code (`)
_MD_SPECIAL = set("\\`*_{}[]<>#|$@~^=+!&")
#: every line boundary Python knows (str.splitlines), and the other control characters
_BREAKS = {c: " " for c in ("\r\n", "\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")}


def md_escape(text) -> str:
    """Text shown as text in Markdown, whatever it contains: every syntax character is
    backslash-escaped and a line break becomes a space (a table row or a sentence stays one line).
    Used for every text that comes from a data file (labels, excerpts, titles) and for inline text."""
    text = str(text)
    for brk, space in _BREAKS.items():
        text = text.replace(brk, space)
    text = "".join(" " if (c < " " and c != "\t") or c == "\x7f" else c for c in text).replace("\t", " ")
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def md_unescape(text: str) -> str:
    """The text :func:`md_escape` escaped (line breaks stay spaces): for CSV exports of display cells."""
    import re

    return re.sub(r"\\(.)", r"\1", text) if isinstance(text, str) else text


#: a cell a spreadsheet would run as a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell that a spreadsheet shows as text, never runs: a text beginning with =, +, -, @,
    tab or carriage return gets a leading ' (OWASP). Numbers, texts that are plain numbers
    («-0.5», «+3») and a lone sign («+», «-») are unchanged."""
    import re

    if not isinstance(value, str) or not value.startswith(_FORMULA_START) or value in ("+", "-"):
        return value  # a lone sign (Table 13's change symbols) has no operand: it is never a formula
    if re.fullmatch(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?", value):
        return value
    return "'" + value


def ratio_words(k: int, n: int) -> str:
    """``(3, 10) -> '3 av 10'``."""
    return f"{integer(k)} av {integer(n)}"
