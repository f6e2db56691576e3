"""Text from data files (titles, code labels, descriptions, excerpts) is shown as text: escaped for
Markdown/HTML/Quarto in every table and note, one line per row, and CSV exports never start a cell
with a spreadsheet formula."""

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import fmt
from analysis.registry import Table

ROOT = Path(__file__).resolve().parent.parent
POISON = "A|B <script>alert(1)</script> <img src=x onerror=alert(2)> {{< env HOME >}} @fig-x $$x$$ `kode` *fet* _kursiv_ &amp;\nny linje"
#: what must never appear raw in Markdown (each is syntax there)
RAW = ["<script>", "<img", "{{<", "@fig-x", "$$", "`kode`", "*fet*", "_kursiv_", "A|B", "&amp;"]
#: free-text columns of the codebook (no enum, no pattern, not a key) and what each gets
FORMULAS = {("gatherings.csv", "title"): "=HYPERLINK(\"http://x\";\"klikk\") ",
            ("gatherings.csv", "audience"): "+1+1 ",
            ("qual_codes.csv", "description"): "-2+3 ",
            ("qual_segments.csv", "text"): "@SUM(1) "}


def _unescaped(text: str, token: str) -> bool:
    """Does ``token`` occur with its first character not preceded by a backslash?"""
    return re.search(r"(?<!\\)" + re.escape(token), text) is not None


# ---------------------------------------------------------------- the escaping itself
def test_md_escape_leaves_no_syntax():
    out = fmt.md_escape(POISON)
    assert "\n" not in out
    for token in RAW:
        assert not _unescaped(out, token), token
    assert fmt.md_unescape(out) == POISON.replace("\n", " ")
    assert fmt.md_escape("a\u2028b\x0bc\x00d") == "a b c d"


def test_csv_safe_neutralises_formulas_but_not_numbers():
    assert [fmt.csv_safe(v) for v in ["=1+1", "+1+1", "-2+3", "@SUM(1)", "\tx", "\rx"]] == \
        ["'=1+1", "'+1+1", "'-2+3", "'@SUM(1)", "'\tx", "'\rx"]
    kept = ["-0.5", "+3", "-12,5", "1e-3", -0.5, 3, None, "tekst", "−0,5", "+", "-"]
    assert [fmt.csv_safe(v) for v in kept] == kept


def test_an_escaped_cell_that_starts_like_typst_markup_still_gets_the_word_joiner():
    lines = Table(pd.DataFrame({"Kode": [fmt.md_escape("= overskrift"), fmt.md_escape("+ liste")]})).to_markdown()
    cells = [ln.split("|")[1].strip() for ln in lines.splitlines()[2:]]
    assert cells == ["\u2060\\= overskrift", "\u2060\\+ liste"]


# ---------------------------------------------------------------- a whole build on poisoned data
@pytest.fixture(scope="module")
def poisoned_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("poison")
    data = base / "data"
    shutil.copytree(ROOT / "data", data)
    for file, col in [("gatherings.csv", "title"), ("gatherings.csv", "audience"), ("gatherings.csv", "content"),
                      ("gatherings.csv", "source_ref"), ("qual_codes.csv", "label"),
                      ("qual_codes.csv", "description"), ("qual_segments.csv", "text")]:
        df = pd.read_csv(data / file, dtype=str, keep_default_na=False)
        start = FORMULAS.get((file, col), "")
        df[col] = (start + df[col] + " " + POISON) if col != "label" else (df[col] + " " + POISON)
        df.to_csv(data / file, index=False)
    out = base / "out"
    proc = subprocess.run([sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    meta = json.loads((out / "results.json").read_text(encoding="utf-8"))["meta"]
    assert meta["ikke_beregnet"] == {}  # text from the data never stops an estimate
    return out


def test_no_table_shows_data_text_as_markup(poisoned_build):
    reached = 0
    for md in sorted((poisoned_build / "tables").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        reached += "\\<script\\>" in text
        for token in RAW:
            assert not _unescaped(text, token), (md.name, token)
        assert "\nny linje" not in text, md.name  # the line break became a space: the row stays one row
        rows = [ln for ln in text.split("\n\n")[0].splitlines() if ln.startswith("|")]
        pipes = {len(re.findall(r"(?<!\\)\|", ln)) for ln in rows}
        assert len(pipes) == 1, (md.name, pipes)  # no row has an extra column
    assert reached >= 5  # the data text did reach the tables (titles, labels, descriptions, excerpts)


def test_inline_text_from_data_is_escaped(poisoned_build):
    from analysis.results import Inline

    numbers = json.loads((poisoned_build / "results.json").read_text(encoding="utf-8"))["numbers"]
    from_data = [v["text"] for v in numbers.values() if "script" in v["text"]]
    assert from_data, "no inline text carries data text"
    for text in from_data:
        shown = Inline(text)._repr_markdown_()
        assert not any(_unescaped(shown, token) for token in RAW) and "\n" not in shown, shown


def test_no_csv_cell_starts_a_formula(poisoned_build):
    seen = 0
    for path in sorted((poisoned_build / "tables").glob("*.csv")) + [poisoned_build / "reproduction.csv"]:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    seen += cell.startswith("'=HYPERLINK") or cell.startswith("'@SUM") or cell.startswith("'-2+3")
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        assert re.fullmatch(r"[+-]?[0-9.,eE+-]*", cell), (path.name, cell)
                    assert "\\<script" not in cell, (path.name, cell)  # CSV has the text, not its Markdown
    assert seen >= 2
