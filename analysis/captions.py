"""Keep chapter cells' captions and alt texts identical to the registry (one definition).

``python -m analysis sync`` rewrites, in every chapter, the ``#| tbl-cap:``,
``#| fig-cap:`` and ``#| fig-alt:`` lines of each cell whose ``#| label:`` is a
registered output; ``--check`` only reports differences (used by the tests).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .config import PROJECT_ROOT
from .registry import load_all

CELL = re.compile(r"(```\{python\}\n)(.*?)(```)", re.S)


def chapter_files() -> list[Path]:
    import yaml

    cfg = yaml.safe_load((PROJECT_ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    book = cfg["book"]
    return [PROJECT_ROOT / p for p in book["chapters"] + book.get("appendices", [])]


def _wanted(out) -> list[str]:
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731  (YAML accepts JSON strings)
    if out.kind == "table":
        return [f"#| tbl-cap: {q(out.caption)}"]
    return [f"#| fig-cap: {q(out.caption)}", f"#| fig-alt: {q(out.alt)}"]


def sync(text: str, registry: dict) -> str:
    def fix(m):
        body = m.group(2)
        lines = body.split("\n")
        label = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("#| label:")), None)
        if label not in registry:
            return m.group(0)
        kept = [ln for ln in lines if not re.match(r"#\| (tbl-cap|fig-cap|fig-alt):", ln)]
        i = next(i for i, ln in enumerate(kept) if ln.startswith("#| label:"))
        kept[i + 1:i + 1] = _wanted(registry[label])
        return m.group(1) + "\n".join(kept) + m.group(3)

    return CELL.sub(fix, text)


def run(check: bool = False) -> list[Path]:
    registry = load_all()
    changed = []
    for path in chapter_files():
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        new = sync(text, registry)
        if new != text:
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return changed
