"""The competence-development chapter (the report's chapter 8): its tables are registered and shown, their
numbers add up and agree with the inline numbers, the excerpts are segments of the data chosen by the stated
rule, the count and comparison words follow the numbers, and the sentence about the generator follows the
descriptor."""

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import qmd, registry, words
from analysis.data import StudyData, read_yaml
from analysis.outputs import kompetanse as ku

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "kompetanseutvikling"
LABELS = ["tbl-kompetanse-temaer", "tbl-kompetanse-koder", "tbl-kompetanse-sitater"]


def family_segments(study) -> pd.DataFrame:
    c = study.qual_codes[study.qual_codes["family"] == ku.FAMILY]
    return study.qual_segments.merge(c[["code", "theme", "area", "direction"]], on="code")


def with_descriptor(study, **changes) -> StudyData:
    return StudyData(study.folder, dict(study.frames), {**study.descriptor, **changes}, study.checksum)


# ---------------------------------------------------------------- registered and shown
@pytest.mark.parametrize("label", LABELS)
def test_output_registered_and_shown_in_its_chapter(label, study):
    out = registry.get(label)
    assert out.chapter == CHAPTER
    text = qmd.expand(ROOT / "chapters" / f"{CHAPTER}.qmd")
    cell = next((c for c in qmd.cells(text) if c.label == label), None)
    assert cell is not None, f"{label} not shown in {CHAPTER}.qmd"
    assert cell.source.strip().endswith(f'book.show("{label}")')
    assert f"@{label}" in text, f"{label} is never referred to in the prose"
    result = out.compute(study)
    assert len(result.frame) >= 2 and result.notes


def test_chapter_follows_implementering_in_the_book(chapters):
    stems = [p.stem for p in chapters]
    assert stems.index(CHAPTER) == stems.index("implementering") + 1


def test_chapter_has_no_typed_numbers_in_prose():
    text = (ROOT / "chapters" / f"{CHAPTER}.qmd").read_text(encoding="utf-8")
    prose = re.sub(r"```\{python\}.*?```", "", text, flags=re.S)
    prose = re.sub(r"`\{python\}[^`]*`", "", prose)
    prose = re.sub(r"\{#[^}]*\}|\[@[^\]]*\]|@\S+", "", prose)
    assert re.findall(r"\d+(?:[.,]\d+)?\s*%|\b\d{2,}\b", prose) == []


def test_every_inline_key_is_made_by_the_module(study):
    text = (ROOT / "chapters" / f"{CHAPTER}.qmd").read_text(encoding="utf-8")
    keys = set(re.findall(r'R\["([^"]+)"\]', text))
    made = ku.kompetanse_numbers(study)
    assert keys and keys <= set(made), sorted(keys - set(made))


# ---------------------------------------------------------------- numbers add up
def test_theme_counts_add_up_and_match_the_data(study):
    seg = family_segments(study)
    th = ku.themes(study)
    assert set(th["theme"]) == set(study.qual_codes.loc[study.qual_codes["family"] == ku.FAMILY, "theme"])
    assert th["segmenter"].sum() == len(seg) > 0
    arms = th[[f"arm_{a}" for a in ku.ARMS]].sum(axis=1)
    assert (arms == th["segmenter"]).all()
    waves = th[[f"bolge_{w}" for w in ku.WAVES]].sum(axis=1)
    assert (waves == th["segmenter"]).all()
    for r in th.itertuples(index=False):
        sub = seg[seg["theme"] == r.theme]
        assert r.segmenter == len(sub) and r.kilder == sub["source_id"].nunique()
        # informants: the people in each interview source behind the theme, counted once per source
        src = study.qual_sources[study.qual_sources["source_id"].isin(sub["source_id"])]
        assert r.informanter == int(src["n_informants"].fillna(0).sum())


def test_code_counts_add_up_to_the_themes(study):
    cc = ku.code_counts(study)
    th = ku.themes(study).set_index("theme")
    by_theme = cc.groupby("theme")["segmenter"].sum()
    assert by_theme.to_dict() == th["segmenter"].to_dict()
    groups = cc[[f"gruppe_{g}" for g in ku.GROUP_ORDER]].sum(axis=1)
    waves = cc[[f"bolge_{w}" for w in ku.WAVES]].sum(axis=1)
    assert (groups == cc["segmenter"]).all() and (waves == cc["segmenter"]).all()


