"""Read a Quarto chapter the way Quarto's Jupyter engine does: resolve includes,
collect the Python cells in order with their options, and the inline expressions.

Used by the tests (chapter execution, consistency) and by ``benchmarks/run.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT as ROOT
INCLUDE = re.compile(r"^\{\{< include (\S+) >\}\}\s*$", re.M)
CELL = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)
INLINE = re.compile(r"`\{python\} ([^`]+)`")
XREF = re.compile(r"(?<![\w/])@((?:tbl|fig|sec)-[\w-]+)")
CITE = re.compile(r"(?<![\w.@])@([a-z][\w]*\d{4}[a-z]?|[a-z]+\d*(?:consort)?)(?=[\];,\s.])")


@dataclass
class Cell:
    source: str
    options: dict = field(default_factory=dict)

    @property
    def label(self):
        return self.options.get("label")


def expand(path: Path, text: str | None = None) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text

    def inc(m):
        target = m.group(1)
        p = ROOT / target.lstrip("/") if target.startswith("/") else path.parent / target
        return expand(p)

    return INCLUDE.sub(inc, text)


def cells(text: str) -> list[Cell]:
    out = []
    for m in CELL.finditer(text):
        src = m.group(1)
        opts = {}
        for line in src.splitlines():
            if line.startswith("#| "):
                k, _, v = line[3:].partition(":")
                opts[k.strip()] = v.strip().strip('"')
        out.append(Cell(src, opts))
    return out


def inline_expressions(text: str) -> list[str]:
    # code cells are not prose: drop them first
    prose = CELL.sub("", text)
    return INLINE.findall(prose)


def crossrefs(text: str) -> set[str]:
    prose = CELL.sub("", text)
    return set(XREF.findall(prose))


def definitions(text: str) -> set[str]:
    """Labels a chapter defines: cell labels and {#sec-…} heading ids."""
    labels = {c.label for c in cells(text) if c.label}
    labels |= set(re.findall(r"\{#((?:sec|tbl|fig)-[\w-]+)", text))
    return labels


def citations(text: str) -> set[str]:
    prose = CELL.sub("", text)
    keys = set()
    for group in re.findall(r"\[([^\]]*@[^\]]*)\]", prose):
        keys |= set(re.findall(r"@([\w:-]+)", group))
    keys |= set(re.findall(r"(?<![\w@/`])@([a-z][\w:-]*\w)", prose))
    return {k for k in keys if not re.match(r"(tbl|fig|sec)-", k)}


def notebook_for(text: str):
    """The chapter as Quarto's Jupyter engine runs it: its cells in order, then one cell
    evaluating every inline expression (printed as a JSON list of strings)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    for c in cells(text):
        nb.cells.append(nbformat.v4.new_code_cell(c.source, metadata={"label": c.label or ""}))
    exprs = inline_expressions(text)
    check = ("import json as _j\n"
             f"_vals = [{', '.join(exprs)}]\n"
             "assert all(isinstance(v, str) for v in _vals), [type(v) for v in _vals]\n"
             "print(_j.dumps(_vals, ensure_ascii=False))") if exprs else "print('[]')"
    nb.cells.append(nbformat.v4.new_code_cell(check, metadata={"label": "inline"}))
    return nb
