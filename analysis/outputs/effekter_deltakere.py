"""Effekter for KVP-deltakere: activity at T2 (Table 6), income (Tables 8–9), register (Figures 13–14)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from .. import fmt, theme
from ..registry import Table, figure, table
from ..results import n, provider
from ..stats.dist import ttest_ind_p
from .common import ARMS, chi2_two_groups, participants, t2

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
            p = chi2_two_groups(cnt["tiltak"], nn["tiltak"], cnt["sammenligning"], nn["sammenligning"])
            rows.append(dict(code=code, label=label, key=key, k_tiltak=cnt["tiltak"], k_sammenligning=cnt["sammenligning"],
                             n_tiltak=nn["tiltak"], n_sammenligning=nn["sammenligning"],
                             pct_tiltak=cnt["tiltak"] / nn["tiltak"] * 100, pct_sammenligning=cnt["sammenligning"] / nn["sammenligning"] * 100,
                             p=p))
        return pd.DataFrame(rows)
    return study.shared("activity", f)


@table("tbl-aktivitet", caption="Aktivitet 18 måneder etter rekruttering, prosent av dem som svarte ved T2, med og uten vekting for flere avkryssinger (rapportens tabell 6)",
       chapter="effekter-deltakere")
def tbl_aktivitet(study):
    a = activity(study)
    w = weighted_activity(study)
    rows = [[r.label, fmt.num(r.pct_tiltak, 1) + fmt.stars(r.p), fmt.num(r.pct_sammenligning, 1),
             fmt.num(w.loc[r.code, "wpct_tiltak"], 1), fmt.num(w.loc[r.code, "wpct_sammenligning"], 1)] for r in a.itertuples()]
    rows.append(["Sum", fmt.num(a["pct_tiltak"].sum(), 1), fmt.num(a["pct_sammenligning"].sum(), 1),
                 fmt.num(w["wpct_tiltak"].sum(), 1), fmt.num(w["wpct_sammenligning"].sum(), 1)])
    akt = risk_difference(binary_t2(study)["aktivering"])
    wa = w.loc[["kvp", "andre_kval"]].sum()
    rows.append(["Aktivisering i alt (KVP eller andre kvalifiseringstiltak)", fmt.num(akt["p1"], 1) + fmt.stars(akt["p"]),
                 fmt.num(akt["p0"], 1), fmt.num(wa["wpct_tiltak"], 1), fmt.num(wa["wpct_sammenligning"], 1)])
    nt, ns = fmt.integer(a["n_tiltak"].iloc[0]), fmt.integer(a["n_sammenligning"].iloc[0])
    frame = pd.DataFrame(rows, columns=["Aktivitet", f"Tiltak (n = {nt})", f"Sammenligning (n = {ns})",
                                        "Tiltak, vektet", "Sammenligning, vektet"])
    notes = [fmt.STARS_LEGEND + " (khikvadrattest på individnivå, som i rapporten).",
             "Vektet: hver avkrysning teller 1 delt på antall avkrysninger personen har, slik at hver deltaker teller én gang "
             "og kolonnen summerer seg til 100. Aktivisering i alt teller hver person én gang selv om begge er krysset av."]
    return Table(frame, notes, data=a.merge(w.reset_index(), on="code"))


def income(study) -> dict:
    def f(s):
        d = t2(s).dropna(subset=["household_income"])
        d = d.assign(inc=d["household_income"].astype("float64"))
        res = {}
        for a in ARMS:
            v = d.loc[d["arm"] == a, "inc"]
            res[a] = dict(n=len(v), mean=v.mean(), sd=v.std(ddof=1))
        res["p"] = ttest_ind_p(d.loc[d["arm"] == "tiltak", "inc"], d.loc[d["arm"] == "sammenligning", "inc"])
        for work in ("heltid", "deltid"):
            x = d[d[f"act_{work}"] & ((work == "heltid") | ~d["act_heltid"])]
            a_, b_ = x.loc[x["arm"] == "tiltak", "inc"], x.loc[x["arm"] == "sammenligning", "inc"]
            res[work] = dict(tiltak=a_.mean(), sammenligning=b_.mean(), n_tiltak=len(a_), n_sammenligning=len(b_),
                             p=ttest_ind_p(a_, b_))
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
                p = chi2_two_groups(k["tiltak"], nn["tiltak"], k["sammenligning"], nn["sammenligning"])
                for a in ARMS:
                    rows.append(dict(period=period, measure=measure, arm=a, k=k[a], n=nn[a], pct=k[a] / nn[a] * 100, p=p))
        return pd.DataFrame(rows)
    return study.shared("register_shares", f)


def describe_register(sh: pd.DataFrame) -> str:
    """What fig-register shows, from the shares it draws: for each measure and period, which group has the
    higher share (words.compare), with both shares."""
    from .. import words

    out = []
    for measure, what in (("selvhjulpen", "i arbeid uten ytelser"), ("arbeid", "i arbeid i alt")):
        parts = []
        for period, label in PERIODS.items():
            v = sh[(sh["measure"] == measure) & (sh["period"] == period)].set_index("arm")["pct"]
            if not set(ARMS) <= set(v.index) or v.isna().any():
                continue
            # compared as printed (whole percent), so the word never contradicts the two numbers beside it
            same = fmt.pct(v["tiltak"], 0) == fmt.pct(v["sammenligning"], 0)
            cmp = "like høy" if same else words.compare(float(v["tiltak"]), float(v["sammenligning"]))
            parts.append(f"i {label.lower()} {cmp} i tiltaksgruppen ({fmt.pct(v['tiltak'], 0)}) enn i "
                         f"sammenligningsgruppen ({fmt.pct(v['sammenligning'], 0)})" if cmp != "like høy" else
                         f"i {label.lower()} like høy i begge gruppene ({fmt.pct(v['tiltak'], 0)})")
        if parts:
            out.append(f"Andelen {what} var {words.join(parts)}.")
    return " ".join(out)


@figure("fig-register", caption="Andel registrert som arbeidstaker i NAVs registre, uten andre ytelser (økonomisk selvhjulpen, rapportens figur 13) og i alt (figur 14), etter gruppe",
        alt="To stolpediagram side om side, arbeid uten ytelser og arbeid i alt, med andelen i tiltaksgruppen og i "
            "sammenligningsgruppen i mai 2011, november 2012 og mai 2013. Forskjellene mellom gruppene står med tallene i teksten.",
        chapter="effekter-deltakere", describe=lambda study: describe_register(register_shares(study)))
def fig_register(study):
    import matplotlib.pyplot as plt

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


# ---------------------------------------------------------------------------
# Weighted shares (several ticks), pooled activation, part-time adjusted, NNT
# ---------------------------------------------------------------------------

def _tiltak(d: pd.DataFrame) -> np.ndarray:
    return (d["arm"] == "tiltak").to_numpy(dtype="float64")


def weighted_activity(study) -> pd.DataFrame:
    """Each respondent's ticks weighted 1/number of ticks, so every person counts once (shares sum to 100 %)."""
    def f(s):
        d = t2(s)
        cols = [f"act_{c}" for c, _, _ in ACTIVITIES]
        ticks = d[cols].astype("float64")
        k = ticks.sum(axis=1)
        w = ticks.div(k.where(k > 0), axis=0).fillna(0.0)
        rows = []
        for (code, _, _), col in zip(ACTIVITIES, cols):
            rows.append(dict(code=code, **{f"wpct_{a}": float(w.loc[d["arm"] == a, col].mean() * 100) for a in ARMS}))
        return pd.DataFrame(rows).set_index("code")
    return study.shared("weighted_activity", f)


