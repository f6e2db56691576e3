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


class SettingError(ValueError):
    """An ``HPMT_*`` environment variable with a value that cannot be used (Norwegian message)."""


#: every ``HPMT_*`` setting that changes results: default, type, smallest allowed value
SETTINGS = {"HPMT_MIN_CELL": (5, int, 0), "HPMT_MIN_CELL_RATING": (3, int, 0),
            "HPMT_CHANGE_THRESHOLD": (0.05, float, 0.0)}


def setting(name: str):
    """The number in the environment variable ``name`` (its default when unset or blank);
    :class:`SettingError` with a Norwegian message when it is not a number of its type in range."""
    import math

    default, kind, minimum = SETTINGS[name]
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    what = "et heltall" if kind is int else "et tall"
    shown = str(default).replace(".", ",")
    try:
        value = kind(raw.replace(",", ".")) if kind is float else int(raw)
    except ValueError:
        raise SettingError(f"Miljøvariabelen {name} må være {what} (standard {shown}), men er {raw!r}.") from None
    if kind is float and not math.isfinite(value):
        raise SettingError(f"Miljøvariabelen {name} må være et endelig tall (standard {shown}), men er {raw!r}.")
    if value < minimum:
        raise SettingError(f"Miljøvariabelen {name} kan ikke være mindre enn {minimum}, men er {raw!r}.")
    return value


def check_settings() -> None:
    """Raise :class:`SettingError` for the first unusable ``HPMT_*`` setting (before any computing)."""
    for name in SETTINGS:
        setting(name)
