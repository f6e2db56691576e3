"""Every effect of both effect chapters under every method (tbl-effekter-samlet, fig-effekter-samlet):
the report's individual-level test, the office-level t-test, CR2, exact randomisation inference, the
restricted wild cluster bootstrap and the random-intercept model, with the ICC within arms, the design
effect, and Holm-adjusted p-values for the declared family of main outcomes (``common.MAIN_OUTCOMES``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, theme
from ..registry import Table, figure, table
from ..results import n, provider
from .common import participants, t2
from .effekter_deltakere import PERIODS, Num_ci, _ci, _tiltak, binary_t2, risk_difference
from ..words import lower_first


def _est(x, unit):
    return fmt.integer(x) if unit == "kr" else fmt.num(x, 2 if unit == "poeng" else 1)



def _join(items: list[str]) -> str:
    from ..words import join

    return join(items, empty="")


def _effect_specs(study) -> list[dict]:
    """One spec per effect: individual-level frame (y, tiltak, office, covariates), unit and the report's method."""
    from .common import SCALE_LABELS, SCALES, scale_panel

    specs = []
    for scale in SCALES:
        w = scale_panel(study, scale)
        specs.append(dict(key=f"skala_{scale}", label=SCALE_LABELS[scale].replace(", koordinering og", " og"),
                          group="Veiledere (skalapoeng 0–4)", unit="poeng",
                          d=pd.DataFrame({"y": w["T2"].to_numpy(), "office_id": w["office_id"].astype(int).to_numpy(),
                                          "arm": w["arm"].to_numpy(), "T1": w["T1"].to_numpy(),
                                          "change": (w["T2"] - w["T1"]).to_numpy()}),
                          method="ancova"))
    labels = {"deltid": "Deltidsarbeid (T2)", "heltid": "Heltidsarbeid (T2)", "arbeid": "Arbeid i alt (T2)",
              "aktivering": "KVP eller andre kval.tiltak (T2)"}
    for key, d in binary_t2(study).items():
        specs.append(dict(key=key, label=labels[key], group="Deltakere (prosentpoeng)", unit="pp",
                          d=d.assign(y=d["y"] * 100, office_id=d["office_id"].astype(int)), method="chi2"))
    reg = study.register.merge(participants(study)[["participant_id", "arm", "office_id"]], on="participant_id")
    for period in ("2012-11", "2013-05"):
        sub = reg[reg["period"] == period]
        for measure, statuses, lab in (("selvhjulpen", ["arbeid_uten_ytelse"], "Selvhjulpen"),
                                       ("registerarbeid", ["arbeid_uten_ytelse", "arbeid_med_ytelse"], "I arbeid")):
            specs.append(dict(key=f"{measure}_{period.replace('-', '_')}", label=f"{lab}, register {PERIODS[period].lower()}",
                              group="Deltakere (prosentpoeng)", unit="pp",
                              d=pd.DataFrame({"y": sub["status"].isin(statuses).astype("float64").to_numpy() * 100,
                                              "office_id": sub["office_id"].astype(int).to_numpy(), "arm": sub["arm"].to_numpy()}),
                              method="chi2"))
    inc = t2(study).dropna(subset=["household_income"])
    specs.append(dict(key="inntekt", label="Husholdningsinntekt (T2)", group="Deltakere (kroner)", unit="kr",
                      d=pd.DataFrame({"y": inc["household_income"].astype("float64").to_numpy(),
                                      "office_id": inc["office_id"].astype(int).to_numpy(), "arm": inc["arm"].to_numpy()}),
                      method="ttest"))
    return specs


def _report_method(spec: dict) -> dict:
    d = spec["d"]
    z = _tiltak(d)
    if spec["method"] == "ancova":
        from statsmodels.regression.linear_model import OLS
        from statsmodels.tools.tools import add_constant

        fit = OLS(d["y"].to_numpy(), add_constant(np.column_stack([z, d["T1"].to_numpy()]))).fit()
        ci = fit.conf_int()[1]
        return dict(est=float(fit.params[1]), lo=float(ci[0]), hi=float(ci[1]), p=float(fit.pvalues[1]))
    if spec["method"] == "chi2":
        r = risk_difference(d.assign(y=d["y"] / 100))
        return {k: r[k] for k in ("est", "lo", "hi", "p")}
    from ..stats.cluster import cluster_ttest

    r = cluster_ttest(d.loc[z == 1, "y"], d.loc[z == 0, "y"])
    return dict(est=r.estimate, lo=r.lo, hi=r.hi, p=r.p)


