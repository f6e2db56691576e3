"""The effect chapters: published p-values reproduce, every effect has every method, NNT logic."""

import math

import numpy as np
import pytest

from analysis import results
from analysis.data import load
from analysis.outputs import effekter_deltakere as ed
from analysis.outputs import effekter_samlet as es
from analysis.outputs import effekter_veiledere as ev


@pytest.fixture(scope="module")
def study():
    return load()


@pytest.fixture(scope="module")
def R(study):
    return results.compute(study)


@pytest.mark.parametrize("key,published", [("rapport_tab8_diff_inntekt_p", 0.006), ("rapport_tab9_diff_heltid_p", 0.495),
                                           ("rapport_tab9_diff_deltid_p", 0.003)])
def test_published_income_pvalues_reproduce(R, key, published):
    assert round(R.value(key), 3) == pytest.approx(published)


@pytest.mark.parametrize("key,published", [("rapport_tekst_9_2_fig13_diff_2012_11_p", 0.036), ("rapport_tekst_9_2_fig13_diff_2013_05_p", 0.038),
                                           ("rapport_tekst_9_2_fig14_diff_2012_11_p", 0.097), ("rapport_tekst_9_2_fig14_diff_2013_05_p", 0.085)])
def test_register_pvalues_within_rounding(R, key, published):
    # the register shares are calibrated exactly; integer denominators allow the p-values only to ±0,002
    assert abs(R.value(key) - published) <= 0.002


def test_table6_and_table7_published(R):
    assert R["rapport_tab6_tiltak_deltid_pct"] == "19,0"
    assert R["rapport_tab6_sammenligning_deltid_pct"] == "9,6"
    assert R["rapport_tab7_diff_deltid_aar_pct"] == "9,4"
    assert R["rapport_tab7_diff_deltid_nnt"] == "11"


def test_summary_has_every_effect_and_method(study):
    e = es.effect_summary(study)
    assert len(e) == 15
    expected = {f"skala_{s}" for s in ("faglig_kompetanse", "veiledning", "relasjonell_allianse", "mote_med_bruker",
                                       "systemorientert", "forvaltning")}
    expected |= {"deltid", "heltid", "arbeid", "aktivering", "inntekt", "selvhjulpen_2012_11", "selvhjulpen_2013_05",
                 "registerarbeid_2012_11", "registerarbeid_2013_05"}
    assert set(e["key"]) == expected
    assert e["wcr_p"].between(0, 1).all() and (e["wcr_draws"] == 9999).all()
    for m in ("rep", "cl", "cr2", "mm"):
        for col in ("est", "lo", "hi", "p"):
            assert e[f"{m}_{col}"].notna().all(), f"{m}_{col}"
        assert (e[f"{m}_lo"] <= e[f"{m}_est"]).all() and (e[f"{m}_est"] <= e[f"{m}_hi"]).all()
    assert e["ri_p"].between(0, 1).all() and e["ri_p"].gt(0).all()
    assert e[["icc", "deff", "cr2_df"]].notna().all().all()
    # the report's estimate and the CR2 estimate are the same regression
    np.testing.assert_allclose(e["rep_est"], e["cr2_est"], rtol=1e-8)
    tab = es.tbl_effekter_samlet(study)
    assert len(tab.frame) == len(e)


def test_caseworker_report_method_matches_tbl_skalaer(study):
    e = es.effect_summary(study).set_index("key")
    ef = ev.effects(study).set_index("scale")
    for scale, r in ef.iterrows():
        assert e.loc[f"skala_{scale}", "rep_p"] == pytest.approx(r["p_ancova"])
        assert e.loc[f"skala_{scale}", "rep_est"] == pytest.approx(r["ancova"])


def test_deltid_reproduces_chi_square_and_office_level(study):
    e = es.effect_summary(study).set_index("key")
    a = ed.activity(study).set_index("code")
    assert e.loc["deltid", "rep_p"] == pytest.approx(a.loc["deltid", "p"])
    inc = ed.income(study)
    assert e.loc["inntekt", "rep_p"] == pytest.approx(inc["p"])


