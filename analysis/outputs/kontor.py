"""Kontorforskjeller (rapportens kap. 10): implementeringen per tiltakskontor (tabell 10–12)
og kontorvise funn for veiledere og deltakere (tabell 13, kap. 10.2–10.3): tabellene og tallene de bygger på.
Tallene i teksten står i :mod:`analysis.outputs.kontor_tall`, figurene i :mod:`analysis.outputs.kontor_figurer`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import disclosure, fmt
from ..config import setting
from ..registry import Table, table
from ..stats.dist import t_sf
from .common import ARMS, SCALES, caseworkers, participants, scale_scores, t2

#: |office change T1→T2| below this counts as no change ("0") in Table 13; override with the environment
#: variable HPMT_CHANGE_THRESHOLD (the rule is stated in the table's footnote with the value in force)
CHANGE_THRESHOLD = setting("HPMT_CHANGE_THRESHOLD")
#: Disclosure control: every office-level table and figure below suppresses cells based on fewer than
#: disclosure.min_cell() persons (and complementary cells). Nothing that leaves the build carries a suppressed
#: cell, on any data: the tables and the scatter show «–», the CSV exports have the value blanked (the
#: *_skjermet flag stays), and the providers (in kontor_tall) compute from the same blanked frames (shown_*
#: below), so an inline number, results.json or the reproduction appendix shows «skjermet» for the cell, and
#: extremes, counts and means over offices use the shown cells only.
#: denominator of the survey work shares in Table 13: "t2" = the office's participants who answered at T2;
#: "recruited" = all participants recruited at the office (non-respondents count as not in work). The
#: report's printed shares are of this kind: office 3 has 1 and 3 of 10 recruited = 10 % and 30 %, and
#: only with this denominator do the 36 office cells add up to Table 6's counts.
SURVEY_DENOMINATOR = "recruited"
#: the register period used for economic self-sufficiency (26 months after T1)
REGISTER_PERIOD = "2013-05"
SELF_SUFFICIENT = "arbeid_uten_ytelse"
#: the symbols as the report (and the catalogue) prints them
PLUS, ZERO, MINUS_SYMBOL = "+", "0", "-"
#: scale -> the catalogue's name for it
SCALE_KEYS = {"faglig_kompetanse": "faglig_kompetanse", "veiledning": "veiledning",
              "relasjonell_allianse": "relasjonell_allianse", "mote_med_bruker": "mote_med_bruker",
              "systemorientert": "systemorientert_innsats", "forvaltning": "forvaltning_paadriver"}
SHORT_SCALE = {"faglig_kompetanse": "Faglig kompetanse", "veiledning": "Veiledning",
               "relasjonell_allianse": "Relasjonell allianse", "mote_med_bruker": "Møte med bruker",
               "systemorientert": "Systemorientert innsats", "forvaltning": "Forvaltning og pådriverfunksjon"}
ARM_TITLES = {"tiltak": "Tiltak", "sammenligning": "Sammenligning"}
#: Tables 10–12: column of caseworker_hpmt_t2 -> (catalogue table, catalogue item name, label)
IMPLEMENTATION = {
    "samling1": ("rapport_tab10", "nytte_samling1", "Nytte av samling 1 (0–4)"),
    "implementation_aims": ("rapport_tab11", "implementering_i_trad", "Implementering i tråd med målene (0–4)"),
    "supervisions_2012": ("rapport_tab12", "antall_veiledninger_2012", "HPMT-veiledninger i 2012"),
}


def _k(office) -> str:
    return f"k{int(office):02d}"


# ---------------------------------------------------------------- tabell 10–12
def implementation_by_office(study) -> pd.DataFrame:
    """Per intervention office: mean and n answering for gathering 1, implementation aims, supervisions."""
    def f(s):
        cw = caseworkers(s)[["caseworker_id", "office_id", "arm"]]
        ht = s.caseworker_hpmt_t2.merge(cw, on="caseworker_id")
        offices = sorted(s.offices.loc[s.offices["arm"] == "tiltak", "office_id"])
        out = pd.DataFrame({"office_id": offices})
        for col in IMPLEMENTATION:
            v = ht[["office_id", col]].dropna()
            g = v.groupby("office_id")[col]
            out[f"{col}_mean"] = out["office_id"].map(g.mean().astype("float64"))
            out[f"{col}_n"] = out["office_id"].map(g.size()).fillna(0).astype(int)
        out["respondents"] = out["office_id"].map(ht.groupby("office_id").size()).fillna(0).astype(int)
        overall = {"office_id": "alle"}
        for col in IMPLEMENTATION:
            v = ht[col].dropna().astype("float64")
            overall[f"{col}_mean"] = float(v.mean()) if len(v) else np.nan
            overall[f"{col}_n"] = int(len(v))
        overall["respondents"] = len(ht)
        out.attrs["overall"] = overall
        return out
    return study.shared("kontor_implementation", f)


def _mean_n(mean, count) -> str:
    if count == 0 or pd.isna(mean):
        return fmt.MISSING
    return f"{fmt.num(mean, 2)} ({fmt.integer(count)})"


@table("tbl-kontor-implementering",
       caption="Veiledernes vurdering av nytten av samling 1, av implementeringen i tråd med direktoratets "
               "målsetninger og antall HPMT-veiledninger i 2012, per tiltakskontor (rapportens tabell 10–12)",
       chapter="kontorforskjeller")
def tbl_kontor_implementering(study):
    im = implementation_by_office(study)
    # one group per column: the «Alle tiltakskontor» row is a total a suppressed office could be backed out of
    masks = {c: disclosure.suppress(im[f"{c}_n"], kind="vurderinger") for c in IMPLEMENTATION}
    rows = []
    for i, r in im.iterrows():
        rows.append([str(int(r["office_id"]))]
                    + [disclosure.SUPPRESSED if masks[c][i] else _mean_n(r[f"{c}_mean"], int(r[f"{c}_n"]))
                       for c in IMPLEMENTATION])
    o = im.attrs["overall"]
    k = disclosure.min_cell("vurderinger")
    rows.append(["Alle tiltakskontor"] + [disclosure.SUPPRESSED if o[f"{c}_n"] < k else _mean_n(o[f"{c}_mean"], o[f"{c}_n"])
                                          for c in IMPLEMENTATION])
    frame = pd.DataFrame(rows, columns=["Tiltakskontor"] + [v[2] for v in IMPLEMENTATION.values()])
    notes = ["Gjennomsnitt med antall veiledere som svarte i parentes. Veiledere i tiltakskontorene ved T2 "
             "(september 2012). «Alle tiltakskontor» er gjennomsnittet over alle veiledere som svarte (veid med "
             "antall svar per kontor).",
             "Nytte av samling 1: 0 = helt unyttig til 4 = svært nyttig. Implementering i tråd med direktoratets "
             "målsetninger: 0 = ikke i det hele tatt til 4 = i stor grad. HPMT-veiledninger: antall januar–september "
             "2012; svar oppgitt som intervall er kodet til midtpunktet.",
             disclosure.note("vurderinger")]
    data = shown_implementation(study).copy()
    for c in IMPLEMENTATION:
        data[f"{c}_skjermet"] = masks[c]
    return Table(frame, notes, colalign=("left", "right", "right", "right"), data=data)


def implementation_masks(study) -> pd.DataFrame:
    """Per intervention office: which of the Tables 10–12 cells the book suppresses."""
    im = implementation_by_office(study)
    return pd.DataFrame({c: disclosure.suppress(im[f"{c}_n"], kind="vurderinger") for c in IMPLEMENTATION},
                        index=im["office_id"])


# ---------------------------------------------------------------- tabell 13
def symbol(delta: float, threshold: float = CHANGE_THRESHOLD) -> str:
    """The report's +/0/− for an office change (ASCII hyphen, as the report prints it)."""
    if pd.isna(delta):
        return ""
    if abs(delta) < threshold:
        return ZERO
    return PLUS if delta > 0 else MINUS_SYMBOL


