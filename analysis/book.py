"""What a chapter calls: one line per cell.

    from analysis import book
    R = book.setup(data_dir)        # load + validate the data, theme, inline numbers
    book.notice()                    # synthetic-data notice (nothing for real data)
    book.show("tbl-aktivitet")       # a registered table or figure
"""

from __future__ import annotations

from . import registry, results
from .data import load

_STATE: dict = {}


def setup(data_dir=None):
    """Load (and validate) the data and return the inline numbers ``R``.

    ``R`` is lazy: each key computes only the provider that makes it, and each
    ``show`` imports only the module of its output, so a chapter pays for what it shows."""
    study = load(data_dir)
    _STATE["study"] = study
    return results.compute(study)


def study():
    if "study" not in _STATE:
        setup()
    return _STATE["study"]


NOTICE = (
    '::: {.callout-warning title="Syntetiske data"}\n'
    "Tallene i denne boken er regnet fra **syntetiske data** som er kalibrert til de publiserte "
    "aggregatene i sluttrapporten og artikkelen. De er ikke de ekte mikrodataene, som er konfidensielle. "
    "Se vedlegget om reproduksjon for hvilke publiserte tall som gjenskapes.\n"
    ":::\n"
)


def notice_markdown(s=None) -> str:
    s = s or study()
    return NOTICE if s.synthetic else ""


def notice():
    """Print the synthetic-data notice (use in a cell with ``output: asis``)."""
    print(notice_markdown())


def show(label: str):
    """Display a registered output in the notebook (table as Markdown, figure as image)."""
    from IPython.display import Markdown, display

    out = registry.get(label)
    result = out.compute(study())
    if out.kind == "table":
        return Markdown(result.to_markdown())
    import matplotlib.pyplot as plt  # figures only: a chapter of tables never imports matplotlib

    display(result)
    plt.close(result)
    return None


def colophon_markdown(s=None) -> str:
    """Which data, code and versions produced this book."""
    import datetime as dt
    import subprocess
    from importlib import metadata

    from . import __version__
    from .config import PROJECT_ROOT

    s = s or study()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip() or "ukjent"
    except (OSError, subprocess.SubprocessError):
        commit = "ukjent"
    rows = [("Data", f"`{s.folder}` ({'syntetiske' if s.synthetic else 'ekte'} data)"),
            ("Sjekksum (SHA-256)", f"`{s.checksum}`"), ("Pakke", f"hpmt-rapport {__version__}"),
            ("Git-commit", f"`{commit}`"), ("Bygget", dt.date.today().isoformat())]
    for pkg in ("pandas", "numpy", "scipy", "statsmodels", "pingouin", "matplotlib", "seaborn", "tabulate"):
        try:
            rows.append((pkg, metadata.version(pkg)))
        except metadata.PackageNotFoundError:
            pass
    body = "\n".join(f"| {k} | {v} |" for k, v in rows)
    return f"| | |\n|---|---|\n{body}\n"


def colophon():
    print(colophon_markdown())
