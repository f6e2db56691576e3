"""Quarto's pre-render step (``_quarto.yml``): compute the study's results once, on all cores,
before the chapters run, and keep them under a key of the data and the package
(``analysis/store.py``).  The chapters then display the stored results; with data or code
changed, the key changes and everything is computed again.

Quarto runs this file with the Python it uses for the chapters (``QUARTO_PYTHON``).  When that
Python lacks the project's libraries and the project's ``.venv`` exists, the script runs itself
again with ``.venv/bin/python``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def with_project_python(script: str, module: str) -> bool:
    """True when ``module`` imports; else ``script`` runs again with the project's ``.venv`` Python
    (when it exists and is not this one), or False after a message (shared with ``_postrender.py``)."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), script, *sys.argv[1:]])
        print("Fant ikke prosjektets Python-pakker. Kjør 'make setup' og render med "
              "QUARTO_PYTHON=.venv/bin/python quarto render", file=sys.stderr)
        return False
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return True


def main() -> int:
    if not with_project_python(__file__, "pandas"):  # the build needs the locked libraries
        return 1
    from analysis import freezer, store

    try:
        folder = store.ensure(None, quiet=False)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    # Quarto's hidden store of executed chapters knows only the .qmd text: with other data or
    # code, its chapters would be stale (analysis/freezer.py)
    freezer.record_env(ROOT)
    if freezer.before_render(ROOT, folder.name):
        print("data eller kode er endret siden forrige rendering: alle kapitlene kjøres på nytt",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
