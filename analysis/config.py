"""Where the data live and whether they are the synthetic or the real data.

The data folder is chosen, in this order, by
1. an explicit argument (``--data DIR`` on the command line, or a Quarto parameter
   ``data_dir`` passed to :func:`data_dir`),
2. the environment variable ``HPMT_DATA``,
3. the bundled synthetic data in ``data/`` at the project root.

A data package declares itself synthetic in ``datapackage.yaml``
(``synthetic: true``); the synthetic-data notice in the book is shown exactly
when the configured data say so.  Real data therefore switch the notice off
without touching a chapter.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = PROJECT_ROOT / "data"
ENV_VAR = "HPMT_DATA"
#: Documented, git-ignored place for confidential real data.
REAL_DATA_HINT = PROJECT_ROOT / "data-real"


def update_file(path: Path, text: str, check: bool = False) -> bool:
    """For files generated from the code: does ``path`` differ from ``text``?  Unless ``check``,
    a differing file is rewritten.  Returns True when it differed (was stale)."""
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if current == text:
        return False
    if not check:
        path.write_text(text, encoding="utf-8")
    return True


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Resolve the data folder (see module docstring)."""
    if explicit not in (None, ""):
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return BUNDLED_DATA