def effect_summary(study) -> pd.DataFrame:
    """Every effect: the report's individual-level method, the office-level t-test, CR2 regression,
    exact randomisation inference, a random-intercept mixed model, ICC and design effect."""
    def f(s):
        from ..stats import cluster, mixed, randomisation, wild

        specs = _effect_specs(s)
        offices = sorted(int(o) for o in s.arm_of_office)
        treated = np.array([s.arm_of_office[o] == "tiltak" for o in offices], dtype="float64")
        Y = np.empty((len(offices), len(specs)))
        rows = []
        for j, spec in enumerate(specs):
            d = spec["d"]
            z = _tiltak(d)
            ancova = spec["method"] == "ancova"
            summ = d["change" if ancova else "y"]
            om = summ.groupby(d["office_id"]).mean().reindex(offices)
            Y[:, j] = om.to_numpy()
            ct = cluster.cluster_ttest(om[treated == 1].dropna(), om[treated == 0].dropna())  # offices with answers
            X = np.column_stack([np.ones(len(d)), z] + ([d["T1"].to_numpy()] if ancova else []))
            cr = cluster.cr2_regression(X, d["y"].to_numpy(), d["office_id"].to_numpy(), coef=1)
            wb = wild.wild_cluster_bootstrap(X, d["y"].to_numpy(), d["office_id"].to_numpy(), coef=1, B=wild.DRAWS, seed=WILD_SEED)
            mm = mixed.random_intercept(X, d["y"].to_numpy(), d["office_id"].to_numpy())
            mm_est, mm_lo, mm_hi, mm_p = mm.contrast(1)
            icc, mbar = cluster.icc_anova(summ.to_numpy(), d["office_id"].to_numpy(), arm=d["arm"].to_numpy())
            # the same ICC from the random-intercept model with arm (REML), as a check on the ANOVA estimate
            ri_arm = mixed.random_intercept(np.column_stack([np.ones(len(d)), z]), summ.to_numpy(), d["office_id"].to_numpy())
            icc_mm = ri_arm.tau2 / (ri_arm.tau2 + ri_arm.sigma2)
            rep = _report_method(spec)
            rows.append(dict(key=spec["key"], label=spec["label"], group=spec["group"], unit=spec["unit"], n=len(d),
                             rep_est=rep["est"], rep_lo=rep["lo"], rep_hi=rep["hi"], rep_p=rep["p"],
                             cl_est=ct.estimate, cl_lo=ct.lo, cl_hi=ct.hi, cl_p=ct.p,
                             cr2_est=cr.estimate, cr2_lo=cr.lo, cr2_hi=cr.hi, cr2_p=cr.p, cr2_df=cr.df, wcr_p=wb.p, wcr_draws=wb.draws,
                             mm_est=mm_est, mm_lo=mm_lo, mm_hi=mm_hi, mm_p=mm_p, mm_se=float(mm.bse[1]),
                             mm_df=float(mm.df[1]), mm_tau2=mm.tau2, icc=icc, icc_mm=icc_mm, mbar=mbar, deff=cluster.design_effect(icc, mbar)))
        out = pd.DataFrame(rows)
        obs, p = randomisation.randomisation_pvalues(Y, treated)
        out["ri_est"], out["ri_p"] = obs, p
        return _with_holm(out)
    return study.shared("effect_summary", f)


#: the methods of tbl-effekter-samlet that give a p-value (prefix of the ``*_p`` columns)
P_METHODS = ("rep", "cl", "cr2", "ri", "wcr", "mm")
#: seed of the wild bootstrap's weights (the same draws for every effect, so the table is reproducible)
WILD_SEED = 2014