def office_findings(study) -> pd.DataFrame:
    """Table 13: per office the change T1→T2 in each caseworker scale and participants' work outcomes."""
    def f(s):
        off = s.offices[["office_id", "arm"]].copy()
        sc = scale_scores(s)
        means = sc.groupby(["office_id", "wave"])[SCALES].mean()
        n_wave = sc.groupby(["office_id", "wave"]).size().unstack("wave")
        t1 = means.xs("T1", level="wave") if "T1" in means.index.get_level_values("wave") else pd.DataFrame(columns=SCALES)
        t2m = means.xs("T2", level="wave") if "T2" in means.index.get_level_values("wave") else pd.DataFrame(columns=SCALES)
        out = off.set_index("office_id")
        for scale in SCALES:
            out[f"{scale}_t1"] = t1[scale].reindex(out.index)
            out[f"{scale}_t2"] = t2m[scale].reindex(out.index)
            out[f"{scale}_delta"] = out[f"{scale}_t2"] - out[f"{scale}_t1"]
            out[f"{scale}_symbol"] = out[f"{scale}_delta"].map(symbol)
        out["n_veiledere_t1"] = n_wave.get("T1", pd.Series(dtype=float)).reindex(out.index).fillna(0).astype(int)
        out["n_veiledere_t2"] = n_wave.get("T2", pd.Series(dtype=float)).reindex(out.index).fillna(0).astype(int)
        tt = t2(s)
        g = tt.groupby("office_id")
        out["n_deltakere_t2"] = g.size().reindex(out.index).fillna(0).astype(int)
        pa = participants(s)[["participant_id", "office_id"]]
        out["n_deltakere"] = pa.groupby("office_id").size().reindex(out.index).fillna(0).astype(int)
        denom = out["n_deltakere_t2"] if SURVEY_DENOMINATOR == "t2" else out["n_deltakere"]
        for act in ("heltid", "deltid"):
            out[f"n_{act}"] = g[f"act_{act}"].sum().reindex(out.index).fillna(0).astype(int)
            out[f"{act}_pct"] = (out[f"n_{act}"] / denom.where(denom > 0) * 100).astype("float64")
        rg = s.register[s.register["period"] == REGISTER_PERIOD].merge(pa, on="participant_id")
        gr = rg.groupby("office_id")
        out["n_register"] = gr.size().reindex(out.index).fillna(0).astype(int)
        out["selvhjulpen_pct"] = (gr["status"].apply(lambda x: (x == SELF_SUFFICIENT).mean()) * 100).reindex(out.index)
        out["arm_order"] = out["arm"].map({a: i for i, a in enumerate(ARMS)})
        out = out.reset_index().sort_values(["arm_order", "office_id"]).drop(columns="arm_order").reset_index(drop=True)
        return out
    return study.shared("kontor_findings", f)


