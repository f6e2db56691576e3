"""Quarto's post-render step (``_quarto.yml``): fail the render when its pages show results of
more than one data set or package version (``analysis/freezer.py``).  That happens when one
chapter is rendered with ``-P data_dir:DIR`` (or other data) and Quarto takes the others from its
store of earlier renders; the store is then removed, and the next render executes every chapter.

Standard library and PyYAML only; runs with the Python Quarto uses (``QUARTO_PYTHON``), or the
project's ``.venv`` when that Python lacks PyYAML."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def main() -> int:
    try:
        import yaml  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
        print("Fant ikke prosjektets Python-pakker. Kjør 'make setup' og render med "
              "QUARTO_PYTHON=.venv/bin/python quarto render", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    from analysis import freezer

    listed = os.environ.get("QUARTO_USE_FILE_FOR_PROJECT_OUTPUT_FILES")
    text = (Path(listed).read_text(encoding="utf-8") if listed and Path(listed).is_file()
            else os.environ.get("QUARTO_PROJECT_OUTPUT_FILES", ""))
    outputs = [line.strip() for line in text.splitlines() if line.strip()]
    output_dir = Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or "_book")
    message = freezer.after_render(ROOT, ROOT / output_dir if not output_dir.is_absolute() else output_dir, outputs)
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
