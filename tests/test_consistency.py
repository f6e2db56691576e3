"""Cross-references, citations, captions and the chapter list agree with each other."""

import re
from pathlib import Path

import yaml

from analysis import qmd, registry
from analysis.captions import sync

ROOT = Path(__file__).resolve().parent.parent


def bib_keys():
    return set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M))


def test_chapters_in_quarto_yml_exist(chapters):
    assert len(chapters) >= 12
    for p in chapters:
        assert p.exists(), f"{p} listed in _quarto.yml but missing"


def test_every_crossref_resolves(chapters):
    defined = set()
    texts = {}
    for p in chapters:
        texts[p] = qmd.expand(p)
        defined |= qmd.definitions(texts[p])
    for p, text in texts.items():
        missing = qmd.crossrefs(text) - defined
        assert not missing, f"{p.name}: dangling cross-reference(s) {sorted(missing)}"


def test_every_registered_output_is_shown_once(chapters):
    used = {}
    for p in chapters:
        for c in qmd.cells(qmd.expand(p)):
            if c.label:
                used.setdefault(c.label, []).append(p.name)
    for label in registry.load_all():
        assert label in used, f"{label} is registered but no chapter shows it"
        assert len(used[label]) == 1, f"{label} shown in {used[label]}"
    for label in used:
        if label.startswith(("tbl-", "fig-")):
            assert label in registry.load_all(), f"chapter cell {label} has no registered output"


def test_cells_call_the_registry_by_their_own_label(chapters):
    for p in chapters:
        for c in qmd.cells(qmd.expand(p)):
            if c.label and c.label.startswith(("tbl-", "fig-")):
                assert f'book.show("{c.label}")' in c.source, f"{p.name}: cell {c.label} shows another output"


def test_captions_match_registry(chapters):
    reg = registry.load_all()
    for p in chapters:
        text = p.read_text(encoding="utf-8")
        assert sync(text, reg) == text, f"{p.name}: captions differ from the registry (run python -m analysis sync)"


def test_every_citation_exists(chapters):
    keys = bib_keys()
    assert len(keys) > 50
    for p in chapters:
        missing = qmd.citations(qmd.expand(p)) - keys
        assert not missing, f"{p.name}: unknown citation key(s) {sorted(missing)}"


def bib_problems(text: str) -> list[str]:
    """Entries of a .bib file that begin inside another entry (an unclosed brace stops pandoc)."""
    problems, depth = [], 0
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith("@") and depth != 0:
            problems.append(f"line {i}: entry begins inside the previous one")
            depth = 0
        depth += line.count("{") - line.count("}")
    if depth != 0:
        problems.append("unbalanced braces at the end")
    return problems


def test_bibliography_entries_are_closed():
    assert bib_problems((ROOT / "references.bib").read_text(encoding="utf-8")) == []
    assert bib_problems("@book{a,\n  title = {A},\n@book{b,\n  title = {B}\n}\n") != []


def test_detectors_catch_broken_input(tmp_path):
    """The checks above fail on a dangling reference, a missing citation and an unknown label."""
    text = "# X {#sec-x}\n\nSe @tbl-finnes-ikke og @sec-x [@nokkel1999].\n"
    assert qmd.crossrefs(text) - qmd.definitions(text) == {"tbl-finnes-ikke"}
    assert qmd.citations(text) - bib_keys() == {"nokkel1999"}
    cell = '```{python}\n#| label: tbl-aktivitet\n#| tbl-cap: "feil"\nbook.show("tbl-aktivitet")\n```\n'
    assert sync(cell, registry.load_all()) != cell


def test_quarto_yml_settings():
    cfg = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert cfg["project"]["type"] == "book"
    assert cfg["project"]["execute-dir"] == "project"
    assert cfg["lang"] == "nb"
    assert cfg["quarto-required"].startswith(">= 1.9")
    assert cfg["execute"]["echo"] is False
    assert cfg["execute"]["freeze"] is False
    assert {"html", "typst"} <= set(cfg["format"])
    lang = cfg["language"]
    assert lang["crossref-ch-prefix"] == "Kapittel" and lang["crossref-apx-prefix"] == "Vedlegg"
    assert lang["crossref-fig-title"] == "Figur" and lang["crossref-tbl-title"] == "Tabell"
    assert lang["callout-note-title"] == "Merknad"
    chapters = [Path(c).stem for c in cfg["book"]["chapters"]]
    assert chapters[:11] == ["index", "bakgrunn", "om-studien", "samlinger", "verktoybruk", "effekter-veiledere",
                             "effekter-deltakere", "implementering", "kompetanseutvikling", "kontorforskjeller",
                             "avslutning"]
    assert (ROOT / cfg["csl"]).exists()
