"""Where each output and inline number is defined, so a chapter imports and computes only
what it shows.

``analysis/index.json`` maps every Quarto label to the output module that registers it and
every inline-number key to the provider that makes it.  It is generated from the code and
the bundled data by ``python -m analysis sync`` and checked by a test, like the captions.
The index only decides what runs first: a label or key it does not know makes the
registry import every module, or every provider run, so a stale index can slow a chapter
down but never change a number.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

INDEX_PATH = Path(__file__).resolve().parent / "index.json"


@lru_cache(maxsize=1)
def _index() -> dict:
    """``{"outputs": {label: module}, "numbers": {key: provider}}`` (stored grouped by provider)."""
    try:
        raw = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"outputs": {}, "numbers": {}}
    numbers = {key: name for name, keys in raw.get("numbers", {}).items() for key in keys}
    return {"outputs": raw.get("outputs", {}), "numbers": numbers}


def output_module(label: str) -> str | None:
    return _index()["outputs"].get(label)


def number_provider(key: str) -> str | None:
    return _index()["numbers"].get(key)


def provider_keys(name: str) -> list[str]:
    """The keys the provider ``name`` makes on the bundled data (for a provider that cannot run)."""
    return [key for key, prov in _index()["numbers"].items() if prov == name]


def build_index(study) -> dict:
    """The index as the code and the given data define it."""
    from . import results
    from .registry import load_all

    outputs = {lb: o.func.__module__.removeprefix("analysis.") for lb, o in sorted(load_all().items())}
    origins = results.Results(study).origins()
    numbers: dict[str, list[str]] = {}
    for key, name in sorted(origins.items()):
        if key not in results.REPRO_KEYS:
            numbers.setdefault(name, []).append(key)
    return {"outputs": outputs, "numbers": dict(sorted(numbers.items()))}


def render(index: dict) -> str:
    """One label or provider per line, keys in one sorted list each: small diffs in review."""
    lines = ["{", '"outputs": {']
    lines += [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in index["outputs"].items()]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["},", '"numbers": {']
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in index["numbers"].items()]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


def sync(study, check: bool = False) -> bool:
    """Rewrite the index if it differs (with ``check``, only compare); True when it was stale."""
    from .config import update_file

    stale = update_file(INDEX_PATH, render(build_index(study)), check)
    if stale and not check:
        _index.cache_clear()
    return stale
