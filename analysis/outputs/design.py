"""Om studien: balance table (report Table 1), inventory of qualitative data (Table 2)."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..registry import Table, figure, table
from ..results import n, provider
from ..stats.dist import ttest_ind_p
from .common import ARMS, caseworkers, chi2_two_groups, cluster_ttest, participants

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
            vals = {a: df.loc[df["arm"] == a, col].dropna().astype("float64") for a in ARMS}
            stat = {a: (v.mean() * (100 if kind == "pct" else 1)) for a, v in vals.items()}
            if kind == "pct":
                a_, b_ = vals["tiltak"], vals["sammenligning"]
                p_ind = chi2_two_groups(a_.sum(), len(a_), b_.sum(), len(b_))
            else:
                p_ind = ttest_ind_p(vals["tiltak"], vals["sammenligning"])
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
    sig_ind = b[(b["level"] == "deltaker") & (b["p_individual"] < 0.05)]["label"].tolist()
    sig_cl = b[(b["level"] == "deltaker") & (b["p_cluster"] < 0.05)]["label"].tolist()
    out["balanse_sig_individ"] = n(len(sig_ind), "int")
    out["balanse_sig_kontor"] = n(len(sig_cl), "int")
    return out


@provider
def office_words(study):
    """The number of offices in words for running text («ni mot ni kontor», «seks av kontorene»),
    so that a book on data with another number of offices does not say nine."""
    from .. import words

    t = int((study.offices["arm"] == "tiltak").sum())
    c = len(study.offices) - t
    w = lambda k: words.number(k, gender="n")  # noqa: E731
    return {"ord_kontor_alle": n(w(len(study.offices)), "text"),
            "ord_kontor_tiltak": n(w(t), "text"),
            "ord_kontor_sammenligning": n(w(c), "text"),
            "ord_kontor_mot": n(f"{w(t)} mot {w(c)}", "text"),
            "ord_kontor_i_hver_gruppe": n(f"{w(t)} kontor i hver gruppe" if t == c else
                                          f"{w(t)} og {w(c)} kontor i de to gruppene", "text")}


@provider
def count_numbers(study):
    """The study's sizes, used all over the book (kept apart from Table 1, which costs more)."""
    cw = study.caseworkers
    return {"n_kontor": n(len(study.offices), "int"),
            "n_kontor_tiltak": n(int((study.offices["arm"] == "tiltak").sum()), "int"),
            "n_veiledere_invitert": n(len(cw), "int"),
            "n_veiledere_t1": n(int(cw["responded_t1"].sum()), "int"),
            "n_veiledere_t2": n(int(cw["responded_t2"].sum()), "int"),
            "n_deltakere": n(len(study.participants), "int"),
            "n_deltakere_t2": n(len(study.participant_t2), "int"),
            "svarprosent_deltakere_t2": n(len(study.participant_t2) / len(study.participants) * 100, "pct")}


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


#: Facts of the recruitment of offices that are not in the microdata (rapport kap. 2.1).
OFFICES_INVITED = 50


def flow(study) -> dict:
    """Counts for the CONSORT flow diagram (cluster extension), per arm."""
    def f(s):
        cw = caseworkers(s)
        pa = participants(s)
        reg = s.register.merge(pa[["participant_id", "arm"]], on="participant_id")
        last = reg["period"].max()
        out = {"invited": OFFICES_INVITED, "randomised": len(s.offices)}
        for a in ARMS:
            c, p_ = cw[cw["arm"] == a], pa[pa["arm"] == a]
            out[a] = dict(
                offices=int((s.offices["arm"] == a).sum()),
                cw_invited=len(c), cw_t1=int(c["responded_t1"].sum()), cw_t2=int(c["responded_t2"].sum()),
                cw_offices_t2=int(c.loc[c["responded_t2"], "office_id"].nunique()),
                pa_t1=len(p_), pa_t2=int(p_["responded_t2"].sum()),
                pa_offices=int(p_["office_id"].nunique()),
                pa_register=int(reg.loc[(reg["arm"] == a) & (reg["period"] == last), "participant_id"].nunique()),
                register_period=last)
        return out
    return study.shared("flow", f)


def describe_flow(fl: dict) -> str:
    """The counts fig-flyt draws, in running text."""
    from .. import words

    t, c = fl["tiltak"], fl["sammenligning"]
    return (f"{fmt.integer(fl['invited'])} kontor ble invitert og {fmt.integer(fl['randomised'])} randomisert: "
            f"{words.count(t['offices'], 'tiltakskontor', 'tiltakskontor', 'n')} og "
            f"{words.count(c['offices'], 'sammenligningskontor', 'sammenligningskontor', 'n')}. "
            f"Av veilederne svarte {fmt.integer(t['cw_t1'])} av {fmt.integer(t['cw_invited'])} i tiltaksgruppen og "
            f"{fmt.integer(c['cw_t1'])} av {fmt.integer(c['cw_invited'])} i sammenligningsgruppen ved T1, og "
            f"{fmt.integer(t['cw_t2'])} og {fmt.integer(c['cw_t2'])} ved T2. "
            f"Av de {fmt.integer(t['pa_t1'])} rekrutterte deltakerne i tiltaksgruppen og {fmt.integer(c['pa_t1'])} i "
            f"sammenligningsgruppen svarte {fmt.integer(t['pa_t2'])} og {fmt.integer(c['pa_t2'])} ved T2, og "
            f"{fmt.integer(t['pa_register'])} og "
            f"{fmt.integer(c['pa_register'])} finnes i registrene.")