def test_nnt_interval_logic():
    lo, hi = ed.nnt_interval(2.0, 10.0)
    assert (lo, hi) == (pytest.approx(10.0), pytest.approx(50.0))
    lo, hi = ed.nnt_interval(-5.0, 10.0)
    assert lo == pytest.approx(10.0) and math.isinf(hi)
    assert "∞" in ed._nnt_text(-5.0, 10.0) and "NNTH" in ed._nnt_text(-5.0, 10.0)
    assert "∞" not in ed._nnt_text(2.0, 10.0)


def test_tbl_nnt_rows(study):
    d = ed.nnt(study).set_index("key")
    assert list(d.index) == ["deltid", "heltid", "arbeid"]
    assert d.loc["heltid", "lo"] < 0 < d.loc["heltid", "hi"]
    assert math.isinf(d.loc["heltid", "nnt_hi"])
    assert "∞" in ed.tbl_nnt(study).frame.iloc[1, 4]


def test_weighted_shares_sum_to_100(study):
    w = ed.weighted_activity(study)
    for arm in ("tiltak", "sammenligning"):
        assert w[f"wpct_{arm}"].sum() == pytest.approx(100.0, abs=1.0)


def test_ipw_weights_and_adjusted_models(study):
    d = ed.deltid_adjusted(study)
    assert list(d["key"]) == ["ujustert", "justert", "ipw"]
    assert (d["odds_ratio"] > 0).all()
    assert d.attrs["w_min"] > 0


def test_randomisation_is_fast_for_all_outcomes(study):
    import time

    from analysis.stats import randomisation

    e = es.effect_summary(study)
    Y = np.random.default_rng(0).normal(size=(18, len(e)))
    treated = np.array([study.arm_of_office[o] == "tiltak" for o in sorted(study.arm_of_office)], dtype=float)
    t0 = time.perf_counter()
    randomisation.randomisation_pvalues(Y, treated)
    assert time.perf_counter() - t0 < 1.0


def test_figures_build(study):
    import matplotlib.pyplot as plt

    for f in (es.fig_effekter_samlet, ev.fig_kompetanse_pastander):
        fig = f(study)
        assert fig.axes
        plt.close(fig)


def test_cronbach_alpha_equals_pingouin(study):
    """The book's alpha is pingouin's (kept out of the book only for its import time)."""
    import numpy as np
    import pandas as pd
    import pingouin as pg

    from analysis.outputs.common import SCALES, cronbach_alpha
    from analysis.synth.simulate import item_columns

    sv = study.caseworker_survey
    for scale in SCALES:
        items = sv.loc[sv["wave"] == "T1", item_columns(scale)].astype("float64").dropna()
        if items.shape[1] > 1:
            assert cronbach_alpha(items) == pytest.approx(pg.cronbach_alpha(items)[0], abs=1e-12)
    rng = np.random.default_rng(4)
    x = pd.DataFrame(rng.normal(size=(50, 4)) + rng.normal(size=(50, 1)))
    x.iloc[::7, 2] = np.nan  # pairwise-complete covariances, as pingouin's default
    assert cronbach_alpha(x) == pytest.approx(pg.cronbach_alpha(x)[0], abs=1e-12)


def test_holm_within_each_method_over_the_declared_family(study):
    from analysis.outputs.common import MAIN_OUTCOMES

    e = es.effect_summary(study)
    fam = e[e["hovedutfall"]]
    assert set(fam["key"]) == set(MAIN_OUTCOMES) and len(fam) == 10
    assert e.loc[~e["hovedutfall"], "rep_p_holm"].isna().all()
    for m in es.P_METHODS:
        p = fam[f"{m}_p"].to_numpy()
        # Holm by hand: sorted p times (k − rank), running maximum, capped at 1
        order = np.argsort(p)
        adj = np.minimum(1, np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order]))
        hand = np.empty_like(adj)
        hand[order] = adj
        np.testing.assert_allclose(fam[f"{m}_p_holm"], hand, rtol=1e-12)
    tab = es.tbl_effekter_samlet(study).frame
    row = tab[tab["Effekt"].str.startswith("Faglig kompetanse")].iloc[0]
    assert row["Effekt"].endswith("†") and "(" in row.iloc[5]
    assert "(" not in tab[tab["Effekt"].str.startswith("Arbeid i alt")].iloc[0].iloc[5]