def test_theme_table_total_row_is_the_whole_family(study):
    t = registry.get("tbl-kompetanse-temaer").compute(study).frame
    total = t.iloc[-1]
    assert total["Tema"] == "**Alle temaer**"
    assert int(total["Utdrag i alt"].replace("\u00a0", "")) == len(family_segments(study))
    assert [int(v.replace("\u00a0", "")) for v in t["Utdrag i alt"].iloc[:-1]] == ku.themes(study)["segmenter"].tolist()


def test_inline_numbers_agree_with_the_tables(study, R):
    seg = family_segments(study)
    th, cc = ku.themes(study), ku.code_counts(study)
    assert R.value("ku_utdrag_n") == len(seg)
    assert R.value("ku_koder_n") == len(cc)
    assert R.value("ku_topp_tema_n") == th["segmenter"].max()
    assert R.value("ku_minst_tema_n") == th["segmenter"].min()
    top = th.loc[th["segmenter"] == th["segmenter"].max(), "label"].iloc[0]
    assert R["ku_topp_tema"].startswith("«" + top[:1].lower() + top[1:] + "»")
    comp = th[th["arm_sammenligning"] > 0]
    assert R["ku_sammenligning_temaer"].startswith(words.count(len(comp), "tema", "temaer", gender="n"))
    for area in ku.AREAS:
        assert R.value(f"ku_praksis_{area}_n") == cc.loc[cc["area"] == area, "segmenter"].sum()
    bf = th.set_index("theme").loc["barrierer", "segmenter"]
    assert R.value("ku_barriere_utdrag_n") + R.value("ku_foring_utdrag_n") == bf
    for arm in ku.ARMS:
        k = int((seg["office_group"] == arm).sum())
        assert R["ku_" + arm + "_utdrag"] == words.count(k, "utdrag", "utdrag", gender="n")


def test_comparison_words_follow_the_numbers(R):
    nb, nf = R.value("ku_barriere_utdrag_n"), R.value("ku_foring_utdrag_n")
    word = "flere" if nb > nf else "færre" if nb < nf else "like mange"
    assert R["ku_barriere_mot_foring"].startswith(word)
    t1, t2 = R.value("ku_syn_t1_pct"), R.value("ku_syn_t2_pct")
    assert R["ku_syn_t2_mot_t1"] == ("større" if t2 > t1 else "mindre" if t2 < t1 else "like stor")


def test_count_words_have_zero_one_many_grammar():
    assert ku._share_of(0, 15, "intervjuene") == "ingen av intervjuene"
    assert ku._share_of(15, 15, "intervjuene") == "alle intervjuene"
    assert ku._share_of(10, 15, "intervjuene") == "de fleste av intervjuene"
    assert ku._share_of(2, 15, "intervjuene") == "få av intervjuene"
    assert ku._comparison(3, 3, "føringene") == "like mange utdrag som føringene"
    assert ku._comparison(1, 4, "føringene") == "færre utdrag enn føringene"
    assert ku._extreme(pd.Series(["a", "b", "c"]), pd.Series([2, 5, 5]), max) == ("b og c", 5)
    assert ku._extreme(pd.Series(["a", "b", "c"]), pd.Series([2, 5, 5]), min) == ("a", 2)


# ---------------------------------------------------------------- excerpts
def test_excerpts_are_segments_chosen_by_the_rule(study):
    seg = family_segments(study)
    ex = ku.excerpts(study)
    assert ex["code"].is_unique and set(ex["code"]) == set(seg["code"])
    rank = {w: i for i, w in enumerate(ku.WAVES)}
    for r in ex.itertuples(index=False):
        g = seg[seg["code"] == r.code]
        counts = g["informant_role"].value_counts()
        best = [x for x in ku.GROUP_ORDER if counts.get(x, 0) == counts.max()][0]
        assert r.informant_role == best
        mine = g[g["informant_role"] == best]
        latest = max(mine["wave"], key=rank.get)
        first = mine[mine["wave"] == latest].sort_values("segment_id").iloc[0]
        assert (r.segment_id, r.text) == (first["segment_id"], first["text"])
    md = registry.get("tbl-kompetanse-sitater").compute(study).to_markdown()
    texts = re.findall(r"«([^»]+)»", md)
    assert len(texts) == len(ex) and set(texts) <= set(seg["text"])
    if study.synthetic:
        assert md.count("(syntetisk parafrase)") == len(ex)