def _with_holm(e: pd.DataFrame) -> pd.DataFrame:
    """Holm-adjusted p-values within each method over the declared family of main outcomes
    (``common.MAIN_OUTCOMES``); ``NaN`` for the secondary outcomes."""
    from statsmodels.stats.multitest import multipletests

    from .common import MAIN_OUTCOMES

    e = e.copy()
    e["hovedutfall"] = e["key"].isin(MAIN_OUTCOMES)
    missing = set(MAIN_OUTCOMES) - set(e["key"])
    if missing:
        raise ValueError(f"hovedutfall mangler i effekttabellen: {', '.join(sorted(missing))}")
    fam = e["hovedutfall"].to_numpy()
    for m in P_METHODS:
        if f"{m}_p" not in e:
            continue
        holm = np.full(len(e), np.nan)
        holm[fam] = multipletests(e.loc[fam, f"{m}_p"].to_numpy(), method="holm")[1]
        e[f"{m}_p_holm"] = holm
    return e


@table("tbl-effekter-samlet", caption="Alle effektene med rapportens metode og med metoder som tar hensyn til at 18 kontor ble randomisert: estimat, 95 % konfidensintervall og p-verdi",
       chapter="effekter-deltakere")
def tbl_effekter_samlet(study):
    from .. import words
    from ..stats.randomisation import allocations

    e = effect_summary(study)
    k = sum(a == "tiltak" for a in study.arm_of_office.values())
    G = len(study.arm_of_office)
    n_alloc = fmt.integer(len(allocations(G, k)))
    rows = []
    for r in e.to_dict("records"):
        def pv(m):
            p = fmt.pvalue(r[f"{m}_p"], prefix=False)
            return f"{p} ({fmt.pvalue(r[f'{m}_p_holm'], prefix=False)})" if r["hovedutfall"] else p
        rows.append([r["label"] + (" †" if r["hovedutfall"] else ""), _est(r["rep_est"], r["unit"]), _ci(r["rep_lo"], r["rep_hi"], r["unit"]),
                     pv("rep"), _est(r["cl_est"], r["unit"]), pv("cl"), _ci(r["cr2_lo"], r["cr2_hi"], r["unit"]), pv("cr2"),
                     fmt.num(r["cr2_df"], 1), pv("ri"), pv("wcr"), pv("mm"), fmt.num(r["icc"], 3), fmt.num(r["deff"], 2)])
    frame = pd.DataFrame(rows, columns=["Effekt", "Rapportens estimat", "95 % KI", "p", "Kontornivå: estimat", "p",
                                        "CR2: 95 % KI", "p", "df", "Randomisering: p", "Wild bootstrap: p", "Flernivå: p", "ICC",
                                        "Designeffekt"])
    notes = ["Enheter: skalapoeng for veilederne (ANCOVA: T2 justert for T1), prosentpoeng for andeler og kroner for inntekt. "
             "Rapportens metode: ANCOVA (veiledere), khikvadrattest med Wald-intervall (andeler) og t-test (inntekt), alle på individnivå.",
             f"Kontornivå: t-test av {k} mot {G - k} uvektede kontorgjennomsnitt (for veilederne: gjennomsnittlig endring T1–T2 per kontor). "
             "CR2: samme regresjon som rapportens estimat, med klyngerobuste standardfeil (Bell–McCaffrey) og Satterthwaite-frihetsgrader (df). "
             f"Randomisering: eksakt p over alle {n_alloc} mulige fordelinger av {k} tiltakskontor blant {G}, med forskjellen i kontorgjennomsnitt som teststørrelse. "
             f"Wild bootstrap: restriktert wild cluster bootstrap (WCR) av samme regresjon som CR2, med nullhypotesen pålagt, "
             f"Webbs sekspunktsvekter per kontor og {fmt.integer(int(e['wcr_draws'].iloc[0]))} trekninger; p er andelen trekninger "
             "med større absolutt t-verdi (CR1) enn den observerte. "
             "Flernivå: tilfeldig konstantledd for kontor (lineær sannsynlighetsmodell for andelene), REML; standardfeil fra "
             f"(X′V⁻¹X)⁻¹ ved de estimerte variansene (også når kontorvariansen er 0) og p fra t-fordelingen med {G - 2} frihetsgrader "
             f"(mellom–innen: {G} kontor minus konstantledd og tiltak).",
             f"† Hovedutfall: de {int(e['hovedutfall'].sum())} effektene vi regner som rapportens hovedutfall (veiledernes "
             f"{words.number(int(e.loc[e['hovedutfall'], 'key'].str.startswith('skala_').sum()))} skalaer, effektmålene i rapportens kapittel 6, "
             "og deltakernes arbeid, selvhjulpenhet og inntekt, de primære målene i kapittel 9). "
             "For dem står Holm-justert p i parentes, justert innen hver metode over hovedutfallene; de andre effektene er sekundære og ujusterte.",
             "ICC: intraklassekorrelasjon innen arm (enveis variansanalyse med kontor som klynge og arm som fast faktor, slik at "
             "effekten ikke regnes som forskjell mellom kontor; for veilederne på endringen T1–T2), satt til 0 når estimatet er negativt; "
             "designeffekt = 1 + (gjennomsnittlig klyngestørrelse − 1) · ICC. Flernivåmodellen med arm (REML, tilfeldig konstantledd "
             f"for kontor) gir ICC mellom {fmt.num(e['icc_mm'].min(), 3)} og {fmt.num(e['icc_mm'].max(), 3)}; største forskjell fra "
             f"variansanalysen er {fmt.num((e['icc_mm'] - e['icc']).abs().max(), 3)}."]
    return Table(frame, notes, data=e)


