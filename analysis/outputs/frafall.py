"""Om studien: attrition (who was recruited, who answered T1/T2, who is in the registers, per arm)
and the n behind each analysis; the limitations section's numbers.

Everything is counted from the data.  The only facts that are not in the microdata are the
reasons the report gives for some of the losses (rapport kap. 2.1); they are
printed as what the report says, never as counts.
"""

from __future__ import annotations

import pandas as pd

from .. import fmt, words
from ..registry import Table, table
from ..results import n, provider
from .common import ARMS, caseworkers, participants, t2
from .design import OFFICES_INVITED

#: register extracts in time order, with the words the text uses for them
PERIODS = {"2011-05": "mai 2011", "2012-11": "november 2012", "2013-05": "mai 2013"}
#: what the data say about why someone is missing (nothing: the files have no reason codes)
NO_REASON = "Ikke registrert i dataene"


def calibrated(study) -> bool:
    """True for synthetic data the generator calibrated to the published numbers (its default mode);
    False for real data and for synthetic data drawn freely from the model (``--mode model``)."""
    gen = study.descriptor.get("generator") or {}
    return bool(study.synthetic) and (gen.get("params") or {}).get("mode") == "calibrated"


def _arm_counts(frame: pd.DataFrame, mask=None) -> dict:
    sub = frame if mask is None else frame[mask]
    return {a: int((sub["arm"] == a).sum()) for a in ARMS}


def attrition(study) -> pd.DataFrame:
    """One row per stage of the study, per arm: the number present and the number lost since the
    stage it is counted from (``base``)."""
    def f(s):
        cw = caseworkers(s)
        pa = participants(s)
        reg = s.register.merge(pa[["participant_id", "arm"]], on="participant_id")
        off = s.offices
        d2 = t2(s)
        hp = s.caseworker_hpmt_t2.merge(cw[["caseworker_id", "arm"]], on="caseworker_id")
        answered_hp = hp["supervisions_2012"].notna()
        rows = [
            ("kontor", "Kontor som takket ja og ble randomisert", {a: int((off["arm"] == a).sum()) for a in ARMS}, "invitert"),
            ("veiledere_invitert", "Veiledere invitert (T1)", _arm_counts(cw), None),
            ("veiledere_t1", "Veiledere som svarte ved T1", _arm_counts(cw, cw["responded_t1"]), "veiledere_invitert"),
            ("veiledere_t2", "Veiledere som svarte ved T2", _arm_counts(cw, cw["responded_t2"]), "veiledere_t1"),
            ("veiledere_hpmt", "Tiltaksveiledere som svarte om HPMT-veiledning ved T2",
             {"tiltak": int(answered_hp[hp["arm"] == "tiltak"].sum()), "sammenligning": 0}, "veiledere_t2_tiltak"),
            ("deltakere_t1", "Deltakere rekruttert (svarte ved T1)", _arm_counts(pa), None),
            ("deltakere_t2", "Deltakere som svarte ved T2", _arm_counts(pa, pa["responded_t2"]), "deltakere_t1"),
            ("deltakere_inntekt", "Deltakere som oppga husholdningsinntekt ved T2",
             _arm_counts(d2, d2["household_income"].notna()), "deltakere_t2"),
        ]
        for period, words_ in PERIODS.items():
            sub = reg[reg["period"] == period].drop_duplicates("participant_id")
            rows.append((f"register_{period.replace('-', '_')}", f"Deltakere i registeruttrekket {words_}",
                         _arm_counts(sub), "deltakere_t1"))
        out = pd.DataFrame([dict(key=k, label=lab, tiltak=c["tiltak"], sammenligning=c["sammenligning"], base=b)
                            for k, lab, c, b in rows])
        out["total"] = out["tiltak"] + out["sammenligning"]
        by = out.set_index("key")
        for col in ("tiltak", "sammenligning", "total"):
            def base_of(b, col=col):
                if not isinstance(b, str):
                    return pd.NA
                if b == "invitert":  # offices: only the total was invited (the arms came later)
                    return OFFICES_INVITED if col == "total" else pd.NA
                if b == "veiledere_t2_tiltak":  # the HPMT questions went to the intervention arm's T2 respondents
                    return by.loc["veiledere_t2", "tiltak"] if col != "sammenligning" else 0
                return by.loc[b, col]
            out[f"{col}_base"] = [base_of(b) for b in out["base"]]
            out[f"{col}_lost"] = [pd.NA if pd.isna(bb) else int(bb) - int(v) for bb, v in zip(out[f"{col}_base"], out[col])]
        return out
    return study.shared("attrition", f)