def test_generator_respects_office_groups_and_voice(study):
    """Bundled data: a code limited to some office groups never comes from another, and observations yield
    field notes, interviews the informant's own words."""
    bank = {c["code"]: c for c in read_yaml(ROOT / "analysis" / "synth" / "qualitative_bank.yaml")["codebook"]
            if c["family"] == ku.FAMILY}
    seg = family_segments(study).merge(study.qual_sources[["source_id", "kind"]], on="source_id")
    for r in seg.itertuples(index=False):
        code = bank[r.code]
        assert r.office_group in code.get("office_groups", [r.office_group]), (r.segment_id, r.office_group)
        voice = {e["text"].strip(): e.get("voice") for e in code["excerpts"]}
        assert (voice[r.text] == "observasjon") == (r.kind == "observasjon"), r.segment_id
    others = study.qual_segments[~study.qual_segments["code"].isin(bank)]
    assert others["segment_id"].max() < seg["segment_id"].min()  # drawn after, leaving the others unchanged


# ---------------------------------------------------------------- synthetic or real
def test_generator_sentence_only_for_synthetic_data(study):
    assert study.synthetic
    said = ku.kompetanse_numbers(study)["ku_merknad_syntetisk"].text
    assert "syntetiske generatoren" in said
    real = with_descriptor(study, synthetic=False)
    plain = ku.kompetanse_numbers(real)["ku_merknad_syntetisk"].text
    assert plain and "generator" not in plain and "syntetisk" not in plain


def test_t2_office_sentence_follows_the_counts():
    assert "forenkling i generatoren" in ku.t2_office_sentence(15, 15, synthetic=True)
    assert ku.t2_office_sentence(15, 15, synthetic=False).startswith("Alle de 15 T2-intervjuene")
    assert ku.t2_office_sentence(8, 15, synthetic=True) == "Åtte av de 15 T2-intervjuene med veiledere er fra tiltakskontorene."
    assert ku.t2_office_sentence(0, 15, synthetic=False).startswith("Ingen av de 15")


def test_missing_family_is_a_clear_norwegian_error(study):
    frames = dict(study.frames)
    frames["qual_codes"] = study.qual_codes[study.qual_codes["family"] != ku.FAMILY]
    broken = StudyData(study.folder, frames, study.descriptor, study.checksum)
    with pytest.raises(ValueError, match="ingen koder i familien «kompetanseutvikling»"):
        ku.codes(broken)


def test_adding_the_family_leaves_the_other_segments_unchanged(monkeypatch):
    """The competence family is drawn from its own stream: without it, every other segment is the same."""
    import numpy as np

    from analysis.synth import forms as sim  # the qualitative material is drawn in synth/forms.py

    from analysis.synth.simulate import Params

    p = Params()
    _src, all_codes, full = sim._qualitative(np.random.default_rng(5), p)
    mine = set(all_codes.loc[all_codes["family"] == ku.FAMILY, "code"])
    bank = sim._bank()
    monkeypatch.setattr(sim, "_bank", lambda: {**bank, "codebook": [c for c in bank["codebook"]
                                                                   if c["family"] != ku.FAMILY]})
    _src, codes, without = sim._qualitative(np.random.default_rng(5), p)
    assert ku.FAMILY not in set(codes["family"])
    others = full[~full["code"].isin(mine)].reset_index(drop=True)
    assert len(others) == len(without) > 0
    pd.testing.assert_frame_equal(others, without)
    assert full["code"].isin(mine).sum() > 0


def test_validation_requires_a_theme_for_competence_codes_only(tmp_path):
    import shutil

    from analysis.data import validate

    d = tmp_path / "d"
    shutil.copytree(ROOT / "data", d)
    codes = pd.read_csv(d / "qual_codes.csv", dtype=str, keep_default_na=False)
    i_ku = codes.index[codes["family"] == ku.FAMILY][0]
    i_other = codes.index[codes["family"] != ku.FAMILY][0]
    codes.loc[i_ku, "theme"] = ""
    codes.loc[i_other, "theme"] = "mestring"
    codes.to_csv(d / "qual_codes.csv", index=False, lineterminator="\n")
    problems = validate(d)
    assert f"qual_codes.csv:{i_ku + 2}: kolonne 'theme' verdi '' — påkrevd for koder i familien kompetanseutvikling" in problems
    assert any(p.startswith(f"qual_codes.csv:{i_other + 2}: kolonne 'theme' verdi 'mestring' — bare for") for p in problems)