def _display_symbol(sym: str) -> str:
    return fmt.MINUS if sym == MINUS_SYMBOL else sym


def _pct_int(x) -> str:
    return fmt.MISSING if pd.isna(x) else fmt.num(x, 0)


def _rows_by_arm(frame: pd.DataFrame, ncols: int, office_row) -> list[list[str]]:
    """Table rows grouped under a bold arm heading; ``office_row(i, r)`` gives one office's cells."""
    rows = []
    for arm in ARMS:
        sub = frame[frame["arm"] == arm]
        if sub.empty:
            continue
        rows.append([f"**{ARM_TITLES[arm]}**"] + [""] * (ncols - 1))
        rows.extend(office_row(i, r) for i, r in sub.iterrows())
    return rows


def findings_masks(study) -> pd.DataFrame:
    """Per office (rows as in :func:`office_findings`): which Table 13 cells the book suppresses.

    Scale cells are based on the office's caseworkers (the fewer of the T1 and T2 respondents), work
    shares on the denominator of the share, the register share on the participants in the register.
    Groups are the arms: arm totals are printed in the effects chapters.
    """
    of = office_findings(study)
    arm = of["arm"]
    n_scale = of[["n_veiledere_t1", "n_veiledere_t2"]].min(axis=1)
    denom = of["n_deltakere_t2"] if SURVEY_DENOMINATOR == "t2" else of["n_deltakere"]
    out = pd.DataFrame({"office_id": of["office_id"], "arm": arm})
    out["skala"] = disclosure.suppress(n_scale, arm, kind="vurderinger")
    for act in ("heltid", "deltid"):
        out[act] = disclosure.suppress(denom, arm)
    out["selvhjulpen"] = disclosure.suppress(of["n_register"], arm)
    return out