#: the reason column: what is known about each loss.  The files carry no reason codes; where the
#: report names reasons, the note below says what it says.
REASONS = {
    "kontor": f"De {OFFICES_INVITED} største kontorene ble invitert; hvorfor resten takket nei, er ikke oppgitt",
    "veiledere_t1": NO_REASON + " (se merknad)",
    "veiledere_t2": NO_REASON,
    "veiledere_hpmt": NO_REASON,
    "deltakere_t1": "Rekruttert av veilederne etter randomiseringen; hvor mange som ble spurt, er ikke registrert",
    "deltakere_t2": NO_REASON,
    "deltakere_inntekt": "Ubesvart spørsmål",
}


def _cell(v, base, lost) -> str:
    if pd.isna(base) or int(base) == 0:
        return fmt.integer(v) if int(v) or not (pd.notna(base) and int(base) == 0) else "–"
    return f"{fmt.integer(v)} (−{fmt.integer(lost)})" if int(lost) else fmt.integer(v)


@table("tbl-frafall", caption="Frafall gjennom studien etter gruppe: antall på hvert trinn, med antall tapt fra trinnet før i parentes",
       chapter="om-studien")
def tbl_frafall(study):
    a = attrition(study)
    rows = []
    for r in a.itertuples():
        reason = REASONS.get(r.key, NO_REASON if r.key.startswith("register_") and r.total_lost else "")
        rows.append([r.label, _cell(r.tiltak, r.tiltak_base, r.tiltak_lost),
                     _cell(r.sammenligning, r.sammenligning_base, r.sammenligning_lost),
                     _cell(r.total, r.total_base, r.total_lost), reason or "–"])
    frame = pd.DataFrame(rows, columns=["Trinn", "Tiltak", "Sammenligning", "I alt", "Grunn til frafall"])
    notes = ["Tapt regnes fra trinnet over: kontor fra de inviterte, veiledere ved T1 fra de inviterte, ved T2 fra dem som svarte ved T1, "
             "HPMT-spørsmålene fra tiltaksveilederne som svarte ved T2, inntekt fra deltakerne som svarte ved T2, "
             "og registeruttrekkene fra alle rekrutterte deltakere.",
             "Dataene har ingen koder for hvorfor noen mangler. Sluttrapporten (kap. 2.1) oppgir at veilederne som ikke "
             "svarte ved T1, var langtidssykmeldte, skulle bytte jobb eller ikke skulle delta i opplæringen. "
             "Spørsmålene bare til tiltaksveilederne (HPMT-veiledning, samlingene, FE-skjemaet) har hvert sitt antall svar; "
             "se tabellen over antall bak hver analyse."]
    regs = a[a["key"].str.startswith("register_")]
    if study.synthetic and (regs["total_lost"].fillna(0) > 0).any():
        why = " for at rapportens andeler og p-verdier skal gå opp" if calibrated(study) else ""
        notes.append(f"I de syntetiske dataene er de som mangler i registeruttrekkene, tatt ut av generatoren{why}; "
                     "sluttrapporten oppgir at registrene omfatter alle deltakerne.")
    return Table(frame, notes, data=a)


def dropout_profile(study) -> pd.DataFrame:
    """T1 characteristics of the participants who answered at T2 and of those who did not, per arm."""
    def f(s):
        pa = participants(s).copy()
        pa["alder"] = pa["t1_date"].dt.year - pa["birth_year"].astype("float64")
        rows = []
        for a in ARMS:
            for answered in (True, False):
                g = pa[(pa["arm"] == a) & (pa["responded_t2"] == answered)]
                rows.append(dict(arm=a, answered=answered, n=len(g),
                                 kvinner=float((g["gender"] == "kvinne").mean() * 100) if len(g) else float("nan"),
                                 innvandrere=float(g["immigrant"].astype(bool).mean() * 100) if len(g) else float("nan"),
                                 tidligere_arbeid=float(g["prior_paid_work"].astype(bool).mean() * 100) if len(g) else float("nan"),
                                 alder=float(g["alder"].mean()) if len(g) else float("nan")))
        return pd.DataFrame(rows)
    return study.shared("dropout_profile", f)