@figure("fig-flyt", caption="Flytdiagram for studien (CONSORT for klynge-randomiserte studier): kontor, veiledere og deltakere etter gruppe",
        alt="Flytdiagram fra NAV-kontorene som ble invitert, via kontorene som takket ja og ble randomisert, til "
            "tiltakskontorene og sammenligningskontorene. For hver gruppe vises antall veiledere invitert og som svarte "
            "ved T1 og T2, og antall deltakere rekruttert, som svarte ved T2 og som finnes i registrene; antallene står "
            "i boksene og i teksten.",
        chapter="om-studien", describe=lambda study: describe_flow(flow(study)))
def fig_flyt(study):
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from .. import theme

    fl = flow(study)
    fig, ax = plt.subplots(figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 1.6))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 11)

    def box(x, y, text, w=4.2, h=1.05, colour="#f2f2f2"):
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05", fc=colour, ec="#555555", lw=0.8))
        ax.text(x, y, text, ha="center", va="center", fontsize=7.5)

    def arrow(x0, y0, x1, y1):
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color="#555555", lw=0.8))

    I = fmt.integer
    box(5, 10.3, f"NAV-kontor invitert: {I(fl['invited'])}\nTakket ja: {I(fl['randomised'])}", w=5)
    from ..data import RANDOMISATION_DATE

    when = f"{RANDOMISATION_DATE.day}. {fmt.month(RANDOMISATION_DATE)}"
    box(5, 8.9, f"Randomisert etter T1-skjemaet for veiledere\n({when}): {I(fl['randomised'])} kontor", w=5.4)
    arrow(5, 9.75, 5, 9.45)
    for x, a in ((2.5, "tiltak"), (7.5, "sammenligning")):
        d = fl[a]
        arrow(5, 8.35, x, 7.85)
        box(x, 7.3, f"{theme.ARM_LABELS[a]}: {I(d['offices'])} kontor", colour=theme.ARM_COLOURS[a] + "33")
        box(x, 5.8, f"Veiledere invitert: {I(d['cw_invited'])}\nSvarte T1: {I(d['cw_t1'])}  ·  svarte T2: {I(d['cw_t2'])}\n"
                    f"({I(d['cw_offices_t2'])} kontor med svar ved T2)", h=1.3)
        box(x, 4.0, f"Deltakere rekruttert (T1): {I(d['pa_t1'])}\nfra {I(d['pa_offices'])} kontor\n"
                    f"Svarte T2: {I(d['pa_t2'])} ({fmt.pct(d['pa_t2'] / d['pa_t1'] * 100, 0)})", h=1.5)
        import pandas as pd

        box(x, 2.2, f"I registrene {fmt.month(pd.Timestamp(d['register_period']))}: {I(d['pa_register'])}\nAnalysert: alle kontor", h=1.2)
        for y0, y1 in ((6.75, 6.45), (5.15, 4.75), (3.25, 2.8)):
            arrow(x, y0, x, y1)
    ax.text(5, 0.9, "Deltakerne ble rekruttert etter randomiseringen (rapporten kap. 2.1).", ha="center", fontsize=7, style="italic")
    return fig


@provider
def flow_numbers(study):
    fl = flow(study)
    out = {"n_kontor_invitert": n(fl["invited"], "int")}
    for a in ARMS:
        for k, v in fl[a].items():
            if isinstance(v, int):
                out[f"flyt_{a}_{k}"] = n(v, "int")
    return out


#: The national KVP population (Ohrem Naper 2010, as quoted in rapport kap. 2.1): not in the
#: microdata, so kept here with its source; the sample side is computed.
NATIONAL_PCT = {"unge": 25, "kvinner": 43, "innvandrere": 40, "grunnskole": 60}
NATIONAL_LABELS = {"unge": "Unge (under 25 år ved T1)", "kvinner": "Kvinner", "innvandrere": "Innvandrere (født utenfor Norge)",
                   "grunnskole": "Grunnskole som høyeste utdanning"}


