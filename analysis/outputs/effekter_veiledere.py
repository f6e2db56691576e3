"""Effekter for veiledere: the six scales (report ch. 6; article figure 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, theme, words
from ..registry import Table, figure, table
from ..results import n, provider
from ..stats.dist import t_ppf, ttest_ind_p
from ..synth.simulate import item_columns
from .common import ARMS, SCALE_LABELS, SCALES, cronbach_alpha, scale_panel, scale_scores


def _cluster_mean_ci(y: pd.Series, office: pd.Series):
    """Mean with a 95 % CI whose SE treats offices as clusters (G−1 degrees of freedom)."""
    yv = np.asarray(y, dtype="float64")
    gv = np.asarray(office)
    keep = ~np.isnan(yv) & pd.notna(gv)
    yv, gv = yv[keep], gv[keep]
    N = len(yv)
    m = yv.mean() if N else np.nan
    _, idx = np.unique(gv, return_inverse=True)
    G = int(idx.max()) + 1 if N else 0
    if G < 2:
        return m, np.nan, np.nan
    s = np.bincount(idx, weights=yv - m, minlength=G)  # residual sum per office
    se = np.sqrt((s**2).sum() / N**2 * G / (G - 1))
    t = t_ppf(0.975, G - 1)
    return m, m - t * se, m + t * se


def summary(study) -> pd.DataFrame:
    """Per scale, arm and wave: n, mean and cluster-robust 95 % CI."""
    def f(s):
        sc = scale_scores(s)
        rows = []
        for scale in SCALES:
            for arm in ARMS:
                for wave in ("T1", "T2"):
                    sub = sc[(sc["arm"] == arm) & (sc["wave"] == wave)]
                    m, lo, hi = _cluster_mean_ci(sub[scale], sub["office_id"])
                    rows.append(dict(scale=scale, arm=arm, wave=wave, n=int(sub[scale].notna().sum()), mean=m, lo=lo, hi=hi))
        return pd.DataFrame(rows)
    return study.shared("cw_summary", f)


def effects(study) -> pd.DataFrame:
    """The report's analyses per scale: change scores (t-test) and ANCOVA on T2 with T1 as covariate."""
    def f(s):
        from statsmodels.regression.linear_model import OLS
        from statsmodels.tools.tools import add_constant

        sv = s.caseworker_survey
        rows = []
        for scale in SCALES:
            wide = scale_panel(s, scale).copy()
            wide["change"] = wide["T2"] - wide["T1"]
            wide["tiltak"] = (wide["arm"] == "tiltak").astype(int)
            a, b = wide.loc[wide["tiltak"] == 1, "change"], wide.loc[wide["tiltak"] == 0, "change"]
            p_change = ttest_ind_p(a, b)
            fit = OLS(wide["T2"], add_constant(wide[["tiltak", "T1"]].astype("float64"))).fit()
            alphas = {}
            for wave in ("T1", "T2"):
                items = sv.loc[sv["wave"] == wave, item_columns(scale)].astype("float64").dropna()
                alphas[wave] = cronbach_alpha(items) if items.shape[1] > 1 else np.nan
            rows.append(dict(scale=scale, n_panel=len(wide), change_tiltak=a.mean(), change_sammenligning=b.mean(),
                             did=a.mean() - b.mean(), p_change=p_change, ancova=fit.params["tiltak"],
                             ancova_lo=fit.conf_int().loc["tiltak", 0], ancova_hi=fit.conf_int().loc["tiltak", 1],
                             p_ancova=fit.pvalues["tiltak"], alpha_t1=alphas["T1"], alpha_t2=alphas["T2"],
                             items=len(item_columns(scale))))
        return pd.DataFrame(rows)
    return study.shared("cw_effects", f)