@table("tbl-frafall-kjennetegn", caption="Kjennetegn ved T1 for deltakerne som svarte og ikke svarte ved T2, etter gruppe",
       chapter="om-studien")
def tbl_frafall_kjennetegn(study):
    d = dropout_profile(study)
    from .. import theme

    cols, headers = [], []
    for a in ARMS:
        for answered in (True, False):
            cols.append(d[(d["arm"] == a) & (d["answered"] == answered)].iloc[0])
            headers.append(f"{theme.ARM_LABELS[a]}, {'svarte' if answered else 'svarte ikke'}")
    spec = [("Antall", lambda r: fmt.integer(r["n"])), ("Kvinner (%)", lambda r: fmt.num(r["kvinner"], 0)),
            ("Innvandrere (%)", lambda r: fmt.num(r["innvandrere"], 0)),
            ("Tidligere inntektsgivende arbeid (%)", lambda r: fmt.num(r["tidligere_arbeid"], 0)),
            ("Alder ved T1, M", lambda r: fmt.num(r["alder"], 1))]
    rows = [[lab] + [show(c) if c["n"] else "–" for c in cols] for lab, show in spec]
    frame = pd.DataFrame(rows, columns=["Kjennetegn ved T1"] + headers)
    return Table(frame, ["Alle rekrutterte deltakere, delt etter om de svarte på T2-skjemaet."], data=d)


# ---------------------------------------------------------------------------- n per analysis

#: the questions put only to the intervention arm's caseworkers at T2, grouped as the book shows them
HPMT_QUESTIONS = [("Nytte av samlingene", ["samling1", "samling2", "samling3", "samling4", "samling5"]),
                  ("HPMT-veiledning og implementering", ["supervisions_2012", "supervision_useful", "implementation_aims"]),
                  ("Bruk og nytte av FE-skjemaet", ["fe_useful_prep", "fe_useful_refl", "fe_freq_prep", "fe_freq_refl"])]


def analysis_n(study) -> pd.DataFrame:
    """The n behind each analysis in the book, per arm, and the number it is counted from."""
    def f(s):
        from .effekter_samlet import _effect_specs

        cw = caseworkers(s)
        pa = participants(s)
        att = attrition(s).set_index("key")
        rows = []

        def add(group, label, tiltak, sammenligning, base, base_label, lo=None, total=None):
            rows.append(dict(group=group, label=label, tiltak=tiltak, sammenligning=sammenligning,
                             total=tiltak + sammenligning if total is None else total, base=base, base_label=base_label, lo=lo))

        n_pa, n_t1 = len(pa), int(cw["responded_t1"].sum())
        add("Utgangspunkt", "Sammenligning av gruppene ved T1 (kontor)", *[int((s.offices["arm"] == a).sum()) for a in ARMS],
            len(s.offices), "randomiserte kontor")
        add("Utgangspunkt", "Sammenligning av gruppene ved T1 (veiledere)",
            *[int((cw["responded_t1"] & (cw["arm"] == a)).sum()) for a in ARMS], len(cw), "inviterte veiledere")
        add("Utgangspunkt", "Sammenligning av gruppene ved T1 (deltakere)", *[int((pa["arm"] == a).sum()) for a in ARMS],
            n_pa, "rekrutterte deltakere")
        bases = {"Veiledere (skalapoeng 0–4)": (n_t1, "veiledere som svarte ved T1")}
        for spec in _effect_specs(s):
            d = spec["d"]
            k = {a: int((d["arm"] == a).sum()) for a in ARMS}
            base, base_label = bases.get(spec["group"], (n_pa, "rekrutterte deltakere"))
            add("Effekter for veiledere" if spec["key"].startswith("skala_") else "Effekter for deltakere",
                spec["label"], k["tiltak"], k["sammenligning"], base, base_label)
        hp = s.caseworker_hpmt_t2.merge(cw[["caseworker_id", "arm"]], on="caseworker_id")
        hp_base = int(att.loc["veiledere_t2", "tiltak"])
        for label, cols in HPMT_QUESTIONS:
            answered = hp[cols].notna().sum()
            add("HPMT-spørsmål ved T2", label, int(answered.max()), 0, hp_base, "tiltaksveiledere som svarte ved T2",
                lo=int(answered.min()))
        add("FE-skjema", "Utfylte FE-skjema (skjema, ikke personer)", len(s.fe_forms), 0, pd.NA, "")
        src = s.qual_sources
        add("Kvalitative data", "Intervjuer, gruppeintervjuer og observasjoner (kilder)", int((src["office_group"] == "tiltak").sum()),
            int((src["office_group"] == "sammenligning").sum()), pd.NA, "", total=len(src))
        out = pd.DataFrame(rows)
        out.attrs["qual_sources_no_office"] = int((~src["office_group"].isin(ARMS)).sum())
        return out
    return study.shared("analysis_n", f)


