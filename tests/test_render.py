"""Render the book with Quarto when it is installed; skipped (with the reason) otherwise."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUARTO = shutil.which("quarto")


@pytest.mark.skipif(QUARTO is None, reason="Quarto CLI not on PATH: install it from quarto.org (>= 1.9.18) to run the render test")
def test_quarto_render_html_and_pdf():
    import os
    import sys

    env = dict(os.environ, QUARTO_PYTHON=sys.executable)  # the locked environment runs the chapters
    proc = subprocess.run([QUARTO, "render"], cwd=ROOT, capture_output=True, text=True, timeout=1800, env=env)
    assert proc.returncode == 0, proc.stderr[-4000:]
    book = ROOT / "_book"
    index = (book / "index.html").read_text(encoding="utf-8")
    assert 'lang="nb"' in index
    pages = "\n".join(p.read_text(encoding="utf-8") for p in book.rglob("*.html"))
    assert "Figur 1" in pages and "Tabell 1" in pages
    assert "?@" not in re.sub(r"<script.*?</script>", "", pages, flags=re.S)
    assert "Traceback" not in pages
    assert (book / "hpmt-rapport.pdf").exists()