def _blank(frame: pd.DataFrame, mask, columns) -> None:
    """Set ``columns`` to missing (NaN, or '' for text) in the rows where ``mask`` is true, in place."""
    mask = np.asarray(mask, dtype=bool)
    for c in columns:
        frame[c] = frame[c].where(~mask, "" if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
                                  else np.nan)


def shown_implementation(study) -> pd.DataFrame:
    """Tables 10–12 per office as they may leave the build: a suppressed cell's mean and count are blank."""
    def f(s):
        im = implementation_by_office(s).copy()
        mk = implementation_masks(s)
        for c in IMPLEMENTATION:
            _blank(im, mk[c].to_numpy(), [f"{c}_mean", f"{c}_n"])
        return im
    return study.shared("kontor_impl_shown", f)


def recruitment_masks(study) -> pd.DataFrame:
    """Per office (rows as in :func:`recruitment`): recruited (and its share of the target), immigrant share."""
    rc = recruitment(study)
    m_rec = disclosure.suppress(rc["n_deltakere"], rc["arm"])
    m_imm = disclosure.suppress(rc["innvandrer_n"], rc["arm"]) | m_rec
    return pd.DataFrame({"rekruttert": m_rec, "innvandrer": m_imm}, index=rc.index)


def shown_findings(study) -> pd.DataFrame:
    """Table 13 and the office means as they may leave the build: suppressed cells blank."""
    def f(s):
        of = office_findings(s).copy()
        mk = findings_masks(s)
        _blank(of, mk["skala"], [f"{sc}_{w}" for sc in SCALES for w in ("t1", "t2", "delta", "symbol")])
        for act in ("heltid", "deltid"):
            _blank(of, mk[act], [f"n_{act}", f"{act}_pct"])
        _blank(of, mk["selvhjulpen"], ["selvhjulpen_pct"])
        _blank(of, recruitment_masks(s)["rekruttert"].to_numpy(), ["n_deltakere"])
        return of
    return study.shared("kontor_findings_shown", f)


def shown_recruitment(study) -> pd.DataFrame:
    """The recruitment table's frame as it may leave the build: suppressed cells blank."""
    def f(s):
        rc = recruitment(s).copy()
        of = shown_findings(s).set_index("office_id")
        for c in ("heltid_pct", "deltid_pct", "selvhjulpen_pct"):
            rc[c] = rc["office_id"].map(of[c]).astype("float64")
        rc["arbeid_pct"] = rc["heltid_pct"] + rc["deltid_pct"]
        mk = recruitment_masks(s)
        _blank(rc, mk["rekruttert"], ["n_deltakere", "andel_maltall_pct"])
        _blank(rc, mk["innvandrer"], ["innvandrer_pct"])
        return rc
    return study.shared("kontor_recruitment_shown", f)


@table("tbl-kontorfunn",
       caption="Kontorvise funn: endring fra T1 til T2 i veiledernes vurderinger på de seks skalaene, og "
               "deltakernes overgang til arbeid og økonomisk selvhjulpenhet (rapportens tabell 13)",
       chapter="kontorforskjeller")
