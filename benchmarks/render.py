"""Render timings for the benchmark (``benchmarks/run.py``): the whole book, its Quarto floor,
and one chapter after a prose edit.

* **Cold render** – ``quarto render`` (HTML + PDF) of a clean copy of the project: no stored
  results, no ``_book/``, no ``.quarto/``, as the Makefile runs it (``--execute-daemon``).
* **Quarto floor** – the same book with nothing to execute: a second copy with
  ``execute: freeze: true`` is rendered once (which writes ``_freeze/``) and then timed on a
  second render, in which Quarto reuses every chapter's frozen output.
* **One chapter** – in the cold copy after its full render, one sentence of a chapter's prose is
  changed and ``quarto render chapters/<x>.qmd`` is timed.  A book with a PDF format is rendered
  whole by Quarto even then (the other chapters come from Quarto's store, so this is close to the
  floor); ``quarto render chapters/<x>.qmd --to html``, which renders that page alone, is timed
  after a second edit (the author's edit–look loop).

Targets (issue 12): cold ≤ 1,3 × floor; one chapter ≤ 0,2 × cold.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_COLD_RATIO = 1.3
TARGET_CHAPTER_RATIO = 0.2
EXCLUDE = {".venv", ".git", "_book", "_output", ".quarto", ".hpmt-cache", ".pytest_cache", "__pycache__", "_freeze"}
EDIT_CHAPTER = "samlinger"


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=lambda folder, names: {n for n in names if n in EXCLUDE})
    return dest


def quarto_render(project: Path, quarto: str, *args: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if k != "HPMT_DATA"}
    env["QUARTO_PYTHON"] = sys.executable
    t0 = time.perf_counter()
    proc = subprocess.run([quarto, "render", *args, "--execute-daemon", "10"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t0
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"quarto render {' '.join(args)} failed in {project}:\n{log[-3000:]}")
    return wall, log


def edit_one_sentence(qmd: Path) -> None:
    """Change one sentence of prose (the first paragraph line after the title)."""
    lines = qmd.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line[:1].isalpha() and "`{python}" not in line:
            lines[i] = line.replace(" ", " (endret) ", 1)
            break
    else:
        raise ValueError(f"{qmd}: no prose line to edit")
    qmd.write_text("".join(lines), encoding="utf-8")


def measure(tmp: Path, quarto: str, line) -> dict:
    """Run the three render measurements; ``line(measure, value, target, ok)`` prints a row."""
    res: dict = {}
    cold = copy_project(tmp / "cold")
    cold_s, log = quarto_render(cold, quarto)
    res["render_cold_s"] = cold_s
    res["render_kernels"] = len(re.findall(r"Starting \S+ kernel", log))
    line("render: cold (HTML + PDF)", f"{cold_s:.1f} s, {res['render_kernels']} kernels")

    floor = copy_project(tmp / "floor")
    cfg = (floor / "_quarto.yml").read_text(encoding="utf-8")
    (floor / "_quarto.yml").write_text(re.sub(r"(?m)^(\s*)freeze: false", r"\1freeze: true", cfg), encoding="utf-8")
    quarto_render(floor, quarto)  # writes _freeze/
    floor_s, _ = quarto_render(floor, quarto)
    res["render_floor_s"] = floor_s
    ratio = cold_s / floor_s
    res["render_cold_ratio"] = ratio
    line("render: Quarto floor (all frozen)", f"{floor_s:.1f} s")
    line("  cold / floor", f"{ratio:.2f}", f"≤ {TARGET_COLD_RATIO:g}", ratio <= TARGET_COLD_RATIO)

    qmd = cold / "chapters" / f"{EDIT_CHAPTER}.qmd"
    edit_one_sentence(qmd)
    chapter_s, _ = quarto_render(cold, quarto, qmd.relative_to(cold).as_posix())
    res["render_chapter_s"] = chapter_s
    rel = chapter_s / cold_s
    res["render_chapter_ratio"] = rel
    line(f"render: chapter {EDIT_CHAPTER} after an edit", f"{chapter_s:.1f} s = {rel:.2f} × cold",
         f"≤ {TARGET_CHAPTER_RATIO:g} × cold", rel <= TARGET_CHAPTER_RATIO)

    # the edit-look loop in HTML alone: Quarto renders only that page (with a PDF format in the
    # book, a one-file render renders every file, taking the others from its store)
    edit_one_sentence(qmd)
    html_s, _ = quarto_render(cold, quarto, qmd.relative_to(cold).as_posix(), "--to", "html")
    res["render_chapter_html_s"] = html_s
    res["render_chapter_html_ratio"] = html_s / cold_s
    line(f"render: chapter {EDIT_CHAPTER}, HTML only (--to html)", f"{html_s:.1f} s = {html_s / cold_s:.2f} × cold",
         f"≤ {TARGET_CHAPTER_RATIO:g} × cold", html_s / cold_s <= TARGET_CHAPTER_RATIO)
    return res
