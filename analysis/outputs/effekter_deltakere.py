"""Effekter for KVP-deltakere: activity at T2 (Table 6), income (Tables 8–9), register (Figures 13–14)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from .. import fmt, theme
from ..registry import Table, figure, table
from ..results import n, provider
from .common import ARMS, participants, t2

ACTIVITIES = [
    ("heltid", "Inntektsgivende arbeid, heltid", "heltid"), ("deltid", "Inntektsgivende arbeid, deltid", "deltid"),
    ("kvp", "Kvalifiseringsprogrammet (KVP)", "kvp"), ("andre_kval", "Andre kvalifiseringstiltak", "andre_kvalifiseringstiltak"),
    ("utdanning", "Utdanning, over 10 timer i uken", "utdanning_over_10t"), ("arbeidsledig", "Arbeidsledig", "arbeidsledig"),
    ("sykmeldt_aap", "Sykmeldt/arbeidsavklaringspenger (AAP)", "sykmeldt_aap"),
    ("fengsel_inst", "Fengsel/behandlingsinstitusjon", "fengsel_behandling"), ("ufor", "Uføretrygdet", "uforetrygdet"),
    ("permisjon", "Omsorgs- eller fødselspermisjon", "omsorg_fodselspermisjon"),
]
PERIODS = {"2011-05": "Mai 2011", "2012-11": "November 2012", "2013-05": "Mai 2013"}


def activity(study) -> pd.DataFrame:
    """Table 6: % ticking each activity per arm, with the report's chi-square test."""
    def f(s):
        d = t2(s)
        rows = []
        for code, label, key in ACTIVITIES:
            col = f"act_{code}"
            cnt = {a: int(d.loc[d["arm"] == a, col].sum()) for a in ARMS}
            nn = {a: int((d["arm"] == a).sum()) for a in ARMS}
            tab = np.array([[cnt[a], nn[a] - cnt[a]] for a in ARMS])
            p = stats.chi2_contingency(tab, correction=False)[1] if tab.min() >= 0 and tab[:, 0].sum() > 0 else np.nan
            rows.append(dict(code=code, label=label, key=key, k_tiltak=cnt["tiltak"], k_sammenligning=cnt["sammenligning"],
                             n_tiltak=nn["tiltak"], n_sammenligning=nn["sammenligning"],
                             pct_tiltak=cnt["tiltak"] / nn["tiltak"] * 100, pct_sammenligning=cnt["sammenligning"] / nn["sammenligning"] * 100,
                             p=p))
        return pd.DataFrame(rows)
    return study.shared("activity", f)


@table("tbl-aktivitet", caption="Aktivitet 18 måneder etter rekruttering, prosent av dem som svarte ved T2 (flere avkryssinger er mulige; rapportens tabell 6)",
       chapter="effekter-deltakere")
def tbl_aktivitet(study):
    a = activity(study)
    rows = [[r.label, fmt.num(r.pct_tiltak, 1) + fmt.stars(r.p), fmt.num(r.pct_sammenligning, 1)] for r in a.itertuples()]
    rows.append(["Sum", fmt.num(a["pct_tiltak"].sum(), 1), fmt.num(a["pct_sammenligning"].sum(), 1)])
    frame = pd.DataFrame(rows, columns=["Aktivitet", f"Tiltak (n = {fmt.integer(a['n_tiltak'].iloc[0])})",
                                        f"Sammenligning (n = {fmt.integer(a['n_sammenligning'].iloc[0])})"])
    notes = [fmt.STARS_LEGEND + " (khikvadrattest på individnivå, som i rapporten)."]
    return Table(frame, notes, data=a)


def income(study) -> dict:
    def f(s):
        d = t2(s).dropna(subset=["household_income"])
        d = d.assign(inc=d["household_income"].astype("float64"))
        res = {}
        for a in ARMS:
            v = d.loc[d["arm"] == a, "inc"]
            res[a] = dict(n=len(v), mean=v.mean(), sd=v.std(ddof=1))
        res["p"] = stats.ttest_ind(d.loc[d["arm"] == "tiltak", "inc"], d.loc[d["arm"] == "sammenligning", "inc"]).pvalue
        for work in ("heltid", "deltid"):
            x = d[d[f"act_{work}"] & ((work == "heltid") | ~d["act_heltid"])]
            a_, b_ = x.loc[x["arm"] == "tiltak", "inc"], x.loc[x["arm"] == "sammenligning", "inc"]
            res[work] = dict(tiltak=a_.mean(), sammenligning=b_.mean(), n_tiltak=len(a_), n_sammenligning=len(b_),
                             p=stats.ttest_ind(a_, b_).pvalue)
        return res
    return study.shared("income", f)