def tbl_kontorfunn(study):
    of = office_findings(study)
    mk = findings_masks(study)
    cols = (["Kontor"] + [SHORT_SCALE[s] for s in SCALES]
            + ["Heltid, 18 mnd. (%)", "Deltid, 18 mnd. (%)", "Selvhjulpen, mai 2013 (%)"])
    hide = disclosure.SUPPRESSED

    def office_row(i, r):
        m = mk.loc[i]
        return ([str(r["office_id"])]
                + [hide if m["skala"] else _display_symbol(r[f"{s}_symbol"]) for s in SCALES]
                + [hide if m["heltid"] else _pct_int(r["heltid_pct"]),
                   hide if m["deltid"] else _pct_int(r["deltid_pct"]),
                   hide if m["selvhjulpen"] else _pct_int(r["selvhjulpen_pct"])])

    frame = pd.DataFrame(_rows_by_arm(of, len(cols), office_row), columns=cols)
    thr = fmt.num(CHANGE_THRESHOLD, 2)
    notes = [f"Skalaene: kontorets gjennomsnitt ved T2 minus gjennomsnittet ved T1 (alle veiledere som svarte ved "
             f"hvert tidspunkt; skala 0–4). + økning, {fmt.MINUS} reduksjon, 0 endring mindre enn {thr} i "
             "tallverdi (grensen kan endres med miljøvariabelen HPMT_CHANGE_THRESHOLD). Gjennomsnittene står i "
             "tabellen over kontorenes gjennomsnitt til slutt i kapitlet.",
             "Heltid og deltid: andel av kontorets deltakere "
             + ("som svarte ved T2" if SURVEY_DENOMINATOR == "t2" else "i studien")
             + " som krysset av for inntektsgivende arbeid på heltid eller deltid i T2-skjemaet (omtrent 18 "
             "måneder etter T1). Selvhjulpen: andel av kontorets deltakere som i registrene i mai 2013 var arbeidstakere uten "
             "andre ytelser.",
             disclosure.note(("vurderinger", "personer")) + " Skalaene regnes som basert på det minste antallet "
             "veiledere som svarte ved T1 og T2."]
    colalign = ("left",) + ("center",) * len(SCALES) + ("right",) * 3
    data = shown_findings(study).merge(
        mk.drop(columns="arm").add_suffix("_skjermet").rename(columns={"office_id_skjermet": "office_id"}), on="office_id")
    return Table(frame, notes, colalign=colalign, data=data)


# ---------------------------------------------------------------- vedlegg 1: kontorenes gjennomsnitt
@table("tbl-kontor-skalaer",
       caption="Kontorenes gjennomsnitt på veiledernes seks skalaer ved T1 og T2 og endringen fra T1 til T2 "
               "(jf. rapportens vedlegg 1)",
       chapter="kontorforskjeller")
def tbl_kontor_skalaer(study):
    of = office_findings(study)
    mk = findings_masks(study)
    cols = ["Kontor", "Veiledere T1/T2"] + [SHORT_SCALE[s] for s in SCALES]

    def office_row(i, r):
        cells = []
        for scale in SCALES:
            a, b, d = r[f"{scale}_t1"], r[f"{scale}_t2"], r[f"{scale}_delta"]
            if mk.loc[i, "skala"]:
                cells.append(disclosure.SUPPRESSED)
            elif pd.isna(d):
                cells.append(fmt.MISSING)
            else:
                sign = "+" if fmt.round_half_up(d, 2) > 0 else ""
                cells.append(f"{fmt.num(a, 2)} → {fmt.num(b, 2)} ({sign}{fmt.num(d, 2)})")
        return [str(r["office_id"]), f"{int(r['n_veiledere_t1'])}/{int(r['n_veiledere_t2'])}"] + cells

    frame = pd.DataFrame(_rows_by_arm(of, len(cols), office_row), columns=cols)
    notes = ["Gjennomsnitt ved T1 → gjennomsnitt ved T2 (endring i parentes), skala 0–4, blant veilederne ved kontoret "
             "som svarte ved hvert tidspunkt. Endringen er grunnlaget for +, 0 og "
             f"{fmt.MINUS} i tabellen over kontorvise funn (0 når endringen er mindre enn "
             f"{fmt.num(CHANGE_THRESHOLD, 2)} i tallverdi).",
             disclosure.note("vurderinger") + " Skalaene regnes som basert på det minste antallet veiledere som "
             "svarte ved T1 og T2."]
    colalign = ("left", "center") + ("right",) * len(SCALES)
    data = shown_findings(study)[["office_id", "arm", "n_veiledere_t1", "n_veiledere_t2"]
                                 + [f"{s}_{w}" for s in SCALES for w in ("t1", "t2", "delta")]].copy()
    data["skala_skjermet"] = mk["skala"].to_numpy()
    return Table(frame, notes, colalign=colalign, data=data)


