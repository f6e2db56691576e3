"""``build --out``: it replaces only a folder it made itself, refuses everything else before
computing (exit 2, Norwegian message), and concurrent builds never share a temporary folder."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import outdir

ROOT = Path(__file__).resolve().parent.parent
ONE = "tbl-kontor-skalaer"  # one table: a build of it takes a few seconds


def run_build(*args, **kw):
    return subprocess.run([sys.executable, "-m", "analysis", "build", "--jobs", "1", *args], cwd=ROOT,
                          capture_output=True, text=True, **kw)


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_complete(out: Path, labels=(ONE,)) -> None:
    listed = outdir._listed(out)
    assert listed is not None, "no marker"
    files = {p for p in tree(out) if p != outdir.MARKER}
    assert files | {"tables", "figures"} == listed
    expect = {"results.json", "reproduction.csv"} | {f"tables/{lb}.{e}" for lb in labels for e in ("csv", "md")}
    assert expect <= files
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["numbers"]


def test_refuses_the_data_folder_in_use(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = tree(data)
    t0 = time.perf_counter()
    proc = run_build("--data", str(data), "--out", str(data), "--only", ONE)
    assert proc.returncode == 2, proc.stderr
    assert "datamappa som brukes" in proc.stderr and "Traceback" not in proc.stderr
    assert tree(data) == before
    assert time.perf_counter() - t0 < 5  # refused before the computing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no temporary folder left


def test_refuses_a_folder_that_contains_the_data(tmp_path):
    data = tmp_path / "proj" / "mydata"
    shutil.copytree(ROOT / "data", data)
    proc = run_build("--data", str(data), "--out", str(tmp_path / "proj"), "--only", ONE)
    assert proc.returncode == 2 and "datamappa" in proc.stderr
    assert (data / "datapackage.yaml").is_file()


def test_refuses_the_project_root(tmp_path, monkeypatch):
    """On a stand-in project root (the real one is not put at risk by a failing test)."""
    from analysis import build as build_mod

    fake = tmp_path / "proj"
    (fake / "chapters").mkdir(parents=True)
    (fake / "chapters" / "x.qmd").write_text("tekst", encoding="utf-8")
    (fake / outdir.MARKER).write_text("# marked, so only the root rule can refuse it\nchapters/x.qmd\n")
    monkeypatch.setattr(outdir, "PROJECT_ROOT", fake)
    with pytest.raises(outdir.OutputFolderError, match="prosjektmappa"):
        build_mod.build(out=fake, only=[ONE], jobs=1)
    with pytest.raises(outdir.OutputFolderError, match="prosjektmappa"):
        outdir.check(tmp_path, ROOT / "data")  # a folder above the root contains it
    assert (fake / "chapters" / "x.qmd").read_text(encoding="utf-8") == "tekst"


def test_refuses_a_folder_with_files_it_did_not_make(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notater.txt").write_text("mine notater", encoding="utf-8")
    proc = run_build("--out", str(out), "--only", ONE)
    assert proc.returncode == 2 and "notater.txt" in proc.stderr and "ikke har laget" in proc.stderr
    assert tree(out) == {"notater.txt": "mine notater".encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_a_file(tmp_path):
    out = tmp_path / "out"
    out.write_text("en fil", encoding="utf-8")
    proc = run_build("--out", str(out), "--only", ONE)
    assert proc.returncode == 2 and "er en fil" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == "en fil"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_replaces_its_own_folder_but_not_one_an_author_added_to(tmp_path):
    out = tmp_path / "out"
    proc = run_build("--out", str(out), "--only", ONE)
    assert proc.returncode == 0, proc.stderr
    assert_complete(out)
    (out / "tables" / "gammel.csv").write_text("x", encoding="utf-8")  # not on the marker's list
    assert outdir._own(out) == (False, ["tables/gammel.csv"])
    with pytest.raises(outdir.OutputFolderError, match="gammel.csv"):
        outdir.check(out, ROOT / "data")
    (out / "tables" / "gammel.csv").unlink()
    assert outdir.check(out, ROOT / "data") == out  # its own folder again: may be replaced


def test_a_folder_from_before_the_marker_is_recognised(tmp_path):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "figures").mkdir()
    (out / "results.json").write_text(json.dumps({"meta": {"data_sha256": "0"}, "numbers": {}}), encoding="utf-8")
    (out / "tables" / f"{ONE}.csv").write_text("a\n1\n", encoding="utf-8")
    assert outdir.check(out, ROOT / "data") == out
    (out / "tables" / "tbl-finnes-ikke.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(outdir.OutputFolderError):
        outdir.check(out, ROOT / "data")


def test_two_builds_into_one_folder_each_complete(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "analysis", "build", "--jobs", "1", "--out", str(out), "--only", ONE]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for rc, err in results:
        assert rc in (0, 2), err
        assert "Traceback" not in err
    assert any(rc == 0 for rc, _ in results)
    assert_complete(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary or old folder left


def test_sigterm_leaves_no_temporary_folder(tmp_path):
    import signal

    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "build", "--jobs", "2", "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(timeout=60)
    assert rc != 0
    assert list(tmp_path.iterdir()) == []
