"""Whatever ``validate`` accepts, ``build`` turns into a complete output folder: an estimate the data
cannot support says «kan ikke beregnes» (Norwegian) instead of stopping the build with a traceback."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import registry
from analysis.data import load_schema, validate

ROOT = Path(__file__).resolve().parent.parent


def _only_offices(src: Path, dst: Path, offices) -> None:
    """A copy of the data package with only ``offices``, and every row that refers to a removed one dropped."""
    shutil.copytree(src, dst)
    schema = load_schema()
    frames = {r["name"]: pd.read_csv(dst / r["path"], dtype=str, keep_default_na=False) for r in schema["resources"]}
    frames["offices"] = frames["offices"][frames["offices"]["office_id"].isin([str(o) for o in offices])]
    for _ in range(3):  # foreign keys two levels deep (office -> caseworker -> survey answers)
        for r in schema["resources"]:
            for fk in r["schema"].get("foreignKeys", []):
                col, ref = fk["fields"][0], fk["reference"]
                keep = set(frames[ref["resource"]][ref["fields"][0]])
                f = frames[r["name"]]
                frames[r["name"]] = f[(f[col] == "") | f[col].isin(keep)]
    for r in schema["resources"]:
        frames[r["name"]].to_csv(dst / r["path"], index=False)


def _two_offices(d: Path) -> None:
    _only_offices(ROOT / "data", d, [1, 2])  # office 1: sammenligning, office 2: tiltak


def _t2_outcomes_blank(d: Path) -> None:
    shutil.copytree(ROOT / "data", d)
    t2 = pd.read_csv(d / "participant_t2.csv", dtype=str, keep_default_na=False)
    for col in ("household_income", "mestring_t2", "alliance_t2"):  # every optional T2 outcome
        t2[col] = ""
    t2.to_csv(d / "participant_t2.csv", index=False)


def _four_offices(d: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "analysis", "simulate", "--out", str(d), "--offices", "4"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def _chapter_keys() -> set[str]:
    keys = set()
    for qmd in sorted((ROOT / "chapters").glob("*.qmd")) + [ROOT / "index.qmd"]:
        keys |= set(re.findall(r'R\["([^"]+)"\]', qmd.read_text(encoding="utf-8")))
    return keys


@pytest.mark.parametrize("make", [_two_offices, _t2_outcomes_blank, _four_offices])
def test_valid_thin_data_give_a_complete_build(tmp_path, make):
    data, out = tmp_path / "data", tmp_path / "out"
    make(data)
    assert validate(data) == []
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out),
                           "--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    for label, o in registry.load_all().items():
        ext = ("md", "csv") if o.kind == "table" else ("png",)
        for e in ext:
            assert (out / ("tables" if o.kind == "table" else "figures") / f"{label}.{e}").is_file(), label
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    numbers, failed = payload["numbers"], payload["meta"]["ikke_beregnet"]
    assert failed, "these data were chosen because some estimate cannot be made"
    assert [k for k in _chapter_keys() if k not in numbers] == []  # every number a chapter prints exists
    for what in failed:
        assert "kan ikke beregnes med disse dataene: " + what in proc.stderr
        if what.startswith("tbl-"):
            assert "kan ikke beregnes" in (out / "tables" / f"{what}.md").read_text(encoding="utf-8")
    unavailable = [k for k, v in numbers.items() if v["text"] == "kan ikke beregnes"]
    assert unavailable and all(numbers[k]["value"] is None for k in unavailable)
