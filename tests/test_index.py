"""The index that lets a chapter compute only what it shows: current, and never able to
change a number (only to slow a chapter down when stale)."""

import pytest

from analysis import index, registry, results
from analysis.data import load


def test_index_is_current(study):
    assert index.sync(study, check=True), "analysis/index.json is stale: run `python -m analysis index`"


def test_a_key_runs_only_its_provider(study):
    R = results.Results(study)
    name = index.number_provider("n_deltakere")
    assert name is not None
    R["n_deltakere"]
    assert R._ran == {name}


def test_lazy_values_equal_the_complete_run(study):
    full = results.Results(study).complete()
    by_provider = {}
    for key, name in full.origins().items():
        by_provider.setdefault(name, key)
    for name, key in by_provider.items():
        if name == "reproduction":
            continue
        lazy = results.Results(study)
        assert lazy[key] == full[key], key
        assert lazy._ran == {name}


def test_stale_index_falls_back_to_every_provider(study, monkeypatch):
    monkeypatch.setattr(index, "number_provider", lambda key: None)
    R = results.Results(study)
    assert R["n_deltakere"] == results.Results(study).complete()["n_deltakere"]
    assert len(R._ran) == len(results.PROVIDERS)
    with pytest.raises(KeyError, match="no inline number"):
        R["finnes_ikke"]


def test_wrong_index_entry_still_finds_the_key(study, monkeypatch):
    monkeypatch.setattr(index, "number_provider", lambda key: "outputs.appendix:validation_numbers")
    R = results.Results(study)
    assert R["n_deltakere"] == results.compute(study)["n_deltakere"]


def test_output_label_imports_its_module_from_the_index():
    for label, module in index._index()["outputs"].items():
        assert registry.get(label).func.__module__ == "analysis." + module


def test_tables_do_not_apply_the_figure_theme(tmp_path):
    """A chapter with only tables must not import seaborn (0,3–0,7 s) — checked in a new process."""
    import subprocess
    import sys

    code = ("import sys\nfrom analysis import book\nR = book.setup()\nbook.show('tbl-kodebok')\nR['n_deltakere']\n"
            "print('seaborn' in sys.modules, 'statsmodels' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