def describe_effects(e: pd.DataFrame) -> str:
    """What fig-effekter-samlet shows: how many effects are significant (p < 0,05) by each method, and for how
    many the office-level and CR2 intervals are wider than the report's."""
    from .. import words

    m = len(e)
    if m == 0:
        return ""

    def part(k):
        return ("ingen av effektene" if k == 0 else f"alle de {fmt.integer(m)} effektene" if k == m
                else f"{words.number(k, 'm')} av {fmt.integer(m)}")

    sig = {k: int((e[f"{k}_p"] < 0.05).sum()) for k in ("rep", "cl", "cr2")}
    rep_w = e["rep_hi"] - e["rep_lo"]
    wider = {k: int(((e[f"{k}_hi"] - e[f"{k}_lo"]) > rep_w).sum()) for k in ("cl", "cr2")}
    return (f"Med p under 0,05 som grense er {part(sig['rep'])} signifikante med rapportens metode, "
            f"{part(sig['cl'])} på kontornivå og {part(sig['cr2'])} med CR2. Intervallet er bredere enn rapportens "
            f"for {part(wider['cl'])} på kontornivå og for {part(wider['cr2'])} med CR2.")


@figure("fig-effekter-samlet", caption="Effektestimat med 95 % konfidensintervall etter metode: rapportens individnivåanalyse, t-test på kontornivå og regresjon med CR2-standardfeil",
        alt="Skogplott i tre paneler: veiledernes seks skalaer i skalapoeng, deltakernes arbeid, aktivering og registerstatus i prosentpoeng, "
            "og husholdningsinntekt i kroner. For hver effekt vises tre estimat med intervall, ett per metode, og en loddrett "
            "linje markerer null. Hvordan intervallene for de tre metodene skiller seg, står med tallene i teksten.",
        chapter="effekter-deltakere", after_numbers=True, describe=lambda study: describe_effects(effect_summary(study)))
def fig_effekter_samlet(study):
    import matplotlib.pyplot as plt

    e = effect_summary(study)
    groups = list(dict.fromkeys(e["group"]))
    heights = [int((e["group"] == g).sum()) + 0.6 for g in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(theme.FIG_WIDTH, 0.36 * sum(heights) + 1.2),
                             gridspec_kw={"height_ratios": heights})
    n_arm = study.offices["arm"].value_counts()
    versus = f"{fmt.integer(n_arm.get('tiltak', 0))} mot {fmt.integer(n_arm.get('sammenligning', 0))}"
    methods = (("rep", "Rapportens metode (individnivå)", theme.PALETTE[7], "o"), ("cl", f"Kontornivå (t-test, {versus})", theme.PALETTE[0], "s"),
               ("cr2", "CR2 (Bell–McCaffrey)", theme.PALETTE[5], "D"))
    for ax, g in zip(axes, groups):
        sub = e[e["group"] == g].reset_index(drop=True)
        ypos = np.arange(len(sub))[::-1]
        for i, (m, lab, col, mk) in enumerate(methods):
            y = ypos + (1 - i) * 0.25
            est = sub[f"{m}_est"].to_numpy()
            ax.errorbar(est, y, xerr=[est - sub[f"{m}_lo"], sub[f"{m}_hi"] - est], fmt=mk, color=col, ms=4, capsize=2, lw=1.2, label=lab)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_yticks(ypos, sub["label"], fontsize=8)
        ax.set_ylim(-0.6, len(sub) - 0.4)
        ax.set_title(g, fontsize=9, loc="left")
        ax.grid(axis="y", visible=False)
        if sub["unit"].iloc[0] == "poeng":  # ticks on tenths that print exactly with one decimal
            from matplotlib.ticker import MultipleLocator

            ax.xaxis.set_major_locator(MultipleLocator(0.5 if np.ptp(ax.get_xlim()) > 1.5 else 0.25))
            theme.decimal_comma(ax, "x", 2 if np.ptp(ax.get_xlim()) <= 1.5 else 1)
        else:
            theme.decimal_comma(ax, "x", 0)
        ax.tick_params(axis="x", labelsize=8)
    axes[0].legend(loc="lower center", bbox_to_anchor=(0.5, 1.12), ncol=3, fontsize=7, handletextpad=0.3, columnspacing=1)
    fig.tight_layout()
    return fig


