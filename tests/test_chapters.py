"""Execute every chapter's Python cells, in order, in a fresh Jupyter kernel, as Quarto's
Jupyter engine does, and check that each labelled table and figure is produced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from analysis import qmd

ROOT = Path(__file__).resolve().parent.parent


def execute(text: str, timeout: int = 300):
    nb = qmd.notebook_for(text)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    return nb


def outputs_of(cell):
    kinds = set()
    for o in cell.outputs:
        if o.output_type in ("display_data", "execute_result"):
            kinds |= set(o.data)
        elif o.output_type == "stream":
            kinds.add("stream")
    return kinds


def chapter_ids():
    from analysis.captions import chapter_files

    return [p for p in chapter_files()]


@pytest.mark.slow
@pytest.mark.parametrize("path", chapter_ids(), ids=lambda p: p.stem)
def test_chapter_executes_and_produces_its_outputs(path):
    text = qmd.expand(path)
    try:
        nb = execute(text)
    except CellExecutionError as err:
        pytest.fail(f"{path.name}: a cell raised:\n{str(err)[:3000]}")
    for cell in nb.cells:
        label = cell.metadata.get("label", "")
        kinds = outputs_of(cell)
        if label.startswith("tbl-"):
            assert "text/markdown" in kinds, f"{path.name}: {label} produced no table"
            md = next(o.data["text/markdown"] for o in cell.outputs if "text/markdown" in o.get("data", {}))
            assert md.count("\n|") >= 2
        elif label.startswith("fig-"):
            if "image/png" not in kinds:  # a figure with computed alt text: a Markdown image of the stored PNG
                md = "".join(o.data.get("text/markdown", "") for o in cell.outputs if "data" in o)
                m = re.fullmatch(r'!\[\]\(/([^)]+\.png)\)\{fig-alt="(.+)"\}', md.strip())
                assert m, f"{path.name}: {label} produced no figure"
                assert (ROOT / m.group(1)).is_file(), f"{path.name}: {label} links a missing file"
        elif label == "notice":
            text_out = "".join(o.get("text", "") for o in cell.outputs)
            assert "Syntetiske data" in text_out, f"{path.name}: synthetic-data notice missing"
        elif label == "inline":
            vals = json.loads("".join(o.get("text", "") for o in cell.outputs))
            assert all(v and "nan" not in v.lower() for v in vals), f"{path.name}: empty or nan inline value in {vals}"


@pytest.mark.slow
def test_a_broken_cell_fails_the_check():
    text = '# X\n\n```{python}\n#| label: tbl-x\n1/0\n```\n'
    with pytest.raises(CellExecutionError):
        execute(text, timeout=60)


@pytest.mark.slow
def test_notice_disappears_for_real_data(tmp_path):
    """The same chapter code on data declared real prints no synthetic-data notice."""
    import shutil

    import yaml

    real = tmp_path / "real"
    shutil.copytree(ROOT / "data", real)
    desc = yaml.safe_load((real / "datapackage.yaml").read_text(encoding="utf-8"))
    desc["synthetic"] = False
    (real / "datapackage.yaml").write_text(yaml.safe_dump(desc, allow_unicode=True), encoding="utf-8")
    text = qmd.expand(ROOT / "chapters" / "om-studien.qmd").replace("data_dir = None", f"data_dir = {str(real)!r}")
    nb = execute(text)
    notice = next(c for c in nb.cells if c.metadata.get("label") == "notice")
    assert "Syntetiske data" not in "".join(o.get("text", "") for o in notice.outputs)
