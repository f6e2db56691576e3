"""Find suppressed office cells in what leaves the build: every text file ``build`` writes, and the
rendered HTML (used by test_disclosure_leaks.py and test_render.py).

The values a cell would have shown come from a second build of the same data with the rule off
(``HPMT_MIN_CELL=0``, ``HPMT_MIN_CELL_RATING=0``): a cell of an office table that differs between
the two builds is a suppressed cell, and its unsuppressed text is what must not appear.

* **In place:** the cell shows «–» in the Markdown table and in the rendered HTML table.
* **Anywhere:** an unsuppressed cell text that is distinctive (two or more numbers, such as
  «3,25 → 3,50 (+0,25)» or «4 (3,8)») appears in no file of the build and on no page of the book.
  A single number such as «0,25» cannot be searched for: it occurs by chance; for those, the
  stored inline numbers say «skjermet» with no value (tested in test_disclosure_leaks.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

#: office tables whose cells can be suppressed
TABLES = ("tbl-kontor-implementering", "tbl-kontorfunn", "tbl-kontor-skalaer", "tbl-rekruttering")
TEXT_SUFFIXES = {".md", ".csv", ".json", ".txt", ".svg", ".html"}
HIDDEN = "–"
_NUMBER = re.compile(r"\d+(?:,\d+)?")


@dataclass(frozen=True)
class Cell:
    label: str
    office: str
    column: str
    index: int  # the column's position in the table
    raw: str    # the text the cell has without suppression
    shown: str  # the text it has in the build

    @property
    def distinctive(self) -> bool:
        return len(_NUMBER.findall(self.raw)) >= 2


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def markdown_rows(md: str) -> tuple[list[str], dict[str, list[str]]]:
    """Header and office rows (by the office id in the first column) of a Markdown pipe table."""
    lines = [ln for ln in md.splitlines() if ln.startswith("|")]
    header = _cells(lines[0]) if lines else []
    rows = {}
    for ln in lines[2:]:
        cells = _cells(ln)
        if cells and cells[0].isdigit():
            rows[cells[0]] = cells
    return header, rows


def suppressed_cells(out: Path, out0: Path) -> list[Cell]:
    found = []
    for label in TABLES:
        header, shown = markdown_rows((out / "tables" / f"{label}.md").read_text(encoding="utf-8"))
        _, raw = markdown_rows((out0 / "tables" / f"{label}.md").read_text(encoding="utf-8"))
        for office, cells in shown.items():
            for i, (s, r) in enumerate(zip(cells, raw.get(office, cells))):
                if s != r:
                    found.append(Cell(label, office, header[i] if i < len(header) else str(i), i, r, s))
    return found


def html_table_rows(page: str, label: str) -> dict[str, list[str]] | None:
    """The office rows of the table under ``label`` on a rendered HTML page (None: not on the page)."""
    start = page.find(f'id="{label}"')
    if start < 0:
        return None
    end = page.find("</table>", start)
    rows = {}
    for tr in re.findall(r"<tr\b.*?</tr>", page[start:end], flags=re.S):
        cells = [_norm(html.unescape(re.sub(r"<[^>]+>", " ", c)))
                 for c in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", tr, flags=re.S)]
        if cells and cells[0].isdigit():
            rows[cells[0]] = cells
    return rows


def text_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES}


def leaks(cells: list[Cell], files: dict[str, str], pages: dict[str, str] | None = None) -> list[str]:
    """Every place a suppressed cell is disclosed: ``files`` are the build's text files by name,
    ``pages`` the rendered HTML pages by name (raw HTML)."""
    problems = []
    for c in cells:
        if c.shown != HIDDEN:
            problems.append(f"{c.label}, kontor {c.office}, {c.column}: viser «{c.shown}», ikke «{HIDDEN}»")
    for name, page in (pages or {}).items():
        for label in TABLES:
            rows = html_table_rows(page, label)
            if rows is None:
                continue
            for c in (c for c in cells if c.label == label):
                row = rows.get(c.office)
                if row is None:
                    problems.append(f"{name}: {label} har ingen rad for kontor {c.office}")
                elif c.index >= len(row) or row[c.index] != HIDDEN:
                    problems.append(f"{name}: {label}, kontor {c.office}, {c.column}: raden viser {row}")
    haystack = {**{f"build: {k}": _norm(v) for k, v in files.items()},
                **{f"side: {k}": _norm(html.unescape(v)) for k, v in (pages or {}).items()}}
    for c in {c for c in cells if c.distinctive}:
        needle = _norm(c.raw)
        problems += [f"{where}: «{needle}» ({c.label}, kontor {c.office}, {c.column})"
                     for where, text in haystack.items() if needle in text]
    return problems
