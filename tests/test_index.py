"""The index that lets a chapter compute only what it shows: current, and never able to
change a number (only to slow a chapter down when stale)."""

import pytest

from analysis import index, registry, results


def test_index_is_current(study):
    assert not index.sync(study, check=True), "analysis/index.json is stale: run `python -m analysis sync`"


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
    """A chapter with only tables imports neither matplotlib nor seaborn (together 0,5–1 s) — checked in a new process."""
    import subprocess
    import sys

    code = ("import sys\nfrom analysis import book\nR = book.setup()\nbook.show('tbl-kodebok')\nR['n_deltakere']\n"
            "print('seaborn' in sys.modules, 'statsmodels' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False"]


def test_theme_json_gives_exactly_the_seaborn_theme():
    """Figures are styled from analysis/theme.json; the result must be seaborn's theme plus the
    project's settings, key for key (checked in a new process, so no earlier test's rcParams leak in)."""
    import subprocess
    import sys

    code = """
import matplotlib as mpl
mpl.use("Agg")
import sys
import matplotlib.pyplot as plt
from analysis import theme
with mpl.rc_context():
    theme.apply()
    got = dict(mpl.rcParams)
    fig, ax = plt.subplots()
    ax.errorbar([1, 2], [1, 2], xerr=[0.1, 0.2])
    fig.savefig(__import__("io").BytesIO(), format="png")
assert 'seaborn' not in sys.modules
with mpl.rc_context():
    theme._seaborn_theme()
    want = dict(mpl.rcParams)
diff = sorted(k for k in set(want) | set(got) if str(want.get(k)) != str(got.get(k)))
print(diff)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
    from analysis import theme

    assert not theme.sync(check=True), "analysis/theme.json is stale: run `python -m analysis sync`"


def test_figures_do_not_import_seaborn():
    import subprocess
    import sys

    code = ("import sys\nfrom analysis import book\nR = book.setup()\nbook.show('fig-fe-antall')\n"
            "print('seaborn' in sys.modules, 'scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1].split()[0] == "False"


def test_stale_index_entry_falls_back_to_every_provider(study, monkeypatch):
    """An index that names a provider which no longer exists (code moved) costs time, not a crash."""
    from analysis import index, results

    monkeypatch.setattr(index, "number_provider", lambda key: "outputs.finnes_ikke:provider")
    R = results.Results(study)
    assert R.value("n_kontor") == len(study.offices)