def _n_cell(hi, lo=None) -> str:
    if lo is not None and not pd.isna(lo) and int(lo) != int(hi):
        return f"{fmt.integer(lo)}–{fmt.integer(hi)}"
    return fmt.integer(hi)


@table("tbl-analyse-n", caption="Antall enheter bak hver analyse i boken, etter gruppe, og andel av utgangspunktet",
       chapter="om-studien")
def tbl_analyse_n(study):
    d = analysis_n(study)
    rows, group = [], None
    for r in d.itertuples():
        if r.group != group:
            rows.append([f"**{r.group}**", "", "", "", ""])
            group = r.group
        of = "–" if pd.isna(r.base) else f"{fmt.pct(r.total / r.base * 100, 0)} av {fmt.integer(r.base)} {r.base_label}"
        rows.append([r.label, _n_cell(r.tiltak, r.lo if r.sammenligning == 0 else None),
                     _n_cell(r.sammenligning) if r.sammenligning or r.group not in ("HPMT-spørsmål ved T2", "FE-skjema") else "–",
                     _n_cell(r.total, r.lo if r.sammenligning == 0 else None), of])
    frame = pd.DataFrame(rows, columns=["Analyse", "Tiltak", "Sammenligning", "I alt", "Andel av utgangspunktet"])
    notes = ["Et spenn (for eksempel 19–36) betyr at spørsmålene i gruppen har ulikt antall svar; andelen gjelder det høyeste.",
             f"Kvalitative data: {words.count(d.attrs['qual_sources_no_office'], 'kilde', 'kilder', gender='m', words=False)} "
             "hører ikke til ett kontor (ressursgruppe, ledere, observerte samlinger); de er med i «I alt», ikke i gruppekolonnene.",
             "FE-skjema og HPMT-spørsmål fantes bare i tiltakskontorene."]
    return Table(frame, notes, data=d)


def register_coverage_text(counts: dict, total: int, noun: str = "deltakerne") -> str:
    """How many of the recruited are in each register extract, in words:
    'alle de 617 deltakerne i mai 2011, 600 i november 2012 og 608 i mai 2013'."""
    parts = []
    for i, (period, k) in enumerate(counts.items()):
        when = PERIODS.get(period, period)
        if i == 0:
            head = f"alle de {fmt.integer(total)} {noun}" if k == total else f"{fmt.integer(k)} av de {fmt.integer(total)} {noun}"
            parts.append(f"{head} i {when}")
        else:
            parts.append(f"{'alle' if k == total else fmt.integer(k)} i {when}")
    if len(set(counts.values())) == 1 and len(parts) > 1:  # the same count every time: one phrase
        head = parts[0].rsplit(" i ", 1)[0]
        return f"{head} i {words.join([PERIODS.get(p, p) for p in counts])}"
    return words.join(parts)


