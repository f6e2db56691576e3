"""The figures say what their numbers say: bar ends are the printed shares, a diverging axis says what its
negative side counts, panels follow the principle numbers, every colour has a legend entry, suppressed
cells are never drawn, and alt text that names a direction agrees with the data drawn."""

import matplotlib
import numpy as np
import pytest

from analysis import fmt, registry

matplotlib.use("Agg")


@pytest.fixture
def close():
    import matplotlib.pyplot as plt

    figs = []
    yield figs.append
    for f in figs:
        plt.close(f)


def _bars(ax):
    """(y centre, left, right, colour) of every bar drawn in ax."""
    from matplotlib.patches import Rectangle

    return [(round(p.get_y() + p.get_height() / 2, 6), p.get_x(), p.get_x() + p.get_width(), p.get_facecolor())
            for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0]


# ---------------------------------------------------------------- fig-nytte-samlinger
def test_nytte_bars_end_at_the_printed_and_inline_shares(study, R, close):
    from analysis.outputs.samlinger import usefulness

    fig = registry.get("fig-nytte-samlinger").compute(study)
    close(fig)
    ax = fig.axes[0]
    u = usefulness(study)
    ticks = {round(t.get_position()[1], 6): t.get_text() for t in ax.get_yticklabels()}
    bars = _bars(ax)
    for r in u.itertuples(index=False):
        y = next(y for y, text in ticks.items() if text.startswith(f"Samling {r.samling} "))
        right = max(b[2] for b in bars if b[0] == y)
        left = min(b[1] for b in bars if b[0] == y)
        assert right == pytest.approx(r.nyttig_pct), "a bar ends at the share «delvis eller svært nyttig»"
        assert left == pytest.approx(-(r.pct_0 + r.pct_1)), "left of zero is only «unyttig»"
        printed = [t.get_text() for t in ax.texts if abs(t.get_position()[1] - y) < 1e-6
                   and t.get_position()[0] == pytest.approx(right + 1.5)]
        assert printed == [R[f"samling{r.samling}_nyttig_pct"]], "the printed share is the inline number"
        neutral = [b for b in _bars(fig.axes[1]) if b[0] == y]
        assert neutral and neutral[0][2] - neutral[0][1] == pytest.approx(r.pct_2)


def test_nytte_axis_says_what_the_negative_side_means(study, close):
    fig = registry.get("fig-nytte-samlinger").compute(study)
    close(fig)
    fig.canvas.draw()
    ax = fig.axes[0]
    negative = [t for t in ax.get_xticklabels() if t.get_position()[0] < 0 and t.get_text()]
    assert negative, "the diverging axis has ticks left of zero"
    signed = all(t.get_text().startswith(("−", "-")) for t in negative)
    said = [t.get_text() for t in ax.texts if t.get_position()[0] < 0 and "unyttig" in t.get_text()]
    assert signed or said, "a tick left of zero shows its sign, or the axis says that left of zero is «unyttig»"
    assert any(t.get_position()[0] > 0 and "nyttig" in t.get_text() and "unyttig" not in t.get_text() for t in ax.texts)


def test_nytte_labels_stay_inside_the_figure(study, close):
    fig = registry.get("fig-nytte-samlinger").compute(study)
    close(fig)
    _inside(fig)


