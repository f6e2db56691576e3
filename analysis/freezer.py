"""Quarto's own store of executed chapters, kept from showing results of other data.

Quarto keeps every executed chapter's output in a hidden freezer (``.quarto/_freeze``), even with
``freeze: false``, and reuses it by the hash of the chapter's ``.qmd`` text alone.  A book with a
PDF format is always rendered whole: ``quarto render chapters/x.qmd`` executes ``x`` and takes
every other chapter from that freezer.  After a change in the data or in ``analysis/`` those
chapters would show the old numbers.  Three guards stop that (standard library, and PyYAML to
read the book's chapter list):

* **before** the render (``_prerender.py``): the key of the results in use (:func:`store.key`,
  plus the bytes of ``_setup.qmd`` and ``_quarto.yml``) is compared with the key recorded at the
  last render; when it differs, the hidden freezer is removed, so every chapter executes again;
* **kept kernels**: ``--execute-daemon`` keeps a chapter's kernel alive between renders, with the
  environment of the render that started it.  The pre-render step writes the render's ``HPMT_*``
  settings (:func:`record_env`); a kernel that is older than that file takes them over
  (:func:`adopt_render_env`), so ``HPMT_DATA=DIR quarto render`` is never computed from the data
  of the render before;
* **after** the render (``_postrender.py``): every chapter prints the key of the results it shows
  (an HTML comment from :func:`analysis.book.notice`).  If the rendered pages, or the chapters that
  went into the PDF, show more than one key — a ``-P data_dir:DIR`` render of one chapter, which
  the pre-render step cannot see — the freezer is removed and the render fails with a message:
  the same command, run again, executes every chapter with the same data.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

#: the marker each chapter prints (an HTML comment: no text in either format)
MARKER = "<!-- hpmt-resultater: {key} -->"
MARKER_RE = re.compile(r"<!-- hpmt-resultater: ([0-9a-f]+) -->")
#: the key recorded at the last render, inside Quarto's own folder
RECORD = Path(".quarto") / "hpmt-key"
#: the ``HPMT_*`` settings of the render in progress (for kernels kept from an earlier render)
ENV = Path(".quarto") / "hpmt-env.json"
FREEZER = Path(".quarto") / "_freeze"
#: project files whose change alters what an executed chapter prints but not its ``.qmd`` text
SHARED = ("_setup.qmd", "_quarto.yml")


def marker(key: str) -> str:
    return MARKER.format(key=key)


def render_key(project: Path, results_key: str) -> str:
    h = hashlib.sha256(results_key.encode())
    for name in SHARED:
        path = project / name
        h.update(f"\0{name}\0".encode())
        h.update(path.read_bytes() if path.is_file() else b"missing")
    return h.hexdigest()[:20]


def before_render(project: Path, results_key: str) -> bool:
    """Remove the hidden freezer when the results key differs from the last render's; True if removed."""
    k = render_key(project, results_key)
    record = project / RECORD
    old = record.read_text(encoding="utf-8").strip() if record.is_file() else None
    removed = False
    if old != k:
        removed = (project / FREEZER).exists()
        shutil.rmtree(project / FREEZER, ignore_errors=True)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(k + "\n", encoding="utf-8")
    return removed


def record_env(project: Path) -> None:
    path = project / ENV
    path.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k.startswith("HPMT_")}
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(env, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def adopt_render_env(project: Path, since: float) -> bool:
    """In a kernel whose package was imported at ``since``: when a render started later (its
    pre-render step wrote :data:`ENV` after that), take over that render's ``HPMT_*`` settings.
    A kernel started by the render itself, or outside Quarto, is younger than the file and keeps
    its own environment.  True if the environment was changed."""
    path = project / ENV
    try:
        if path.stat().st_mtime <= since:
            return False
        env = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(env, dict):
        return False
    mine = {k: v for k, v in os.environ.items() if k.startswith("HPMT_")}
    if mine == env:
        return False
    for k in mine:
        os.environ.pop(k, None)
    os.environ.update({str(k): str(v) for k, v in env.items() if str(k).startswith("HPMT_")})
    return True


def _chapters(project: Path) -> list[str]:
    import yaml

    cfg = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    book = cfg.get("book") or {}
    return [c for c in [*(book.get("chapters") or []), *(book.get("appendices") or [])] if isinstance(c, str)]


def _frozen_markdown(project: Path, chapter: str, fmt: str) -> str | None:
    path = project / FREEZER / Path(chapter).with_suffix("") / "execute-results" / f"{fmt}.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))["result"]["markdown"]
    except (ValueError, KeyError, TypeError):
        return None


def shown_keys(project: Path, output_dir: Path, outputs: list[str]) -> dict[str, str]:
    """Which results key each rendered page shows: ``{"chapters/x.html": key, "PDF: chapters/x": key}``.

    HTML, when a page was rendered: every page of the book in the output folder (one page rendered
    alone must agree with the rest of the site). PDF, when one was rendered: the chapter outputs Quarto combined into it, as
    its freezer holds them after the render."""
    found: dict[str, str] = {}
    chapters = _chapters(project)
    html = any(o.lower().endswith(".html") for o in outputs)
    for chapter in chapters if html else ():
        page = output_dir / Path(chapter).with_suffix(".html")
        if page.is_file():
            keys = set(MARKER_RE.findall(page.read_text(encoding="utf-8", errors="replace")))
            for k in keys:
                found[f"{page.relative_to(output_dir).as_posix()}" + ("" if len(keys) == 1 else f" ({k})")] = k
    if any(o.lower().endswith(".pdf") for o in outputs):
        for chapter in chapters:
            md = _frozen_markdown(project, chapter, "typ")
            for k in set(MARKER_RE.findall(md or "")):
                found[f"PDF: {Path(chapter).with_suffix('').as_posix()}"] = k
    return found


def after_render(project: Path, output_dir: Path, outputs: list[str]) -> str | None:
    """None when every rendered page shows one results key; else the (Norwegian) message, freezer removed."""
    shown = shown_keys(project, output_dir, outputs)
    keys = sorted(set(shown.values()))
    if len(keys) <= 1:
        return None
    shutil.rmtree(project / FREEZER, ignore_errors=True)
    groups = "\n".join(f"  {k}: " + ", ".join(sorted(p for p, v in shown.items() if v == k)) for k in keys)
    return ("Boken viser resultater fra ulike data eller ulik kode (én nøkkel per sett av resultater):\n"
            f"{groups}\n"
            "Quarto gjenbrukte kapitler fra en tidligere rendering med andre data (en annen "
            "-P data_dir eller HPMT_DATA), eller bare noen av sidene ble rendret på nytt. De lagrede "
            "kapitlene er slettet: render hele boken på nytt med dataene den skal vise "
            "(quarto render, med samme -P data_dir eller HPMT_DATA), så regnes alle kapitlene ut "
            "fra de samme dataene.")