@provider
def attrition_numbers(study):
    a = attrition(study).set_index("key")
    out = {}
    for key, r in a.iterrows():
        for col in ("tiltak", "sammenligning", "total"):
            out[f"frafall_{key}_{col}"] = n(int(r[col]), "int")
            if not pd.isna(r[f"{col}_lost"]):
                out[f"frafall_{key}_{col}_tapt"] = n(int(r[f"{col}_lost"]), "int")
    total = int(a.loc["deltakere_t1", "total"])
    counts = {p: int(a.loc[f"register_{p.replace('-', '_')}", "total"]) for p in PERIODS}
    out["register_dekning_tekst"] = n(register_coverage_text(counts, total), "text")
    out["register_min_n"] = n(min(counts.values()), "int")
    out["register_min_pct"] = n(min(counts.values()) / total * 100, "pct", 0)
    # the participants who did not answer at T2 but are in the last register extract
    pa = participants(study)
    last = list(PERIODS)[-1]
    in_last = set(study.register.loc[study.register["period"] == last, "participant_id"])
    lost = pa.loc[~pa["responded_t2"], "participant_id"]
    k = int(lost.isin(in_last).sum())
    out["register_uten_t2_tekst"] = n(
        f"også {words.of(k, len(lost), 'som ikke svarte ved T2')} i {PERIODS[last]}" if len(lost) else "og alle svarte ved T2", "text")
    # who dropped out (T1 characteristics of those who did not answer at T2)
    d = dropout_profile(study).set_index(["arm", "answered"])
    for a_ in ARMS:
        for col in ("innvandrere", "tidligere_arbeid"):
            yes, no = d.loc[(a_, True), col], d.loc[(a_, False), col]
            out[f"frafall_{a_}_{col}_svarte_pct"] = n(yes, "pct", 0)
            out[f"frafall_{a_}_{col}_svarte_ikke_pct"] = n(no, "pct", 0)
            out[f"frafall_{a_}_{col}_retning"] = n(words.compare(no, yes, "høyere", "lavere", "like høy", tol=0.5), "text")
    an = analysis_n(study).set_index("label")
    out["n_analyse_min"] = n(int(an.loc[an["group"].str.startswith("Effekter"), "total"].min()), "int")
    return out


#: T1 characteristics compared between those who answered at T2 and those who did not
DROPOUT_TRAITS = {"immigrant": "innvandrerbakgrunn", "prior_paid_work": "tidligere inntektsgivende arbeid",
                  "women": "kjønn"}


def _register_min_share(study) -> float:
    a = attrition(study).set_index("key")
    regs = a[a.index.str.startswith("register_")]
    return float(regs["total"].min() / a.loc["deltakere_t1", "total"] * 100)


@provider
def dropout_numbers(study):
    """Whether the participants lost at T2 differ from those who answered (all recruited, chi-square)."""
    from .common import chi2_two_groups

    pa = participants(study).copy()
    pa["women"] = pa["gender"] == "kvinne"
    yes, no = pa[pa["responded_t2"]], pa[~pa["responded_t2"]]
    differs = []
    for col, label in DROPOUT_TRAITS.items():
        if len(yes) and len(no):
            p = chi2_two_groups(int(no[col].astype(bool).sum()), len(no), int(yes[col].astype(bool).sum()), len(yes))
            if p == p and p < 0.05:
                differs.append(label)
    if differs:
        text = (f"De som ikke svarte ved T2, skiller seg signifikant fra dem som svarte, i {words.join(differs)} "
                "(khikvadrattest på individnivå, alle rekrutterte). Analysene av T2-svarene gjelder derfor et skjevt "
                f"utvalg av de rekrutterte, mens hvert registeruttrekk dekker minst {fmt.pct(_register_min_share(study), 0)} av dem")
    else:
        text = ("De som ikke svarte ved T2, skiller seg ikke signifikant fra dem som svarte, i "
                f"{words.join(list(DROPOUT_TRAITS.values()))} (khikvadrattest på individnivå, alle rekrutterte)")
    synth = ""
    if study.synthetic:
        synth = (" I de syntetiske dataene er frafallet lagt inn av generatoren, som lar innvandrere og deltakere uten "
                 "arbeidserfaring falle oftere fra, fordi sluttrapporten beskriver et slikt frafall (kap. 9.1); hvor "
                 "store forskjellene er, følger av generatoren, ikke av de ekte dataene.")
    return {"frafall_skjevhet_tekst": n(text + "." + synth, "text"), "frafall_skjevhet_antall": n(len(differs), "int")}
