"""Effekter for veiledere: the six scales (report ch. 6; article figure 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, theme
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


@figure("fig-skalaer", caption="Veiledernes gjennomsnittsskår (0–4) på de seks skalaene ved T1 og T2, etter gruppe, med 95 % konfidensintervall (kontor som klynger)",
        alt="Seks små diagrammer, ett per skala, med gjennomsnitt og konfidensintervall for tiltaks- og sammenligningskontorene ved T1 og T2. "
            "I tiltakskontorene øker skårene fra T1 til T2 på de fleste skalaene, mest for veiledning; i sammenligningskontorene er de nær uendret.",
        chapter="effekter-veiledere")
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


@figure("fig-kompetanse-pastander", caption="De seks påstandene om faglig kompetanse i tiltakskontorene ved T1 og T2: gjennomsnitt (0–4) med 95 % konfidensintervall (kontor som klynger)",
        alt="Liggende punktdiagram med seks påstander om faglig kompetanse. For hver påstand vises gjennomsnittet i tiltakskontorene ved T1 og T2 "
            "med intervall. Påstandene ligger høyere ved T2 enn ved T1, og påstanden med lavest skår ved T1 øker mest; "
            "tallene står i teksten.",
        chapter="effekter-veiledere")
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