def binary_t2(study) -> dict[str, pd.DataFrame]:
    """The T2 binary outcomes (0/1) with arm and office: part-time, full-time, any paid work, activation."""
    def f(s):
        d = t2(s)
        base = d[["participant_id", "office_id", "arm", "immigrant", "prior_paid_work"]].copy()
        ys = {"deltid": d["act_deltid"], "heltid": d["act_heltid"], "arbeid": d["act_deltid"] | d["act_heltid"],
              "aktivering": d["act_kvp"] | d["act_andre_kval"]}
        return {k: base.assign(y=v.astype("float64").to_numpy()) for k, v in ys.items()}
    return study.shared("binary_t2", f)


def risk_difference(d: pd.DataFrame) -> dict:
    """Risk difference (percentage points) with a Wald 95 % CI and the report's chi-square test."""
    z = _tiltak(d)
    y = d["y"].to_numpy()
    p1, p0 = y[z == 1].mean(), y[z == 0].mean()
    n1, n0 = int((z == 1).sum()), int((z == 0).sum())
    se = np.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    k1, k0 = y[z == 1].sum(), y[z == 0].sum()
    p = chi2_two_groups(k1, n1, k0, n0)
    rd = p1 - p0
    return dict(est=rd * 100, lo=(rd - 1.959964 * se) * 100, hi=(rd + 1.959964 * se) * 100, p=float(p),
                p1=p1 * 100, p0=p0 * 100, n1=n1, n0=n0)