@provider
def effect_numbers(study):
    """Every effect under every method (the cluster analyses of both effect chapters)."""
    from ..stats.randomisation import allocations

    out = {}
    e = effect_summary(study).set_index("key")
    for key, r in e.iterrows():
        u = r["unit"]
        out[f"eff_{key}_rep_p"] = n(r["rep_p"], "p")
        out[f"eff_{key}_cl_p"] = n(r["cl_p"], "p")
        out[f"eff_{key}_cr2_p"] = n(r["cr2_p"], "p")
        out[f"eff_{key}_ri_p"] = n(r["ri_p"], "p")
        out[f"eff_{key}_mm_p"] = n(r["mm_p"], "p")
        out[f"eff_{key}_wcr_p"] = n(r["wcr_p"], "p")
        out[f"eff_{key}_icc"] = n(r["icc"], "num", 3)
        out[f"eff_{key}_deff"] = n(r["deff"], "num", 2)
        out[f"eff_{key}_cr2_ci"] = Num_ci(r["cr2_lo"], r["cr2_hi"], u)
        out[f"eff_{key}_cl_ci"] = Num_ci(r["cl_lo"], r["cl_hi"], u)
        out[f"eff_{key}_rep_ci"] = Num_ci(r["rep_lo"], r["rep_hi"], u)
    sig = {m: [lab for lab, p in zip(e["label"], e[f"{m}_p"]) if p < 0.05] for m in P_METHODS}
    from .. import words
    from ..results import Num

    for m, labs in sig.items():
        k, liste = len(labs), _join([lower_first(x) for x in labs]) or "ingen"
        out[f"eff_sig_{m}_antall"] = n(k, "int")
        out[f"eff_sig_{m}_liste"] = n(liste, "text")
        # in words for running text: «ingen», «én», «sju»; with the list: «to (a og b)» or «ingen»
        out[f"eff_sig_{m}_ord"] = Num(k, "ingen" if k == 0 else words.number(k))
        out[f"eff_sig_{m}"] = Num(k, f"{words.number(k)} ({liste})" if k else "ingen")
        # «ingen av de 15», «én av de 15», «alle de 15» (before «effektene»)
        out[f"eff_sig_{m}_av"] = Num(k, f"alle de {len(e)}" if k == len(e) else
                                     f"{'ingen' if k == 0 else words.number(k)} av de {len(e)}")
    out["eff_antall"] = n(len(e), "int")
    fam = e[e["hovedutfall"]]
    from .. import words
    from ..results import Num
    from .common import SCALES

    labs = dict(zip(fam.index, [(x if x.startswith(("KVP", "I ")) else x[0].lower() + x[1:]).replace(" (T2)", "")
                                for x in fam["label"]]))
    from .tekst import count_word

    # a count standing alone in running text: «ingen» (not «null»), «én», «to» … «tolv», then digits
    cnt = lambda k: Num(k, count_word(k))  # noqa: E731
    out["eff_hoved_antall"] = cnt(len(fam))
    out["eff_klyngemetoder_antall"] = cnt(len(P_METHODS) - 1)  # every method but the report's own
    out["eff_hoved_skalaer"] = cnt(int(fam.index.str.startswith("skala_").sum()))
    out["eff_skalaer_antall"] = cnt(len(SCALES))
    for m in P_METHODS:
        raw, adj = fam.index[fam[f"{m}_p"] < 0.05], fam.index[fam[f"{m}_p_holm"] < 0.05]
        out[f"eff_hoved_{m}_sig_antall"] = cnt(len(raw))
        out[f"eff_hoved_{m}_holm_antall"] = cnt(len(adj))
        out[f"eff_hoved_{m}_holm_liste"] = n(words.join([labs[k] for k in adj]), "text")
        # the count with its list in brackets: «to (a og b)», or «ingen»
        out[f"eff_hoved_{m}_holm"] = Num(len(adj), f"{words.number(len(adj))} ({words.join([labs[k] for k in adj])})" if len(adj) else "ingen")
        out[f"eff_hoved_{m}_holm_faller_liste"] = n(words.join([labs[k] for k in raw if k not in adj]), "text")
    valid = fam.index[(fam["cr2_p_holm"] < 0.05) & (fam["ri_p_holm"] < 0.05)]
    out["eff_hoved_holm_gyldig_antall"] = cnt(len(valid))
    out["eff_hoved_holm_gyldig_liste"] = n(words.join([labs[k] for k in valid]), "text")
    adj_word = "signifikant" if len(valid) == 1 else "signifikante"
    out["eff_hoved_holm_gyldig_setning"] = Num(len(valid), (f"{words.number(len(valid))} ({words.join([labs[k] for k in valid])}) {adj_word}"
                                                            if len(valid) else f"ingen {adj_word}"))
    for key, r in fam.iterrows():
        for m in P_METHODS:
            out[f"eff_{key}_{m}_p_holm"] = n(r[f"{m}_p_holm"], "p")
    survive = [lab for lab, a, b, c in zip(e["label"], e["rep_p"], e["cr2_p"], e["ri_p"]) if a < 0.05 and b < 0.05 and c < 0.05]
    out["eff_overlever_antall"] = n(len(survive), "int")
    out["eff_overlever_liste"] = n(_join([lower_first(x) for x in survive]) or "ingen", "text")
    for grp, mask in (("skala", e.index.str.startswith("skala_")), ("deltaker", ~e.index.str.startswith("skala_"))):
        sub = e[mask]
        labs = [x if x.startswith(("KVP", "I ")) else x[0].lower() + x[1:] for x in sub["label"]]
        rep_sig = (sub["rep_p"] < 0.05).to_numpy()
        valid = ((sub["cr2_p"] < 0.05) & (sub["ri_p"] < 0.05)).to_numpy()
        anyv = ((sub["cr2_p"] < 0.05) | (sub["ri_p"] < 0.05) | (sub["cl_p"] < 0.05)).to_numpy()
        out[f"eff_{grp}_overlever_liste"] = n(_join([lab for lab, a, b in zip(labs, rep_sig, valid) if a and b]) or "ingen", "text")
        out[f"eff_{grp}_overlever_antall"] = n(int((rep_sig & valid).sum()), "int")
        out[f"eff_{grp}_delvis_liste"] = n(_join([lab for lab, a, b, c in zip(labs, rep_sig, valid, anyv) if a and c and not b]) or "ingen", "text")
        out[f"eff_{grp}_faller_liste"] = n(_join([lab for lab, a, c in zip(labs, rep_sig, anyv) if a and not c]) or "ingen", "text")
        out[f"eff_{grp}_ikke_sig_liste"] = n(_join([lab for lab, a in zip(labs, rep_sig) if not a]) or "ingen", "text")
        out[f"eff_{grp}_rep_sig_antall"] = n(int(rep_sig.sum()), "int")
        out[f"eff_{grp}_antall"] = n(len(sub), "int")
    out["eff_cr2_df_min"] = n(e["cr2_df"].min(), "num", 1)
    out["eff_cr2_df_max"] = n(e["cr2_df"].max(), "num", 1)
    out["eff_icc_max"] = n(e["icc"].max(), "num", 3)
    out["eff_icc_max_label"] = n(lower_first(e.loc[e["icc"].idxmax(), "label"]), "text")
    out["eff_deff_max"] = n(e["deff"].max(), "num", 2)
    out["eff_mm_df"] = n(int(e["mm_df"].iloc[0]), "int")
    out["eff_wcr_draws"] = n(int(e["wcr_draws"].iloc[0]), "int")
    out["eff_allokeringer"] = n(len(allocations(len(study.arm_of_office), sum(a == "tiltak" for a in study.arm_of_office.values()))), "int")
    return out