@table("tbl-inntekt", caption="Husholdningens inntekt siste måned ved T2, kroner (rapportens tabell 8 og 9)", chapter="effekter-deltakere")
def tbl_inntekt(study):
    r = income(study)
    rows = [["Alle som oppga inntekt: gjennomsnitt", fmt.integer(r["tiltak"]["mean"]), fmt.integer(r["sammenligning"]["mean"]), fmt.pvalue(r["p"], prefix=False)],
            ["Alle som oppga inntekt: standardavvik", fmt.integer(r["tiltak"]["sd"]), fmt.integer(r["sammenligning"]["sd"]), ""],
            ["Alle som oppga inntekt: N", fmt.integer(r["tiltak"]["n"]), fmt.integer(r["sammenligning"]["n"]), ""],
            ["Heltidsarbeid: gjennomsnitt", fmt.integer(r["heltid"]["tiltak"]), fmt.integer(r["heltid"]["sammenligning"]), fmt.pvalue(r["heltid"]["p"], prefix=False)],
            ["Deltidsarbeid: gjennomsnitt", fmt.integer(r["deltid"]["tiltak"]), fmt.integer(r["deltid"]["sammenligning"]), fmt.pvalue(r["deltid"]["p"], prefix=False)]]
    frame = pd.DataFrame(rows, columns=["", "Tiltak", "Sammenligning", "p (t-test)"])
    data = pd.DataFrame([{"group": k, **v} for k, v in r.items() if isinstance(v, dict)])
    return Table(frame, ["t-test på individnivå med felles varians, som i rapporten. Deltid: deltidsarbeid uten heltidsarbeid."], data=data)


def register_shares(study) -> pd.DataFrame:
    def f(s):
        reg = s.register.merge(participants(s)[["participant_id", "arm", "office_id"]], on="participant_id")
        rows = []
        for period in PERIODS:
            sub = reg[reg["period"] == period]
            for measure, statuses in (("selvhjulpen", ["arbeid_uten_ytelse"]), ("arbeid", ["arbeid_uten_ytelse", "arbeid_med_ytelse"])):
                k = {a: int(sub.loc[sub["arm"] == a, "status"].isin(statuses).sum()) for a in ARMS}
                nn = {a: int((sub["arm"] == a).sum()) for a in ARMS}
                tab = np.array([[k[a], nn[a] - k[a]] for a in ARMS])
                p = stats.chi2_contingency(tab, correction=False)[1] if tab[:, 0].sum() > 0 else np.nan
                for a in ARMS:
                    rows.append(dict(period=period, measure=measure, arm=a, k=k[a], n=nn[a], pct=k[a] / nn[a] * 100, p=p))
        return pd.DataFrame(rows)
    return study.shared("register_shares", f)


@figure("fig-register", caption="Andel registrert som arbeidstaker i NAVs registre, uten andre ytelser (økonomisk selvhjulpen, rapportens figur 13) og i alt (figur 14), etter gruppe",
        alt="To stolpediagram for mai 2011, november 2012 og mai 2013. Begge gruppene har svært få i arbeid i mai 2011; "
            "ved de to senere tidspunktene er andelen i arbeid høyere i tiltaksgruppen enn i sammenligningsgruppen, både uten ytelser og i alt.",
        chapter="effekter-deltakere")
def fig_register(study):
    sh = register_shares(study)
    fig, axes = plt.subplots(1, 2, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT), sharey=True)
    for ax, (measure, title) in zip(axes, (("selvhjulpen", "Arbeid uten ytelser"), ("arbeid", "Arbeid i alt"))):
        x = np.arange(len(PERIODS))
        for i, a in enumerate(ARMS):
            v = sh[(sh["measure"] == measure) & (sh["arm"] == a)].set_index("period").loc[list(PERIODS), "pct"]
            bars = ax.bar(x + (i - 0.5) * 0.38, v, width=0.38, color=theme.ARM_COLOURS[a], label=theme.ARM_LABELS[a])
            ax.bar_label(bars, labels=[fmt.num(val, 1) for val in v], fontsize=7, padding=1)
        ax.set_xticks(x, [PERIODS[p].replace(" ", "\n") for p in PERIODS])
        ax.set_title(title, fontsize=10)
        theme.percent_axis(ax)
    axes[0].set_ylabel("Andel av deltakerne")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


