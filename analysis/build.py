"""``python -m analysis build``: every registered output, the inline numbers and the
reproduction table, written to one folder.  Data are validated first; with invalid
data nothing at all is written."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from . import registry, results, theme
from .data import load


def build(data=None, out="_output", only=None) -> str:
    t0 = time.perf_counter()
    study = load(data)  # raises DataError before anything is written
    theme.apply()
    import matplotlib.pyplot as plt

    outputs = registry.load_all()
    labels = only or sorted(outputs)
    unknown = [lb for lb in labels if lb not in outputs]
    if unknown:
        raise KeyError(f"unknown label(s): {', '.join(unknown)}")
    computed = {lb: outputs[lb].compute(study) for lb in labels}
    R = results.compute(study).complete()
    repro = results.reproduction(study)
    # everything computed without error: now write
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "tables").mkdir(parents=True)
    (tmp / "figures").mkdir(parents=True)
    for lb, res in computed.items():
        if outputs[lb].kind == "table":
            (res.data if res.data is not None else res.frame).to_csv(tmp / "tables" / f"{lb}.csv", index=False)
            (tmp / "tables" / f"{lb}.md").write_text(
                f"{res.to_markdown()}\n\n: {outputs[lb].caption} {{#{lb}}}\n", encoding="utf-8")
        else:
            res.savefig(tmp / "figures" / f"{lb}.png")
            res.savefig(tmp / "figures" / f"{lb}.svg")
            plt.close(res)
    payload = {k: {"value": _jsonable(R.value(k)), "text": R[k]} for k in sorted(R)}
    meta = {"data_folder": str(study.folder), "data_sha256": study.checksum, "synthetic": study.synthetic}
    (tmp / "results.json").write_text(json.dumps({"meta": meta, "numbers": payload}, ensure_ascii=False, indent=1), encoding="utf-8")
    repro.to_csv(tmp / "reproduction.csv", index=False)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    n_t = sum(o.kind == "table" for o in (outputs[lb] for lb in labels))
    counts = repro["status"].value_counts().to_dict()
    return (f"built {n_t} tables, {len(labels) - n_t} figures, {len(R)} inline numbers, "
            f"{len(repro)} reproduction rows {counts} into {out} in {time.perf_counter() - t0:.1f} s")


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