# ---------------------------------------------------------------- rekruttering mot måltall
#: an office is «large» when its KVP target for 2011 is at least this quantile of the 18 offices' targets
LARGE_QUANTILE = 0.5
#: «high transition to work» in the text of chapter 10.3: full- plus part-time share at least this (per cent)
HIGH_WORK_PCT = 20.0


def recruitment(study) -> pd.DataFrame:
    """Per office: size (KVP participants 2010), target 2011, recruited, share of target, immigrant share."""
    def f(s):
        of = office_findings(s)
        off = s.offices.set_index("office_id")
        pa = participants(s)
        out = of[["office_id", "arm", "n_deltakere", "heltid_pct", "deltid_pct", "selvhjulpen_pct"]].copy()
        out["kvp_2010"] = out["office_id"].map(off["kvp_participants_2010"]).astype("float64")
        out["maltall"] = out["office_id"].map(off["kvp_target_2011"]).astype("float64")
        out["andel_maltall_pct"] = out["n_deltakere"] / out["maltall"].where(out["maltall"] > 0) * 100
        imm = pa.groupby("office_id")["immigrant"].apply(lambda x: x.dropna().astype(bool).mean() * 100)
        out["innvandrer_pct"] = out["office_id"].map(imm).astype("float64")
        out["innvandrer_n"] = out["office_id"].map(pa.dropna(subset=["immigrant"]).groupby("office_id").size()).fillna(0).astype(int)
        out["arbeid_pct"] = out["heltid_pct"] + out["deltid_pct"]
        cut = out["maltall"].quantile(LARGE_QUANTILE)
        out["stor"] = out["maltall"] >= cut
        out.attrs["cut"] = float(cut)
        return out
    return study.shared("kontor_recruitment", f)


@table("tbl-rekruttering",
       caption="Rekruttering til studien sett mot kontorets måltall for KVP i 2011, kontorets størrelse og andelen "
               "innvandrere blant deltakerne, per kontor",
       chapter="kontorforskjeller")
def tbl_rekruttering(study):
    rc = recruitment(study)
    hide = disclosure.SUPPRESSED
    masks = recruitment_masks(study)
    m_rec, m_imm = masks["rekruttert"].to_numpy(), masks["innvandrer"].to_numpy()
    cols = ["Kontor", "KVP-deltakere 2010", "Måltall 2011", "Rekruttert til studien", "Andel av måltallet (%)",
            "Innvandrere blant deltakerne (%)"]
    rows = _rows_by_arm(rc, len(cols), lambda i, r: [
        str(r["office_id"]), fmt.integer(r["kvp_2010"]), fmt.integer(r["maltall"]),
        hide if m_rec[i] else fmt.integer(r["n_deltakere"]),
        hide if m_rec[i] else _pct_int(r["andel_maltall_pct"]),
        hide if m_imm[i] else _pct_int(r["innvandrer_pct"])])
    frame = pd.DataFrame(rows, columns=cols)
    notes = ["KVP-deltakere 2010 og måltall 2011 er kontorets egne tall for programmet (måltallet er antallet "
             "KVP-deltakere kontoret skulle rekruttere i løpet av 2011). Andel av måltallet: deltakere rekruttert til "
             "studien i prosent av måltallet. Innvandrere: andel av kontorets deltakere i studien.",
             disclosure.note()]
    data = shown_recruitment(study).copy()
    data["rekruttert_skjermet"] = m_rec
    data["innvandrer_skjermet"] = m_imm
    return Table(frame, notes, colalign=("left",) + ("right",) * 5, data=data)


# ---------------------------------------------------------------- robusthet: utelat ett kontor
#: effect -> (label, unit); units: "skala" (scale points), "pp" (percentage points), "kr"
LOO_EFFECTS = {**{s: (SHORT_SCALE[s], "skala") for s in SCALES},
               "deltid": ("Deltidsarbeid (T2)", "pp"), "heltid": ("Heltidsarbeid (T2)", "pp"),
               "selvhjulpen": ("Selvhjulpen, mai 2013", "pp"), "inntekt": ("Husholdningsinntekt (T2)", "kr")}