@provider
def participant_numbers(study):
    out = {}
    a = activity(study)
    for r in a.itertuples():
        for src in ("rapport_tab6", "artikkel_tab2"):
            out[f"{src}_tiltak_{r.key}_pct"] = n(r.pct_tiltak, "num", 1)
            out[f"{src}_sammenligning_{r.key}_pct"] = n(r.pct_sammenligning, "num", 1)
    for src in ("rapport_tab6", "artikkel_tab2"):
        out[f"{src}_tiltak_sum_pct"] = n(a["pct_tiltak"].sum(), "num", 1)
        out[f"{src}_sammenligning_sum_pct"] = n(a["pct_sammenligning"].sum(), "num", 1)
        out[f"{src}_diff_deltid_sig"] = n(fmt.stars(a.set_index("code").loc["deltid", "p"]), "text")
    ad = a.set_index("code")
    deltid_diff = ad.loc["deltid", "pct_tiltak"] - ad.loc["deltid", "pct_sammenligning"]
    heltid_diff = ad.loc["heltid", "pct_tiltak"] - ad.loc["heltid", "pct_sammenligning"]
    out["deltid_tiltak_pct"] = n(ad.loc["deltid", "pct_tiltak"], "pct")
    out["deltid_sammenligning_pct"] = n(ad.loc["deltid", "pct_sammenligning"], "pct")
    out["deltid_p"] = n(ad.loc["deltid", "p"], "p")
    for key, diff in (("deltid", deltid_diff), ("heltid", heltid_diff), ("sum", deltid_diff + heltid_diff)):
        out[f"rapport_tab7_diff_{key}_aar_pct"] = n(diff, "num", 1)
        out[f"rapport_tab7_diff_{key}_nnt"] = n(math.ceil(100 / diff) if diff > 0 else float("inf"), "int")
    out["rapport_tekst_9_1_deltid_abs_diff_pp"] = n(deltid_diff, "num", 1)
    out["rapport_tekst_9_1_deltid_nnt_exact"] = n(100 / deltid_diff, "num", 2)
    out["rapport_tekst_9_1_deltid_nnt_rounded"] = n(math.ceil(100 / deltid_diff), "int")
    ticks = t2(study)[[f"act_{c}" for c, _, _ in ACTIVITIES]].sum(axis=1)
    out["rapport_tekst_9_1_ticks_mean"] = n(ticks.mean(), "num", 2)
    out["rapport_tekst_9_1_multiple_ticks_pct"] = n((ticks > 1).mean() * 100, "num", 0)
    inc = income(study)
    for arm in ARMS:
        out[f"rapport_tab8_{arm}_inntekt_mean"] = n(inc[arm]["mean"], "kr")
        out[f"rapport_tab8_{arm}_inntekt_sd"] = n(inc[arm]["sd"], "kr")
        out[f"rapport_tab8_{arm}_inntekt_n"] = n(inc[arm]["n"], "int")
        for work in ("heltid", "deltid"):
            out[f"rapport_tab9_{arm}_{work}_inntekt_mean"] = n(inc[work][arm], "kr")
    out["rapport_tab8_total_n"] = n(inc["tiltak"]["n"] + inc["sammenligning"]["n"], "int")
    out["rapport_tab8_diff_inntekt_p"] = n(inc["p"], "p")
    out["rapport_tab9_diff_heltid_p"] = n(inc["heltid"]["p"], "p")
    out["rapport_tab9_diff_deltid_p"] = n(inc["deltid"]["p"], "p")
    out["inntekt_diff"] = n(inc["tiltak"]["mean"] - inc["sammenligning"]["mean"], "kr")
    out["artikkel_tekst_tiltak_income_mean_kr"] = n(inc["tiltak"]["mean"], "kr")
    out["artikkel_tekst_sammenligning_income_mean_kr"] = n(inc["sammenligning"]["mean"], "kr")
    sh = register_shares(study)
    for fig_no, measure in ((13, "selvhjulpen"), (14, "arbeid")):
        for period in ("2012-11", "2013-05"):
            sub = sh[(sh["measure"] == measure) & (sh["period"] == period)].set_index("arm")
            for arm in ARMS:
                out[f"rapport_fig{fig_no}_{arm}_{period.replace('-', '_')}_pct"] = n(sub.loc[arm, "pct"], "num", 1)
            out[f"rapport_tekst_9_2_fig{fig_no}_diff_{period.replace('-', '_')}_p"] = n(sub["p"].iloc[0], "p")
    return out
