"""Bakgrunn: the HPMT model description, its figure, and the list of abbreviations."""

import re
from pathlib import Path

import pytest
import yaml

from analysis.data import StudyData, load_schema
from analysis.outputs import bakgrunn

ROOT = Path(__file__).resolve().parent.parent
#: capitalised tokens in the prose that are not abbreviations of the study
NOT_ABBREVIATIONS = {"PDF", "HTML"}


def _fe_fields() -> dict:
    res = next(r for r in load_schema()["resources"] if r["name"] == "fe_forms")
    return {f["name"]: f for f in res["schema"]["fields"]}


def test_model_principles_are_the_fe_forms_principles():
    fields = _fe_fields()
    principles = bakgrunn.model()["principles"]
    assert len(principles) == len([f for f in fields if f.startswith("principle_")])
    for i, p in enumerate(principles, 1):
        assert fields[p["fe"]]["title"] == f"Prinsipp {i}: {p['label']}"


def test_every_fe_tool_has_a_place_in_the_model():
    m = bakgrunn.model()
    tools = [t for a in m["areas"] for t in a["tools"]] + m["cross_cutting"]
    linked = [t["fe"] for t in tools if "fe" in t]
    fields = _fe_fields()
    assert set(linked) <= set(fields), set(linked) - set(fields)
    assert {f for f in fields if f.startswith("tool_")} <= set(linked)
    assert len(linked) == len(set(linked)), "a tool is placed twice"


def test_programme_kinds_are_gathering_kinds():
    res = next(r for r in load_schema()["resources"] if r["name"] == "gatherings")
    kinds = next(f for f in res["schema"]["fields"] if f["name"] == "kind")["constraints"]["enum"]
    assert {p["kind"] for p in bakgrunn.model()["programme"]} <= set(kinds)


def test_bad_model_descriptions_are_refused_in_norwegian(tmp_path):
    good = yaml.safe_load(bakgrunn.MODEL_PATH.read_text(encoding="utf-8"))
    assert bakgrunn.check_model(good) == []
    missing = {k: v for k, v in good.items() if k != "principles"}
    assert bakgrunn.check_model(missing) == ["mangler nøkkelen «principles»"]
    bad = yaml.safe_load(bakgrunn.MODEL_PATH.read_text(encoding="utf-8"))
    bad["areas"][0]["colour"] = "grønn"
    bad["supervision"][1]["level"] = 3
    problems = bakgrunn.check_model(bad)
    assert any("#RRGGBB" in p for p in problems) and any("veiledningsnivåene" in p for p in problems)
    path = tmp_path / "modell.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(bakgrunn.ModelError, match="kan ikke brukes"):
        bakgrunn.model(path)
    path.write_text("phases: [a, b\n", encoding="utf-8")
    with pytest.raises(bakgrunn.ModelError, match="ikke gyldig YAML"):
        bakgrunn.model(path)
    with pytest.raises(bakgrunn.ModelError, match="to ganger"):
        dup = tmp_path / "forkortelser.yaml"
        dup.write_text("- {term: KVP, name: a}\n- {term: KVP, name: b}\n", encoding="utf-8")
        bakgrunn.abbreviations(dup)


def test_gathering_counts_follow_the_data(study):
    counts = bakgrunn.gathering_counts(study)
    assert sum(counts.values()) == len(study.gatherings)
    fewer = study.gatherings[study.gatherings["kind"] != "booster"]
    other = StudyData(study.folder, {**study.frames, "gatherings": fewer}, study.descriptor, study.checksum)
    assert bakgrunn.gathering_counts(other)["booster"] == 0
    assert bakgrunn.background_numbers(other)["bakgrunn_samlinger_booster_antall"].text == "ingen boostersamlinger"


def _prose(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", " ", text, flags=re.S)  # code cells
    text = re.sub(r"`[^`]*`", " ", text)  # inline code and inline numbers
    text = re.sub(r"\{[^}]*\}", " ", text)  # attributes and shortcodes
    return re.sub(r"\[@[^\]]*\]|@[\w:-]+", " ", text)  # citations and cross-references


def test_every_abbreviation_in_the_chapters_is_explained(chapters):
    terms = {a["term"] for a in bakgrunn.abbreviations()}
    for p in chapters:
        for tok in re.findall(r"\b[A-ZÆØÅ][A-ZÆØÅ0-9]+(?:-[A-Z]+)?\b", _prose(p)):
            assert tok in terms or tok in NOT_ABBREVIATIONS, f"{p.name}: «{tok}» is not in analysis/abbreviations.yaml"


def test_every_listed_abbreviation_is_used(chapters):
    used = " ".join(_prose(p) for p in chapters)
    used += " ".join(f.read_text(encoding="utf-8") for f in (ROOT / "analysis" / "outputs").glob("*.py"))
    used += bakgrunn.MODEL_PATH.read_text(encoding="utf-8")
    for a in bakgrunn.abbreviations():
        assert re.search(rf"(?<![\w-]){re.escape(a['term'])}(?![\w])", used), f"{a['term']} is listed but never used"


def test_abbreviation_table_is_sorted_and_complete(study):
    from analysis import registry

    frame = registry.get("tbl-forkortelser").compute(study).frame
    assert list(frame["Forkortelse"]) == sorted(frame["Forkortelse"], key=str.casefold)
    assert len(frame) == len(yaml.safe_load(bakgrunn.ABBREVIATIONS_PATH.read_text(encoding="utf-8")))