def describe_scales(sm: pd.DataFrame) -> str:
    """What fig-skalaer shows, from the means it draws: in each group, on how many scales the mean rose from
    T1 to T2, and the scale with the largest change."""
    out = []
    for arm, where in (("tiltak", "I tiltakskontorene"), ("sammenligning", "i sammenligningskontorene")):
        sub = sm[sm["arm"] == arm].pivot(index="scale", columns="wave", values="mean").reindex(list(SCALES))
        d = (sub["T2"] - sub["T1"]).dropna()
        if d.empty:
            out.append(f"{words.capitalise(where)} kan endringen ikke beregnes.")
            continue
        up = int((d > 0).sum())
        part = ("ingen av skalaene" if up == 0 else f"alle de {fmt.integer(len(d))} skalaene" if up == len(d)
                else f"{words.number(up)} av {fmt.integer(len(d))} skalaer")
        big = d.abs().idxmax()
        verb = words.change(float(sub.loc[big, "T1"]), float(sub.loc[big, "T2"]))
        out.append(f"{words.capitalise(where)} økte gjennomsnittet på {part} fra T1 til T2; størst endring har "
                   f"{SCALE_LABELS[big].lower()}, som {verb} fra {fmt.num(sub.loc[big, 'T1'], 1)} til "
                   f"{fmt.num(sub.loc[big, 'T2'], 1)}.")
    return " ".join(out)


@figure("fig-skalaer", caption="Veiledernes gjennomsnittsskår (0–4) på de seks skalaene ved T1 og T2, etter gruppe, med 95 % konfidensintervall (kontor som klynger)",
        alt="Seks små diagrammer, ett per skala, med gjennomsnitt og konfidensintervall for tiltaks- og sammenligningskontorene ved T1 og T2. "
            "Hvordan skårene endret seg i hver gruppe, står med tallene i teksten rett etter figuren.",
        chapter="effekter-veiledere", describe=lambda study: describe_scales(summary(study)))
