"""Quarto's post-render step (``_quarto.yml``): fail the render when its pages show results of
more than one data set or package version (``analysis/freezer.py``).  That happens when one
chapter is rendered with ``-P data_dir:DIR`` (or other data) and Quarto takes the others from its
store of earlier renders; the store is then removed, and the next render executes every chapter.

Standard library and PyYAML only; runs with the Python Quarto uses (``QUARTO_PYTHON``), or the
project's ``.venv`` when that Python lacks PyYAML (``_prerender.with_project_python``)."""

import os
import sys
from pathlib import Path

from _prerender import ROOT, with_project_python


def main() -> int:
    if not with_project_python(__file__, "yaml"):
        return 1
    from analysis import freezer

    listed = os.environ.get("QUARTO_USE_FILE_FOR_PROJECT_OUTPUT_FILES")
    text = (Path(listed).read_text(encoding="utf-8") if listed and Path(listed).is_file()
            else os.environ.get("QUARTO_PROJECT_OUTPUT_FILES", ""))
    outputs = [line.strip() for line in text.splitlines() if line.strip()]
    output_dir = Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or "_book")
    message = freezer.after_render(ROOT, ROOT / output_dir, outputs)  # an absolute folder stays as it is
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