def nnt_interval(lo: float, hi: float) -> tuple[float, float]:
    """NNT interval from a risk-difference interval in percentage points.

    If the whole interval is above zero: ``(100/hi, 100/lo)``.  If it crosses zero the NNT is
    unbounded: ``(100/hi, ∞)`` (beyond ∞ lie harms: NNTH ≥ 100/|lo|).  If wholly below
    zero both bounds are harms and returned as negative numbers.
    """
    if lo > 0:
        return 100 / hi, 100 / lo
    if hi < 0:
        return 100 / hi, 100 / lo
    return (100 / hi if hi > 0 else float("inf")), float("inf")


def _nnt_text(lo: float, hi: float) -> str:
    a, b = nnt_interval(lo, hi)
    if hi < 0:  # harm throughout: no NNT for benefit, an interval for NNTH (100 / |AAR|)
        return f"NNTH {fmt.ci(abs(b), abs(a), 1)}"
    if math.isinf(b):
        harm = f" / NNTH ≥ {fmt.num(100 / abs(lo), 0)}" if lo < 0 else ""
        return f"[{fmt.num(a, 1)}; ∞]{harm}"
    return fmt.ci(a, b, 1)


def nnt(study) -> pd.DataFrame:
    def f(s):
        from ..stats.cluster import cr2_regression

        bt = binary_t2(s)
        rows = []
        for key, label in (("deltid", "Inntektsgivende arbeid, deltid"), ("heltid", "Inntektsgivende arbeid, heltid"),
                           ("arbeid", "Inntektsgivende arbeid, deltid eller heltid")):
            r = risk_difference(bt[key])
            d = bt[key]
            # the same CR2 regression as tbl-effekter-samlet (percentage points, offices as clusters)
            cr = cr2_regression(np.column_stack([np.ones(len(d)), _tiltak(d)]), d["y"].to_numpy() * 100, d["office_id"].to_numpy())
            c = {"cr2_lo": cr.lo, "cr2_hi": cr.hi}
            a, b = nnt_interval(r["lo"], r["hi"])
            ca, cb = nnt_interval(c["cr2_lo"], c["cr2_hi"])
            rows.append(dict(key=key, label=label, rd=r["est"], lo=r["lo"], hi=r["hi"], nnt=100 / r["est"],
                             nnt_lo=a, nnt_hi=b, cr2_lo=c["cr2_lo"], cr2_hi=c["cr2_hi"], cr2_nnt_lo=ca, cr2_nnt_hi=cb))
        return pd.DataFrame(rows)
    return study.shared("nnt", f)


@table("tbl-nnt", caption="Absolutt risikoforskjell (AAR) og antall som må følges opp for at én flere skal være i arbeid (NNT), med 95 % konfidensintervall (rapportens tabell 7)",
       chapter="effekter-deltakere")