def fig_skalaer(study):
    import matplotlib.pyplot as plt

    sm = summary(study)
    fig, axes = plt.subplots(2, 3, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 1.45), sharey=True)
    for ax, scale in zip(axes.ravel(), SCALES):
        for i, arm in enumerate(ARMS):
            sub = sm[(sm["scale"] == scale) & (sm["arm"] == arm)]
            x = np.array([0, 1]) + (i - 0.5) * 0.12
            ax.errorbar(x, sub["mean"], yerr=[sub["mean"] - sub["lo"], sub["hi"] - sub["mean"]], marker="o",
                        color=theme.ARM_COLOURS[arm], label=theme.ARM_LABELS[arm], capsize=3, lw=1.5)
        ax.set_xticks([0, 1], ["T1", "T2"])
        ax.set_xlim(-0.4, 1.4)
        ax.set_ylim(0, 4)
        ax.set_title(SCALE_LABELS[scale].replace(", koordinering og pådriverfunksjon", " m.m."), fontsize=9)
        theme.decimal_comma(ax, "y", 0)
    axes[0, 0].legend(loc="lower left", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("Gjennomsnitt (0–4)")
    fig.tight_layout()
    return fig


@table("tbl-skalaer", caption="Skalaene for veiledere: påstander, reliabilitet (Cronbachs alfa), gjennomsnitt og effekt slik rapporten beregnet den",
       chapter="effekter-veiledere")
def tbl_skalaer(study):
    sm = summary(study).set_index(["scale", "arm", "wave"])["mean"]
    ef = effects(study)
    rows = []
    for r in ef.itertuples():
        rows.append([SCALE_LABELS[r.scale], fmt.integer(r.items), fmt.num(r.alpha_t1, 2), fmt.num(r.alpha_t2, 2),
                     f"{fmt.num(sm[(r.scale, 'tiltak', 'T1')], 1)} → {fmt.num(sm[(r.scale, 'tiltak', 'T2')], 1)}",
                     f"{fmt.num(sm[(r.scale, 'sammenligning', 'T1')], 1)} → {fmt.num(sm[(r.scale, 'sammenligning', 'T2')], 1)}",
                     fmt.num(r.did, 2), fmt.num(r.ancova, 2) + fmt.stars(r.p_ancova), fmt.ci(r.ancova_lo, r.ancova_hi, 2),
                     fmt.pvalue(r.p_ancova, prefix=False)])
    frame = pd.DataFrame(rows, columns=["Skala", "Påstander", "α T1", "α T2", "Tiltak T1 → T2", "Sammenligning T1 → T2",
                                        "Forskjell i endring", "ANCOVA", "95 % KI", "p"])
    notes = ["Gjennomsnitt over alle som svarte ved hvert tidspunkt. Forskjell i endring og ANCOVA (T2 justert for T1) "
             "bruker veiledere som svarte begge gangene, på individnivå som i rapporten; "
             "analyser som tar hensyn til at kontorene ble randomisert, kommer i effektkapitlets metodedel.",
             fmt.STARS_LEGEND + "."]
    return Table(frame, notes, data=ef)


FK_ITEMS = {"fk1": "Faglig kunnskap: hjelpe mot arbeid", "fk2": "Faglig kunnskap: hjelpe mot bedre livskvalitet",
            "fk3": "Kompetent til å hjelpe mot mål om aktivitet", "fk4": "Kjenner arbeidsmarkedet i kommunen",
            "fk5": "Opplæringen gir god kompetanse", "fk6": "Høy kompetanse blant KVP-veilederne på kontoret"}


def competence_items(study) -> pd.DataFrame:
    """Figure 5: each competence item in the tiltak offices, T1 and T2: mean with a cluster-robust 95 % CI."""
    def f(s):
        sv = s.caseworker_survey.merge(s.caseworkers[["caseworker_id", "office_id"]], on="caseworker_id")
        sv = sv[sv["office_id"].map(s.arm_of_office) == "tiltak"]
        rows = []
        for item in FK_ITEMS:
            for wave in ("T1", "T2"):
                sub = sv[sv["wave"] == wave]
                m, lo, hi = _cluster_mean_ci(sub[item], sub["office_id"])
                rows.append(dict(item=item, wave=wave, n=int(sub[item].notna().sum()), mean=m, lo=lo, hi=hi))
        return pd.DataFrame(rows)
    return study.shared("cw_fk_items", f)


def _lower_first(text: str) -> str:
    """«Høy kompetanse blant KVP-veilederne» -> «høy kompetanse blant KVP-veilederne» (acronyms keep their case)."""
    return text[:1].lower() + text[1:]


def describe_items(d: pd.DataFrame) -> str:
    """What fig-kompetanse-pastander shows, from the means it draws (``competence_items``): how many items lie
    higher at T2 than at T1, which item changed most and in which direction, and which was lowest at T1."""
    t1 = d[d["wave"] == "T1"].set_index("item")["mean"].reindex(list(FK_ITEMS))
    t2m = d[d["wave"] == "T2"].set_index("item")["mean"].reindex(list(FK_ITEMS))
    diff = (t2m - t1).dropna()
    if diff.empty:
        return "Endringen fra T1 til T2 kan ikke beregnes for noen av påstandene."
    up = int((diff > 0).sum())
    part = ("ingen av påstandene" if up == 0 else f"alle de {fmt.integer(len(diff))} påstandene" if up == len(diff)
            else f"{words.number(up)} av {fmt.integer(len(diff))} påstander")
    out = [f"Ved T2 ligger {part} høyere enn ved T1."]
    big = diff.abs().idxmax()
    verb = words.change(float(t1[big]), float(t2m[big]))
    if float(diff.abs().max()) == 0:
        out.append("Ingen av påstandene endret seg.")
    else:
        out.append(f"Påstanden som endret seg mest, «{_lower_first(FK_ITEMS[big])}», {verb} fra {fmt.num(t1[big], 1)} til "
                   f"{fmt.num(t2m[big], 1)}.")
    low = t1.dropna().idxmin()
    same = "er den samme påstanden" if low == big else f"er «{_lower_first(FK_ITEMS[low])}» ({fmt.num(t1[low], 1)})"
    out.append(f"Lavest ved T1 {same}.")
    return " ".join(out)


@figure("fig-kompetanse-pastander", caption="De seks påstandene om faglig kompetanse i tiltakskontorene ved T1 og T2: gjennomsnitt (0–4) med 95 % konfidensintervall (kontor som klynger)",
        alt="Liggende punktdiagram med seks påstander om faglig kompetanse, én rad per påstand. For hver påstand vises "
            "gjennomsnittet i tiltakskontorene ved T1 (lys sirkel) og T2 (mørk firkant) med 95 % konfidensintervall, "
            "på skalaen fra 0 (aldri) til 4 (alltid). Hvor mye hver påstand endret seg fra T1 til T2, og hvilken som "
            "endret seg mest, står med tallene i teksten rett før figuren.",
        chapter="effekter-veiledere", describe=lambda study: describe_items(competence_items(study)))
def fig_kompetanse_pastander(study):
    import matplotlib.pyplot as plt

    d = competence_items(study)
    fig, ax = plt.subplots(figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT))
    y = np.arange(len(FK_ITEMS))[::-1]
    for i, (wave, col, mk) in enumerate((("T1", theme.PALETTE[4], "o"), ("T2", theme.PALETTE[0], "s"))):
        sub = d[d["wave"] == wave].set_index("item").loc[list(FK_ITEMS)]
        ax.errorbar(sub["mean"], y + (0.5 - i) * 0.3, xerr=[sub["mean"] - sub["lo"], sub["hi"] - sub["mean"]], fmt=mk, color=col,
                    capsize=3, lw=1.5, ms=5, label=f"{wave} (n = {fmt.integer(sub['n'].max())})")
    ax.set_yticks(y, list(FK_ITEMS.values()), fontsize=8)
    ax.set_xlim(0, 4)
    ax.set_xlabel("Gjennomsnitt (0 = aldri, 4 = alltid)")
    ax.grid(axis="y", visible=False)
    theme.decimal_comma(ax, "x", 0)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


