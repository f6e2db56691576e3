"""The output folder of ``build``: which folders it may replace, and how it replaces them.

``build`` writes into a private temporary folder next to OUT and swaps it in at the end, so a
reader (or a second build) sees either the old complete OUT or the new complete OUT. It may
replace only a folder it made itself: every build writes the marker file :data:`MARKER` listing
the files it wrote, and a folder is replaced only when everything in it is on that list. Anything
else is refused, with a Norwegian message, before any computing:

- OUT is a file, or a symbolic link;
- OUT is the project root or contains it, or is the data folder in use or contains it;
- OUT is a non-empty folder without the marker (files an author put there), or a marked folder
  with files the build did not write.

An output folder from before the marker existed (only registered tables and figures,
``results.json`` and ``reproduction.csv``) is recognised as the build's own.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .config import PROJECT_ROOT

MARKER = ".hpmt-build"
_HEADER = "# Laget av «python -m analysis build». Mappa erstattes av neste build; filene under er de build skrev.\n"
_LEGACY_TOP = {"tables", "figures", "results.json", "reproduction.csv"}


class OutputFolderError(Exception):
    """OUT may not be written (the message is for the user, in Norwegian)."""


def _entries(folder: Path) -> set[str]:
    """Every file, link and folder below ``folder``, as relative POSIX paths (links not followed)."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        rel = Path(dirpath).relative_to(folder)
        for name in dirnames + filenames:
            found.add((rel / name).as_posix())
    return found


def _listed(folder: Path) -> set[str] | None:
    """The files the marker in ``folder`` lists (None: no marker)."""
    marker = folder / MARKER
    if not marker.is_file() or marker.is_symlink():
        return None
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    return {ln.rstrip("/") for ln in lines if ln and not ln.startswith("#")}


def _legacy(folder: Path, entries: set[str]) -> bool:
    """An output folder from a build before the marker: registered outputs and the two files only."""
    from . import registry

    if not {e.split("/", 1)[0] for e in entries} <= _LEGACY_TOP or "results.json" not in entries:
        return False
    try:
        meta = json.loads((folder / "results.json").read_text(encoding="utf-8"))["meta"]
        if "data_sha256" not in meta:
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    labels = registry.load_all()
    for e in entries - _LEGACY_TOP:
        top, _, name = e.partition("/")
        stem, _, ext = name.rpartition(".")
        kind = {"tables": "table", "figures": "figure"}[top]
        exts = ("csv", "md") if kind == "table" else ("png", "svg")
        if "/" in name or ext not in exts or stem not in labels or labels[stem].kind != kind:
            return False
    return True


def _own(folder: Path) -> tuple[bool, list[str]]:
    """Is ``folder`` an output folder build made (and nothing else is in it)? Also the strangers."""
    entries = _entries(folder)
    if not entries:
        return True, []
    listed = _listed(folder)
    if listed is None:
        return _legacy(folder, entries), sorted(entries)[:5]
    strangers = sorted(entries - listed - {MARKER})
    return not strangers, strangers[:5]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check(out: str | os.PathLike, data: Path) -> Path:
    """The absolute OUT, if ``build`` may write it; else :class:`OutputFolderError`."""
    given = Path(out).expanduser()
    path = Path(os.path.abspath(given))
    if path.is_symlink():
        raise OutputFolderError(f"Utdatamappa {given} er en symbolsk lenke; build skriver bare til en vanlig mappe. "
                                "Velg en annen --out.")
    if path.exists() and not path.is_dir():
        raise OutputFolderError(f"Utdatamappa {given} er en fil, ikke en mappe; build erstatter den ikke. "
                                "Velg en annen --out.")
    real = path.resolve()
    root, data = PROJECT_ROOT.resolve(), Path(data).resolve()
    if _inside(root, real):
        raise OutputFolderError(f"Utdatamappa {given} er prosjektmappa (eller en mappe over den); build ville "
                                "erstatte hele prosjektet. Velg en egen mappe, for eksempel _output.")
    if _inside(data, real):
        raise OutputFolderError(f"Utdatamappa {given} er datamappa som brukes ({data}), eller inneholder den; "
                                "build ville slette dataene. Velg en annen --out.")
    if path.is_dir():
        own, strangers = _own(path)
        if not own:
            listing = ", ".join(strangers)
            raise OutputFolderError(
                f"Utdatamappa {given} inneholder filer som build ikke har laget ({listing}"
                f"{', …' if len(strangers) == 5 else ''}); build erstatter bare en mappe den har laget selv "
                f"(med filen {MARKER}). Flytt filene, eller velg en annen --out.")
    return path


def make_tmp(out: Path) -> Path:
    """A private, empty temporary folder next to OUT (same file system, so the swap is a rename)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as err:
        raise OutputFolderError(f"Kan ikke lage en midlertidig mappe ved siden av {out}: {err.strerror or err}") from None


def write_marker(tmp: Path) -> None:
    written = sorted(e + ("/" if (tmp / e).is_dir() else "") for e in _entries(tmp))  # folders end in /
    (tmp / MARKER).write_text(_HEADER + "".join(f"{f}\n" for f in written), encoding="utf-8")


def swap(tmp: Path, out: Path, tries: int = 20) -> None:
    """Put the finished ``tmp`` in place of OUT. A concurrent build may swap in between; then its
    complete folder is moved aside in turn, so OUT is always one build's complete output."""
    for _ in range(tries):
        try:
            os.rename(tmp, out)  # succeeds when OUT is missing or an empty folder
            return
        except FileNotFoundError:
            raise
        except OSError:
            pass
        own, _strangers = _own(out) if out.is_dir() and not out.is_symlink() else (False, [])
        if not own:
            shutil.rmtree(tmp, ignore_errors=True)
            raise OutputFolderError(f"Utdatamappa {out} ble endret mens build regnet (den inneholder nå filer som "
                                    "build ikke har laget); ingenting er erstattet.")
        aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        try:
            os.replace(out, aside)  # onto the empty folder we just made
        except FileNotFoundError:
            aside.rmdir()  # another build moved it aside first; try again
            continue
        shutil.rmtree(aside, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    raise OutputFolderError(f"Utdatamappa {out} ble erstattet av andre build-er hele tiden; prøv igjen.")