def tbl_nnt(study):
    d = nnt(study)
    rows = []
    for r in d.itertuples():
        rows.append([r.label, fmt.num(r.rd, 1), fmt.ci(r.lo, r.hi, 1), fmt.num(r.nnt, 1) if r.rd > 0 else "∞",
                     _nnt_text(r.lo, r.hi), fmt.ci(r.cr2_lo, r.cr2_hi, 1), _nnt_text(r.cr2_lo, r.cr2_hi)])
    frame = pd.DataFrame(rows, columns=["Utfall", "AAR (prosentpoeng)", "95 % KI, individnivå", "NNT",
                                        "NNT 95 % KI, individnivå", "AAR 95 % KI, CR2", "NNT 95 % KI, CR2"])
    notes = ["AAR: andel i tiltaksgruppen minus andel i sammenligningsgruppen blant dem som svarte ved T2 (uvektet). "
             "NNT = 100/AAR; intervallet for NNT er 100 delt på grensene i intervallet for AAR. "
             "Når intervallet for AAR omfatter null, er NNT ubegrenset (∞): intervallet går da fra den minste NNT for nytte "
             "gjennom uendelig over i skade (NNTH).",
             "Individnivå: Wald-intervall som ser bort fra kontorene. CR2: lineær sannsynlighetsmodell med klyngerobuste "
             "standardfeil (Bell–McCaffrey) og Satterthwaite-frihetsgrader, kontor som klynge."]
    return Table(frame, notes, data=d)


def deltid_adjusted(study) -> pd.DataFrame:
    """Part-time work: unadjusted and adjusted logistic regressions, and inverse-probability-of-response weights."""
    def f(s):
        # the statsmodels modules themselves, not statsmodels.api (which imports every model, ~0,4 s)
        from statsmodels.discrete.discrete_model import Logit
        from statsmodels.genmod.families import Binomial
        from statsmodels.genmod.generalized_linear_model import GLM
        from statsmodels.tools.tools import add_constant

        from ..stats import cluster

        pa = participants(s).copy()
        pa["tiltak"] = (pa["arm"] == "tiltak").astype(float)
        pa["kvinne"] = (pa["gender"] == "kvinne").astype(float)
        pa["alder"] = (2011 - pa["birth_year"].astype("float64"))
        for c in ("immigrant", "prior_paid_work", "responded_t2"):
            pa[c] = pa[c].astype("float64")
        pa["education"] = pa["education"].astype("float64")
        resp_cols = ["tiltak", "immigrant", "prior_paid_work", "kvinne", "alder", "education"]
        fit_r = Logit(pa["responded_t2"], add_constant(pa[resp_cols])).fit(disp=0)
        pa["p_resp"] = fit_r.predict(add_constant(pa[resp_cols]))
        d = binary_t2(s)["deltid"].merge(pa[["participant_id", "p_resp"]], on="participant_id")
        d["tiltak"] = _tiltak(d)
        d["immigrant"] = d["immigrant"].astype("float64")
        d["prior_paid_work"] = d["prior_paid_work"].astype("float64")
        d["w"] = 1 / d["p_resp"]
        d["w"] = d["w"] / d["w"].mean()
        rows = []
        specs = (("ujustert", "Ujustert", ["tiltak"], False),
                 ("justert", "Justert for innvandrerbakgrunn og tidligere arbeid", ["tiltak", "immigrant", "prior_paid_work"], False),
                 ("ipw", "Justert og vektet for frafall (IPW)", ["tiltak", "immigrant", "prior_paid_work"], True))
        # an arm with no one (or everyone) in part-time work separates the outcome completely: the
        # logistic models have no finite estimate, and their odds ratios are not printed
        events = d.groupby("arm")["y"].agg(["sum", "count"])
        # the arms where no one or everyone is in part-time work, with «ingen»/«alle»
        extreme = {a: "ingen" if e["sum"] == 0 else "alle" for a, e in events.iterrows() if e["sum"] in (0, e["count"])}
        separated = len(events) < 2 or bool(extreme)
        for key, label, cols, weighted in specs:
            X = add_constant(d[cols])
            estimable = not separated
            if estimable:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # non-convergence is checked below, not printed
                    if weighted:
                        fit = GLM(d["y"], X, family=Binomial(), var_weights=d["w"]).fit(cov_type="HC0")
                    else:
                        fit = Logit(d["y"], X).fit(disp=0)
                    ci = fit.conf_int().loc["tiltak"]
                    odds = np.exp(np.array([fit.params["tiltak"], ci.iloc[0], ci.iloc[1]], dtype=float))
                if weighted:
                    converged = bool(getattr(fit, "converged", True))
                else:
                    converged = bool((fit.mle_retvals or {}).get("converged", True))
                estimable = converged and bool(np.isfinite(odds).all()) and bool((odds > 0).all())
            if not estimable:
                odds, pval = np.full(3, np.nan), np.nan
            else:
                pval = float(fit.pvalues["tiltak"])
            lpm = cluster.cr2_regression(X.to_numpy(), d["y"].to_numpy() * 100, d["office_id"].to_numpy(), coef=1,
                                         weights=d["w"].to_numpy() if weighted else None)
            rows.append(dict(key=key, label=label, odds_ratio=float(odds[0]), or_lo=float(odds[1]), or_hi=float(odds[2]),
                             p=pval, estimable=estimable, rd=lpm.estimate, rd_lo=lpm.lo,
                             rd_hi=lpm.hi, rd_p=lpm.p, n=len(d)))
        out = pd.DataFrame(rows)
        wsh = {a: float(np.average(d.loc[d["arm"] == a, "y"], weights=d.loc[d["arm"] == a, "w"]) * 100) for a in ARMS}
        out.attrs.update(ipw_pct=wsh, resp_or_immigrant=float(np.exp(fit_r.params["immigrant"])),
                         w_min=float(d["w"].min()), w_max=float(d["w"].max()), extreme_arms=extreme)
        return out
    return study.shared("deltid_adjusted", f)


