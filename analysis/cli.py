"""Command line: ``python -m analysis {build,validate,simulate,codebook}`` (alias: ``hpmt``)."""

from __future__ import annotations

import os

import argparse
import signal
import sys
import time
from pathlib import Path

from .config import BUNDLED_DATA, PROJECT_ROOT


def _kv(text: str) -> tuple[str, float]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    k, v = text.split("=", 1)
    try:
        return k.strip(), float(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"value of {k!r} is not a number: {v!r}") from None


def cmd_validate(args) -> int:
    from .config import data_dir
    from .data import validate

    folder = data_dir(args.dir)
    t0 = time.perf_counter()
    problems = validate(folder)
    dt = time.perf_counter() - t0
    for line in problems:
        print(line)
    if problems:
        print(f"{folder}: {len(problems)} problem(s) ({dt:.2f} s)", file=sys.stderr)
        return 1
    print(f"{folder}: valid ({dt:.2f} s)")
    return 0


def cmd_simulate(args) -> int:
    from .synth.simulate import Params, simulate, write_package
    from .codebook import write_readme

    try:
        params = Params(seed=args.seed, offices=args.offices, scale=args.scale,
                        effects=dict(args.effect or []), icc=dict(args.icc or []), mode=args.mode)
    except ValueError as err:
        print(f"simulate: {err}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    frames = simulate(params)
    out = write_package(frames, args.out, params)
    write_readme(out)
    dt = time.perf_counter() - t0
    rows = sum(len(f) for f in frames.values())
    print(f"wrote {out} ({params.describe()['mode']} mode, {rows} rows, {dt:.2f} s)")
    return 0


def cmd_build(args) -> int:
    from .build import build
    from .data import DataError
    from .config import SettingError
    from .outdir import OutputFolderError

    # SIGTERM unwinds like Ctrl-C, so the private temporary folder is removed (workers reset it)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        report = build(args.data, args.out, only=args.only, jobs=args.jobs, svg=args.svg)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except (OutputFolderError, SettingError) as err:
        print(f"build: {err}", file=sys.stderr)
        return 2
    print(report)
    return 0


def cmd_codebook(args) -> int:
    from .codebook import write_readme

    path = write_readme(Path(args.dir))
    print(f"wrote {path}")
    return 0


def cmd_validate_methods(args) -> int:
    from . import validation

    summary, seconds = validation.run(args.trials, args.seed, args.jobs)
    show = summary.assign(**{c: summary[c].round(4) for c in ("type1", "type1_mcse", "binom_p_holm", "coverage", "coverage_mcse", "power")})
    print(show[["outcome", "method", "trials", "rejections", "type1", "type1_mcse", "binom_p_holm", "holds",
                "coverage", "coverage_mcse", "power"]].to_string(index=False))
    print(f"{args.trials} trials per scenario, {args.jobs} processes, {seconds:.1f} s wall time "
          f"({seconds * args.jobs / (2 * args.trials):.2f} s per trial and process)")
    if args.write:
        print(f"wrote {validation.write(summary, seconds, args.trials, args.seed, args.jobs)}")
    return 0


def cmd_sync(args) -> int:
    """Regenerate every file derived from the code: chapter captions, analysis/index.json, analysis/theme.json."""
    from . import captions, index, theme
    from .data import load

    stale = [str(p) for p in captions.run(check=args.check)]
    if index.sync(load(BUNDLED_DATA), check=args.check):
        stale.append(str(index.INDEX_PATH))
    if theme.sync(check=args.check):
        stale.append(str(theme.THEME_PATH))
    for p in stale:
        print(("differs: " if args.check else "updated: ") + p)
    return 1 if (args.check and stale) else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis", description="hpmt-rapport: analysis and data tools")
    sub = ap.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="compute every registered table, figure and inline number")
    b.add_argument("--data", default=None, help="data folder (default: $HPMT_DATA or the bundled data/)")
    b.add_argument("--out", default=str(PROJECT_ROOT / "_output"), help="output folder (default: _output/)")
    b.add_argument("--only", nargs="*", default=None, help="only these labels")
    b.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: CPUs, at most 4, on Linux; 1 elsewhere; 1 = no pool)")
    b.add_argument("--svg", action="store_true", help="also write every figure as SVG (PNG always)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check a data folder against the codebook; every problem, exit 1 if any")
    v.add_argument("dir", nargs="?", default=None, help="data folder (default: $HPMT_DATA or the bundled data/)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("simulate", help="write a synthetic data package")
    s.add_argument("--out", required=True, help="output folder")
    from .synth.simulate import DEFAULT_SEED, EFFECTS, ICCS

    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.add_argument("--offices", type=int, default=18, help="number of offices (even; default 18)")
    s.add_argument("--scale", type=float, default=1.0, help="multiply the number of persons and forms")
    s.add_argument("--mode", choices=["auto", "model"], default="auto",
                   help="auto: calibrated to the published numbers when all parameters are defaults; model: always a fresh draw")
    s.add_argument("--effect", type=_kv, action="append", metavar="NAME=VALUE",
                   help="true effect; names: " + ", ".join(f"{k} (default {v:g})" for k, v in EFFECTS.items()))
    s.add_argument("--icc", type=_kv, action="append", metavar="NAME=VALUE",
                   help="intra-office correlation; names: " + ", ".join(f"{k} (default {v:g})" for k, v in ICCS.items()))
    s.set_defaults(func=cmd_simulate)

    c = sub.add_parser("codebook", help="write README.md (the codebook as tables) into a data folder")
    c.add_argument("dir", nargs="?", default=str(BUNDLED_DATA))
    c.set_defaults(func=cmd_codebook)

    m = sub.add_parser("validate-methods", help="simulation study: type I error, coverage and power of each method")
    m.add_argument("--trials", type=int, default=200, help="trials per scenario (no effect / effect)")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    m.add_argument("--write", action="store_true", help="store the summary as the book's method-validation results")
    m.set_defaults(func=cmd_validate_methods)

    y = sub.add_parser("sync", help="regenerate files derived from the code: chapter captions, analysis/index.json "
                                    "(where each output and number is made) and analysis/theme.json (figure theme)")
    y.add_argument("--check", action="store_true", help="only report files that differ (exit 1)")
    y.set_defaults(func=cmd_sync)

    args = ap.parse_args(argv)
    return args.func(args)
