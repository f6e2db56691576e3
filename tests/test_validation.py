import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import fmt, validation


def _raw(null_p, alt_p, covered_null, covered_alt, method="cr2", outcome="deltid"):
    return pd.DataFrame({
        "scenario": ["ingen effekt"] * len(null_p) + ["effekt"] * len(alt_p), "outcome": outcome, "method": method,
        "p": null_p + alt_p, "covered": covered_null + covered_alt,
        "truth": [0.0] * len(null_p) + [9.0] * len(alt_p)})


def test_summary_counts_rejections_mcse_at_five_percent_and_coverage_from_effect_trials_only():
    raw = _raw([0.01, 0.2, 0.6, 0.04], [0.01, 0.03, 0.5, 0.001, 0.2], [False, False, False, False], [True, True, True, False, True])
    s = validation.summarise(raw).iloc[0]
    assert s["rejections"] == 2 and s["type1"] == 0.5 and s["trials"] == 4 and s["trials_effect"] == 5
    assert s["type1_mcse"] == pytest.approx(np.sqrt(0.05 * 0.95 / 4))        # at 5 %, not at the estimate
    assert s["coverage"] == 0.8                                            # the no-effect trials do not count
    assert s["coverage_mcse"] == pytest.approx(np.sqrt(0.8 * 0.2 / 5))
    assert s["power"] == 0.6
    assert s["binom_p"] == pytest.approx(stats.binomtest(2, 4, 0.05).pvalue)


def test_verdict_is_a_binomial_test_with_holm_over_every_combination():
    n = 400
    parts = []
    # 20 of 400 rejections (5 %), 34 of 400 (8,5 %: p ≈ 0,004 alone) and 60 of 400 (15 %)
    for method, k in (("a", 20), ("b", 34), ("c", 60)):
        null = [0.01] * k + [0.5] * (n - k)
        parts.append(_raw(null, [0.5] * 10, [np.nan] * n, [np.nan] * 10, method=method))
    s = validation.summarise(pd.concat(parts)).set_index("method")
    raw_p = [stats.binomtest(k, n, 0.05).pvalue for k in (20, 34, 60)]
    np.testing.assert_allclose(s["binom_p"], raw_p)
    holm = np.minimum(1, np.maximum.accumulate(np.sort(raw_p) * [3, 2, 1]))  # Holm by hand
    np.testing.assert_allclose(np.sort(s["binom_p_holm"]), np.sort(holm))
    assert s.loc["a", "holds"] and not s.loc["c", "holds"]
    assert s.loc["b", "holds"] == (s.loc["b", "binom_p_holm"] >= 0.05)


def test_null_and_effect_scenarios_use_separate_seeds():
    tasks = validation._seeds(50, 1)
    null = {s for s, e in tasks if not e}
    eff = {s for s, e in tasks if e}
    assert len(null) == len(eff) == 50 and not null & eff


def test_true_effect_is_zero_without_effect_and_attenuated_with():
    assert validation.true_effect("deltid", 0.0) == pytest.approx(0.0, abs=1e-12)
    t = validation.true_effect("deltid", 9.4)
    assert 0 < t < 9.4 + 1
    assert validation.true_effect("faglig_kompetanse", 0.5) == 0.5


def test_true_effect_is_what_the_generator_draws():
    """The coverage yardstick: the mean arm difference in part-time work over 100 effect trials of the
    model-mode generator agrees with true_effect within 2,5 Monte Carlo SEs.  A truth that ignores that
    those in full-time work cannot be in part-time work (9,9 pp instead of 7,7) is 4 SEs off."""
    from analysis.synth.simulate import EFFECTS, Params, simulate_outcomes

    eff = EFFECTS["deltid"]
    diffs = []
    for seed in range(5000, 5100):
        f = simulate_outcomes(Params(seed=seed, effects={"deltid": eff, "faglig_kompetanse": 0.0, "heltid": 0.0}, mode="model"))
        arm = dict(zip(f["offices"]["office_id"], f["offices"]["arm"]))
        t2 = f["participant_t2"].merge(f["participants"][["participant_id", "office_id"]], on="participant_id")
        treated = (t2["office_id"].map(arm) == "tiltak").to_numpy()
        y = t2["act_deltid"].to_numpy(dtype=float) * 100
        diffs.append(y[treated].mean() - y[~treated].mean())
    mean, se = np.mean(diffs), np.std(diffs, ddof=1) / np.sqrt(len(diffs))
    assert abs(mean - validation.true_effect("deltid", eff)) < 2.5 * se
    from analysis.synth.simulate import ICCS, LATENT_SD, _expit, _logit
    from analysis.synth import targets as T

    x, w = np.polynomial.hermite_e.hermegauss(40)
    m = lambda q: np.sum(w / w.sum() * _expit(_logit(q) + LATENT_SD(ICCS["deltaker"]) * x))  # noqa: E731
    base = T.ACTIVITY_PCT["deltid"][1] / 100
    assert abs(mean - (m(base + eff / 100) - m(base)) * 100) > 3 * se


def test_a_small_parallel_run_produces_every_method_and_equals_the_serial_run():
    raw1, seconds = validation.run_raw(trials=1, seed=5, jobs=1)
    raw2, _ = validation.run_raw(trials=1, seed=5, jobs=2)
    pd.testing.assert_frame_equal(raw1, raw2)
    summary = validation.summarise(raw1)
    assert set(summary["method"]) == set(validation.METHODS) and set(summary["outcome"]) == set(validation.OUTCOMES)
    assert summary["type1"].between(0, 1).all() and seconds > 0
    assert set(raw1["seed"]) == {5, 5 + validation.EFFECT_SEED_OFFSET}


def test_committed_results_are_a_run_of_the_current_methods():
    v = pd.read_csv(validation.RESULTS)
    assert set(v["method"]) == set(validation.METHODS) and set(v["outcome"]) == set(validation.OUTCOMES)
    assert (v["trials"] == v["trials"].iloc[0]).all() and (v["trials_effect"] == v["trials"]).all()
    assert v["command"].str.startswith("python -m analysis validate-methods").all()
    assert v["command"].str.contains(f"--trials {int(v['trials'].iloc[0])} ").all()
    np.testing.assert_allclose(v["type1"], v["rejections"] / v["trials"], atol=1e-4)
    np.testing.assert_allclose(v["type1_mcse"], np.sqrt(0.05 * 0.95 / v["trials"]), rtol=1e-3)
    assert (v["holds"] == (v["binom_p_holm"] >= 0.05)).all()


def test_appendix_prints_the_trial_count_of_the_csv(study):
    from analysis.outputs import appendix

    v = pd.read_csv(validation.RESULTS)
    tab = appendix.tbl_metodevalidering(study)
    n0 = int(v["trials"].iloc[0])
    nums = appendix.validation_numbers(study)
    assert nums["val_trials"].value == n0
    assert f"{fmt.integer(n0)} forsøk uten effekt" in tab.notes[0]
    assert len(tab.frame) == len(v)
    assert (tab.frame["Vurdering"] == "holder nivået").sum() == int(v["holds"].sum())


def test_the_validation_draws_the_same_frames_as_the_full_generator():
    from analysis.synth.simulate import Params, simulate, simulate_outcomes

    p = Params(seed=3, effects={"deltid": 0.0, "faglig_kompetanse": 0.0}, mode="model")
    full, part = simulate(p), simulate_outcomes(p)
    assert set(part) == {"offices", "caseworkers", "caseworker_survey", "participants", "participant_t2"}
    for name, frame in part.items():
        pd.testing.assert_frame_equal(frame, full[name])
