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


class Inline(str):
    """The text of an inline number as a chapter prints it.

    Quarto shows an inline expression's ``text/markdown`` output as it is, but a plain
    ``str``'s ``text/plain`` output is its ``repr`` (``'2\\xa0624\\xa0kr'``).  This ``str``
    gives Quarto Markdown in which every character stands for itself (no-break spaces,
    minus signs, and ``[ ] * < @`` escaped), and behaves as the plain text everywhere else."""

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return fmt.md_escape(self)


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


#: every provider by name (``"outputs.design:balance_numbers"``), filled as output modules are imported
PROVIDERS: dict[str, Callable] = {}
#: keys that only exist once every provider has run (they describe the reproduction table)
REPRO_KEYS = ("repro_total", "repro_match", "repro_differs", "repro_notcomp")


def provider_name(func: Callable) -> str:
    return f"{func.__module__.removeprefix('analysis.')}:{func.__name__}"


def provider(func: Callable) -> Callable:
    PROVIDERS[provider_name(func)] = func
    return func


class Results:
    """The inline numbers of one study, computed on demand.

    ``R["key"]`` gives the formatted text and ``R.value("key")`` the raw value.  A key
    runs only the provider that makes it, found through the committed index
    (``analysis/index.json``, see :mod:`analysis.index`), so a chapter pays only for its own
    numbers.  A key the index does not know (new code, or data with other offices) makes
    every provider run, so the answer never depends on the index being current — only
    the speed does.  Iterating, ``len`` and the reproduction keys also compute everything.
    """

    def __init__(self, study):
        self._study = study
        self._nums: dict[str, Num] = {}
        self._origin: dict[str, str] = {}
        self._ran: set[str] = set()
        self._complete = False

    # -- computing
    def _run(self, name: str) -> None:
        if name in self._ran:
            return
        func = PROVIDERS.get(name)
        if func is None:  # import the module that defines it
            import importlib

            try:
                importlib.import_module("analysis." + name.split(":")[0])
            except ImportError:
                pass
            func = PROVIDERS.get(name)
        self._ran.add(name)
        if func is None:  # a stale index names a provider that no longer exists: run them all instead
            self.complete()
            return
        for key, num in func(self._study).items():
            if key in self._nums:
                raise ValueError(f"inline number {key!r} defined twice ({self._origin[key]} and {name})")
            self._nums[key] = num
            self._origin[key] = name

    def complete(self) -> "Results":
        """Run every provider and build the reproduction table (``study.cache["repro"]``)."""
        if self._complete:
            return self
        from .registry import load_all

        load_all()  # output modules register their providers on import
        for name in list(PROVIDERS):
            self._run(name)
        self._complete = True  # every provider has run: lookups below must not recurse
        from .reproduction import reproduction_table

        rep = reproduction_table(self._study, self)
        self._study.cache["repro"] = rep
        counts = rep["status"].value_counts()
        self._nums["repro_total"] = n(len(rep), "int")
        for status, key in (("match", "repro_match"), ("differs", "repro_differs"), ("not-computable", "repro_notcomp")):
            self._nums[key] = n(int(counts.get(status, 0)), "int")
        for key in REPRO_KEYS:
            self._origin[key] = "reproduction"
        return self

    def origins(self) -> dict[str, str]:
        """Which provider made each key (after :meth:`complete`)."""
        self.complete()
        return dict(self._origin)

    # -- mapping interface
    def num(self, key) -> Num:
        if key not in self._nums and not self._complete:
            from .index import number_provider

            name = number_provider(key)
            if name is not None:
                self._run(name)
            if key not in self._nums:
                self.complete()
        try:
            return self._nums[key]
        except KeyError:
            raise KeyError(f"no inline number {key!r}") from None

    def __getitem__(self, key) -> Inline:
        return Inline(self.num(key).text)

    def value(self, key):
        return self.num(key).value

    def __contains__(self, key) -> bool:
        try:
            self.num(key)
        except KeyError:
            return False
        return True

    def __iter__(self):
        return iter(self.complete()._nums)

    def __len__(self) -> int:
        return len(self.complete()._nums)

    def keys(self):
        return self.complete()._nums.keys()


def compute(study) -> Results:
    """The study's (lazy) inline numbers; one object per loaded study."""
    return study.shared("results", Results)


def reproduction(study):
    """The reproduction table (published against computed); computes every inline number."""
    compute(study).complete()
    return study.cache["repro"]