@table("tbl-deltid-justert", caption="Deltidsarbeid ved T2: effekten av HPMT uten og med kontroll for innvandrerbakgrunn, tidligere arbeid og frafall",
       chapter="effekter-deltakere")
def tbl_deltid_justert(study):
    d = deltid_adjusted(study)
    rows = [[r.label, fmt.num(r.odds_ratio, 2) if r.estimable else "kan ikke beregnes",
             fmt.ci(r.or_lo, r.or_hi, 2) if r.estimable else "–", fmt.pvalue(r.p, prefix=False) if r.estimable else "–",
             fmt.num(r.rd, 1), fmt.ci(r.rd_lo, r.rd_hi, 1), fmt.pvalue(r.rd_p, prefix=False)] for r in d.itertuples()]
    frame = pd.DataFrame(rows, columns=["Modell", "Oddsratio", "95 % KI", "p", "Risikoforskjell (prosentpoeng)", "95 % KI (CR2)", "p (CR2)"])
    notes = [f"Logistisk regresjon på individnivå (n = {fmt.integer(d['n'].iloc[0])}). Vektene for frafall er 1 delt på den predikerte "
             f"sannsynligheten for å svare ved T2, fra en logistisk regresjon på alle {fmt.integer(len(study.participants))} rekrutterte med gruppe, innvandrerbakgrunn, "
             "tidligere arbeid, kjønn, alder og utdanning; i den vektede modellen er standardfeilene robuste (HC0).",
             "Risikoforskjell: lineær sannsynlighetsmodell med de samme kovariatene (og vektene), med CR2-standardfeil og kontor som klynge."]
    if not d["estimable"].all():
        notes.append(separation_text(study) + ", og risikoforskjellen er beregnet likevel.")
    return Table(frame, notes, data=d)


def separation_text(study) -> str:
    """Why the odds ratios cannot be estimated (only called when they cannot)."""
    extreme = deltid_adjusted(study).attrs["extreme_arms"]
    group = {"tiltak": "tiltaksgruppen", "sammenligning": "sammenligningsgruppen"}
    if extreme:
        a, who = next(iter(extreme.items()))
        why = f"{who} i {group.get(a, a)} er i deltidsarbeid ved T2 (fullstendig separasjon)"
    else:
        why = "den logistiske modellen konvergerer ikke på disse dataene"
    return f"Oddsratioen kan ikke beregnes: {why}, så modellen har ikke noe endelig estimat"



