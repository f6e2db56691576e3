"""Attrition, the n behind each analysis and the register coverage text (om-studien)."""

from pathlib import Path


from analysis import registry
from analysis.data import StudyData
from analysis.outputs import frafall

ROOT = Path(__file__).resolve().parent.parent


def _copy(study, **frames) -> StudyData:
    new = dict(study.frames)
    new.update(frames)
    return StudyData(study.folder, new, study.descriptor, study.checksum)


def test_attrition_counts_follow_the_data(study):
    a = frafall.attrition(study).set_index("key")
    arm = study.participants["office_id"].map(study.arm_of_office)
    assert a.loc["deltakere_t1", "tiltak"] == (arm == "tiltak").sum()
    assert a.loc["deltakere_t1", "total"] == len(study.participants)
    assert a.loc["deltakere_t2", "total"] == study.participants["responded_t2"].sum()
    assert a.loc["deltakere_inntekt", "total"] == study.participant_t2["household_income"].notna().sum()
    for period in frafall.PERIODS:
        key = f"register_{period.replace('-', '_')}"
        expected = study.register.loc[study.register["period"] == period, "participant_id"].nunique()
        assert a.loc[key, "total"] == expected
        assert a.loc[key, "total_lost"] == len(study.participants) - expected
    assert a.loc["veiledere_t1", "total_lost"] == len(study.caseworkers) - study.caseworkers["responded_t1"].sum()
    assert (a["tiltak"] + a["sammenligning"] == a["total"]).all()


def test_tables_show_the_losses(study):
    md = registry.get("tbl-frafall").compute(study).to_markdown()
    lost = len(study.participants) - study.participants["responded_t2"].sum()
    assert f"(−{lost})" in md
    n_md = registry.get("tbl-analyse-n").compute(study).to_markdown()
    inc = str(study.participant_t2["household_income"].notna().sum())
    assert f"| {inc} " in n_md or f" {inc} |" in n_md


def test_register_coverage_text():
    periods = list(frafall.PERIODS)
    full = frafall.register_coverage_text(dict.fromkeys(periods, 617), 617)
    assert full == "alle de 617 deltakerne i mai 2011, november 2012 og mai 2013"
    gaps = frafall.register_coverage_text(dict(zip(periods, (617, 600, 608))), 617)
    assert gaps == "alle de 617 deltakerne i mai 2011, 600 i november 2012 og 608 i mai 2013"
    first = frafall.register_coverage_text(dict(zip(periods, (610, 617, 617))), 617)
    assert first.startswith("610 av de 617 deltakerne i mai 2011") and "alle i mai 2013" in first


def test_register_text_is_computed_on_other_data(study):
    """Drop a participant from every register extract: the text no longer says «alle»."""
    one = study.participants["participant_id"].iloc[0]
    reg = study.register[study.register["participant_id"] != one]
    other = _copy(study, register=reg)
    text = frafall.attrition_numbers(other)["register_dekning_tekst"].text
    assert not text.startswith("alle"), text
    assert text.startswith(f"{len(study.participants) - 1} av de {len(study.participants)}")


def test_dropout_text_follows_the_data(study):
    """Bundled data: the lost differ (the generator puts that in, and the synthetic clause says so);
    with T2 response independent of every trait, the text says they do not differ."""
    num = frafall.dropout_numbers(study)
    assert "skiller seg signifikant" in num["frafall_skjevhet_tekst"].text
    assert "syntetiske" in num["frafall_skjevhet_tekst"].text
    pa = study.participants.copy()
    pa = pa.sort_values(["immigrant", "prior_paid_work", "gender"]).reset_index(drop=True)
    pa["responded_t2"] = [i % 2 == 0 for i in range(len(pa))]  # alternate inside every group
    real = _copy(study, participants=pa)
    real.descriptor = {**study.descriptor, "synthetic": False}
    text = frafall.dropout_numbers(real)["frafall_skjevhet_tekst"].text
    assert "skiller seg ikke signifikant" in text and "syntetiske" not in text


def test_chapters_no_longer_claim_full_register_coverage():
    for name in ("om-studien.qmd", "effekter-deltakere.qmd"):
        text = (ROOT / "chapters" / name).read_text(encoding="utf-8")
        assert "alle deltakerne i mai 2011" not in text
        assert 'status for alle de `{python} R["n_deltakere"]`' not in text
        assert 'R["register_dekning_tekst"]' in text


def test_analysis_n_has_every_effect(study):
    from analysis.outputs.effekter_samlet import _effect_specs

    d = frafall.analysis_n(study)
    labels = set(d["label"])
    for spec in _effect_specs(study):
        assert spec["label"] in labels
    hp = d[d["group"] == "HPMT-spørsmål ved T2"]
    assert (hp["total"] <= frafall.attrition(study).set_index("key").loc["veiledere_t2", "tiltak"]).all()


def test_generator_note_only_for_synthetic_data(study):
    notes = registry.get("tbl-frafall").compute(study).notes
    assert any("syntetiske" in x for x in notes)
    real = _copy(study)
    real.descriptor = {**study.descriptor, "synthetic": False}
    assert not any("syntetiske" in x for x in registry.get("tbl-frafall").compute(real).notes)