def sample_profile(study) -> dict:
    def f(s):
        pa = participants(s)
        age = pa["t1_date"].dt.year - pa["birth_year"].astype("float64")
        edu = pa["education"].astype("float64")
        return {"unge": float((age < 25).mean() * 100), "kvinner": float((pa["gender"] == "kvinne").mean() * 100),
                "menn": float((pa["gender"] == "mann").mean() * 100),
                "innvandrere": float(pa["immigrant"].astype(bool).mean() * 100),
                "norskfodt": float((~pa["immigrant"].astype(bool)).mean() * 100),
                "grunnskole": float((edu == 2).mean() * 100), "vgs": float((edu == 3).mean() * 100),
                "hoyskole": float((edu >= 4).mean() * 100), "annen": float((edu == 1).mean() * 100),
                "alder": float(age.mean())}
    return study.shared("sample_profile", f)


@table("tbl-landsbasis", caption="KVP-deltakerne i studien sammenlignet med alle KVP-deltakere på landsbasis", chapter="om-studien")
def tbl_landsbasis(study):
    sp = sample_profile(study)
    rows = [[NATIONAL_LABELS[k], fmt.pct(v, 0), fmt.pct(sp[k], 0)] for k, v in NATIONAL_PCT.items()]
    return Table(pd.DataFrame(rows, columns=["Andel", "Landsbasis", "HPMT-utvalget"]),
                 ["Landsbasis: registerbasert oversikt (Ohrem Naper 2010), slik sluttrapporten gjengir den; HPMT-utvalget er regnet fra dataene."])


@provider
def chapter2_numbers(study):
    cw = caseworkers(study)
    t1 = cw[cw["responded_t1"]]
    sp = sample_profile(study)
    pa = participants(study)
    out = {
        "rapport_tekst_2_invited_offices_count": n(OFFICES_INVITED, "int"),
        "rapport_tekst_2_participating_offices_count": n(len(study.offices), "int"),
        "rapport_tekst_2_t1_veiledere_invited_n": n(len(cw), "int"),
        "rapport_tekst_2_t1_veiledere_respondents_n": n(len(t1), "int"),
        "rapport_tekst_2_t1_veiledere_response_rate_pct": n(len(t1) / len(cw) * 100, "pct", 0),
        "rapport_tekst_2_t2_veiledere_received_n": n(len(t1), "int"),
        "rapport_tekst_2_t2_veiledere_respondents_n": n(int(cw["responded_t2"].sum()), "int"),
        "rapport_tekst_2_t2_veiledere_response_rate_pct": n(cw["responded_t2"].sum() / len(t1) * 100, "pct", 0),
        "rapport_tekst_2_t1_veiledere_kvinner_pct": n((t1["gender"] == "kvinne").sum() / t1["gender"].notna().sum() * 100, "pct", 0),
        "rapport_tekst_2_t1_veiledere_menn_pct": n((t1["gender"] == "mann").sum() / t1["gender"].notna().sum() * 100, "pct", 0),
        "rapport_tekst_2_t1_veiledere_alder_mean": n(2010 - t1["birth_year"].astype("float64").mean(), "num", 0),
        "rapport_tekst_2_t1_veiledere_hoyskole_pct": n((t1["education"].astype("float64") >= 3).mean() * 100, "pct", 0),
        "rapport_tekst_2_t1_veiledere_relevante_kurs_share": n(t1["relevant_courses"].dropna().astype(bool).mean(), "num", 2),
        "rapport_tekst_2_t1_veiledere_erfaring_pct": n(t1["similar_experience"].dropna().astype(bool).mean() * 100, "pct", 0),
        "rapport_tekst_2_t1_veiledere_maneder_kvp_mean": n(t1["months_in_kvp"].astype("float64").mean(), "num", 1),
        "rapport_tekst_2_t1_deltakere_n": n(len(pa), "int"),
        "rapport_tekst_2_t1_deltakere_tiltak_n": n(int((pa["arm"] == "tiltak").sum()), "int"),
        "rapport_tekst_2_t1_deltakere_sammenligning_n": n(int((pa["arm"] == "sammenligning").sum()), "int"),
        "rapport_tekst_2_t1_deltakere_alder_mean": n(sp["alder"], "num", 0),
        "rapport_tekst_2_t2_deltakere_response_rate_pct": n(pa["responded_t2"].mean() * 100, "pct", 1),
        "rapport_tekst_2_register_n": n(int(study.register["participant_id"].nunique()), "int"),
    }
    for key in ("menn", "kvinner", "grunnskole", "vgs", "hoyskole"):
        out[f"rapport_tekst_2_t1_deltakere_{key}_pct"] = n(sp[key], "pct", 0)
    out["rapport_tekst_2_t1_deltakere_innvandrer_pct"] = n(sp["innvandrere"], "pct", 0)
    out["rapport_tekst_2_t1_deltakere_norskfodt_pct"] = n(sp["norskfodt"], "pct", 0)
    out["rapport_tekst_2_t1_deltakere_annen_utdanning_pct"] = n(sp["annen"], "pct", 0)
    for key in NATIONAL_PCT:
        out[f"rapport_tekst_2_sample_{key}_pct"] = n(sp[key], "pct", 0)
        out[f"landsbasis_{key}_pct"] = n(NATIONAL_PCT[key], "pct", 0)
    return out
