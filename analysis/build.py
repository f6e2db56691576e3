"""``python -m analysis build``: every registered output, the inline numbers and the
reproduction table, written to one folder.  Data are validated first; with invalid
data, or when any output fails, nothing at all is written.

The outputs are independent of each other, so they are computed by pools of worker
processes forked from the parent, sharing the validated data copy-on-write instead of
re-reading them: first the figures (most of the work) while the parent computes the
inline numbers, then the tables, forked after that so they inherit every intermediate
result instead of recomputing it.  ``--jobs 1`` runs everything in one process; forking is used on
Linux only (elsewhere the default is one process).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time

from . import outdir, registry, results, theme
from .fmt import csv_safe as fmt_csv_safe
from .config import check_settings, data_dir
from .data import load

class LabelError(KeyError):
    """``--only`` names a label no output has (the message is for the user, in Norwegian)."""

    def __str__(self) -> str:
        return str(self.args[0])


#: what the forked workers need, set in the parent just before the pool starts
_JOB: dict = {}


def default_jobs() -> int:
    if not sys.platform.startswith("linux"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


#: modules the outputs import on first use; imported once in the parent before the pool
#: forks, so the workers share them instead of each paying the import again
PRELOAD = ("scipy.stats", "statsmodels.regression.linear_model", "statsmodels.discrete.discrete_model",
           "statsmodels.genmod.generalized_linear_model", "tabulate", "matplotlib.pyplot")


def _worker_init() -> None:
    import signal

    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (cli) is for the parent only

    threadpool_limits(1)  # the pool is the parallelism; BLAS threads on top only compete for the cores


def _write_output(label: str) -> tuple[str, str | None]:
    """Compute one output and write its files into the temporary folder (runs in a worker).
    Returns the label and, when the data cannot support it, why (a Norwegian placeholder is written)."""
    import matplotlib.pyplot as plt

    from . import fallback

    study, tmp, formats = _JOB["study"], _JOB["tmp"], _JOB["formats"]
    out = registry.get(label)
    failed = None
    try:
        res = out.compute(study)
    except fallback.ESTIMATION_ERRORS as err:
        failed = fallback.reason(err)
        res = fallback.table(label, err) if out.kind == "table" else fallback.figure(label, err)
    if out.kind == "table":
        csv_export(res).to_csv(tmp / "tables" / f"{label}.csv", index=False)
        (tmp / "tables" / f"{label}.md").write_text(
            f"{res.to_markdown()}\n\n: {out.caption} {{#{label}}}\n", encoding="utf-8")
    else:
        for ext in formats:
            save_figure(res, tmp / "figures" / f"{label}.{ext}")
        plt.close(res)
        if out.describe is not None and failed is None:  # the alt text for these data (analysis.book.show passes it to Quarto)
            (tmp / "figures" / f"{label}.alt.txt").write_text(out.alt_text(study), encoding="utf-8")
    return label, failed


def save_figure(fig, path) -> None:
    """Write a figure; the same figure gives the same bytes in every build (SVG: no date, and clip-path
    ids from a fixed salt instead of random ones)."""
    import matplotlib

    ext = str(path).rsplit(".", 1)[-1]
    if ext == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "hpmt-rapport"}):
            fig.savefig(path, metadata={"Date": None})
    else:
        fig.savefig(path)


def _texts(column) -> bool:
    import pandas as pd

    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def csv_export(res):
    """The table's CSV: its numbers (or, without them, its display cells as plain text), every text cell
    safe to open in a spreadsheet (no formula runs; :func:`fmt.csv_safe`)."""
    from . import fmt

    frame = res.data if res.data is not None else res.frame.map(fmt.md_unescape)
    text = [c for c in frame.columns if _texts(frame[c])]
    if text:
        frame = frame.assign(**{c: frame[c].map(fmt.csv_safe) for c in text})
    return frame


def build(data=None, out="_output", only=None, jobs: int | None = None, svg: bool = False) -> str:
    t0 = time.perf_counter()
    check_settings()  # SettingError (HPMT_MIN_CELL=abc …) before anything is computed
    out = outdir.check(out, data_dir(data))  # OutputFolderError before anything is computed
    study = load(data)  # raises DataError before anything is written
    theme.apply()
    outputs = registry.load_all()
    labels = only or sorted(outputs)
    unknown = [lb for lb in labels if lb not in outputs]
    if unknown:
        raise LabelError(f"{'ukjent etikett' if len(unknown) == 1 else 'ukjente etiketter'}: {', '.join(unknown)} "
                         "(etikettene står i analysis/index.json)")
    jobs = default_jobs() if jobs is None else max(1, jobs)
    tmp = outdir.make_tmp(out)  # private to this process: concurrent builds never share it
    (tmp / "tables").mkdir(parents=True)
    (tmp / "figures").mkdir(parents=True)
    _JOB.update(study=study, tmp=tmp, formats=("png", "svg") if svg else ("png",))
    results.compute(study).tolerant = True  # before any output asks for a number (see analysis.fallback)
    figures = [lb for lb in labels if outputs[lb].kind == "figure" and not outputs[lb].after_numbers]
    tables = [lb for lb in labels if lb not in figures]  # and the figures drawn from the numbers' models
    try:
        if jobs > 1:
            import importlib
            import multiprocessing

            from threadpoolctl import threadpool_limits

            ctx = multiprocessing.get_context("fork")
            importlib.import_module("matplotlib.pyplot")
            # 1. the figures (most of the work) in the workers, while the parent imports the
            #    statistics libraries and computes every inline number
            with ctx.Pool(jobs, initializer=_worker_init) as pool, threadpool_limits(1):
                pending = pool.map_async(_write_output, figures, chunksize=1)
                for module in PRELOAD:
                    importlib.import_module(module)
                R = results.compute(study)
                R.tolerant = True
                R.complete()
                done = pending.get()
            # 2. the tables, in workers forked now: they inherit the numbers and every shared
            #    intermediate (scale scores, effect summaries, the reproduction table)
            with ctx.Pool(jobs, initializer=_worker_init) as pool:
                done += pool.map(_write_output, tables, chunksize=1)
        else:
            done = [_write_output(lb) for lb in figures + tables]
            R = results.compute(study)
            R.tolerant = True
            R.complete()
        repro = results.reproduction(study)
        payload = {k: {"value": _jsonable(R.value(k)), "text": R[k]} for k in sorted(R)}
        failed = {lb: why for lb, why in done if why} | {f"tall: {k}": v for k, v in sorted(R.failed.items())}
        meta = {"data_folder": str(study.folder), "data_sha256": study.checksum, "synthetic": study.synthetic,
                "ikke_beregnet": failed}
        for what, why in failed.items():
            print(f"build: kan ikke beregnes med disse dataene: {what} ({why})", file=sys.stderr)
        (tmp / "results.json").write_text(json.dumps({"meta": meta, "numbers": payload}, ensure_ascii=False, indent=1),
                                          encoding="utf-8")
        repro.assign(**{c: repro[c].map(fmt_csv_safe) for c in repro.columns if _texts(repro[c])}).to_csv(
            tmp / "reproduction.csv", index=False)
        outdir.write_marker(tmp)
        outdir.swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _JOB.clear()
    from .fmt import integer, num

    n_t = sum(outputs[lb].kind == "table" for lb in labels)
    counts = repro["status"].value_counts()
    status = ", ".join(f"{integer(counts[k])} {word}" for k, word in REPRO_STATUS.items() if counts.get(k, 0))
    status += "".join(f", {integer(n)} {k}" for k, n in counts.items() if k not in REPRO_STATUS)
    return (f"bygde {integer(n_t)} {'tabell' if n_t == 1 else 'tabeller'}, "
            f"{integer(len(labels) - n_t)} {'figur' if len(labels) - n_t == 1 else 'figurer'}, "
            f"{integer(len(R))} tall i teksten og {integer(len(repro))} rader i reproduksjonstabellen ({status}) "
            f"i {out} på {num(time.perf_counter() - t0, 1)} s ({jobs} prosess{'er' if jobs > 1 else ''})")


#: the reproduction table's status values, as the build report names them
REPRO_STATUS = {"match": "stemmer", "differs": "avviker", "not-computable": "kan ikke beregnes"}


def _jsonable(v):
    try:
        import numpy as np

        if isinstance(v, np.generic):
            return v.item()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return str(v)
