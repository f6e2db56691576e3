"""Norwegian words that follow from numbers, so that prose stays true on any data.

Every directional, comparative or evaluative word the book prints about a number
(økte/sank, høyere/lavere, signifikant/ikke, de fleste, «ett kontor» / «ingen kontor»)
comes from one of these functions, called by the provider that computes the number.

    >>> count(0, "kontor", "kontor", gender="n")
    'ingen kontor'
    >>> count(1, "veileder", "veiledere")
    'én veileder'
    >>> change(3.1, 2.9)
    'sank'
    >>> join(["a", "b", "c"])
    'a, b og c'
"""

from __future__ import annotations

import math

from . import fmt

#: cardinal numbers 2–12 written as words (Språkrådet: small numbers in words in running text)
_SMALL = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "sju", 8: "åtte", 9: "ni", 10: "ti",
          11: "elleve", 12: "tolv"}
#: "one" by grammatical gender: m(asculine) and f(eminine) take «én», n(euter) «ett»
_ONE = {"m": "én", "f": "én", "n": "ett"}


def number(k: int, gender: str = "m", words: bool = True) -> str:
    """A count as running text: ``0 -> 'null'``, ``1 -> 'én'/'ett'``, 2–12 in words, else digits."""
    k = int(k)
    if k == 1:
        return _ONE[gender]
    if words and k == 0:
        return "null"
    if words and k in _SMALL:
        return _SMALL[k]
    return fmt.integer(k)


def count(k: int, singular: str, plural: str, gender: str = "m", words: bool = True, zero: str = "ingen") -> str:
    """A count with its noun in the right number: 'ingen kontor', 'ett kontor', 'tre kontor', '15 kontor'."""
    k = int(k)
    if k == 0:
        return f"{zero} {plural}"
    return f"{number(k, gender, words)} {singular if k == 1 else plural}"


def of(k: int, n: int, plural: str = "", gender: str = "m") -> str:
    """A part of a whole: 'ingen av de 9', 'én av 9', 'alle de 9', 'begge', '4 av 9'."""
    k, n = int(k), int(n)
    noun = f" {plural}" if plural else ""
    if n == 0:
        return f"ingen{noun}"
    if k == 0:
        return f"ingen av de {fmt.integer(n)}{noun}" if n > 1 else f"ingen{noun}"
    if k == n:
        if n == 1:
            return f"{_ONE[gender]} av 1{noun}"
        return f"begge{noun}" if n == 2 else f"alle de {fmt.integer(n)}{noun}"
    return f"{number(k, gender)} av {fmt.integer(n)}{noun}"


def quantity(k: int, n: int) -> str:
    """An evaluative quantifier for k of n: 'ingen', 'få', 'under halvparten', 'halvparten', 'de fleste', 'alle'."""
    k, n = int(k), int(n)
    if n <= 0 or k <= 0:
        return "ingen"
    if k == n:
        return "alle"
    share = k / n
    if share < 0.2:
        return "få"
    if share < 0.5:
        return "under halvparten"
    if math.isclose(share, 0.5):
        return "halvparten"
    return "de fleste"


def change(before: float, after: float, up: str = "økte", down: str = "sank", same: str = "var uendret",
           tol: float = 0.0) -> str:
    """The verb for a change from ``before`` to ``after`` (|difference| ≤ ``tol`` counts as unchanged)."""
    if before is None or after is None or _nan(before) or _nan(after):
        return "kan ikke beregnes"
    d = after - before
    if abs(d) <= tol:
        return same
    return up if d > 0 else down


def compare(a: float, b: float, higher: str = "høyere", lower: str = "lavere", same: str = "like høy",
            tol: float = 0.0) -> str:
    """The comparative for ``a`` against ``b``: 'høyere', 'lavere' or 'like høy' (within ``tol``)."""
    if a is None or b is None or _nan(a) or _nan(b):
        return "ikke sammenlignbar"
    d = a - b
    if abs(d) <= tol:
        return same
    return higher if d > 0 else lower


def significant(p: float, alpha: float = 0.05, yes: str = "signifikant", no: str = "ikke signifikant") -> str:
    """'signifikant' when p < alpha, else 'ikke signifikant' (and a plain statement when p is missing)."""
    if p is None or _nan(p):
        return "ikke testbar"
    return yes if p < alpha else no


def join(items, conj: str = "og", empty: str = "ingen") -> str:
    """A list in running text: 'a', 'a og b', 'a, b og c'; when an item of a list of three or more
    contains a comma or the conjunction itself, items are separated by semicolons so that the reader
    can count them ('a, x; b og c; d og e')."""
    items = [str(i) for i in items]
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    if len(items) > 2 and any("," in i or f" {conj} " in i for i in items):
        return f"{'; '.join(items[:-1])}; {conj} {items[-1]}"
    sep = "; " if any("," in i for i in items) else ", "
    return f"{sep.join(items[:-1])} {conj} {items[-1]}"


def capitalise(text: str) -> str:
    """First letter upper case, the rest untouched ('cr2 (t2)' would lose its case with str.capitalize)."""
    return text[:1].upper() + text[1:]


def _nan(x) -> bool:
    try:
        return math.isnan(x)
    except TypeError:
        return False


def lower_first(text: str) -> str:
    """'Husholdningsinntekt (T2)' -> 'husholdningsinntekt (T2)'; an abbreviation ('CR2') keeps its case."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