def test_holm_words_follow_the_numbers(study, R):
    e = es.effect_summary(study)
    fam = e[e["hovedutfall"]]
    k = int((fam["rep_p_holm"] < 0.05).sum())
    assert R.value("eff_hoved_rep_holm_antall") == k
    assert (R["eff_hoved_rep_holm"] == "ingen") == (k == 0)


def test_wild_bootstrap_column_is_the_cr2_regression_bootstrapped(study):
    from analysis.stats import wild

    e = es.effect_summary(study).set_index("key")
    spec = next(sp for sp in es._effect_specs(study) if sp["key"] == "inntekt")
    d = spec["d"]
    X = np.column_stack([np.ones(len(d)), (d["arm"] == "tiltak").astype(float)])
    r = wild.wild_cluster_bootstrap(X, d["y"].to_numpy(), d["office_id"].to_numpy(), B=9999, seed=es.WILD_SEED)
    assert e.loc["inntekt", "wcr_p"] == r.p
    # another seed: the same p to Monte Carlo error
    r2 = wild.wild_cluster_bootstrap(X, d["y"].to_numpy(), d["office_id"].to_numpy(), B=9999, seed=1)
    assert abs(r2.p - r.p) < 4 * np.sqrt(2 * r.p * (1 - r.p) / 9999) + 1e-3
    tab = es.tbl_effekter_samlet(study).frame
    assert "Wild bootstrap: p" in tab.columns


def test_main_outcomes_are_the_main_effects_of_the_office_chapter():
    from analysis.outputs.common import MAIN_OUTCOMES, SCALES
    from analysis.outputs.kontor import LOO_EFFECTS

    as_keys = {f"skala_{k}" if k in SCALES else {"selvhjulpen": "selvhjulpen_2013_05"}.get(k, k) for k in LOO_EFFECTS}
    assert as_keys == set(MAIN_OUTCOMES)
    assert "mai 2013" in LOO_EFFECTS["selvhjulpen"][0]


def test_nnt_cr2_interval_is_the_summary_tables_cr2_interval(study):
    e = es.effect_summary(study).set_index("key")
    d = ed.nnt(study).set_index("key")
    for key in ("deltid", "heltid", "arbeid"):
        assert d.loc[key, "cr2_lo"] == pytest.approx(e.loc[key, "cr2_lo"], rel=1e-10)
        assert d.loc[key, "cr2_hi"] == pytest.approx(e.loc[key, "cr2_hi"], rel=1e-10)


def test_no_odds_ratio_is_printed_when_an_arm_has_no_part_time_work(study, tmp_path):
    """Complete separation (no one in part-time work in the intervention arm): the logistic models
    have no finite estimate. The table says «kan ikke beregnes» instead of «0,00 [0,00; ∞]», the
    note and the text say why, and the risk differences are still given."""
    import warnings

    from analysis import registry
    from analysis.data import StudyData

    frames = {k: v.copy() for k, v in study.frames.items()}
    p2 = frames["participant_t2"]
    arm = p2["participant_id"].map(dict(zip(frames["participants"]["participant_id"],
                                            frames["participants"]["office_id"]))).map(
        dict(zip(frames["offices"]["office_id"], frames["offices"]["arm"])))
    moved = (arm == "tiltak") & p2["act_deltid"].astype(bool)
    assert moved.sum() > 0
    p2.loc[moved, "act_deltid"] = False
    s = StudyData(study.folder, frames, study.descriptor, study.checksum + "-separert")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning or overflow on the way
        d = ed.deltid_adjusted(s)
        t = registry.get("tbl-deltid-justert").compute(s)
        R = results.compute(s).complete()
    assert not d["estimable"].any() and d["rd"].notna().all()
    assert set(t.frame["Oddsratio"]) == {"kan ikke beregnes"} and "∞" not in t.frame.to_string()
    assert "ingen i tiltaksgruppen er i deltidsarbeid" in t.notes[-1]
    assert R["ord_deltid_oddsratio"].startswith("Oddsratioen kan ikke beregnes: ingen i tiltaksgruppen")
    assert ed.deltid_adjusted(study)["estimable"].all()  # the bundled data: three odds ratios
