"""Om studien: balance table (report Table 1), inventory of qualitative data (Table 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import fmt
from ..registry import Table, table
from ..results import n, provider
from .common import ARMS, caseworkers, cluster_ttest, participants

# (level, key, label, kind, decimals, column/func)
ROWS = [
    ("kontor", "antall_deltakere_kvp_2010_mean", "Antall deltakere i KVP, 2010, M", "mean", 0, "kvp_participants_2010"),
    ("kontor", "avsluttede_program_2010_mean", "Avsluttede program, 2010, M", "mean", 0, "kvp_completed_2010"),
    ("kontor", "antall_deltakere_i_arbeid_2010_mean", "Antall deltakere i arbeid, 2010, M", "mean", 2, "kvp_in_work_2010"),
    ("veileder", "antall_kvp_deltakere_mean", "Antall KVP-deltakere, M", "mean", 1, "caseload"),
    ("veileder", "andel_kvinner_pct", "Andel kvinner (%)", "pct", 1, "women"),
    ("veileder", "alder_2010_mean", "Alder (2010), M", "mean", 0, "age"),
    ("veileder", "utdanning_mean", "Utdanning (1–5), M", "mean", 2, "education"),
    ("veileder", "relevante_kurs_pct", "Relevante kurs (% ja)", "pct", 0, "relevant_courses"),
    ("veileder", "erfaring_tilsvarende_oppfolging_pct", "Erfaring med tilsvarende oppfølgingsarbeid (% ja)", "pct", 0, "similar_experience"),
    ("veileder", "maneder_i_kvp_mean", "Arbeidet i KVP (antall måneder), M", "mean", 0, "months_in_kvp"),
    ("deltaker", "kvinner_pct", "Kvinner (%)", "pct", 0, "women"),
    ("deltaker", "innvandrer_pct", "Innvandrer (ikke født i Norge) (%)", "pct", 0, "immigrant"),
    ("deltaker", "fodselsar_mean", "Fødselsår, M", "year", 0, "birth_year"),
    ("deltaker", "utdanningsniva_mean", "Utdanningsnivå (1–5), M", "mean", 2, "education"),
    ("deltaker", "tidligere_inntektsgivende_arbeid_pct", "Tidligere hatt inntektsgivende arbeid (%)", "pct", 0, "prior_paid_work"),
    ("deltaker", "ar_inntektsgivende_arbeid_mean", "Inntektsgivende arbeid (år), M", "mean", 2, "years_paid_work"),
    ("deltaker", "ar_siste_arbeidsforhold_mean", "Siste arbeidsforhold (år), M", "mean", 2, "years_last_job"),
    ("deltaker", "ar_arbeidsledig_mean", "Arbeidsledig (år), M", "mean", 2, "years_unemployed"),
]
LEVEL_TITLES = {"kontor": "Kontor", "veileder": "KVP-veiledere", "deltaker": "KVP-deltakere"}


def _frames(study):
    off = study.offices.copy()
    cw = caseworkers(study)
    cw = cw[cw["responded_t1"]].copy()
    cw["women"] = (cw["gender"] == "kvinne").where(cw["gender"].notna())
    cw["age"] = 2010 - cw["birth_year"].astype("float64")
    pa = participants(study).copy()
    pa["women"] = pa["gender"] == "kvinne"
    return {"kontor": off, "veileder": cw, "deltaker": pa}


def balance(study) -> pd.DataFrame:
    """Table 1 numbers with an individual-level test and a cluster-level (office) test."""
    def f(s):
        frames = _frames(s)
        out = []
        for level, key, label, kind, dec, col in ROWS:
            df = frames[level]
            vals = {a: df.loc[df["arm"] == a, col] if level == "kontor" else df.loc[df["arm"] == a, col] for a in ARMS}
            vals = {a: v.dropna().astype("float64") for a, v in vals.items()}
            stat = {a: (v.mean() * (100 if kind == "pct" else 1)) for a, v in vals.items()}
            if kind == "pct":
                table_ = [[v.sum(), len(v) - v.sum()] for v in vals.values()]
                p_ind = stats.chi2_contingency(np.array(table_), correction=False)[1]
            else:
                p_ind = stats.ttest_ind(vals["tiltak"], vals["sammenligning"]).pvalue
            if level == "kontor":
                p_cl = p_ind  # offices are the randomised units
            else:
                p_cl = cluster_ttest(df[col], df["office_id"], s.arm_of_office)
            out.append(dict(level=level, key=key, label=label, kind=kind, decimals=dec,
                            tiltak=stat["tiltak"], sammenligning=stat["sammenligning"],
                            n_tiltak=len(vals["tiltak"]), n_sammenligning=len(vals["sammenligning"]),
                            p_individual=float(p_ind), p_cluster=float(p_cl)))
        return pd.DataFrame(out)
    return study.shared("balance", f)


@table("tbl-balanse", caption="Sammenligning av tiltaks- og sammenligningskontorene ved T1 (rapportens tabell 1)",
       chapter="om-studien")
def tbl_balanse(study):
    b = balance(study)
    rows = []
    for level in ("kontor", "veileder", "deltaker"):
        sub = b[b["level"] == level]
        n_units = {"kontor": len(study.offices), "veileder": int(caseworkers(study)["responded_t1"].sum()),
                   "deltaker": len(study.participants)}[level]
        rows.append([f"**{LEVEL_TITLES[level]} (N = {fmt.integer(n_units)})**", "", "", "", ""])
        for r in sub.itertuples():
            show = fmt.year if r.kind == "year" else (lambda v, d=r.decimals: fmt.num(v, d))
            rows.append([r.label, show(r.tiltak) + fmt.stars(r.p_individual),
                         show(r.sammenligning), fmt.pvalue(r.p_individual, prefix=False),
                         fmt.pvalue(r.p_cluster, prefix=False)])
    frame = pd.DataFrame(rows, columns=["Variabel", "Tiltak", "Sammenligning", "p, individnivå", "p, kontornivå (9 mot 9)"])
    notes = [f"{fmt.STARS_LEGEND} (individnivå, som i rapporten: khikvadrat for andeler, t-test for gjennomsnitt).",
             "Kontornivå: t-test av kontorgjennomsnittene, 9 mot 9 kontor, som respekterer at kontorene ble randomisert."]
    return Table(frame, notes, data=b)


@provider
def balance_numbers(study):
    b = balance(study)
    out = {}
    for r in b.itertuples():
        for arm in ("tiltak", "sammenligning"):
            v = getattr(r, arm)
            for src in ("rapport_tab1", "artikkel_tab1"):
                out[f"{src}_{arm}_{r.level}_{r.key}"] = n(v, "year") if r.kind == "year" else n(v, "num", r.decimals)
        for src in ("rapport_tab1", "artikkel_tab1"):
            if r.key in ("innvandrer_pct", "tidligere_inntektsgivende_arbeid_pct"):
                out[f"{src}_diff_{r.level}_{r.key[:-4]}_sig"] = n(fmt.stars(r.p_individual), "text")
    cw = caseworkers(study)
    for src in ("rapport_tab1", "artikkel_tab1"):
        out[f"{src}_total_kontor_n"] = n(len(study.offices), "int")
        out[f"{src}_total_veileder_n"] = n(int(cw["responded_t1"].sum()), "int")
        out[f"{src}_total_deltaker_n"] = n(len(study.participants), "int")
    out["n_kontor"] = n(len(study.offices), "int")
    out["n_kontor_tiltak"] = n(int((study.offices["arm"] == "tiltak").sum()), "int")
    out["n_veiledere_invitert"] = n(len(cw), "int")
    out["n_veiledere_t1"] = n(int(cw["responded_t1"].sum()), "int")
    out["n_veiledere_t2"] = n(int(cw["responded_t2"].sum()), "int")
    out["n_deltakere"] = n(len(study.participants), "int")
    out["n_deltakere_t2"] = n(len(study.participant_t2), "int")
    out["svarprosent_deltakere_t2"] = n(len(study.participant_t2) / len(study.participants) * 100, "pct")
    sig_ind = b[(b["level"] == "deltaker") & (b["p_individual"] < 0.05)]["label"].tolist()
    sig_cl = b[(b["level"] == "deltaker") & (b["p_cluster"] < 0.05)]["label"].tolist()
    out["balanse_sig_individ"] = n(len(sig_ind), "int")
    out["balanse_sig_kontor"] = n(len(sig_cl), "int")
    return out


@table("tbl-kvalitative-kilder", caption="Oversikt over kvalitative data (rapportens tabell 2)", chapter="om-studien")
def tbl_kvalitative_kilder(study):
    src = study.qual_sources
    labels = {"veileder": "KVP-/HPMT-veiledere", "fm_veileder": "FM-veiledere", "ledelse_ressurs": "Ressursgruppe, programutviklere og ledere",
              "deltaker": "KVP-deltakere"}
    g = (src.groupby(["informant_group", "kind", "wave"], sort=False)
         .agg(kilder=("source_id", "size"), informanter=("n_informants", "sum")).reset_index())
    g["Informantgruppe"] = g["informant_group"].map(labels)
    frame = pd.DataFrame({
        "Informantgruppe": g["Informantgruppe"], "Type": g["kind"].str.capitalize(), "Bølge": g["wave"],
        "Antall": g["kilder"].map(fmt.integer),
        "Informanter": [fmt.integer(v) if v > 0 else "–" for v in g["informanter"]]})
    return Table(frame, ["Observasjoner av samlinger er registrert som én kilde per observert samling."], data=g)
