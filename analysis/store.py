"""The study's results, computed once per render and reused by every chapter and format.

Quarto executes each chapter once per output format (HTML and Typst), each in a new
Jupyter kernel.  Instead of recomputing the study in every kernel, the results of one
``build`` (tables as Markdown, figures as PNG, the inline numbers as JSON) are kept in a
folder named by a **key**: a SHA-256 over

* every file of the data folder in use (name and bytes),
* every source file of the package ``analysis`` (code, codebook, published values),
* the ``HPMT_*`` settings that change results (e.g. the disclosure thresholds),
* the versions of Python and of the libraries that compute the numbers.

A chapter computes the key (milliseconds: this module imports only the standard library)
and displays the stored results for it; when there are none, it runs ``build`` once, in a
separate process, and stores them.  Any change to the data or the package gives a new key,
so the book can never show results of other data or other code: the store is a cache that
cannot be stale.  Quarto's ``pre-render`` step (``_quarto.yml``) fills it before the
chapters run, on all cores.  Old keys are pruned; ``make clean`` removes the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .config import PROJECT_ROOT, data_dir

#: where the results are kept (git-ignored); ``HPMT_CACHE`` moves it
DEFAULT_ROOT = PROJECT_ROOT / ".hpmt-cache"
#: libraries whose version can change a number or a figure
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "pingouin", "matplotlib", "seaborn", "tabulate")
#: settings read by the package that are not the data folder itself
IGNORED_ENV = ("HPMT_DATA", "HPMT_CACHE")
#: how many keys are kept (the newest); older ones are removed when a new one is stored
KEEP = 4
#: the file whose presence says a stored folder is complete (written last)
MANIFEST = "results.json"
PACKAGE = Path(__file__).resolve().parent


def root() -> Path:
    env = os.environ.get("HPMT_CACHE", "").strip()
    return Path(env).expanduser().resolve() if env else DEFAULT_ROOT


def _files(folder: Path):
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            yield p


def _versions() -> list[str]:
    from importlib import metadata

    out = [sys.version]
    for lib in LIBRARIES:
        try:
            out.append(f"{lib}=={metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            out.append(f"{lib}: none")
    return out


def key(data: str | os.PathLike | None = None) -> str:
    """The key of the results for this data folder, package and environment."""
    folder = data_dir(data)
    h = hashlib.sha256()
    h.update(str(folder).encode())
    for base, tag in ((folder, "data"), (PACKAGE, "analysis")):
        if not base.is_dir():
            h.update(f"{tag}: missing".encode())
            continue
        for p in _files(base):
            h.update(f"\0{tag}/{p.relative_to(base).as_posix()}\0".encode())
            h.update(p.read_bytes())
    for name in sorted(os.environ):
        if name.startswith("HPMT_") and name not in IGNORED_ENV:
            h.update(f"\0{name}={os.environ[name]}".encode())
    for line in _versions():
        h.update(f"\0{line}".encode())
    return h.hexdigest()[:20]


def lookup(k: str) -> Path | None:
    folder = root() / k
    return folder if (folder / MANIFEST).is_file() else None


class _Lock:
    """An exclusive lock on the store (POSIX), so that two renders build a key once."""

    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+")
        try:
            import fcntl

            fcntl.flock(self.fh, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: no lock, builds still write atomically
            pass
        return self

    def __exit__(self, *exc):
        self.fh.close()


def ensure(data: str | os.PathLike | None = None, jobs: int | None = None, quiet: bool = True) -> Path:
    """The folder with the stored results for ``data``; computes them first when missing.

    The build runs in a new Python process (the chapter's kernel imports none of the
    statistics libraries); invalid data stop it with the validator's message."""
    k = key(data)
    found = lookup(k)
    if found is not None:
        return found
    with _Lock(root() / ".lock"):
        found = lookup(k)  # built by another render while we waited
        if found is not None:
            return found
        target = root() / k
        tmp = root() / f".{k}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        cmd = [sys.executable, "-m", "analysis", "build", "--data", str(data_dir(data)), "--out", str(tmp)]
        if jobs is not None:
            cmd += ["--jobs", str(jobs)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                                  [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)))
        if proc.returncode != 0 or not (tmp / MANIFEST).is_file():
            shutil.rmtree(tmp, ignore_errors=True)
            raise RuntimeError(f"Resultatene kunne ikke beregnes fra {data_dir(data)}:\n"
                               f"{(proc.stderr or proc.stdout).strip()[-4000:]}")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
        _prune(keep=k)
        if not quiet:
            seconds = f"{time.perf_counter() - t0:.1f}".replace(".", ",")
            print(f"resultater beregnet på {seconds} s: {target}", file=sys.stderr)
        return target


def _prune(keep: str) -> None:
    entries = [p for p in root().iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != keep]
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for p in entries[KEEP - 1:]:
        shutil.rmtree(p, ignore_errors=True)


class Stored:
    """The results of one key as the chapters use them (no pandas, no matplotlib)."""

    def __init__(self, folder: Path):
        self.folder = folder
        payload = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        self.meta = payload["meta"]
        self.numbers = payload["numbers"]

    @property
    def synthetic(self) -> bool:
        return bool(self.meta.get("synthetic"))

    def text(self, key: str) -> str:
        try:
            return self.numbers[key]["text"]
        except KeyError:
            raise KeyError(f"ukjent tall i teksten: {key!r} (ingen leverandør i pakken lager det)") from None

    def value(self, key: str):
        self.text(key)
        return self.numbers[key]["value"]

    def table_markdown(self, label: str) -> str:
        """The table's Markdown as ``build`` wrote it, without the caption line (the cell has it)."""
        path = self.folder / "tables" / f"{label}.md"
        if not path.is_file():
            raise KeyError(f"ingen tabell {label!r} i resultatene")
        body = path.read_text(encoding="utf-8").rstrip("\n")
        head, sep, last = body.rpartition("\n\n")
        return head if sep and last.startswith(": ") and last.endswith(f"{{#{label}}}") else body

    def figure_path(self, label: str) -> Path:
        path = self.folder / "figures" / f"{label}.png"
        if not path.is_file():
            raise KeyError(f"ingen figur {label!r} i resultatene")
        return path

    def figure_alt(self, label: str) -> str | None:
        """The alt text ``build`` computed for the figure from these data (None: the cell's fixed one)."""
        path = self.folder / "figures" / f"{label}.alt.txt"
        return path.read_text(encoding="utf-8").strip() if path.is_file() else None