FIG_OF = {"faglig_kompetanse": 4, "veiledning": 6, "relasjonell_allianse": 7, "mote_med_bruker": 8}


@provider
def scale_numbers(study):
    sm = summary(study)
    ef = effects(study).set_index("scale")
    out = {}
    get = lambda s, a, w: float(sm[(sm["scale"] == s) & (sm["arm"] == a) & (sm["wave"] == w)]["mean"].iloc[0])  # noqa: E731
    for scale, fig in FIG_OF.items():
        for arm in ARMS:
            for wave in ("T1", "T2"):
                out[f"rapport_fig{fig}_{arm}_{wave.lower()}_mean"] = n(get(scale, arm, wave), "num", 1)
    for scale in SCALES:
        for arm in ARMS:
            for wave in ("T1", "T2"):
                out[f"skala_{scale}_{arm}_{wave.lower()}"] = n(get(scale, arm, wave), "num", 1)
        out[f"skala_{scale}_did"] = n(ef.loc[scale, "did"], "num", 2)
        out[f"skala_{scale}_ancova"] = n(ef.loc[scale, "ancova"], "num", 2)
        out[f"skala_{scale}_p_ancova"] = n(ef.loc[scale, "p_ancova"], "p")
        out[f"skala_{scale}_alpha_min"] = n(min(ef.loc[scale, "alpha_t1"], ef.loc[scale, "alpha_t2"]), "num", 2)
    tv1, tv2 = get("veiledning", "tiltak", "T1"), get("veiledning", "tiltak", "T2")
    out["rapport_tekst_6_1_veiledning_tiltak_increase_pct"] = n((tv2 - tv1) / tv1 * 100, "pct", 0)
    ta1, ta2 = get("relasjonell_allianse", "tiltak", "T1"), get("relasjonell_allianse", "tiltak", "T2")
    out["rapport_tekst_6_2_allianse_tiltak_increase_points"] = n(ta2 - ta1, "num", 1)
    out["rapport_tekst_6_2_allianse_tiltak_increase_pct"] = n((ta2 - ta1) / ta1 * 100, "pct", 0)
    tm1, tm2 = get("mote_med_bruker", "tiltak", "T1"), get("mote_med_bruker", "tiltak", "T2")
    out["rapport_tekst_6_3_mote_tiltak_increase_pct"] = n((tm2 - tm1) / tm1 * 100, "pct", 0)
    tf1, tf2 = get("faglig_kompetanse", "tiltak", "T1"), get("faglig_kompetanse", "tiltak", "T2")
    out["artikkel_tekst_faglig_kompetanse_tiltak_improvement_pct"] = n((tf2 - tf1) / tf1 * 100, "pct", 0)
    for key, scale in (("rapport_tekst_6_1_faglig_kompetanse_items_count", "faglig_kompetanse"),
                       ("rapport_tekst_6_1_veiledning_items_count", "veiledning"), ("rapport_tekst_6_2_wai_items_count", "relasjonell_allianse"),
                       ("rapport_tekst_6_3_mote_items_count", "mote_med_bruker"), ("rapport_tekst_6_3_system_items_count", "systemorientert"),
                       ("rapport_tekst_6_3_forvaltning_items_count", "forvaltning")):
        out[key] = n(len(item_columns(scale)), "int")
    fk = competence_items(study)
    t1 = fk[fk["wave"] == "T1"].set_index("item")["mean"]
    t2m = fk[fk["wave"] == "T2"].set_index("item")["mean"]
    from ..reproduction import NOTES

    for key in ("rapport_fig5_tiltak_t1_item_min_mean", "rapport_fig5_tiltak_t1_item_max_mean"):
        NOTES[key] = ("Rapportens «mellom 1 og 2» kan ikke gjelde alle seks påstandene når skalagjennomsnittet er 2,5 (figur 4); "
                      "her vises laveste og høyeste påstandsgjennomsnitt.")
    out["rapport_fig5_tiltak_t1_item_min_mean"] = n(t1.min(), "num", 1)
    out["rapport_fig5_tiltak_t1_item_max_mean"] = n(t1.max(), "num", 1)
    out["fk_t1_min_item"] = n(FK_ITEMS[t1.idxmin()].lower(), "text")
    out["fk_t2_min"] = n(t2m.min(), "num", 1)
    out["fk_t2_max"] = n(t2m.max(), "num", 1)
    out["fk_okning_storst_item"] = n(FK_ITEMS[(t2m - t1).idxmax()].lower(), "text")
    out["fk_okning_storst"] = n((t2m - t1).max(), "num", 1)
    from .. import words

    k, m = int(((t2m - t1) > 0).sum()), len(t1)
    out["fk_alle_okte"] = n("alle" if k == m else "ingen av" if k == 0 else
                            f"{words.number(k)} av de {words.number(m)}", "text")
    sv = study.caseworker_survey
    items = sv[[c for scale in SCALES for c in item_columns(scale)]].astype("float64")
    for key in ("rapport_tekst_6_skala_min", "artikkel_fig3_skala_min"):
        out[key] = n(float(np.nanmin(items.to_numpy())), "num", 0)
    for key in ("rapport_tekst_6_skala_max", "artikkel_fig3_skala_max"):
        out[key] = n(float(np.nanmax(items.to_numpy())), "num", 0)
    out["rapport_fig10_begge_niva_mean"] = n(float(sm.loc[sm["scale"] == "forvaltning", "mean"].mean()), "num", 1)
    out["skala_forvaltning_niva"] = out["rapport_fig10_begge_niva_mean"]
    sig = [SCALE_LABELS[s].lower() for s in SCALES if ef.loc[s, "p_ancova"] < 0.05]
    out["skala_sig_antall"] = n(len(sig), "int")
    from ..words import join

    out["skala_sig_liste"] = n(join(sig), "text")
    out["skala_alpha_min"] = n(float(ef[["alpha_t1", "alpha_t2"]].min().min()), "num", 2)
    out["skala_alpha_max"] = n(float(ef[["alpha_t1", "alpha_t2"]].max().max()), "num", 2)
    out["skala_panel_n"] = n(int(ef["n_panel"].max()), "int")
    return out


