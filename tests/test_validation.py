import numpy as np
import pandas as pd
import pytest

from analysis import validation


def test_summary_counts_rejections_and_coverage():
    raw = pd.DataFrame({
        "scenario": ["ingen effekt"] * 4 + ["effekt"] * 4, "outcome": "deltid", "method": "cr2",
        "p": [0.01, 0.2, 0.6, 0.04, 0.01, 0.03, 0.5, 0.001],
        "covered": [True, True, False, True, True, True, True, False], "truth": [0.0] * 4 + [9.0] * 4})
    s = validation.summarise(raw).iloc[0]
    assert s["type1"] == 0.5 and s["power"] == 0.75 and s["coverage"] == 0.75 and s["trials"] == 4


def test_true_effect_is_zero_without_effect_and_attenuated_with():
    assert validation.true_effect("deltid", 0.0) == pytest.approx(0.0, abs=1e-12)
    t = validation.true_effect("deltid", 9.4)
    assert 0 < t < 9.4 + 1
    assert validation.true_effect("faglig_kompetanse", 0.5) == 0.5


def test_a_small_run_produces_every_method():
    summary, seconds = validation.run(trials=1, seed=5)
    assert set(summary["method"]) == set(validation.METHODS) and set(summary["outcome"]) == set(validation.OUTCOMES)
    assert summary["type1"].between(0, 1).all() and seconds > 0


def test_committed_results_are_a_full_run():
    v = pd.read_csv(validation.RESULTS)
    assert set(v["method"]) == set(validation.METHODS)
    assert (v["trials"] >= 200).all(), "regenerate with: python -m analysis validate-methods --trials 300 --write"
    assert v["command"].str.startswith("python -m analysis validate-methods").all()
    assert np.isfinite(v["type1"]).all()
