"""The limitations section: every directional word and count follows the data."""


from studies import copy_study as _copy
from analysis.outputs import begrensninger




def test_immigrant_shares_and_direction_follow_the_data(study):
    num = begrensninger.limitation_numbers(study)
    arm = study.participants["office_id"].map(study.arm_of_office)
    imm = study.participants["immigrant"].astype(bool)
    t, c = imm[arm == "tiltak"].mean() * 100, imm[arm == "sammenligning"].mean() * 100
    assert num["begr_innvandrer_tiltak_pct"].value == t
    assert num["begr_innvandrer_retning"].text == ("høyere" if t > c else "lavere")
    # swap the arms: the word turns
    offices = study.offices.copy()
    offices["arm"] = offices["arm"].map({"tiltak": "sammenligning", "sammenligning": "tiltak"})
    swapped = begrensninger.limitation_numbers(_copy(study, offices=offices))
    assert swapped["begr_innvandrer_retning"].text != num["begr_innvandrer_retning"].text


def test_outcome_counts_and_chance_findings(study):
    from analysis.outputs.effekter_samlet import _effect_specs

    k = len(_effect_specs(study))
    num = begrensninger.limitation_numbers(study)
    assert num["begr_utfall_antall"].value == k
    assert abs(num["begr_minst_en_falsk_pct"].value - (1 - 0.95 ** k) * 100) < 1e-9
    src = begrensninger.outcome_sources(study)
    assert sum(len(v) for v in src.values()) == k and all(src.values())


def test_register_text_follows_coverage_and_synthetic_flag(study):
    text = begrensninger.limitation_numbers(study)["begr_register_tekst"].text
    gaps = study.register.groupby("period")["participant_id"].nunique()
    if (gaps < len(study.participants)).any():
        assert text.startswith("Registeruttrekkene mangler")
    # only the participants found in every extract, and real data: «alle», no generator sentence
    every = study.register.groupby("participant_id")["period"].nunique()
    keep = set(every[every == every.max()].index)
    pa = study.participants[study.participants["participant_id"].isin(keep)]
    t2 = study.participant_t2[study.participant_t2["participant_id"].isin(keep)]
    reg = study.register[study.register["participant_id"].isin(keep)]
    full = _copy(study, synthetic=False, participants=pa, participant_t2=t2, register=reg)
    text = begrensninger.limitation_numbers(full)["begr_register_tekst"].text
    assert text.startswith(f"Registeruttrekkene omfatter alle de {len(pa)}"), text
    assert "syntetiske" not in text
    assert "syntetiske" not in begrensninger.limitation_numbers(full)["begr_rekruttering_tekst"].text


def test_generator_sentences_follow_the_generator_mode(study):
    calibrated = begrensninger.limitation_numbers(study)["begr_rekruttering_tekst"].text
    assert "kalibrert til rapportens tabell 1" in calibrated
    drawn = _copy(study)
    drawn.descriptor = {**study.descriptor, "generator": {"params": {"mode": "model"}}}
    text = begrensninger.limitation_numbers(drawn)["begr_rekruttering_tekst"].text
    assert "kalibrert" not in text and "egenskap ved generatoren" in text
    assert "gå opp" not in begrensninger.limitation_numbers(drawn)["begr_register_tekst"].text