LOO_ALPHA = 0.05
#: how the prose names an effect
LOO_WORDS = {"deltid": "deltidsarbeid", "heltid": "heltidsarbeid", "selvhjulpen": "selvhjulpenhet",
             "inntekt": "husholdningsinntekt", "mote_med_bruker": "møte med bruker"}


def office_summaries(study) -> pd.DataFrame:
    """One row per office: the office-level summary each main effect compares (unweighted across offices).

    The scales use the same office summary as the primary office-level analysis of the effect chapters
    (``effekter_samlet.effect_summary``): the mean change T2 − T1 among the office's caseworkers who
    answered both times, so that the estimate with all offices is the same number in both chapters.
    (Table 13's symbols compare the office's T1 and T2 means over everyone who answered.)"""
    def f(s):
        from .common import scale_panel

        of = office_findings(s).set_index("office_id")
        out = pd.DataFrame({"arm": of["arm"]})
        for scale in SCALES:
            w = scale_panel(s, scale)
            out[scale] = (w["T2"] - w["T1"]).groupby(w["office_id"].astype(int)).mean().reindex(out.index)
        tt = t2(s)
        g = tt.groupby("office_id")
        for act in ("deltid", "heltid"):
            out[act] = g[f"act_{act}"].apply(lambda x: x.dropna().astype(bool).mean() * 100).reindex(out.index)
        out["selvhjulpen"] = of["selvhjulpen_pct"]
        out["inntekt"] = g["household_income"].mean().reindex(out.index).astype("float64")
        return out
    return study.shared("kontor_office_summaries", f)


def leave_one_out(study) -> pd.DataFrame:
    """Cluster-level estimate (tiltak − sammenligning in office means, pooled-variance t-test) with all offices
    and with each office left out; vectorised: one weight matrix, row 0 all offices, row 1+i without office i."""
    def f(s):
        summ = office_summaries(s)
        effects = list(LOO_EFFECTS)
        V = summ[effects].to_numpy(dtype="float64")              # offices × effects
        M = ~np.isnan(V)
        V0 = np.where(M, V, 0.0)
        treat = (summ["arm"] == "tiltak").to_numpy()[:, None]
        k = len(summ)
        W = np.ones((k + 1, k))
        W[np.arange(1, k + 1), np.arange(k)] = 0.0               # leave office i out
        res = {}
        for name, a in (("t", treat), ("c", ~treat)):
            w = M & a
            nn = W @ w
            s1 = W @ (V0 * w)
            s2 = W @ (V0 ** 2 * w)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = s1 / nn
                ss = s2 - nn * mean ** 2                            # sum of squared deviations
            res[name] = (nn, mean, ss)
        (nt, mt, sst), (nc, mc, ssc) = res["t"], res["c"]
        with np.errstate(invalid="ignore", divide="ignore"):
            df = nt + nc - 2
            sp2 = (sst + ssc) / df
            se = np.sqrt(sp2 * (1 / nt + 1 / nc))
            est = mt - mc
            tval = est / se
        p = 2 * t_sf(np.abs(tval), df)
        left = [None] + summ.index.astype(int).tolist()
        rows = []
        for j, eff in enumerate(effects):
            for i, lo in enumerate(left):
                rows.append({"effect": eff, "left_out": lo, "estimate": est[i, j], "t": tval[i, j],
                             "p": p[i, j], "df": df[i, j]})
        out = pd.DataFrame(rows)
        full = out[out["left_out"].isna()].set_index("effect")
        out["full_estimate"] = out["effect"].map(full["estimate"])
        out["full_p"] = out["effect"].map(full["p"])
        out["sign_flip"] = np.sign(out["estimate"]) != np.sign(out["full_estimate"])
        out["sig_flip"] = (out["p"] < LOO_ALPHA) != (out["full_p"] < LOO_ALPHA)
        out.loc[out["left_out"].isna(), ["sign_flip", "sig_flip"]] = False
        return out
    return study.shared("kontor_loo", f)
