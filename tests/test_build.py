import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from analysis import registry

ROOT = Path(__file__).resolve().parent.parent


def test_build_writes_every_output(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--out", str(out), "--svg"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for label, o in registry.load_all().items():
        if o.kind == "table":
            assert (out / "tables" / f"{label}.csv").exists() and (out / "tables" / f"{label}.md").exists()
        else:
            assert (out / "figures" / f"{label}.png").stat().st_size > 5000
            assert (out / "figures" / f"{label}.svg").exists()
    numbers = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert numbers["meta"]["synthetic"] is True
    assert numbers["meta"]["ikke_beregnet"] == {}  # the bundled data need no «kan ikke beregnes» placeholder
    assert numbers["numbers"]["rapport_tab6_tiltak_deltid_pct"]["text"] == "19,0"
    repro = pd.read_csv(out / "reproduction.csv")
    assert list(repro.columns[:6]) == ["source", "item", "published", "computed", "status", "note"]
    assert set(repro["status"]) <= {"match", "differs", "not-computable"}


def test_build_refuses_invalid_data_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(ROOT / "data", bad)
    text = (bad / "offices.csv").read_text(encoding="utf-8").replace("tiltak", "kontroll", 1)
    (bad / "offices.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--data", str(bad), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "offices.csv:3: kolonne 'arm' verdi 'kontroll' — ikke én av tiltak, sammenligning" in proc.stderr  # office 2 is the first tiltak row
    assert not out.exists()


def test_environment_variable_selects_data(tmp_path):
    import os

    env = dict(os.environ, HPMT_DATA=str(tmp_path / "nowhere"))
    proc = subprocess.run([sys.executable, "-m", "analysis", "validate"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "datamappa finnes ikke" in proc.stdout


def test_parallel_build_equals_serial_build(tmp_path):
    """The worker pool changes nothing: every file is byte-identical to a one-process build."""
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--out", str(out), "--jobs", str(jobs)],
                              cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert f"({jobs} prosess" in proc.stdout
        outs[jobs] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert outs[1].keys() == outs[2].keys()
    assert not any(p.suffix == ".svg" for p in outs[1]), "SVG only with --svg"
    assert [p for p in outs[1] if outs[1][p] != outs[2][p]] == []


def test_a_failing_output_in_a_worker_writes_nothing(tmp_path, monkeypatch):
    from analysis import build as build_mod
    from analysis.registry import REGISTRY, Output

    def broken(study):
        raise RuntimeError("deliberately broken output")

    registry.load_all()
    monkeypatch.setitem(REGISTRY, "tbl-zz-broken", Output("tbl-zz-broken", "table", "x", "index", broken))
    out = tmp_path / "out"
    import pytest

    with pytest.raises(RuntimeError, match="deliberately broken"):
        build_mod.build(out=str(out), jobs=2)
    assert list(tmp_path.iterdir()) == []  # neither OUT nor the private temporary folder
