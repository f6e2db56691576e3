"""Performance benchmark for hpmt-rapport: one command, every figure against its target.

    .venv/bin/python benchmarks/run.py            # or: make bench
    .venv/bin/python benchmarks/run.py --repeat 5 --json bench.json

What is measured (wall-clock times of fresh processes; medians over ``--repeat`` runs):

* **Import floor** – starting Python and importing the libraries the build needs
  (pandas, seaborn, pingouin, statsmodels, matplotlib).  Times are reported as ratios to
  this floor, so the speed of the machine cancels out.
* **Cold build** – ``python -m analysis build`` of every table, figure, inline number and the
  reproduction table from the bundled data, in a new process.  Target: ≤ 1.5 × floor.
* **Chapters** – each chapter's code cells and inline expressions, executed in order in a fresh
  Jupyter kernel as Quarto's Jupyter engine does (``--repeat`` times; median).  The kernel's
  own start (until it answers) is timed separately; the execution after it must stay ≤ 3 s
  per chapter.  It is also shown as a ratio to the floor, to compare across machines.
* **Render** – the whole book with Quarto, cold and against its floor, and one chapter after a
  prose edit (``benchmarks/render.py``; when ``quarto`` is on PATH, unless ``--no-render``).
  Targets: cold ≤ 1.3 × the Quarto floor, one chapter ≤ 0.2 × the cold render.
* **Scale** – ``simulate`` + ``build`` at ``--scale 1``, ``10`` and ``100``.  Target: the time at
  ×100 is under 10 × the time at ×1, and peak memory stays under 1 GB (the highest total of
  a command's process and its build workers, counting shared pages once).

Exit status is 0 when every target is met and 1 otherwise, so the script can gate a CI job.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR_IMPORTS = "import pandas, seaborn, pingouin, statsmodels.api, matplotlib.pyplot"
TARGET_BUILD_RATIO = 1.5
TARGET_CHAPTER_S = 3.0
TARGET_SCALE_RATIO = 10.0
TARGET_PEAK_MB = 1024.0


def _tree_memory_mb(pid: int) -> float:
    """Memory of a process and all its children now, in MB: the sum of proportional set sizes
    (PSS, so pages that forked workers share are counted once) where the OS reports it,
    else the sum of resident set sizes (an upper bound)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for p in procs:
        try:
            info = p.memory_full_info() if hasattr(psutil.Process, "memory_full_info") else p.memory_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:
            pass
    return total / 2**20


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Run a command in a new process; return ``(wall seconds, peak memory in MB)``.

    Peak memory is the highest total of the process and its worker processes, sampled every
    50 ms (see :func:`_tree_memory_mb`), and never less than the largest single process's
    peak resident set as the OS reports it at exit (``wait4``)."""
    import threading

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = [0.0]
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            peak_tree[0] = max(peak_tree[0], _tree_memory_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read().decode("utf-8", "replace")  # until the command closes it (at exit)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss: kilobytes on Linux, bytes on macOS
        single = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    else:  # pragma: no cover - Windows: no rusage
        proc.wait()
        wall, single = time.perf_counter() - t0, 0.0
    done.set()
    sampler.join()
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, max(peak_tree[0], single)


def median_run(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, float]:
    runs = [run(cmd, env) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), max(p for _, p in runs)


def chapter_times(paths: list[Path], env: dict, cells: bool = False) -> list[dict]:
    """Execute each chapter in a fresh kernel; time the kernel start and the execution apart."""
    import nbformat
    from nbclient import NotebookClient

    from analysis import qmd

    out = []
    for path in paths:
        nb = qmd.notebook_for(qmd.expand(path))
        nb.cells.append(nbformat.v4.new_code_cell(
            "import resource as _r, sys as _s\n"
            "print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if _s.platform == 'darwin' else 1024))"))
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
        t0 = time.perf_counter()
        with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):  # the kernel gets exactly env
            t1 = time.perf_counter()
            per_cell = []
            for i, cell in enumerate(nb.cells[:-1]):
                tc = time.perf_counter()
                client.execute_cell(cell, i)
                per_cell.append((cell.metadata.get("label") or f"cell {i + 1}", time.perf_counter() - tc))
            t2 = time.perf_counter()
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
        peak = float("".join(o.get("text", "") for o in nb.cells[-1].outputs).strip() or "nan")
        out.append({"chapter": path.stem, "kernel_start_s": t1 - t0, "execution_s": t2 - t1, "peak_mb": peak,
                    "cells": per_cell})
        if cells:
            for label, secs in per_cell:
                print(f"    {label:<40} {secs:6.2f} s")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per timed command (median; default 3)")
    ap.add_argument("--scales", default="1,10,100", help="scales for simulate + build (default 1,10,100)")
    ap.add_argument("--chapters", default="all", help="comma-separated chapter stems, 'all' or 'none'")
    ap.add_argument("--cells", action="store_true", help="also print each chapter cell's time")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--no-render", action="store_true", help="skip the Quarto render timings")
    a = ap.parse_args(argv)
    py = sys.executable
    env = dict(os.environ)
    env.pop("HPMT_DATA", None)
    rows: list[tuple[str, str, str, bool | None]] = []  # (measure, value, target, ok)
    res: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                             "cpus": os.cpu_count()}}

    def line(measure, value, target="", ok=None):
        rows.append((measure, value, target, ok))
        mark = "" if ok is None else ("  ok" if ok else "  MISSED")
        print(f"{measure:<36} {value:>44}   {target}{mark}", flush=True)

    print(f"hpmt-rapport benchmark · Python {platform.python_version()} · {os.cpu_count()} CPU(s)\n")
    tmp = Path(tempfile.mkdtemp(prefix="hpmt-bench-"))
    try:
        floor, floor_mb = median_run([py, "-c", FLOOR_IMPORTS], a.repeat, env)
        res["floor_s"] = floor
        line("import floor (Python + libraries)", f"{floor:.2f} s  {floor_mb:.0f} MB")

        build_s, build_mb = median_run([py, "-m", "analysis", "build", "--out", str(tmp / "out1")], a.repeat, env)
        res["build_s"], res["build_peak_mb"] = build_s, build_mb
        line("cold build, bundled data", f"{build_s:.2f} s = {build_s / floor:.2f} × floor",
             f"≤ {TARGET_BUILD_RATIO} × floor", build_s / floor <= TARGET_BUILD_RATIO)
        line("  peak memory", f"{build_mb:.0f} MB")

        if a.chapters != "none":
            from analysis.captions import chapter_files

            paths = chapter_files()
            if a.chapters != "all":
                wanted = set(a.chapters.split(","))
                paths = [p for p in paths if p.stem in wanted]
            runs = [chapter_times(paths, env, a.cells and i == 0) for i in range(a.repeat)]
            res["chapters"] = [
                {"chapter": rs[0]["chapter"],
                 "kernel_start_s": statistics.median(r["kernel_start_s"] for r in rs),
                 "execution_s": statistics.median(r["execution_s"] for r in rs),
                 "peak_mb": max(r["peak_mb"] for r in rs), "runs_s": [r["execution_s"] for r in rs], "cells": rs[0]["cells"]}
                for rs in zip(*runs)]
            for c in res["chapters"]:
                line(f"chapter {c['chapter']}",
                     f"{c['execution_s']:.2f} s = {c['execution_s'] / floor:.2f} × floor (+ kernel {c['kernel_start_s']:.2f} s)",
                     f"≤ {TARGET_CHAPTER_S:g} s", c["execution_s"] <= TARGET_CHAPTER_S)
            if res["chapters"]:
                total = sum(c["execution_s"] for c in res["chapters"])
                worst = max(c["peak_mb"] for c in res["chapters"])
                line("  all chapters, execution", f"{total:.1f} s = {total / floor:.1f} × floor")
                line("  peak memory of any kernel", f"{worst:.0f} MB")

        quarto = shutil.which("quarto")
        if not a.no_render and quarto:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            import render

            res.update(render.measure(tmp, quarto, line))
        elif not a.no_render:
            line("render", "skipped: quarto is not on PATH")

        scales = [float(s) for s in a.scales.split(",") if s]
        totals = {}
        res["scales"] = []
        for s in scales:
            d = tmp / f"data-{s:g}"
            sim_s, sim_mb = run([py, "-m", "analysis", "simulate", "--out", str(d), "--scale", f"{s:g}"], env)
            b_s, b_mb = run([py, "-m", "analysis", "build", "--data", str(d), "--out", str(tmp / f"out-{s:g}")], env)
            totals[s] = sim_s + b_s
            peak = max(sim_mb, b_mb)
            res["scales"].append({"scale": s, "simulate_s": sim_s, "build_s": b_s, "simulate_peak_mb": sim_mb,
                                  "build_peak_mb": b_mb})
            base = totals.get(1.0)
            rel = f" = {totals[s] / base:.2f} × (×1)" if base and s != 1.0 else ""
            ok = (totals[s] / base < TARGET_SCALE_RATIO) if base and s == 100 else None
            line(f"scale ×{s:g}: simulate + build", f"{sim_s:.1f} + {b_s:.1f} s{rel}",
                 f"< {TARGET_SCALE_RATIO:g} × (×1)" if ok is not None else "", ok)
            line(f"  peak memory ×{s:g}", f"{peak:.0f} MB", f"< {TARGET_PEAK_MB:.0f} MB" if s == 100 else "",
                 peak < TARGET_PEAK_MB if s == 100 else None)
            shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    checked = [ok for *_, ok in rows if ok is not None]
    missed = checked.count(False)
    print(f"\n{len(checked) - missed} of {len(checked)} targets met")
    res["targets_met"], res["targets"] = len(checked) - missed, len(checked)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
