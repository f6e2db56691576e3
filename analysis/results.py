"""Inline numbers: every number the prose prints, by key, pre-formatted.

A provider is a function of the study data returning ``{key: Num}``; it is
registered with :func:`provider` and usually shares its computation with a table
(via ``study.shared``), so text and tables cannot disagree.  Keys that equal a
key of ``analysis/published.yaml`` are also the computed side of the
reproduction appendix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import fmt


@dataclass(frozen=True)
class Num:
    value: object
    text: str

    def __str__(self) -> str:  # so `{python} R["x"]` prints the formatted text
        return self.text


def n(value, kind: str = "num", decimals: int = 1) -> Num:
    """Wrap a raw value with its Norwegian text. kinds: num, int, year, pct, kr, p, pp, text."""
    if kind == "int":
        return Num(value, fmt.integer(value))
    if kind == "year":
        return Num(value, fmt.year(value))
    if kind == "pct":
        return Num(value, fmt.pct(value, decimals))
    if kind == "kr":
        return Num(value, fmt.kr(value))
    if kind == "p":
        return Num(value, fmt.pvalue(value, decimals if decimals > 1 else 3))
    if kind == "pp":
        return Num(value, fmt.pp(value, decimals))
    if kind == "text":
        return Num(value, str(value))
    return Num(value, fmt.num(value, decimals))


PROVIDERS: list[Callable] = []


def provider(func: Callable) -> Callable:
    PROVIDERS.append(func)
    return func


class Results(dict):
    """``R["key"]`` gives the formatted text; ``R.value("key")`` the raw value."""

    def __getitem__(self, key):
        try:
            return super().__getitem__(key).text
        except KeyError:
            raise KeyError(f"no inline number {key!r}") from None

    def value(self, key):
        return super().__getitem__(key).value

    def num(self, key) -> Num:
        return super().__getitem__(key)


def compute(study) -> Results:
    from .registry import load_all

    load_all()  # output modules register their providers on import
    return study.shared("results", _compute)


def _compute(study) -> Results:
    out = Results()
    for func in PROVIDERS:
        for key, num in func(study).items():
            if key in out:
                raise ValueError(f"inline number {key!r} defined twice")
            out[key] = num
    from .reproduction import reproduction_table

    rep = reproduction_table(study, out)
    study.cache["repro"] = rep
    counts = rep["status"].value_counts()
    out["repro_total"] = n(len(rep), "int")
    for status, key in (("match", "repro_match"), ("differs", "repro_differs"), ("not-computable", "repro_notcomp")):
        out[key] = n(int(counts.get(status, 0)), "int")
    return out
