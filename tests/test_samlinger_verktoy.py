"""The training (samlinger) and tool-use (verktøybruk) chapters: published claims reproduce on the bundled
data, the new outputs are registered and shown, and excerpts come from the coded data, selected by code."""

from pathlib import Path

import pytest


from analysis import qmd, registry, results
from analysis.reproduction import published

ROOT = Path(__file__).resolve().parent.parent
NEW = {
    "samlinger": ["tbl-samlinger", "tbl-kompetansebehov", "tbl-laeringstrinn", "tbl-utfordringer",
                  "fig-nytte-samlinger"],
    "verktoybruk": ["tbl-veiledninger", "tbl-fe-bruk", "tbl-nytte-veiledning-fe", "fig-fe-verktoy", "fig-fe-antall",
                    "fig-fe-prinsipper", "fig-fe-vurderinger", "tbl-fe-kommentarer"],
}


def pub(key):
    return published().set_index("key").loc[key, "value"]


# ---------------------------------------------------------------- published claims
def test_utu_june_and_december_2012(R):
    assert R["fe_utu_juni_pct"] == "56\u00a0%" and R["fe_utu_des_pct"] == "70\u00a0%"
    assert R["fe_utu_forste_maned"] == "februar 2012"


def test_mean_tools_and_principles_per_form(R):
    assert R["fe_mean_tools"] == "5,2" and R["fe_mean_principles"] == "5,6"
    assert R.value("fe_n_forms") == 1672


def test_open_questions_within_the_published_range_every_month(study, R):
    from analysis.outputs.verktoy import fe_monthly

    apne = fe_monthly(study)["apne_sporsmal"]
    lo, hi = pub("rapport_tekst_5_3_fe_apne_sporsmal_min_pct"), pub("rapport_tekst_5_3_fe_apne_sporsmal_max_pct")
    assert (lo, hi) == (85, 98)
    assert apne.round().between(lo, hi).all(), apne.round().tolist()
    assert R.value("fe_apne_maneder_innenfor_n") == len(apne) == 20


def test_ratings_within_the_published_ranges_every_month(study):
    from analysis.outputs.verktoy import RATINGS, _published_range, fe_monthly

    m = fe_monthly(study)
    assert [_published_range(cat) for _c, cat, _t in RATINGS] == [(7.0, 8.0), (7.0, 8.5)]
    for col, cat, _t in RATINGS:
        lo, hi = _published_range(cat)
        assert m[col].round(1).between(lo, hi).all(), (col, m[col].round(2).tolist())


def test_comment_fields(R):
    assert R.value("fe_kommentar1_pct") > 70
    assert abs(R.value("fe_kommentar2_pct") - 15) <= 2
    assert R.value("fe_kommentarer_n") > 1000


def test_table5_exactly(R):
    keys = ["hyppigere_enn_3av4", "omkring_3av4", "omkring_halvparten", "omkring_1av4", "sjeldnere_enn_1av4"]
    assert [R[f"rapport_tab5_tiltak_fe_forberedelse_{k}_pct"] for k in keys] == [
        f"{v}\u00a0%" for v in (9, 20, 34, 20, 17)]
    assert R.value("rapport_tab5_tiltak_n") == 35


def test_figure3_respondents_per_gathering(R):
    assert [R.value(f"rapport_fig3_tiltak_samling{k}_n") for k in (2, 3, 4, 5)] == [36, 36, 33, 19]
    assert R["rapport_tekst_5_1_samlinger_nyttig_min_pct"] == "81\u00a0%"
    assert R["rapport_tekst_5_1_samlinger_nyttig_max_pct"] == "97\u00a0%"


def test_booster_date_from_the_gatherings_file(R):
    assert R["rapport_tekst_5_3_booster_date"] == "12. og 13. september"


def test_supervision_and_fe_usefulness_table_matches_inline(study, R):
    from analysis.outputs.verktoy import usefulness_supervision_fe

    u = usefulness_supervision_fe(study).set_index("item")
    for item in u.index:
        assert sum(u.loc[item, f"n_{c}"] for c in range(5)) == u.loc[item, "n"]
    assert R.value("veiledning_nytte_n") == u.loc["veiledning", "n"]
    assert R["rapport_tekst_5_2_fe_nyttig_noen_eller_stor_share"] == R["nytte_fe_forberedelse_noen_eller_stor_pct"]


# ---------------------------------------------------------------- reproduction rows
@pytest.fixture(scope="module")
def repro(study, R):
    rep = results.reproduction(study)
    return rep[rep["source"].str.match(r"rapport-(tabell-[45]|figur-3|tekst-[45]\.)")]


def test_every_difference_in_these_sources_is_explained(repro):
    differs = repro[repro["status"] == "differs"]
    assert differs["note"].str.len().gt(0).all()
    for key in ("rapport_tab4_tiltak_veiledninger_0_pct", "rapport_fig3_tiltak_samling1_n"):
        row = differs.set_index("key").loc[key]
        assert row["note"].startswith("Motstrid i rapporten"), row["note"]