# ---------------------------------------------------------------- oppsummering
#: the methods of the summary, in the order the chapter introduces them, as the prose names them
SUMMARY_METHODS = {"rep": "med rapportens metode", "cl": "på kontornivå", "cr2": "med CR2",
                   "ri": "med randomiseringsinferens", "wcr": "med wild cluster bootstrap", "mm": "med flernivåmodellen"}
ALPHA = 0.05


def _signifikant(k) -> str:
    return "signifikant" if int(k) == 1 else "signifikante"


def _effekten(k) -> str:
    return "effekten" if int(k) == 1 else "effektene"


def _generator_icc(study, group: str = "veileder"):
    """The intra-office correlation the generator was given (from the data package), or None."""
    gen = study.descriptor.get("generator") or {}
    return ((gen.get("params") or {}).get("icc") or {}).get(group)


@provider
def caseworker_summary_numbers(study):
    """The chapter's closing summary: which scales the report's method finds, which hold with the cluster-valid
    methods and which survive Holm's adjustment over the declared family of main outcomes."""
    from .. import words
    from .common import MAIN_OUTCOMES
    from .effekter_samlet import effect_summary
    from .frafall import calibrated
    from .tekst import lower_first, of_words

    e = effect_summary(study)
    e = e[e["key"].str.startswith("skala_")].reset_index(drop=True)
    lab = e["label"].map(lower_first)
    total = len(e)
    sig = {m: (e[f"{m}_p"] < ALPHA).to_numpy() for m in SUMMARY_METHODS}
    rep, up = sig["rep"], (e["rep_est"] > 0).to_numpy()
    valid = sig["cr2"] & sig["ri"]
    some = sig["cr2"] | sig["ri"] | sig["cl"]
    names = lambda mask: words.join(list(lab[mask]))  # noqa: E731
    out = {}
    # the report's method
    k_up, k_down = int((rep & up).sum()), int((rep & ~up).sum())
    first, second = (k_up, "høyere"), (k_down, "lavere")
    if k_up == 0 and k_down:  # lead with the direction there is
        first, second = second, first
    txt = (f"På {of_words(first[0], total)} skalaene fikk veilederne i tiltakskontorene en signifikant {first[1]} skår "
           "ved T2 enn veilederne i sammenligningskontorene, justert for skåren ved T1")
    txt += f" ({names(rep & (up if first[1] == 'høyere' else ~up))})" if first[0] else ""
    if k_up and k_down:
        txt += f", og på {of_words(k_down, total)} en signifikant lavere ({names(rep & ~up)})"
    out["vs_oppsummering_individ"] = n(txt + ".", "text")
    # the cluster-valid methods, for the scales the report's method finds
    k_rep = int(rep.sum())
    if k_rep == 0:
        txt = "Uten noen signifikant effekt på individnivå er det ingen effekt for klyngeanalysene å bekrefte."
    else:
        k_valid = int((rep & valid).sum())
        who = (("Den holder også" if k_valid else "Den holder ikke") if k_rep == 1 else
               f"{words.capitalise(of_words(k_valid, k_rep))} holder{' også' if k_valid else ''}")
        txt = f"{who} når kontorene behandles som klynger, med både CR2 og randomiseringsinferens"
        txt += f" ({names(rep & valid)})." if k_valid and k_valid < k_rep else "."
        part, fall = rep & ~valid & some, rep & ~some
        if part.any():
            txt += (f" {words.capitalise(names(part))} er {_signifikant(part.sum())} med minst én av de klyngevalide "
                    "metodene, men ikke med både CR2 og randomiseringsinferens.")
        if fall.any():
            txt += f" {words.capitalise(names(fall))} er {_signifikant(fall.sum())} bare på individnivå."
    out["vs_oppsummering_klynge"] = n(txt, "text")
    # Holm over the declared family: methods grouped by the scales that stay significant
    family = len(MAIN_OUTCOMES)
    holm = {m: tuple(lab[(e[f"{m}_p_holm"] < ALPHA).to_numpy()]) for m in SUMMARY_METHODS}
    groups: dict[tuple, list[str]] = {}
    for m in SUMMARY_METHODS:
        groups.setdefault(holm[m], []).append(SUMMARY_METHODS[m])
    parts = [f"for {words.join(list(sc)) if sc else 'ingen av skalaene'} {words.join(ms)}"
             for sc, ms in sorted(groups.items(), key=lambda kv: -len(kv[0]))]
    out["vs_oppsummering_holm"] = n(
        f"Når p-verdiene justeres med Holms metode for de {words.number(family)} hovedutfallene, er effekten "
        f"signifikant {words.join(parts)}.", "text")
    both = lab[((e["cr2_p_holm"] < ALPHA) & (e["ri_p_holm"] < ALPHA)).to_numpy()]
    out["vs_oppsummering_holm_gyldig"] = n(words.join(list(both)) if len(both) else "ingen av skalaene", "text")
    # what it means
    k_valid = int((rep & valid).sum())
    if len(both):
        mean = (f"Best underbygd er {_effekten(len(both))} på {words.join(list(both))}, som tåler både klyngedesignet og "
                "justeringen for mange tester.")
    elif k_valid:
        same = bool(up[rep & valid].all())
        mean = (f"{words.capitalise(_effekten(k_valid))} på {names(rep & valid)} tåler altså klyngedesignet, men ikke justeringen for mange tester "
                "med begge metodene" + ("; de peker samme vei som i rapporten, men bevisene er svakere enn rapportens "
                                        "p-verdier gir inntrykk av." if same else "."))
    else:
        mean = ("Ingen av skalaeffektene tåler klyngedesignet med begge metodene, så dataene kan ikke skille dem fra "
                "tilfeldig variasjon mellom kontorene.")
    if study.synthetic:
        icc = _generator_icc(study)
        mean += (" I de syntetiske dataene er effektene og likheten mellom veiledere på samme kontor lagt inn av "
                 "generatoren" + (f" (ICC {fmt.num(icc, 2)} for veilederne)" if icc is not None else "")
                 + (", som er kalibrert til skalagjennomsnittene i rapporten" if calibrated(study) else "")
                 + ". Hvilke skalaer som holder med klyngemetodene og etter justeringen, er derfor en egenskap ved "
                 "generatoren og ikke et funn fra studien.")
    out["vs_oppsummering_betydning"] = n(mean, "text")
    return out
