"""What a chapter calls: one line per cell.

    from analysis import book
    R = book.setup(data_dir)        # the study's results (computed once, see analysis.store)
    book.notice()                    # synthetic-data notice (nothing for real data)
    book.show("tbl-aktivitet")       # a registered table or figure

A chapter displays the results that ``build`` computed for the data folder in use and the
package as it is now (:mod:`analysis.store`); it imports neither pandas nor matplotlib, so a
chapter's kernel does little more than start.
"""

from __future__ import annotations

import time

from .config import PROJECT_ROOT
from .freezer import adopt_render_env, marker
from .results import Inline
from .store import Stored, ensure

_STATE: dict = {}
#: when this kernel imported the package (a kernel Quarto keeps alive imports it once)
_IMPORTED = time.time()


class Numbers:
    """The inline numbers of the stored results: ``R["key"]`` is the formatted text."""

    def __init__(self, stored: Stored):
        self._stored = stored

    def __getitem__(self, key) -> Inline:
        return Inline(self._stored.text(key))

    def value(self, key):
        return self._stored.value(key)

    def __contains__(self, key) -> bool:
        return key in self._stored.numbers

    def __iter__(self):
        return iter(self._stored.numbers)

    def __len__(self) -> int:
        return len(self._stored.numbers)

    def keys(self):
        return self._stored.numbers.keys()


def setup(data_dir=None) -> Numbers:
    """The results for ``data_dir`` (or ``$HPMT_DATA``, or the bundled data), computed if needed.

    In a kernel that Quarto kept alive from an earlier render (``--execute-daemon``), the
    ``HPMT_*`` settings are first set to those of the render in progress (:mod:`analysis.freezer`)."""
    adopt_render_env(PROJECT_ROOT, _IMPORTED)
    stored = Stored(ensure(data_dir))
    _STATE["stored"] = stored
    return Numbers(stored)


def stored() -> Stored:
    if "stored" not in _STATE:
        setup()
    return _STATE["stored"]


NOTICE = (
    '::: {.callout-warning title="Syntetiske data"}\n'
    "Tallene i denne boken er regnet fra **syntetiske data** som er kalibrert til de publiserte "
    "aggregatene i sluttrapporten og artikkelen. De er ikke de ekte mikrodataene, som er konfidensielle. "
    "Se vedlegget om reproduksjon for hvilke publiserte tall som gjenskapes.\n"
    ":::\n"
)


def notice_markdown(synthetic: bool | None = None, where: str = "html") -> str:
    """The notice for synthetic data (nothing for real data).

    Every HTML page carries it (a reader may land on any page); the PDF, read from the front,
    carries it once, in the Sammendrag: ``where="html"`` (the chapters' setup cell) shows it in
    HTML only, ``where="pdf"`` (the Sammendrag) in every format except HTML."""
    synthetic = stored().synthetic if synthetic is None else synthetic
    if not synthetic:
        return ""
    if where == "all":
        return NOTICE
    visibility = {"html": "content-visible", "pdf": "content-hidden"}[where]
    return f':::: {{.{visibility} when-format="html"}}\n{NOTICE}::::\n'


def notice(where: str = "html"):
    """Print the synthetic-data notice (use in a cell with ``output: asis``); see :func:`notice_markdown`.

    It is preceded by an HTML comment with the key of the results shown (no text in either
    format), by which ``_postrender.py`` checks that every page shows the same results
    (:mod:`analysis.freezer`)."""
    print(marker(stored().folder.name))
    print()
    print(notice_markdown(where=where))


def show(label: str):
    """Display a stored output: a table as Markdown, a figure as its PNG."""
    from IPython.display import Image, Markdown, display

    s = stored()
    if label.startswith("tbl-"):
        return Markdown(s.table_markdown(label))
    md = figure_markdown(s, label)
    if md is not None:
        return Markdown(md)
    display(Image(filename=str(s.figure_path(label))))
    return None


def figure_markdown(s: Stored, label: str) -> str | None:
    """A figure whose alt text ``build`` computed, as a Markdown image with that alt text (None otherwise).

    Quarto takes a cell's ``fig-alt`` from the cell options, which are the same on all data; an image the
    cell outputs as Markdown carries its own ``fig-alt``, which Quarto puts on the figure in HTML and on
    the image in Typst.  The path starts with ``/``: Quarto reads it from the project folder, whatever
    the chapter's folder, and copies the file into the book.  A store outside the project (``HPMT_CACHE``)
    cannot be linked that way, and the figure keeps the cell's alt text."""
    from .config import PROJECT_ROOT

    alt = s.figure_alt(label)
    if alt is None:
        return None
    path = s.figure_path(label).resolve()
    try:
        rel = path.relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return None
    text = " ".join(alt.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'![](/{rel}){{fig-alt="{text}"}}'



def colophon_markdown(s: Stored | None = None) -> str:
    """Which data, code and versions produced this book."""
    import datetime as dt
    import subprocess
    from importlib import metadata

    from . import __version__
    from .config import PROJECT_ROOT

    s = s or stored()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip() or "ukjent"
    except (OSError, subprocess.SubprocessError):
        commit = "ukjent"
    rows = [("Data", f"`{s.meta['data_folder']}` ({'syntetiske' if s.synthetic else 'ekte'} data)"),
            ("Sjekksum (SHA-256)", f"`{s.meta['data_sha256']}`"), ("Pakke", f"hpmt-rapport {__version__}"),
            ("Resultatnøkkel", f"`{s.folder.name}`"),
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