def test_table4_conflict_is_shown_not_hidden(R):
    # 15 % and 12 % cannot be shares of n = 36: the data keep n = 36 and the nearest counts
    assert R.value("rapport_tab4_tiltak_n") == 36
    assert R["rapport_tab4_tiltak_veiledninger_6plus_pct"] == "28\u00a0%"


def test_calibrated_facts_match(repro):
    rows = repro.set_index("key")
    for key in ("rapport_tekst_5_3_utu_2012_06_pct", "rapport_tekst_5_3_utu_2012_12_pct",
                "rapport_tekst_5_3_fe_tools_per_form_mean", "rapport_tekst_5_3_fe_principles_per_form_mean",
                "rapport_tekst_5_3_kommentarfelt1_pct", "rapport_tekst_5_3_kommentarfelt2_pct",
                "rapport_tekst_5_3_booster_date", *[f"rapport_fig3_tiltak_samling{k}_n" for k in (2, 3, 4, 5)]):
        assert rows.loc[key, "status"] == "match", (key, rows.loc[key, "computed"])


# ---------------------------------------------------------------- registered, shown, in prose
@pytest.mark.parametrize("chapter,label", [(c, lab) for c, labs in NEW.items() for lab in labs])
def test_output_registered_and_shown_in_its_chapter(chapter, label, study):
    out = registry.get(label)
    assert out.chapter == chapter
    text = qmd.expand(ROOT / "chapters" / f"{chapter}.qmd")
    cell = next((c for c in qmd.cells(text) if c.label == label), None)
    assert cell is not None, f"{label} not shown in {chapter}.qmd"
    assert cell.source.strip().endswith(f'book.show("{label}")')
    assert f"@{label}" in text, f"{label} is never referred to in the prose"
    result = out.compute(study)
    if out.kind == "figure":
        import matplotlib.pyplot as plt

        assert out.alt and len(out.alt) > 80
        plt.close(result)
    else:
        assert len(result.frame) >= 2 and result.notes


def test_chapters_have_no_typed_numbers_in_prose():
    """Outside cells, numbers in the prose come from R[...] (section numbers and the 0–10 scale excepted)."""
    import re

    for chapter in NEW:
        text = (ROOT / "chapters" / f"{chapter}.qmd").read_text(encoding="utf-8")
        prose = re.sub(r"```\{python\}.*?```", "", text, flags=re.S)
        prose = re.sub(r"`\{python\}[^`]*`", "", prose)
        prose = re.sub(r"\{#[^}]*\}|\[@[^\]]*\]|@\S+", "", prose)
        numbers = re.findall(r"\d+(?:[.,]\d+)?\s*%|\b\d{2,}\b", prose)
        allowed = {"2011", "2012", "2013", "10"}  # years, and the 0–10 rating scale
        assert set(numbers) <= allowed, (chapter, numbers)


# ---------------------------------------------------------------- excerpts come from the data, by code
def _excerpt_texts(table_md: str) -> list[str]:
    import re

    return re.findall(r"«([^»]+)»", table_md)


@pytest.mark.parametrize("label", ["tbl-kompetansebehov", "tbl-laeringstrinn", "tbl-utfordringer"])
def test_excerpts_are_segments_of_the_data(label, study):
    md = registry.get(label).compute(study).to_markdown()
    body = md.split("\n\n: ")[0]  # table and its notes, without the caption
    texts = [t for t in _excerpt_texts(body) if t not in ("Herav T1", "I alt")]
    assert texts, f"{label}: no excerpt"
    segments = set(study.qual_segments["text"])
    for t in texts:
        assert t in segments, f"{label}: excerpt not in qual_segments: {t!r}"
    assert "syntetisk parafrase" in body


@pytest.mark.parametrize("family", ["laeringstrinn", "utfordring_opplaering", "utfordring_veiledning"])
def test_excerpt_is_first_segment_of_most_frequent_code(family, study):
    from analysis.outputs.samlinger import family_excerpt

    codes = study.qual_codes[study.qual_codes["family"] == family]["code"]
    seg = study.qual_segments[study.qual_segments["code"].isin(codes)]
    counts = seg["code"].value_counts()
    top = sorted(counts.index, key=lambda c: (-counts[c], c))[0]
    first = seg[seg["code"] == top].sort_values("segment_id").iloc[0]
    e = family_excerpt(study, family)
    assert (e["code"], e["segment_id"], e["text"]) == (top, first["segment_id"], first["text"])


def test_coded_frequencies_cover_all_codes_and_add_up(study):
    from analysis.outputs.samlinger import coded_frequencies

    for family in ("laeringstrinn", "utfordring_opplaering", "utfordring_veiledning"):
        fr = coded_frequencies(study, family)
        codes = study.qual_codes[study.qual_codes["family"] == family]
        assert set(fr["code"]) == set(codes["code"])
        groups = fr.attrs["groups"]
        waves = [f"wave_{w}" for w in fr.attrs["waves"]]
        assert (fr[groups].sum(axis=1) == fr["total"]).all() and (fr[waves].sum(axis=1) == fr["total"]).all()
        n_seg = study.qual_segments["code"].isin(codes["code"]).sum()
        assert fr["total"].sum() == n_seg
    lt = coded_frequencies(study, "laeringstrinn")
    assert lt["stage"].tolist() == [1, 2, 3, 4, 5]
