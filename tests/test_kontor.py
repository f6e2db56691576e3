"""Office-level outputs: disclosure control (primary and secondary suppression), the +/0/− rule,
the leave-one-office-out re-estimation, and the implementation chapter's coded tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import disclosure, registry
from analysis.outputs import kontor

HIDE = disclosure.SUPPRESSED


# ---------------------------------------------------------------- the rule itself
def test_min_cell_default_and_override(monkeypatch):
    monkeypatch.delenv(disclosure.ENV, raising=False)
    assert disclosure.min_cell() == disclosure.MIN_CELL == 5
    monkeypatch.setenv(disclosure.ENV, "10")
    assert disclosure.min_cell() == 10
    monkeypatch.setenv(disclosure.ENV, "tre")
    with pytest.raises(ValueError):
        disclosure.min_cell()


def test_secondary_suppression_in_each_group():
    counts = [3, 8, 20, 6, 9, 30]
    groups = ["a", "a", "a", "b", "b", "b"]
    mask = disclosure.suppress(counts, groups, k=5)
    # group a: 3 is primary, 8 (smallest of the rest) secondary; group b: nothing
    assert mask.tolist() == [True, True, False, False, False, False]
    # a group with two primary cells needs no secondary one
    assert disclosure.suppress([2, 4, 50], None, k=5).tolist() == [True, True, False]
    assert not disclosure.suppress([5, 6, 7], None, k=5).any()


# ---------------------------------------------------------------- a trial with small offices
@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    from analysis.data import load
    from analysis.synth.simulate import Params, simulate, write_package

    p = Params(seed=5, offices=10, scale=0.3)
    out = write_package(simulate(p), tmp_path_factory.mktemp("small") / "data", p)
    return load(out)


def _office_rows(frame: pd.DataFrame, first_col: str) -> pd.DataFrame:
    """The rows of an office table that are offices (not group headings or totals), indexed by office id."""
    rows = frame[frame[first_col].astype(str).str.fullmatch(r"\d+")]
    return rows.set_index(rows[first_col].astype(int))


def _no_single_suppression(cells: pd.Series, groups: pd.Series):
    for g, sub in cells.groupby(groups):
        hidden = int((sub == HIDE).sum())
        assert hidden != 1 or len(sub) == 1, f"group {g}: exactly one suppressed cell can be backed out of the total"


def test_min_cell_per_kind(monkeypatch):
    """Counts and shares of participants and mean ratings by caseworkers have their own minimum."""
    monkeypatch.delenv(disclosure.ENV, raising=False)
    monkeypatch.delenv(disclosure.ENV_RATING, raising=False)
    assert disclosure.min_cell("vurderinger") == disclosure.MIN_RATING == 3
    assert not disclosure.suppress([3, 4, 5], kind="vurderinger").any()
    assert disclosure.suppress([3, 4, 5], kind="personer").tolist() == [True, True, False]
    monkeypatch.setenv(disclosure.ENV_RATING, "6")
    assert disclosure.min_cell("vurderinger") == 6 and disclosure.min_cell("personer") == 5
    monkeypatch.setenv(disclosure.ENV_RATING, "x")
    with pytest.raises(ValueError, match=disclosure.ENV_RATING):
        disclosure.min_cell("vurderinger")
    monkeypatch.delenv(disclosure.ENV_RATING)
    note = disclosure.note(("vurderinger", "personer"))
    assert "færre enn 3 veiledere" in note and "færre enn 5 deltakere" in note
    assert disclosure.ENV in note and disclosure.ENV_RATING in note


def test_small_offices_are_suppressed_everywhere(small_study, monkeypatch):
    monkeypatch.delenv(disclosure.ENV, raising=False)
    monkeypatch.delenv(disclosure.ENV_RATING, raising=False)
    k = disclosure.min_cell()
    kr = disclosure.min_cell("vurderinger")
    seen_small = 0

    # Tables 10–12: one column group per measure, with the «all offices» total row
    t = registry.get("tbl-kontor-implementering").compute(small_study)
    im = kontor.implementation_by_office(small_study).set_index("office_id")
    rows = _office_rows(t.frame, "Tiltakskontor")
    for col, (_tab, _item, label) in kontor.IMPLEMENTATION.items():
        for office, r in rows.iterrows():
            if im.loc[office, f"{col}_n"] < kr:
                seen_small += 1
                assert r[label] == HIDE, f"{label}, office {office}: n < {kr} but shown"
        _no_single_suppression(rows[label], pd.Series("alle", index=rows.index))
    assert any(f"færre enn {kr} veiledere" in n for n in t.notes)

    # Table 13: scales (caseworkers), work shares (participants), register share; groups = arms
    t = registry.get("tbl-kontorfunn").compute(small_study)
    of = kontor.office_findings(small_study).set_index("office_id")
    rows = _office_rows(t.frame, "Kontor")
    arm = of["arm"].reindex(rows.index)
    n_scale = of[["n_veiledere_t1", "n_veiledere_t2"]].min(axis=1)
    denom = of["n_deltakere_t2"] if kontor.SURVEY_DENOMINATOR == "t2" else of["n_deltakere"]
    checks = [(kontor.SHORT_SCALE[s], n_scale, kr) for s in kontor.SCALES] + [
        ("Heltid, 18 mnd. (%)", denom, k), ("Deltid, 18 mnd. (%)", denom, k),
        ("Selvhjulpen, mai 2013 (%)", of["n_register"], k)]
    for label, counts, kk in checks:
        for office in rows.index:
            if counts[office] < kk:
                seen_small += 1
                assert rows.loc[office, label] == HIDE, f"{label}, office {office}: n < {kk} but shown"
        _no_single_suppression(rows[label], arm)
    assert any(f"færre enn {kr} veiledere" in n and f"færre enn {k} deltakere" in n for n in t.notes)

    # Appendix 1 table: same rule as the scales
    t = registry.get("tbl-kontor-skalaer").compute(small_study)
    rows = _office_rows(t.frame, "Kontor")
    for s in kontor.SCALES:
        label = kontor.SHORT_SCALE[s]
        for office in rows.index:
            if n_scale[office] < kr:
                assert rows.loc[office, label] == HIDE
        _no_single_suppression(rows[label], arm)
    assert any(f"færre enn {kr} veiledere" in n for n in t.notes)

    # recruitment
    t = registry.get("tbl-rekruttering").compute(small_study)
    rows = _office_rows(t.frame, "Kontor")
    for office in rows.index:
        if of.loc[office, "n_deltakere"] < k:
            seen_small += 1
            assert rows.loc[office, "Rekruttert til studien"] == HIDE
            assert rows.loc[office, "Andel av måltallet (%)"] == HIDE
    _no_single_suppression(rows["Rekruttert til studien"], arm)
    assert any(f"færre enn {k} deltakere" in n for n in t.notes)

    assert seen_small > 0, "the small-office data set should have cells below the minimum"


def test_implementation_figure_marks_suppressed_offices_without_a_value(small_study):
    import matplotlib.pyplot as plt

    from analysis.outputs.kontor_figurer import implementation_points

    fig = registry.get("fig-implementering-veiledning").compute(small_study)
    pts = implementation_points(small_study)
    mask = kontor.implementation_masks(small_study)
    for r in pts[pts["office_id"].notna()].itertuples():
        assert (r.status == "skjermet") == bool(mask.loc[int(r.office_id), r.measure])
        assert np.isnan(r.value) == (r.status != "vist")
    drawn = sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections)
    assert drawn == int((pts["status"] == "vist").sum())
    placeholders = [t for ax in fig.axes for t in ax.texts if t.get_text() == "(skjermet)"]
    assert len(placeholders) == int((pts["status"] == "skjermet").sum()) > 0
    plt.close(fig)


def test_env_override_lifts_suppression(small_study, monkeypatch):
    monkeypatch.setenv(disclosure.ENV_RATING, "0")
    t = registry.get("tbl-kontorfunn").compute(small_study)
    rows = _office_rows(t.frame, "Kontor")
    assert not (rows[kontor.SHORT_SCALE["veiledning"]] == HIDE).any()


# ---------------------------------------------------------------- bundled data
def test_bundled_cells_with_enough_persons_are_published(study, R):
    """Where disclosure control allows it, Tables 10–12 show the reproduced published numbers."""
    t = registry.get("tbl-kontor-implementering").compute(study)
    im = kontor.implementation_by_office(study).set_index("office_id")
    mask = kontor.implementation_masks(study)
    rows = _office_rows(t.frame, "Tiltakskontor")
    shown = 0
    for col, (tab, item, label) in kontor.IMPLEMENTATION.items():
        for office in rows.index:
            key = f"{tab}_tiltak_{kontor._k(office)}_{item}_mean"
            assert key in R, "the provider emits every cell for the reproduction table, suppressed or not"
            if not mask.loc[office, col]:
                shown += 1
                assert rows.loc[office, label].startswith(R[key])
                assert im.loc[office, f"{col}_n"] >= disclosure.min_cell("vurderinger")
    assert shown > 0


def test_change_symbols_follow_the_threshold():
    thr = kontor.CHANGE_THRESHOLD
    assert kontor.symbol(thr * 0.99) == kontor.ZERO
    assert kontor.symbol(-thr * 0.99) == kontor.ZERO
    assert kontor.symbol(thr) == kontor.PLUS
    assert kontor.symbol(-thr * 1.5) == kontor.MINUS_SYMBOL
    assert kontor.symbol(0.3, threshold=0.5) == kontor.ZERO


# ---------------------------------------------------------------- leave one office out
def test_leave_one_out_matches_a_plain_loop(study):
    lo = kontor.leave_one_out(study)
    summ = kontor.office_summaries(study)
    assert len(lo) == len(kontor.LOO_EFFECTS) * (len(summ) + 1)
    for eff in ("faglig_kompetanse", "deltid", "inntekt"):
        for left in [None] + summ.index[:3].tolist():
            s = summ if left is None else summ.drop(index=left)
            a = s.loc[s["arm"] == "tiltak", eff].dropna()
            b = s.loc[s["arm"] == "sammenligning", eff].dropna()
            res = stats.ttest_ind(a, b)
            row = lo[(lo["effect"] == eff) & (lo["left_out"].isna() if left is None else lo["left_out"] == left)].iloc[0]
            assert np.isclose(row["estimate"], a.mean() - b.mean())
            assert np.isclose(row["p"], res.pvalue)


def test_leave_one_out_figure(study):
    import matplotlib.pyplot as plt

    fig = registry.get("fig-utelat-ett-kontor").compute(study)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [v[0] for v in kontor.LOO_EFFECTS.values()]
    plt.close(fig)


# ---------------------------------------------------------------- implementation chapter
def test_core_component_and_supervision_tables_add_up(study):
    from analysis.outputs import implementering as im

    cc = im.core_components(study)
    seg = study.qual_segments.merge(study.qual_codes[["code", "family"]], on="code")
    assert cc["segmenter"].sum() == (seg["family"] == "kjernekomponent").sum()
    waves = cc[[f"bolge_{w}" for w in im.WAVES]].sum(axis=1)
    assert (waves == cc["segmenter"]).all()
    sc = im.supervision_codes(study)
    assert set(seg.loc[seg["family"] == "utfordring_veiledning", "code"]) <= set(sc["code"])
    ex = im.excerpts(study)
    assert ex["code"].is_unique
    t = registry.get("tbl-implementering-utdrag").compute(study)
    if study.synthetic:
        assert "syntetisk" in t.to_markdown()