@provider
def participant_effect_numbers(study):
    """Table 7 with intervals, weighted shares, activation, part-time adjusted, and the text of 9.1 and 9.3."""
    out = {}
    t7 = nnt(study).set_index("key")
    for key in ("deltid", "heltid", "arbeid"):
        out[f"nnt_{key}_rd"] = n(t7.loc[key, "rd"], "num", 1)
        out[f"nnt_{key}_rd_ci"] = Num_ci(t7.loc[key, "lo"], t7.loc[key, "hi"], "pp")
        out[f"nnt_{key}_ci"] = n(_nnt_text(t7.loc[key, "lo"], t7.loc[key, "hi"]), "text")
        out[f"nnt_{key}_cr2_ci"] = n(_nnt_text(t7.loc[key, "cr2_lo"], t7.loc[key, "cr2_hi"]), "text")
    h = t7.loc["heltid"]
    out["ord_nnt_heltid_eksempel"] = n(f"for heltidsarbeid {_nnt_text(h['lo'], h['hi'])}" if h["lo"] <= 0 <= h["hi"] else
                                       "for heltidsarbeid gjelder det ikke, fordi intervallet for AAR ligger på én side av null",
                                       "text")
    wa = weighted_activity(study)
    for code in ("deltid", "heltid", "kvp", "andre_kval"):
        for a in ARMS:
            out[f"vektet_{code}_{a}"] = n(wa.loc[code, f"wpct_{a}"], "pct")
    bt = binary_t2(study)
    akt = risk_difference(bt["aktivering"])
    out["aktivering_tiltak_pct"] = n(akt["p1"], "pct")
    out["aktivering_sammenligning_pct"] = n(akt["p0"], "pct")
    out["aktivering_p"] = n(akt["p"], "p")
    adj = deltid_adjusted(study).set_index("key")
    if adj["estimable"].all():
        out["ord_deltid_oddsratio"] = n(
            f"Oddsratioen går fra {fmt.num(adj.loc['ujustert', 'odds_ratio'], 2)} ({fmt.pvalue(adj.loc['ujustert', 'p'])}) "
            f"uten justering til {fmt.num(adj.loc['justert', 'odds_ratio'], 2)} ({fmt.pvalue(adj.loc['justert', 'p'])}) "
            f"med justering og {fmt.num(adj.loc['ipw', 'odds_ratio'], 2)} {fmt.ci(adj.loc['ipw', 'or_lo'], adj.loc['ipw', 'or_hi'], 2)} "
            f"({fmt.pvalue(adj.loc['ipw', 'p'])}) når frafallet også er vektet.", "text")
    else:
        out["ord_deltid_oddsratio"] = n(
            f"{separation_text(study)}; risikoforskjellen går fra {fmt.num(adj.loc['ujustert', 'rd'], 1)} prosentpoeng uten "
            f"justering til {fmt.num(adj.loc['justert', 'rd'], 1)} med justering og {fmt.num(adj.loc['ipw', 'rd'], 1)} når "
            "frafallet også er vektet.", "text")
    for key in ("ujustert", "justert", "ipw"):
        out[f"deltid_{key}_or"] = n(adj.loc[key, "odds_ratio"], "num", 2)
        out[f"deltid_{key}_or_ci"] = n(fmt.ci(adj.loc[key, "or_lo"], adj.loc[key, "or_hi"], 2), "text")
        out[f"deltid_{key}_p"] = n(adj.loc[key, "p"], "p")
        out[f"deltid_{key}_cr2_p"] = n(adj.loc[key, "rd_p"], "p")
    ipw = deltid_adjusted(study).attrs["ipw_pct"]
    out["deltid_ipw_tiltak_pct"] = n(ipw["tiltak"], "pct")
    out["deltid_ipw_sammenligning_pct"] = n(ipw["sammenligning"], "pct")
    # published text numbers of 9.1 and 9.3 (same computation as Tables 6, 8 and 9)
    a = activity(study).set_index("code")
    for arm in ARMS:
        out[f"rapport_tekst_9_1_{arm}_deltid_pct"] = n(a.loc["deltid", f"pct_{arm}"], "num", 1)
        out[f"rapport_tekst_9_1_{arm}_kvp_pct"] = n(a.loc["kvp", f"pct_{arm}"], "num", 1)
        out[f"rapport_tekst_9_1_{arm}_andre_kval_pct"] = n(a.loc["andre_kval", f"pct_{arm}"], "num", 1)
    out["rapport_tekst_9_1_heltid_both_pct"] = n(min(a.loc["heltid", "pct_tiltak"], a.loc["heltid", "pct_sammenligning"]), "num", 1)
    out["rapport_tekst_9_1_deltid_relative_effect_pct"] = n((a.loc["deltid", "pct_tiltak"] / a.loc["deltid", "pct_sammenligning"] - 1) * 100, "num", 0)
    d2 = t2(study)
    months = ((d2["t2_date"] - participants(study).set_index("participant_id").loc[d2["participant_id"], "t1_date"].to_numpy())
              .dt.days / 30.4375)
    out["rapport_tekst_9_1_t2_interval_months"] = n(float(months.median()), "num", 0)
    inc = income(study)
    diff = inc["tiltak"]["mean"] - inc["sammenligning"]["mean"]
    for key in ("rapport_tekst_9_3_income_diff_kr", "artikkel_tekst_income_diff_kr"):
        out[key] = n(fmt.round_half_up(diff, -2), "kr")  # the text rounds to hundreds
    from ..reproduction import NOTES

    NOTES["rapport_tekst_9_1_deltid_relative_effect_pct"] = ("Rapporten sier «dobbelt så mange» og 100 %; andelene i tabell 6 "
                                                             "(19,0 mot 9,6) gir 98 %.")
    for key in ("rapport_tekst_9_3_income_diff_share_work", "artikkel_tekst_income_diff_share_work"):
        NOTES[key] = ("Rapportens regresjon er ikke beskrevet; her: 1 − (gruppeforskjell justert for heltid og deltid) / "
                      "(ujustert forskjell). De syntetiske dataene er ikke kalibrert til dette tallet.")
    out["inntekt_diff_eksakt"] = n(diff, "kr")
    share = income_share_work(study)
    for key in ("rapport_tekst_9_3_income_diff_share_work", "artikkel_tekst_income_diff_share_work"):
        out[key] = n(share, "num", 2)
    out["inntekt_andel_arbeid_pct"] = n(share * 100, "pct", 0)
    out["rapport_tab9_total_n"] = n(inc["tiltak"]["n"] + inc["sammenligning"]["n"], "int")
    # the text rounds Table 9 to hundreds/thousands
    out["rapport_tekst_9_3_heltid_tiltak_income_kr"] = n(fmt.round_half_up(inc["heltid"]["tiltak"], -2), "kr")
    out["rapport_tekst_9_3_heltid_diff_kr"] = n(fmt.round_half_up(inc["heltid"]["tiltak"] - inc["heltid"]["sammenligning"], -2), "kr")
    out["rapport_tekst_9_3_deltid_tiltak_income_kr"] = n(inc["deltid"]["tiltak"], "kr")
    out["rapport_tekst_9_3_deltid_sammenligning_income_kr"] = n(fmt.round_half_up(inc["deltid"]["sammenligning"], -3), "kr")
    out["rapport_tekst_9_3_deltid_diff_kr"] = n(inc["deltid"]["tiltak"] - inc["deltid"]["sammenligning"], "kr")
    return out


def income_share_work(study) -> float:
    """Share of the income difference between the arms that goes with paid work: 1 − (arm coefficient
    adjusted for full- and part-time work) / (unadjusted difference), OLS on individuals."""
    def f(s):
        from statsmodels.regression.linear_model import OLS
        from statsmodels.tools.tools import add_constant

        d = t2(s).dropna(subset=["household_income"])
        d = pd.DataFrame({"inc": d["household_income"].astype("float64"), "tiltak": (d["arm"] == "tiltak").astype(float),
                          "heltid": d["act_heltid"].astype(float), "deltid": d["act_deltid"].astype(float)})
        raw = OLS(d["inc"], add_constant(d[["tiltak"]])).fit().params["tiltak"]
        adj = OLS(d["inc"], add_constant(d[["tiltak", "heltid", "deltid"]])).fit().params["tiltak"]
        return float(1 - adj / raw)
    return study.shared("income_share_work", f)


def _ci(lo, hi, unit):
    return fmt.ci(lo, hi, 0 if unit == "kr" else 2 if unit == "poeng" else 1)


def Num_ci(lo, hi, unit):  # noqa: N802
    from ..results import Num

    return Num((lo, hi), _ci(lo, hi, unit))
