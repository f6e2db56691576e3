"""The benchmark runs from one command and reports every measure against its target.

The targets themselves depend on the machine, so this test checks that each figure is
measured and reported (and written to JSON), not that this machine meets them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_reports_every_measure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "benchmarks/run.py", "--repeat", "1", "--scales", "0.2",
                           "--chapters", "vedlegg-kolofon", "--no-render", "--json", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode in (0, 1), proc.stderr  # 1 = a target missed on this machine, still a full report
    text = proc.stdout
    for measure in ("import floor", "cold build", "chapter vedlegg-kolofon", "scale ×0.2: simulate + build", "targets met"):
        assert measure in text, text
    assert "≤ 1.5 × floor" in text and "≤ 3 s" in text
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["floor_s"] > 0 and res["build_s"] > 0
    assert res["chapters"][0]["chapter"] == "vedlegg-kolofon" and res["chapters"][0]["execution_s"] > 0
    assert res["scales"][0]["simulate_peak_mb"] > 50
