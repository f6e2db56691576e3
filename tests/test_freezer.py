"""The guards around Quarto's hidden store of executed chapters (analysis/freezer.py), without Quarto.
The rendered behaviour is tested in test_render.py."""

from __future__ import annotations

import json
import os
import time

from analysis import freezer


def _project(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "book:\n  chapters: [index.qmd, chapters/a.qmd]\n  appendices: [chapters/b.qmd]\n", encoding="utf-8")
    (tmp_path / "_setup.qmd").write_text("oppsett\n", encoding="utf-8")
    return tmp_path


def _freeze(project, chapter, fmt, markdown):
    path = project / freezer.FREEZER / chapter / "execute-results" / f"{fmt}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"hash": "x", "result": {"markdown": markdown}}), encoding="utf-8")


def test_the_hidden_store_goes_when_data_code_or_setup_change(tmp_path):
    p = _project(tmp_path)
    assert freezer.before_render(p, "aaa") is False          # first render: nothing to remove
    _freeze(p, "chapters/a", "html", "gammelt")
    assert freezer.before_render(p, "aaa") is False          # same results key: kept
    assert (p / freezer.FREEZER).is_dir()
    assert freezer.before_render(p, "bbb") is True           # other data or code: removed
    assert not (p / freezer.FREEZER).exists()
    _freeze(p, "chapters/a", "html", "gammelt")
    (p / "_setup.qmd").write_text("endret oppsett\n", encoding="utf-8")
    assert freezer.before_render(p, "bbb") is True           # the shared include changed


def test_pages_with_two_results_keys_fail_and_clear_the_store(tmp_path):
    p = _project(tmp_path)
    out = p / "_book"
    (out / "chapters").mkdir(parents=True)
    (out / "index.html").write_text(f"<p>x</p>{freezer.marker('aaa')}", encoding="utf-8")
    (out / "chapters" / "a.html").write_text(freezer.marker("aaa"), encoding="utf-8")
    (out / "chapters" / "b.html").write_text("ingen markør", encoding="utf-8")
    _freeze(p, "index", "typ", freezer.marker("aaa"))
    _freeze(p, "chapters/a", "typ", freezer.marker("aaa"))
    assert freezer.after_render(p, out, ["_book/index.html", "_book/hpmt.pdf"]) is None

    _freeze(p, "chapters/a", "typ", freezer.marker("bbb"))   # the PDF took a chapter of other data
    message = freezer.after_render(p, out, ["_book/hpmt.pdf"])
    assert message is not None and "ulike data" in message and "PDF: chapters/a" in message
    assert not (p / freezer.FREEZER).exists()

    (out / "chapters" / "a.html").write_text(freezer.marker("ccc"), encoding="utf-8")
    assert freezer.after_render(p, out, ["_book/chapters/a.html"]) is not None   # one page, other data
    assert freezer.after_render(p, out, ["_book/hpmt.pdf"]) is None             # HTML not rendered now


def test_a_kernel_from_an_earlier_render_takes_over_the_renders_settings(tmp_path, monkeypatch):
    p = _project(tmp_path)
    monkeypatch.setenv("HPMT_DATA", "/data/ny")
    monkeypatch.delenv("HPMT_MIN_CELL", raising=False)
    freezer.record_env(p)
    written = (p / freezer.ENV).stat().st_mtime
    # a kernel started by this render (imported the package after the pre-render step) keeps its own
    monkeypatch.setenv("HPMT_DATA", "/data/egen")
    assert freezer.adopt_render_env(p, since=written + 1) is False
    assert os.environ["HPMT_DATA"] == "/data/egen"
    # a kernel kept alive from before: takes the render's settings, and drops the ones it no longer has
    monkeypatch.setenv("HPMT_MIN_CELL", "3")
    assert freezer.adopt_render_env(p, since=written - 60) is True
    assert os.environ["HPMT_DATA"] == "/data/ny" and "HPMT_MIN_CELL" not in os.environ
    assert freezer.adopt_render_env(p, since=time.time() - 60) is False       # already the same
