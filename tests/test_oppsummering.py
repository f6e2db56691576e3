"""The closing summaries of the implementation and caseworker chapters and the opening of the participant
chapter: every comparison and count word follows the numbers, and the sentences about the generator go
away with real data."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from studies import copy_study as _copy
from analysis.outputs import implementering as im

ROOT = Path(__file__).resolve().parent.parent




def _section(chapter: str, title: str) -> str:
    text = (ROOT / "chapters" / f"{chapter}.qmd").read_text(encoding="utf-8")
    start = text.index(title)
    nxt = text.find("\n## ", start + len(title))
    return text[start: nxt if nxt > 0 else len(text)]


def _typed_numbers(prose: str) -> list[str]:
    prose = re.sub(r"```\{python\}.*?```", "", prose, flags=re.S)
    prose = re.sub(r"`\{python\}[^`]*`", "", prose)
    prose = re.sub(r"\{#[^}]*\}|\[@[^\]]*\]|@\S+|\b(?:19|20)\d\d\b|\b0 til 4\b|kapittel \d+", "", prose)
    return re.findall(r"(?<!\w)\d+(?:[.,]\d+)?", prose)  # not the digit of an abbreviation (T2, CR2)


# ---------------------------------------------------------------- implementering
def test_implementation_summary_has_no_typed_numbers_and_its_keys_exist(R):
    sec = _section("implementering", "## Oppsummering")
    assert _typed_numbers(sec) == []
    for key in re.findall(r'R\["([^"]+)"\]', sec):
        assert key in R, key


def test_answer_labels_come_from_the_codebook(study):
    labels = im.answer_labels(study)
    assert labels[0] == "ikke i det hele tatt" and labels[3] == "i noen grad" and sorted(labels) == [0, 1, 2, 3, 4]


def test_balance_words_turn_with_the_counts(study):
    base = im.implementering_summary_numbers(study)["impl_oppsummering_balanse"].text
    seg = study.qual_segments
    codes = study.qual_codes
    barrier_codes = set(codes.loc[(codes["family"] == "rammebetingelse") & (codes["direction"] == "barriere"), "code"])
    fewer = seg[~seg["code"].isin(barrier_codes) | (seg.index % 2 == 0)]
    text = im.implementering_summary_numbers(_copy(study, qual_segments=fewer))["impl_oppsummering_balanse"].text
    assert text.startswith("færre utdrag om barrierer enn om føringer"), text
    assert text != base
    more = seg[seg["code"].isin(barrier_codes) | ~seg["code"].str.startswith("rb_") | (seg.index % 2 == 0)]
    assert im.implementering_summary_numbers(_copy(study, qual_segments=more))["impl_oppsummering_balanse"].text.startswith("flere")


def test_core_component_sentence_names_every_tied_component(study):
    cc = im.core_components(study)
    text = im.implementering_summary_numbers(study)["impl_kk_oppsummering"].text
    top = cc.loc[cc["segmenter"] == cc["segmenter"].max(), "short"]
    assert all(f"«{t}»" in text.split(" opp oftest")[0] for t in top)
    # make the two most frequent components equally frequent: both are named, «hver»
    seg = study.qual_segments
    first, second = cc["code"].iloc[0], cc["code"].iloc[1]
    drop = cc["segmenter"].iloc[0] - cc["segmenter"].iloc[1]
    idx = seg.index[seg["code"] == first][:drop]
    tied = im.implementering_summary_numbers(_copy(study, qual_segments=seg.drop(idx)))["impl_kk_oppsummering"].text
    head = tied.split(" opp oftest")[0]
    assert f"«{cc['short'].iloc[0]}»" in head and f"«{cc['short'].iloc[1]}»" in head and "hver)" in tied, tied


def test_rating_word_and_goal_follow_the_answers(study):
    ht = study.caseworker_hpmt_t2.copy()
    ht["implementation_aims"] = ht["implementation_aims"].where(ht["implementation_aims"].isna(), 4)
    ht["supervisions_2012"] = ht["supervisions_2012"].where(ht["supervisions_2012"].isna(), 25.0)
    num = im.implementering_summary_numbers(_copy(study, caseworker_hpmt_t2=ht))
    assert num["impl_vurdering_svar"].text == "nærmest svaralternativet «i stor grad» (4)"
    assert num["impl_vurdering_rapport"].text.startswith("Rapporten oppga ")
    assert num["impl_veiledning_snitt_mot_mal"].text == "over"
    assert num["impl_veiledning_nadde"].text.startswith("alle de ")
    ht["supervisions_2012"] = ht["supervisions_2012"].where(ht["supervisions_2012"].isna(), 1.0)
    low = im.implementering_summary_numbers(_copy(study, caseworker_hpmt_t2=ht))
    assert low["impl_veiledning_nadde"].text.startswith("ingen av de ")
    assert low["impl_veiledning_snitt_mot_mal"].text == "under"


def test_goal_is_the_catalogued_interval_over_the_period(study):
    g = im.supervision_goal(study)
    assert g["days"] == 14 and g["goal"] == 274 // 14
    v = study.caseworker_hpmt_t2["supervisions_2012"].dropna()
    assert g["reached"] == int((v >= g["goal"]).sum())


def test_generator_sentences_go_away_with_real_data(study):
    syn = im.implementering_summary_numbers(study)
    real = im.implementering_summary_numbers(_copy(study, synthetic=False))
    for key in ("impl_kval_syntetisk", "impl_rapport_mot_data", "impl_veiledning_nadde"):
        assert "generator" in syn[key].text, key
        assert "generator" not in real[key].text and "syntetisk" not in real[key].text, key
        assert real[key].text


# ---------------------------------------------------------------- effekter for veilederne
def _with_effects(study, frame):
    """A copy of the study whose shared effect table is ``frame`` (the summary reads nothing else)."""
    from analysis.outputs import effekter_samlet as ed

    new = _copy(study)
    new.shared("effect_summary", lambda s: ed._with_holm(frame))
    return new


def test_caseworker_summary_has_no_typed_numbers_and_its_keys_exist(R):
    sec = _section("effekter-veiledere", "## Oppsummering")
    assert _typed_numbers(sec) == []
    for key in re.findall(r'R\["([^"]+)"\]', sec):
        assert key in R, key


def test_caseworker_summary_follows_the_effect_table(study):
    from analysis.outputs import effekter_samlet as ed
    from analysis.outputs import effekter_veiledere as ev

    e = ed.effect_summary(study)
    num = ev.caseworker_summary_numbers(study)
    sc = e[e["key"].str.startswith("skala_")]
    k = int((sc["rep_p"] < 0.05).sum())
    from analysis.outputs.tekst import of_words
    assert num["vs_oppsummering_individ"].text.startswith(f"På {of_words(k, len(sc))} skalaene")
    # every scale significant with every method, before and after adjustment: «alle», and the scales hold
    strong = e.copy()
    for m in ev.SUMMARY_METHODS:
        strong.loc[strong["key"].str.startswith("skala_"), f"{m}_p"] = 1e-6
    neg = ev.caseworker_summary_numbers(_with_effects(study, strong.assign(rep_est=-strong["rep_est"].abs())))
    assert neg["vs_oppsummering_individ"].text.startswith("På alle de seks skalaene fikk veilederne i "
                                                          "tiltakskontorene en signifikant lavere skår")
    strong["rep_est"] = strong["rep_est"].abs()
    s = ev.caseworker_summary_numbers(_with_effects(study, strong))
    assert s["vs_oppsummering_individ"].text.startswith("På alle de seks skalaene")
    assert s["vs_oppsummering_klynge"].text.startswith("Alle de seks holder også")
    assert s["vs_oppsummering_holm_gyldig"].text.startswith("faglig kompetanse")
    assert s["vs_oppsummering_betydning"].text.startswith("Best underbygd er effektene på")
    # nothing significant anywhere: «ingen», and no cluster sentence to confirm
    weak = e.copy()
    for m in ev.SUMMARY_METHODS:
        weak[f"{m}_p"] = 0.5
    w = ev.caseworker_summary_numbers(_with_effects(study, weak))
    assert w["vs_oppsummering_individ"].text.startswith("På ingen av de seks skalaene")
    assert w["vs_oppsummering_klynge"].text.startswith("Uten noen signifikant effekt")
    assert w["vs_oppsummering_holm_gyldig"].text == "ingen av skalaene"
    assert w["vs_oppsummering_betydning"].text.startswith("Ingen av skalaeffektene")
    # one scale significant only at the individual level: singular agreement
    one = weak.copy()
    one.loc[one["key"] == "skala_veiledning", "rep_p"] = 0.01
    o = ev.caseworker_summary_numbers(_with_effects(study, one))
    assert "Veiledning er signifikant bare på individnivå." in o["vs_oppsummering_klynge"].text
    assert o["vs_oppsummering_klynge"].text.startswith("Den holder ikke når kontorene")
    one.loc[one["key"] == "skala_veiledning", ["cr2_p", "ri_p"]] = 0.01
    o = ev.caseworker_summary_numbers(_with_effects(study, one))
    assert o["vs_oppsummering_klynge"].text.startswith("Den holder også når kontorene"), o["vs_oppsummering_klynge"].text
    one.loc[one["key"] == "skala_veiledning", "ri_p"] = 0.5
    o = ev.caseworker_summary_numbers(_with_effects(study, one))
    assert "Veiledning er signifikant med minst én av de klyngevalide" in o["vs_oppsummering_klynge"].text


def test_caseworker_generator_sentence_only_for_synthetic_data(study):
    from analysis.outputs import effekter_veiledere as ev

    syn = ev.caseworker_summary_numbers(study)["vs_oppsummering_betydning"].text
    real = ev.caseworker_summary_numbers(_copy(study, synthetic=False))["vs_oppsummering_betydning"].text
    assert "generatoren" in syn and "ICC" in syn
    assert "generator" not in real and "syntetisk" not in real and real


def test_holm_counts_say_ingen_for_zero(study, R):
    from analysis.outputs import effekter_samlet as ed

    fam = ed.effect_summary(study)
    fam = fam[fam["hovedutfall"]]
    for m in ed.P_METHODS:
        k = int((fam[f"{m}_p_holm"] < 0.05).sum())
        assert R.value(f"eff_hoved_{m}_holm_antall") == k
        assert (R[f"eff_hoved_{m}_holm_antall"] == "ingen") == (k == 0)
    for key in R:
        if key.startswith("eff_hoved_") and key.endswith("antall"):
            assert R[key] != "null", key


# ---------------------------------------------------------------- effekter for deltakerne: innledningen
def test_participant_chapter_opens_with_the_outcomes_and_their_n(R):
    text = (ROOT / "chapters" / "effekter-deltakere.qmd").read_text(encoding="utf-8")
    intro = text[text.index("{{< include /_setup.qmd >}}"): text.index("## Arbeid og aktivitet")]
    assert _typed_numbers(intro) == []
    keys = re.findall(r'R\["([^"]+)"\]', intro)
    for key in ("frafall_deltakere_t2_total", "frafall_deltakere_inntekt_total", "frafall_register_2012_11_total",
                "frafall_register_2013_05_total", "n_kontor"):
        assert key in keys, key
    assert all(k in R for k in keys)
    assert "@sec-begrensninger" in intro and "@sec-effekter-samlet" in intro
