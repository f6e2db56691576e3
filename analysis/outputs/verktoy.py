"""Veiledning og verktøybruk: HPMT-veiledninger i 2012 (rapportens tabell 4), bruk av
FE-skjema (tabell 5 og etter-refleksjon, kap. 5.2) og verktøy planlagt i FE-skjemaene
(kap. 5.3)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.dates import date2num, num2date
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator

from .. import fmt, theme
from ..data import UTU_INTRODUCED, load_schema
from ..registry import Table, figure, table
from ..reproduction import NOTES
from ..results import n, provider

# ---------------------------------------------------------------- HPMT-veiledninger (tabell 4)
SUPERVISION_CATEGORIES = ["0", "1", "2", "3", "4", "5", "6 eller flere"]
SUPERVISION_KEYS = ["0", "1", "2", "3", "4", "5", "6plus"]


def supervisions(study) -> pd.DataFrame:
    """Table 4: answering caseworkers by number of supervisions (value floored; 6+ pooled)."""
    def f(s):
        v = s.caseworker_hpmt_t2["supervisions_2012"].dropna().astype("float64")
        cat = np.minimum(np.floor(v), 6).astype(int)
        counts = cat.value_counts().reindex(range(7), fill_value=0)
        out = pd.DataFrame({"kategori": SUPERVISION_CATEGORIES, "key": SUPERVISION_KEYS, "antall": counts.to_numpy()})
        out["pct"] = out["antall"] / len(v) * 100 if len(v) else np.nan
        out.attrs["n"] = int(len(v))
        out.attrs["mean"] = float(v.mean()) if len(v) else np.nan
        out.attrs["median"] = float(v.median()) if len(v) else np.nan
        return out
    return study.shared("verktoy_supervisions", f)


@table("tbl-veiledninger", caption="Antall HPMT-veiledninger januar til september 2012 (rapportens tabell 4)",
       chapter="verktoybruk")
def tbl_veiledninger(study):
    sv = supervisions(study)
    frame = pd.DataFrame([["Andel veiledere"] + [fmt.pct(p, 0) for p in sv["pct"]],
                          ["Antall veiledere"] + [fmt.integer(k) for k in sv["antall"]]],
                         columns=["Antall veiledninger"] + SUPERVISION_CATEGORIES)
    notes = [f"n = {fmt.integer(sv.attrs['n'])} veiledere i tiltakskontorene som svarte på spørsmålet ved T2 "
             "(september 2012). Svar oppgitt som intervall er kodet til midtpunktet og rundet ned til helt antall."]
    return Table(frame, notes, data=sv)


# ---------------------------------------------------------------- bruk av FE-skjema (tabell 5)
FREQ_CODES = [5, 4, 3, 2, 1]
FREQ_LABELS = {5: "Hyppigere enn 3 av 4 ganger", 4: "Omkring 3 av 4", 3: "Omkring halvparten",
               2: "Omkring 1 av 4", 1: "Sjeldnere enn 1 av 4"}
FREQ_KEYS = {5: "hyppigere_enn_3av4", 4: "omkring_3av4", 3: "omkring_halvparten", 2: "omkring_1av4",
             1: "sjeldnere_enn_1av4"}
FE_USES = {"fe_freq_prep": ("forberedelse", "Forberedelse"), "fe_freq_refl": ("refleksjon", "Etter-refleksjon")}


def fe_use(study) -> pd.DataFrame:
    """Table 5: share of answering caseworkers per frequency, preparation and reflection."""
    def f(s):
        ht = s.caseworker_hpmt_t2
        rows = []
        for col, (key, label) in FE_USES.items():
            v = ht[col].dropna().astype(int)
            counts = v.value_counts().reindex(FREQ_CODES, fill_value=0)
            row = {"bruk": key, "label": label, "n": int(len(v))}
            for c in FREQ_CODES:
                row[f"n_{c}"] = int(counts[c])
                row[f"pct_{c}"] = counts[c] / len(v) * 100 if len(v) else np.nan
            rows.append(row)
        return pd.DataFrame(rows)
    return study.shared("verktoy_fe_use", f)


@table("tbl-fe-bruk",
       caption="Hvor ofte veilederne bruker FE-skjemaet til forberedelse og til etter-refleksjon "
               "(rapportens tabell 5 og kap. 5.2), andel av veilederne",
       chapter="verktoybruk")
def tbl_fe_bruk(study):
    fu = fe_use(study)
    rows = [[r["label"]] + [fmt.pct(r[f"pct_{c}"], 0) for c in FREQ_CODES] + [fmt.integer(r["n"])]
            for _, r in fu.iterrows()]
    frame = pd.DataFrame(rows, columns=["Bruk av FE-skjema"] + [FREQ_LABELS[c] for c in FREQ_CODES] + ["n"])
    notes = ["Veiledere i tiltakskontorene ved T2 (september 2012): «Hvor ofte bruker du FE-skjema til "
             "forberedelse / etter-refleksjon?» Andel av dem som svarte; n er antall svar. Rapporten viser bare "
             "raden for forberedelse som tabell; fordelingen for etter-refleksjon er omtalt i teksten."]
    return Table(frame, notes, data=fu)


# ---------------------------------------------------------------- FE-skjema per måned (kap. 5.3)
MI_TOOLS = ["apne_sporsmal", "aktiv_lytting", "speiling", "oppsummering", "utu"]
PLAN_TOOLS = ["smarte_mal", "helhetsmodellen", "plan_smarte_mal", "iima"]
BOOSTER_DATE = pd.Timestamp("2012-09-12")  # boostersamling 12.–13. september 2012 (rapporten kap. 5.3 og 10.1)
FE_FIRST_MONTH, FE_LAST_MONTH = pd.Period("2011-09", "M"), pd.Period("2013-04", "M")


def tool_labels() -> dict:
    """Tool -> Norwegian label, from the codebook titles («Verktøy: Åpne spørsmål»)."""
    fe = next(r for r in load_schema()["resources"] if r["name"] == "fe_forms")
    out = {}
    for fld in fe["schema"]["fields"]:
        if fld["name"].startswith("tool_"):
            out[fld["name"][5:]] = fld["title"].split(":", 1)[1].strip()
    out["utu"] = "UTU"
    return out


def _tools(fe) -> list[str]:
    return [c[5:] for c in fe.columns if c.startswith("tool_")]


def fe_monthly(study) -> pd.DataFrame:
    """One row per month: number of forms, share (%) planning each tool, mean ratings, comment shares."""
    def f(s):
        fe = s.fe_forms
        tools = _tools(fe)
        month = fe["form_date"].dt.to_period("M")
        g = fe.groupby(month)
        out = g[[f"tool_{t}" for t in tools]].mean().astype("float64") * 100
        out.columns = tools
        rest = [t for t in tools if t not in MI_TOOLS + PLAN_TOOLS]
        out["rest_mean"] = out[rest].mean(axis=1)
        out["n_forms"] = g.size()
        out["rating_as_planned"] = g["rating_as_planned"].mean().astype("float64")
        out["rating_goal"] = g["rating_goal"].mean().astype("float64")
        out["n_rating_as_planned"] = g["rating_as_planned"].count()
        out["n_rating_goal"] = g["rating_goal"].count()
        out.index.name = "month"
        return out
    return study.shared("verktoy_fe_monthly", f)


def fe_summary(study) -> dict:
    def f(s):
        fe = s.fe_forms
        tools = [f"tool_{t}" for t in _tools(fe)]
        principles = [c for c in fe.columns if c.startswith("principle_")]
        m = fe_monthly(s)
        utu_months = m.index[m["utu"] > 0]
        comments = fe["comment_factors"].astype(int) + fe["comment_challenges"].astype(int)
        return {
            "n_forms": len(fe),
            "first_month": fe["form_date"].min().to_period("M"),
            "last_month": fe["form_date"].max().to_period("M"),
            "mean_tools": float(fe[tools].astype(int).sum(axis=1).mean()),
            "mean_principles": float(fe[principles].astype(int).sum(axis=1).mean()),
            "utu_first_month": utu_months.min() if len(utu_months) else None,
            "comment1_pct": float(fe["comment_factors"].astype(float).mean() * 100),
            "comment2_pct": float(fe["comment_challenges"].astype(float).mean() * 100),
            "n_comments": int(comments.sum()),
            "rest_tools": [t for t in _tools(fe) if t not in MI_TOOLS + PLAN_TOOLS],
        }
    return study.shared("verktoy_fe_summary", f)


def _label_ends(ax, x_end, values: dict, colours: dict, labels: dict, min_gap: float) -> None:
    """Direct labels at the right end of each line, nudged apart vertically."""
    order = sorted(values, key=lambda k: values[k])
    ys, last = {}, -np.inf
    for k in order:
        y = max(values[k], last + min_gap)
        ys[k], last = y, y
    top = ax.get_ylim()[1] - min_gap / 2
    if ys and ys[order[-1]] > top:  # shift down if the stack overflows the top
        shift = ys[order[-1]] - top
        for k in order:
            ys[k] -= shift
    for k in order:
        ax.text(date2num(x_end + pd.Timedelta(days=12)), ys[k], labels[k], va="center", ha="left", fontsize=7.5,
                color=colours[k])


@figure("fig-fe-verktoy",
        caption="Andel FE-skjema per måned der veilederen planla å bruke de ulike verktøyene, "
                "september 2011–april 2013 (rapportens kap. 5.3)",
        alt="Tre linjediagram over hverandre med felles tidsakse fra september 2011 til april 2013 som viser "
            "månedlig andel FE-skjema med hvert verktøy krysset av: samtaleverktøy fra motiverende intervju "
            "(åpne spørsmål, aktiv lytting, speiling, oppsummering og UTU), plan- og strukturverktøy (SMARTE mål, "
            "helhetsmodellen, plan med SMARTE mål og IIMA) og gjennomsnittet av de øvrige verktøyene. Loddrette "
            "linjer markerer at UTU kom inn i verktøylisten i februar 2012 og boostersamlingen i september 2012.",
        chapter="verktoybruk")
def fig_fe_verktoy(study):
    m = fe_monthly(study)
    labels = tool_labels()
    rest_n = len(fe_summary(study)["rest_tools"])
    x = m.index.to_timestamp() + pd.Timedelta(days=14)  # mid-month
    panels = [
        ("Samtaleverktøy (motiverende intervju)", MI_TOOLS),
        ("Plan- og strukturverktøy", PLAN_TOOLS),
        (f"Øvrige verktøy (gjennomsnitt av {fmt.integer(rest_n)})", ["rest_mean"]),
    ]
    labels["rest_mean"] = "Gjennomsnitt"
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 1.75),
                             gridspec_kw={"height_ratios": [1.25, 1.0, 0.75]})
    colours = theme.PALETTE
    x_end = x.max()
    for ax, (title, cols) in zip(axes, panels):
        floor = 20.0 if cols == ["rest_mean"] else 40.0
        top = 100 if cols is MI_TOOLS else max(floor, float(np.ceil(m[cols].to_numpy().max() / 10 + 1) * 10))
        ax.set_ylim(0, top)
        cmap = {}
        for i, c in enumerate(cols):
            colour = colours[i] if c != "rest_mean" else "#555555"
            cmap[c] = colour
            ax.plot(x, m[c], color=colour, linewidth=1.6, marker="o", markersize=2.5)
        _label_ends(ax, x_end, {c: float(m[c].iloc[-1]) for c in cols}, cmap, labels, min_gap=top * 0.075)
        ax.set_title(title, loc="left", fontsize=9, fontweight="bold", pad=3)
        ax.yaxis.set_major_locator(MultipleLocator(20 if top > 60 else 10 if top > 20 else 5))
        theme.percent_axis(ax, "y", 0)
        for when in (UTU_INTRODUCED, BOOSTER_DATE):
            ax.axvline(when, color="#444444", linewidth=0.9, linestyle="--")
        ax.grid(axis="x", visible=False)
    # short labels for the two events, low in the top panel (no line runs there after February 2012)
    ax = axes[0]
    ax.text(UTU_INTRODUCED + pd.Timedelta(days=8), 3, "UTU innført\n(februar 2012)", ha="left", va="bottom", fontsize=7.5)
    ax.text(BOOSTER_DATE + pd.Timedelta(days=8), 3, "Boostersamling\n(12.–13. september 2012)", ha="left", va="bottom",
            fontsize=7.5)
    axes[1].set_ylabel("Andel av FE-skjemaene")
    months_nb = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"]
    ticks = [p.to_timestamp() for p in m.index if p.month in (1, 4, 7, 10)]
    axes[-1].xaxis.set_major_locator(FixedLocator(date2num(ticks)))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: f"{months_nb[num2date(v).month - 1]}.\n{num2date(v).year}"))
    axes[-1].set_xlim(m.index.min().to_timestamp() - pd.Timedelta(days=5),
                      m.index.max().to_timestamp() + pd.Timedelta(days=125))
    fig.tight_layout(h_pad=0.6)
    return fig


# ---------------------------------------------------------------- inline numbers
def _share(v: pd.Series, codes) -> float:
    v = v.dropna().astype(int)
    return float(v.isin(list(codes)).mean()) if len(v) else np.nan


@provider
def verktoy_numbers(study):
    out = {}
    # Table 4
    sv = supervisions(study)
    n_sv = sv.attrs["n"]
    for r in sv.itertuples(index=False):
        out[f"rapport_tab4_tiltak_veiledninger_{r.key}_pct"] = n(r.pct, "pct", 0)
        out[f"veiledning_{r.key}_pct"] = n(r.pct, "pct", 0)
    out["rapport_tab4_tiltak_n"] = n(n_sv, "int")
    out["veiledning_n"] = n(n_sv, "int")
    pct = dict(zip(sv["key"], sv["pct"]))
    out["veiledning_6pluss_pct"] = n(pct["6plus"], "pct", 0)
    out["veiledning_under6_pct"] = n(100 - pct["6plus"], "pct", 0)
    out["veiledning_maks2_pct"] = n(pct["0"] + pct["1"] + pct["2"], "pct", 0)
    out["veiledning_mean"] = n(sv.attrs["mean"], "num", 1)
    out["veiledning_median"] = n(sv.attrs["median"], "num", 1)
    # rapport 5.1, verbal shares of Table 4 (ratios 0–1, as the catalogue stores them)
    for key, val in (("rapport_tekst_5_1_tab4_6plus_share", pct["6plus"]),
                     ("rapport_tekst_5_1_tab4_min6_share", pct["6plus"]),
                     ("rapport_tekst_5_1_tab4_under6_share", 100 - pct["6plus"]),
                     ("rapport_tekst_5_1_tab4_max2_share", pct["0"] + pct["1"] + pct["2"])):
        out[key] = _ratio(val)
    out["rapport_tekst_5_1_fn15_ingen_veiledning_before_pct"] = n(pct["0"], "pct", 0)
    # rapport 5.1: perceived usefulness of the supervision (4 = i stor grad ... 1 = i liten grad)
    su = study.caseworker_hpmt_t2["supervision_useful"].dropna().astype(int)
    out["veiledning_nytte_n"] = n(len(su), "int")
    for code, word in ((4, "stor_grad"), (3, "noen_grad"), (2, "bade_og")):
        out[f"rapport_tekst_5_1_veiledning_nyttig_{word}_share"] = _ratio(_share(su, [code]) * 100)
    out["rapport_tekst_5_1_veiledning_nyttig_liten_grad_n"] = n(int((su == 1).sum()), "int")
    # rapport 5.2: usefulness of the FE form for preparation
    up = study.caseworker_hpmt_t2["fe_useful_prep"].dropna().astype(int)
    for code, word in ((4, "stor_grad"), (3, "noen_grad"), (2, "bade_og")):
        out[f"rapport_tekst_5_2_fe_nytte_{word}_share"] = _ratio(_share(up, [code]) * 100)
    out["rapport_tekst_5_2_fe_nytte_ikke_nyttig_n"] = n(int(up.isin([0, 1]).sum()), "int")
    out["rapport_tekst_5_2_fe_nyttig_noen_eller_stor_share"] = _ratio(_share(up, [3, 4]) * 100)
    out["fe_nyttig_forberedelse_pct"] = n(_share(up, [3, 4]) * 100, "pct", 0)
    ur = study.caseworker_hpmt_t2["fe_useful_refl"].dropna().astype(int)
    out["fe_nyttig_refleksjon_pct"] = n(_share(ur, [3, 4]) * 100, "pct", 0)
    # Table 5 and the reflection counterpart
    fu = fe_use(study).set_index("bruk")
    for bruk in fu.index:
        r = fu.loc[bruk]
        for c in FREQ_CODES:
            out[f"fe_{bruk}_{FREQ_KEYS[c]}_pct"] = n(r[f"pct_{c}"], "pct", 0)
        out[f"fe_{bruk}_n"] = n(int(r["n"]), "int")
        out[f"fe_{bruk}_3av4_eller_oftere_pct"] = n(r["pct_5"] + r["pct_4"], "pct", 0)
        out[f"fe_{bruk}_1av4_eller_sjeldnere_pct"] = n(r["pct_2"] + r["pct_1"], "pct", 0)
    prep = fu.loc["forberedelse"]
    for c in FREQ_CODES:
        out[f"rapport_tab5_tiltak_fe_forberedelse_{FREQ_KEYS[c]}_pct"] = n(prep[f"pct_{c}"], "pct", 0)
    out["rapport_tab5_tiltak_n"] = n(int(prep["n"]), "int")
    out["rapport_tekst_5_2_fe_forb_3av4_eller_oftere_share"] = _ratio(prep["pct_5"] + prep["pct_4"])
    out["rapport_tekst_5_2_fe_forb_1av4_eller_sjeldnere_share"] = _ratio(prep["pct_2"] + prep["pct_1"])
    out["rapport_tekst_5_2_fe_forb_halvparten_share"] = _ratio(prep["pct_3"])
    out["rapport_tekst_5_4_fe_sjelden_share"] = _ratio(prep["pct_3"] + prep["pct_2"] + prep["pct_1"])
    refl = fu.loc["refleksjon"]
    out["rapport_tekst_5_2_fe_refl_3av4_eller_oftere_share"] = _ratio(refl["pct_5"] + refl["pct_4"])
    out["rapport_tekst_5_2_fe_refl_halvparten_share"] = _ratio(refl["pct_3"])
    out["rapport_tekst_5_2_fe_refl_1av4_eller_sjeldnere_share"] = _ratio(refl["pct_2"] + refl["pct_1"])
    # FE forms (rapport 5.3)
    fs = fe_summary(study)
    m = fe_monthly(study)
    out["fe_n_forms"] = n(fs["n_forms"], "int")
    out["rapport_tekst_5_3_fe_forms_n"] = n(fs["n_forms"], "int")
    first, last = fmt.month(fs["first_month"]), fmt.month(fs["last_month"])
    out["fe_forste_maned"] = n(first, "text")
    out["fe_siste_maned"] = n(last, "text")
    out["rapport_tekst_5_3_fe_forms_start_date"] = n(first, "text")
    out["rapport_tekst_5_3_fe_forms_end_date"] = n(last, "text")
    out["fe_maneder_n"] = n(len(m), "int")
    out["fe_mean_tools"] = n(fs["mean_tools"], "num", 1)
    out["rapport_tekst_5_3_fe_tools_per_form_mean"] = n(fs["mean_tools"], "num", 1)
    out["fe_mean_principles"] = n(fs["mean_principles"], "num", 1)
    out["rapport_tekst_5_3_fe_principles_per_form_mean"] = n(fs["mean_principles"], "num", 1)
    if fs["utu_first_month"] is not None:
        out["fe_utu_forste_maned"] = n(fmt.month(fs["utu_first_month"]), "text")
        out["rapport_tekst_5_3_utu_first_use_date"] = n(fmt.month(fs["utu_first_month"]), "text")
    for ym, word in (("2012-06", "juni"), ("2012-12", "des")):
        p = pd.Period(ym, "M")
        if p in m.index:
            val = float(m.loc[p, "utu"])
            out[f"fe_utu_{word}_pct"] = n(val, "pct", 0)
            out[f"rapport_tekst_5_3_utu_{ym.replace('-', '_')}_pct"] = n(val, "pct", 0)
    apne = m["apne_sporsmal"]
    out["fe_apne_min_pct"] = n(float(apne.min()), "pct", 0)
    out["fe_apne_max_pct"] = n(float(apne.max()), "pct", 0)
    out["fe_apne_min_maned"] = n(fmt.month(apne.idxmin()), "text")
    out["fe_apne_max_maned"] = n(fmt.month(apne.idxmax()), "text")
    out["rapport_tekst_5_3_fe_apne_sporsmal_min_pct"] = n(float(apne.min()), "pct", 0)
    out["rapport_tekst_5_3_fe_apne_sporsmal_max_pct"] = n(float(apne.max()), "pct", 0)
    for col, key, cat in (("rating_as_planned", "gjennomfort", "gjennomfort_som_tenkt"),
                          ("rating_goal", "maal", "maal_oppnadd")):
        lo, hi = float(m[col].min()), float(m[col].max())
        out[f"fe_{key}_min"] = n(lo, "num", 1)
        out[f"fe_{key}_max"] = n(hi, "num", 1)
        out[f"rapport_tekst_5_3_{cat}_min_mean"] = n(lo, "num", 1)
        out[f"rapport_tekst_5_3_{cat}_max_mean"] = n(hi, "num", 1)
    out["fe_kommentar1_pct"] = n(fs["comment1_pct"], "pct", 0)
    out["fe_kommentar2_pct"] = n(fs["comment2_pct"], "pct", 0)
    out["rapport_tekst_5_3_kommentarfelt1_pct"] = n(fs["comment1_pct"], "pct", 0)
    out["rapport_tekst_5_3_kommentarfelt2_pct"] = n(fs["comment2_pct"], "pct", 0)
    out["fe_kommentarer_n"] = n(fs["n_comments"], "int")
    out["rapport_tekst_5_3_kommentarer_n"] = n(fs["n_comments"], "int")
    for key in ("rapport_tekst_5_3_kommentarfelt1_pct", "rapport_tekst_5_3_kommentarer_n"):
        NOTES[key] = "Rapporten oppgir en nedre grense («over»); det beregnede tallet sammenlignes med grensen."
    NOTES["rapport_tekst_5_3_kommentarfelt2_pct"] = "Rapporten oppgir et omtrentlig tall («omkring»)."
    for key in [k for k in out if k.endswith("_share")]:
        NOTES[key] = ("Rapporten oppgir andelen i ord (brøk); det beregnede tallet er andelen av dem som svarte, "
                      "vist i prosent.")
    return out


def _ratio(pct_value: float):
    """A share stored as a 0–1 ratio (the catalogue's unit for verbal fractions), printed in per cent."""
    from ..results import Num

    return Num(pct_value / 100, fmt.pct(pct_value, 0))