def _inside(fig):
    """Every text and the legend lie within the figure canvas (nothing pushed against or over the edge)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    W, H = fig.bbox.width, fig.bbox.height
    artists = [t for ax in fig.axes for t in ax.texts] + list(fig.texts) + fig.legends
    for ax in fig.axes:
        if ax.axison and ax.get_visible():
            (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
            artists += [lab for lab in ax.get_xticklabels() if lab.get_text() and x0 <= lab.get_position()[0] <= x1]
            artists += [lab for lab in ax.get_yticklabels() if lab.get_text() and y0 <= lab.get_position()[1] <= y1]
    for a in artists:
        if not a.get_visible():
            continue
        bb = a.get_window_extent(renderer)
        assert bb.x0 >= -1 and bb.y0 >= -1 and bb.x1 <= W + 1 and bb.y1 <= H + 1, \
            f"{getattr(a, 'get_text', lambda: a)()!r} outside the figure ({bb} vs {W}×{H})"


# ---------------------------------------------------------------- fig-fe-prinsipper
def test_fe_principle_panels_in_numerical_order_with_a_legend_for_each_colour(study, close):
    from matplotlib.colors import to_hex

    from analysis.outputs.verktoy import fe_principles
    from analysis.outputs.verktoy_figurer import principle_groups

    fig = registry.get("fig-fe-prinsipper").compute(study)
    close(fig)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title(loc="left")]
    numbers = [int(ax.get_title(loc="left").split(".", 1)[0]) for ax in panels]
    assert numbers == sorted(numbers) == list(range(1, len(fe_principles(study).attrs["overall"]) + 1))
    assert fig.legends, "the figure explains its colours"
    entries = {to_hex(h.get_color()): t.get_text()
               for h, t in zip(fig.legends[0].legend_handles, fig.legends[0].get_texts())}
    top = principle_groups(study)
    cols = sorted(top, key=lambda c: int(c.split("_")[1]))
    for ax, c in zip(panels, cols):
        colour = to_hex(ax.lines[0].get_color())
        assert colour in entries, f"panel {ax.get_title(loc='left')!r}: colour without a legend entry"
        assert ("oftest" in entries[colour]) == top[c] and ("sjeldnest" in entries[colour]) != top[c]
    overall = fe_principles(study).attrs["overall"]
    ranked = sorted(overall, key=lambda c: -overall[c])
    assert all(overall[a] >= overall[b] for a in ranked if top[a] for b in ranked if not top[b])
    _inside(fig)


# ---------------------------------------------------------------- fig-implementering-veiledning
@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    """Ten offices with few caseworkers each: most office cells fall under the small-cell rule."""
    from analysis.data import load
    from analysis.synth.simulate import Params, simulate, write_package

    p = Params(seed=5, offices=10, scale=0.3)
    return load(write_package(simulate(p), tmp_path_factory.mktemp("small") / "data", p))


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_implementation_figure_draws_exactly_the_cells_the_table_shows(which, study, small_study, close):
    from analysis.outputs import kontor
    from analysis.outputs.kontor_figurer import IMPL_PANELS, implementation_points

    s = study if which == "bundled" else small_study
    fig = registry.get("fig-implementering-veiledning").compute(s)
    close(fig)
    im = kontor.implementation_by_office(s).set_index("office_id")
    masks = kontor.implementation_masks(s)
    panels = fig.axes[:len(IMPL_PANELS)]
    rows = {round(t.get_position()[1], 6): t.get_text() for t in panels[0].get_yticklabels()}
    offices = [f"Kontor {int(o)}" for o in im.index]
    assert sorted(r for r in rows.values() if r.startswith("Kontor ")) == sorted(offices), "every office has a row"
    for ax, col in zip(panels, IMPL_PANELS):
        points = {round(float(yy), 6): float(xx) for coll in ax.collections for xx, yy in coll.get_offsets()}
        notes = {round(t.get_position()[1], 6): t.get_text() for t in ax.texts}
        for y, row in rows.items():
            if not row.startswith("Kontor "):
                continue
            office = int(row.split()[1])
            if masks.loc[office, col]:
                assert y not in points, f"{row}: a suppressed value is drawn"
                assert notes.get(y) == "(skjermet)", f"{row}: a suppressed cell is marked «skjermet»"
            elif im.loc[office, f"{col}_n"] > 0:
                assert points[y] == pytest.approx(im.loc[office, f"{col}_mean"])
    pts = implementation_points(s)
    if which == "small":
        assert (pts["status"] == "skjermet").any(), "the small data set has suppressed cells"
        assert any("skjermet" in t.get_text().lower() for t in fig.texts), "the figure says what «skjermet» means"
    _inside(fig)


# ---------------------------------------------------------------- fig-utelat-ett-kontor
def test_leave_one_out_figure_keeps_its_text_columns_inside(study, close):
    fig = registry.get("fig-utelat-ett-kontor").compute(study)
    close(fig)
    _inside(fig)
    from analysis.outputs.kontor import leave_one_out

    lo = leave_one_out(study)
    n_offices = lo["left_out"].notna().sum() // lo["effect"].nunique()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert f"Alle {n_offices} kontor" in legend, "the legend counts the offices of the data"


# ---------------------------------------------------------------- alt text
#: words whose truth depends on the data drawn (directions, comparisons, evaluative quantities)
CLAIM = (r"\b(?:øk\w*|sank|synk\w*|nedgang\w*|høyere|lavere|høyest|lavest|mest|minst|bredere|smalere|"
         r"større|mindre|flere|færre|fleste|uendret|tydelig\w*|ingen tydelig|mønster|innenfor|utenfor)\b")
#: a sentence may name such a word only to say where the reader finds the answer («Hvilken … står i teksten»)
DEFERS = r"^(?:Hvor|Hvilke|Hvilken|Hvordan|Om|Forskjell\w*)\b.*\bstår\b.*\bteksten\b"


def _sentences(text):
    import re

    return [s for s in re.split(r"(?<=[.;])\s+", text) if s]


@pytest.mark.parametrize("label", sorted(l for l, o in registry.load_all().items() if o.kind == "figure"))
def test_alt_text_makes_no_claim_the_data_decide(label):
    """The alt text is the same on every data set (Quarto reads it from the cell options), so it describes what
    is drawn; what the numbers show it leaves to the prose, whose words are computed from them."""
    import re

    for sentence in _sentences(registry.get(label).alt):
        claim = re.search(CLAIM, sentence, flags=re.I)
        if claim:
            assert re.search(DEFERS, sentence, flags=re.I), f"{label}: «{sentence}» says {claim.group(0)!r} whatever the data"


def test_alt_rule_catches_the_old_claims():
    import re

    old = ("Påstandene ligger høyere ved T2 enn ved T1, og påstanden med lavest skår ved T1 øker mest; "
           "tallene står i teksten.")
    assert any(re.search(CLAIM, s) and not re.search(DEFERS, s) for s in _sentences(old))


# ---------------------------------------------------------------- computed alt text (fig-kompetanse-pastander)
def _items_frame(t1, t2):
    import pandas as pd

    from analysis.outputs.effekter_veiledere import FK_ITEMS

    rows = [dict(item=i, wave=w, mean=v) for i, a, b in zip(FK_ITEMS, t1, t2) for w, v in (("T1", a), ("T2", b))]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("t1,t2,count,verb,most", [
    ([2.6, 3.0, 2.0, 2.3, 2.5, 2.6], [3.2, 3.3, 2.5, 2.7, 2.9, 2.9], "alle de 6 påstandene", "økte", 0),
    ([2.6, 3.0, 2.0, 2.3, 2.5, 2.6], [2.7, 3.1, 2.1, 2.4, 1.5, 2.7], "fem av 6 påstander", "sank", 4),
    ([2.6, 3.0, 2.0, 2.3, 2.5, 2.6], [2.4, 2.9, 1.9, 2.2, 2.4, 2.5], "ingen av påstandene", "sank", 0),
])
def test_competence_alt_text_follows_the_numbers(t1, t2, count, verb, most):
    from analysis.outputs.effekter_veiledere import FK_ITEMS, _lower_first, describe_items

    text = describe_items(_items_frame(t1, t2))
    item = _lower_first(list(FK_ITEMS.values())[most])
    assert f"Ved T2 ligger {count} høyere enn ved T1." in text
    assert f"«{item}», {verb} fra {fmt.num(t1[most], 1)} til {fmt.num(t2[most], 1)}" in text
    low = _lower_first(list(FK_ITEMS.values())[int(np.argmin(t1))])
    assert f"«{low}»" in text.split("Lavest ved T1")[1] or "samme påstanden" in text


def test_competence_alt_text_on_the_bundled_data_names_the_item_the_figure_shows_rising_most(study):
    from analysis.outputs.effekter_veiledere import FK_ITEMS, _lower_first, competence_items

    d = competence_items(study)
    diff = d[d["wave"] == "T2"].set_index("item")["mean"] - d[d["wave"] == "T1"].set_index("item")["mean"]
    alt = registry.get("fig-kompetanse-pastander").alt_text(study)
    big = diff.abs().idxmax()
    word = "økte" if diff[big] > 0 else "sank"
    assert f"«{_lower_first(FK_ITEMS[big])}», {word} fra" in alt
    assert alt.startswith(registry.get("fig-kompetanse-pastander").alt)


def test_build_stores_the_computed_alt_text_and_show_passes_it_to_quarto(study, tmp_path):
    from analysis import build
    from analysis.book import figure_markdown
    from analysis.config import PROJECT_ROOT

    plain = next(lb for lb, o in sorted(registry.load_all().items()) if o.kind == "figure" and o.describe is None)
    (tmp_path / "figures").mkdir()
    build._JOB.update(study=study, tmp=tmp_path, formats=("png",))
    try:
        build._write_output("fig-kompetanse-pastander")
        build._write_output(plain)
    finally:
        build._JOB.clear()
    alt = (tmp_path / "figures" / "fig-kompetanse-pastander.alt.txt").read_text(encoding="utf-8")
    assert alt == registry.get("fig-kompetanse-pastander").alt_text(study)
    assert not (tmp_path / "figures" / f"{plain}.alt.txt").exists(), "a figure without describe keeps the cell's"

    class Store:
        folder = PROJECT_ROOT / ".hpmt-cache" / "k"

        def figure_alt(self, label):
            return alt + ' med "anførselstegn"' if label == "fig-kompetanse-pastander" else None

        def figure_path(self, label):
            return self.folder / "figures" / f"{label}.png"

    md = figure_markdown(Store(), "fig-kompetanse-pastander")
    assert md.startswith("![](/.hpmt-cache/k/figures/fig-kompetanse-pastander.png){fig-alt=\"")
    assert md.endswith('med \\"anførselstegn\\""}')
    assert "økte" in md or "sank" in md
    assert figure_markdown(Store(), plain) is None

    class Outside(Store):
        folder = tmp_path

    assert figure_markdown(Outside(), "fig-kompetanse-pastander") is None, "outside the project: the cell's alt"


# ---------------------------------------------------------------- computed alt text of the other figures
def test_usefulness_alt_names_the_gatherings_the_bars_rank(study):
    import pandas as pd

    from analysis.outputs.samlinger import describe_usefulness, usefulness

    u = usefulness(study)
    text = describe_usefulness(u)
    hi, lo = u.loc[u["nyttig_pct"].idxmax()], u.loc[u["nyttig_pct"].idxmin()]
    assert f"har samling {int(hi.samling)} ({fmt.pct(hi.nyttig_pct, 0)}), minst samling {int(lo.samling)}" in text
    flat = pd.DataFrame({"samling": [1, 2], "nyttig_pct": [90.0, 90.0], "pct_0": [0.0, 0.0], "pct_1": [0.0, 0.0]})
    assert describe_usefulness(flat) == ("Alle samlingene har samme andel delvis eller svært nyttig, 90\u00a0%. "
                                         "Ingen svarte helt eller delvis unyttig.")


def test_principles_alt_names_the_most_and_least_marked(study):
    from analysis.outputs.verktoy import fe_principles
    from analysis.outputs.verktoy_figurer import describe_principles

    overall = fe_principles(study).attrs["overall"]
    top, bottom = max(overall, key=overall.get), min(overall, key=overall.get)
    text = describe_principles(study)
    assert text.startswith(f"Oftest krysset av er prinsipp {int(top.split('_')[1])} ")
    assert f"sjeldnest prinsipp {int(bottom.split('_')[1])} " in text


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_implementation_alt_counts_the_suppressed_cells(which, study, small_study):
    from analysis.outputs.kontor_figurer import describe_implementation, implementation_points

    pts = implementation_points(study if which == "bundled" else small_study)
    text = describe_implementation(pts)
    offices = pts[pts["row"] != "Alle tiltakskontor"]
    both = int(offices.groupby("office_id")["status"].apply(lambda s: (s == "vist").all()).sum())
    n_off = offices["office_id"].nunique()
    from analysis import words

    expected = ("ingen av kontorene" if both == 0 else f"alle de {n_off} kontorene" if both == n_off
                else f"{words.number(both, 'n')} av {n_off} kontor")
    assert f"Begge tallene vises for {expected}." in text
    k = int((offices[offices["measure"] == "implementation_aims"]["status"] == "skjermet").sum())
    if k:
        assert f"For {words.count(k, 'kontor', 'kontor', 'n')} er vurderingen av implementeringen skjermet." in text
    else:
        assert "vurderingen av implementeringen skjermet" not in text


def test_leave_one_out_alt_counts_significance_and_changes(study):
    from analysis.outputs.kontor import LOO_ALPHA, leave_one_out
    from analysis.outputs.kontor_figurer import describe_leave_one_out

    lo = leave_one_out(study)
    text = describe_leave_one_out(lo)
    full = lo[lo["left_out"].isna()]
    sig = int((full["p"] < LOO_ALPHA).sum())
    from analysis import words

    assert f"er {words.number(sig)} av {len(full)} hovedeffekter" in text or sig in (0, 1, len(full))
    changed = lo.groupby("effect").apply(lambda g: bool((g["sign_flip"] | g["sig_flip"]).any()), include_groups=False)
    if changed.any():
        assert f"for {words.count(int(changed.sum()), 'effekt', 'effekter')}:" in text
    no_changes = lo.assign(sign_flip=False, sig_flip=False)
    assert "endrer ikke fortegnet" in describe_leave_one_out(no_changes)


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_scale_alt_counts_rises_and_names_the_largest_change(which, study, small_study):
    from analysis import words
    from analysis.outputs.common import SCALE_LABELS
    from analysis.outputs.effekter_veiledere import describe_scales, summary

    sm = summary(study if which == "bundled" else small_study)
    text = describe_scales(sm)
    for arm, where in (("tiltak", "I tiltakskontorene"), ("sammenligning", "I sammenligningskontorene")):
        sub = sm[sm["arm"] == arm].pivot(index="scale", columns="wave", values="mean")
        d = sub["T2"] - sub["T1"]
        sentence = next(s for s in text.split(". ") if s.startswith(where))
        up = int((d > 0).sum())
        assert (f"på alle de {len(d)} skalaene" in sentence if up == len(d) else
                "på ingen av skalaene" in sentence if up == 0 else f"på {words.number(up)} av {len(d)} skalaer" in sentence)
        big = d.abs().idxmax()
        assert f"{SCALE_LABELS[big].lower()}, som {'økte' if d[big] > 0 else 'sank'} fra" in sentence


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_register_alt_compares_as_the_printed_shares_read(which, study, small_study):
    import re

    from analysis.outputs.effekter_deltakere import describe_register, register_shares

    text = describe_register(register_shares(study if which == "bundled" else small_study))
    claims = re.findall(r"(høyere|lavere) i tiltaksgruppen \((\d+)\u00a0%\) enn i sammenligningsgruppen \((\d+)\u00a0%\)", text)
    assert claims
    for word, a, b in claims:
        assert (int(a) > int(b)) if word == "høyere" else (int(a) < int(b)), (word, a, b)
    for same in re.findall(r"like høy i begge gruppene \((\d+)\u00a0%\)", text):
        assert same.isdigit()


def test_fe_count_alt_names_the_extreme_months(study):
    from analysis.outputs.verktoy import fe_monthly
    from analysis.outputs.verktoy_figurer import describe_fe_counts

    per = fe_monthly(study)["n_forms"]
    text = describe_fe_counts(study)
    assert f"Flest skjema kom i {fmt.month(per.idxmax())} ({fmt.integer(per.max())})" in text
    assert f"færrest i {fmt.month(per.idxmin())} ({fmt.integer(per.min())})" in text


def test_fe_ratings_figure_shows_every_month_and_its_alt_counts_them(study, close):
    from analysis.outputs.verktoy import RATINGS, _published_range, fe_monthly
    from analysis.outputs.verktoy_figurer import describe_fe_ratings

    m = fe_monthly(study)
    text = describe_fe_ratings(study)
    for col, cat, title in RATINGS:
        lo, hi = _published_range(cat)
        inside = int(((m[col] >= lo) & (m[col] <= hi)).sum())
        n = int(m[col].notna().sum())
        assert (f"«{title.lower()}» ligger i alle de {n} månedene" in text) == (inside == n)
    fig = registry.get("fig-fe-vurderinger").compute(study)
    close(fig)
    for ax, (col, _cat, _t) in zip(fig.axes, RATINGS):
        y0, y1 = ax.get_ylim()
        assert y0 <= m[col].min() and m[col].max() <= y1, "no monthly mean is cut off the axis"


def test_flow_alt_gives_the_counts_the_diagram_draws(study):
    from analysis.outputs.design import describe_flow, flow

    fl = flow(study)
    text = describe_flow(fl)
    t, c = fl["tiltak"], fl["sammenligning"]
    assert f"{fl['randomised']} randomisert" in text
    assert f"svarte {t['cw_t1']} av {t['cw_invited']} i tiltaksgruppen" in text
    assert f"{c['pa_register']} finnes i registrene" in text


def test_effects_alt_counts_significance_and_wider_intervals(study):
    from analysis import words
    from analysis.outputs.effekter_samlet import describe_effects, effect_summary

    e = effect_summary(study)
    text = describe_effects(e)
    m = len(e)

    def part(k):
        return "ingen av effektene" if k == 0 else f"alle de {m} effektene" if k == m else f"{words.number(k)} av {m}"

    assert f"er {part(int((e['rep_p'] < 0.05).sum()))} signifikante med rapportens metode" in text
    wider = int(((e["cr2_hi"] - e["cr2_lo"]) > (e["rep_hi"] - e["rep_lo"])).sum())
    assert f"for {part(wider)} med CR2." in text


# ---------------------------------------------------------------- other data
@pytest.fixture(scope="module", params=["ingen effekter", "motsatte effekter", "12 små kontor"])
def other_study(request, tmp_path_factory):
    from analysis.data import load
    from analysis.synth.simulate import EFFECTS, Params, simulate, write_package

    effects = {"ingen effekter": {k: 0.0 for k in EFFECTS}, "motsatte effekter": {k: -v for k, v in EFFECTS.items()},
               "12 små kontor": {}}[request.param]
    p = Params(seed=11, offices=12 if request.param == "12 små kontor" else 18,
               scale=0.3 if request.param == "12 små kontor" else 0.6, effects=effects)
    return load(write_package(simulate(p), tmp_path_factory.mktemp("other") / "data", p))


OWN = ("fig-nytte-samlinger", "fig-fe-prinsipper", "fig-implementering-veiledning", "fig-utelat-ett-kontor",
       "fig-kompetanse-pastander")


def test_every_figure_and_its_alt_text_on_other_data(other_study, close):
    import re

    for label, out in sorted(registry.load_all().items()):
        if out.kind != "figure":
            continue
        fig = out.compute(other_study)
        close(fig)
        alt = out.alt_text(other_study)
        assert alt.startswith(out.alt) and not re.search(r"\bnan\b|None|\d\.\d", alt), f"{label}: {alt}"
        if label in OWN:
            _inside(fig)
