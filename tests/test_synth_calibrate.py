"""The generator's final calibration steps (analysis/synth/calibrate.py) keep what they promise to keep."""

import numpy as np
import pandas as pd

from analysis.synth import calibrate
from analysis.synth.targets import ACTIVITY_PCT

COLS = ["so1", "so2", "so3", "so4"]


def _survey(seed=5, offices=8, per_office=6):
    """Caseworkers in ``offices`` offices (half tiltak) answering four 0-4 items at T1 and T2, noisy."""
    rng = np.random.default_rng(seed)
    rows, cw = [], []
    for o in range(1, offices + 1):
        arm = "tiltak" if o % 2 else "sammenligning"
        for j in range(per_office):
            cid = f"V{o:02d}{j}"
            cw.append((cid, o, arm))
            person = rng.normal(0, 0.3)
            for wave, shift in (("T1", 0.0), ("T2", 0.2 if arm == "tiltak" else -0.1)):
                vals = np.clip(np.rint(2.5 + person + shift + rng.normal(0, 1.0, len(COLS))), 0, 4).astype(int)
                rows.append((cid, wave, *vals))
    sv = pd.DataFrame(rows, columns=["caseworker_id", "wave", *COLS])
    return sv, pd.DataFrame(cw, columns=["caseworker_id", "office_id", "arm"])


def _totals(sv, cw):
    m = sv.merge(cw, on="caseworker_id")
    return m.groupby(["office_id", "wave"])[COLS].sum().sum(axis=1)


def test_tighten_change_keeps_office_totals_and_reaches_the_p_value():
    sv, cw = _survey()
    before = _totals(sv, cw)
    t1_before = sv[sv["wave"] == "T1"].copy()
    out = calibrate.tighten_change(sv, cw, COLS, seed=1, p_max=0.01)
    assert out["before"][1] > 0.01 >= out["after"][1]
    pd.testing.assert_series_equal(_totals(sv, cw), before)
    pd.testing.assert_frame_equal(sv[sv["wave"] == "T1"], t1_before)
    assert sv[COLS].isin(range(5)).all().all()


def test_tighten_change_leaves_data_alone_when_already_significant():
    sv, cw = _survey()
    copy = sv.copy()
    out = calibrate.tighten_change(sv, cw, COLS, seed=1, p_max=0.99)
    assert out["lam"] == 0.0
    pd.testing.assert_frame_equal(sv, copy)


def test_training_item_rises_most_and_every_answer_keeps_its_total():
    sv, cw = _survey(seed=9)
    totals = sv[COLS].sum(axis=1).copy()
    out = calibrate.training_item_rise(sv, cw, COLS, "so3", seed=2, margin=0.15)
    after = out["after"]
    assert after["so3"] >= max(v for k, v in after.items() if k != "so3") + 0.15
    pd.testing.assert_series_equal(sv[COLS].sum(axis=1), totals)
    # only the intervention arm is touched
    tl = sv["caseworker_id"].isin(cw.loc[cw["arm"] == "tiltak", "caseworker_id"])
    untouched, _ = _survey(seed=9)
    pd.testing.assert_frame_equal(sv[~tl], untouched[~tl])


def _t2(seed=4):
    """T2 respondents as the calibrated generator draws them (Table 6's ticks per arm), on another stream."""
    from analysis.synth.simulate import Params, _caseworkers, _offices, _participants, _t2 as draw_t2

    p, rng = Params(), np.random.default_rng(seed)
    off = _offices(rng, p)
    t2 = draw_t2(rng, p, _participants(rng, p, off, _caseworkers(rng, p, off)))
    return t2, list(ACTIVITY_PCT)


def test_activation_overlap_keeps_table6_counts_and_work_ticks():
    t2, acts = _t2()
    cols = [f"act_{a}" for a in acts]
    counts = t2.groupby("arm")[cols].sum()
    work = t2[["act_heltid", "act_deltid"]].copy()
    out = calibrate.activation_overlap(t2, acts, seed=3, p_max=0.04)
    assert out["before"]["p"] > 0.04 >= out["after"]["p"]
    assert out["after"]["both"] > 0
    pd.testing.assert_frame_equal(t2.groupby("arm")[cols].sum(), counts)
    pd.testing.assert_frame_equal(t2[["act_heltid", "act_deltid"]], work)
    assert (t2[cols].sum(axis=1) >= 1).all()
    several = (t2[cols].sum(axis=1) > 1).mean() * 100
    assert 18.5 <= several < 19.5  # rapport 9.1: 19 % ticked more than one
