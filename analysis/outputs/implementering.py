"""Implementeringen: rammebetingelser på struktur- og aktørnivå, som føringer og
barrierer (rapportens figur 11–12), fra den kodede kvalitative analysen."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..registry import Table, table
from ..results import n, provider
from .common import coded_count_rows, coded_counts

LEVELS = {"struktur": "Struktur", "aktor": "Aktør"}
DIRECTIONS = {"foring": "Føringer", "barriere": "Barrierer"}
GROUP_LABELS = {"veileder": "Veiledere", "fm_veileder": "FM-veiledere", "ledelse_ressurs": "Ledelse/ressurs",
                "deltaker": "Deltakere"}
GROUP_ORDER = ("veileder", "fm_veileder", "ledelse_ressurs", "deltaker")
WAVES = {"T1": "T1", "underveis": "Underveis", "T2": "T2"}
TOP_LABELS = 3
NUMBER_WORDS = {1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem"}


def _short(label: str) -> str:
    """«Barriere (struktur): mangel på tid og rom» -> «mangel på tid og rom»."""
    return label.split(":", 1)[1].strip() if ":" in label else label


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def framework_segments(study) -> pd.DataFrame:
    """Every segment coded with a framework-condition code, with the code's label, level and direction."""
    def f(s):
        codes = s.qual_codes[s.qual_codes["family"] == "rammebetingelse"]
        seg = s.qual_segments.merge(codes[["code", "label", "level", "direction"]], on="code")
        return seg
    return study.shared("impl_segments", f)


def framework_codes(study) -> pd.DataFrame:
    """One row per framework code: level, direction, label, segment counts (total, by group, by wave)."""
    def f(s):
        codes = s.qual_codes[s.qual_codes["family"] == "rammebetingelse"][["code", "label", "level", "direction"]]
        seg = framework_segments(s)
        out = codes.set_index("code")
        out["short"] = out["label"].map(_short)
        out["segmenter"] = seg.groupby("code").size().reindex(out.index, fill_value=0).astype(int)
        out["kilder"] = seg.groupby("code")["source_id"].nunique().reindex(out.index, fill_value=0).astype(int)
        groups = [g for g in GROUP_ORDER if g in set(seg["informant_role"])]
        for g in groups:
            out[f"gruppe_{g}"] = seg[seg["informant_role"] == g].groupby("code").size().reindex(out.index, fill_value=0).astype(int)
        for w in WAVES:
            out[f"bolge_{w}"] = seg[seg["wave"] == w].groupby("code").size().reindex(out.index, fill_value=0).astype(int)
        out["level_order"] = out["level"].map({k: i for i, k in enumerate(LEVELS)})
        out["direction_order"] = out["direction"].map({k: i for i, k in enumerate(DIRECTIONS)})
        out = out.reset_index().sort_values(["level_order", "direction_order", "segmenter", "code"],
                                            ascending=[True, True, False, True])
        out.attrs["groups"] = groups
        return out.drop(columns=["level_order", "direction_order"]).reset_index(drop=True)
    return study.shared("impl_codes", f)


def framework_grid(study) -> pd.DataFrame:
    """Level × direction: number of segments, sources and codes, and the most frequent codes."""
    def f(s):
        fc = framework_codes(s)
        seg = framework_segments(s)
        rows = []
        for lv in LEVELS:
            for dr in DIRECTIONS:
                sub = fc[(fc["level"] == lv) & (fc["direction"] == dr)]
                sseg = seg[(seg["level"] == lv) & (seg["direction"] == dr)]
                top = sub[sub["segmenter"] > 0].head(TOP_LABELS)
                rows.append({"level": lv, "direction": dr, "segmenter": int(sub["segmenter"].sum()),
                             "kilder": int(sseg["source_id"].nunique()), "koder": len(sub),
                             "topp": "; ".join(f"{r.short} ({r.segmenter})" for r in top.itertuples()),
                             "topp_koder": ";".join(top["code"])})
        return pd.DataFrame(rows)
    return study.shared("impl_grid", f)


@table("tbl-rammebetingelser",
       caption="Rammebetingelser for implementeringen på struktur- og aktørnivå, som føringer og barrierer: "
               "antall kodede utdrag og de hyppigste kodene (jf. rapportens figur 11 og 12)",
       chapter="implementering")
def tbl_rammebetingelser(study):
    grid = framework_grid(study)
    rows = []
    for lv, lv_label in LEVELS.items():
        cells = []
        for dr in DIRECTIONS:
            r = grid[(grid["level"] == lv) & (grid["direction"] == dr)].iloc[0]
            top = r["topp"]
            cells.append(f"**{fmt.integer(r['segmenter'])} utdrag** ({fmt.integer(r['kilder'])} kilder)"
                         + (f": {fmt.md_escape(top)}" if top else ""))  # code labels from the data
        rows.append([lv_label] + cells)
    frame = pd.DataFrame(rows, columns=["Nivå"] + list(DIRECTIONS.values()))
    notes = [f"Antall kodede utdrag (segmenter) med en rammebetingelseskode i cellen, antall kilder (intervjuer, "
             f"gruppeintervjuer og observasjoner) de kommer fra, og de inntil {NUMBER_WORDS[TOP_LABELS]} hyppigste "
             "kodene med antall utdrag i parentes. Alle kodene vises i tabellen over rammebetingelser etter "
             "informantgruppe og tidspunkt."]
    return Table(frame, notes, colalign=("left", "left", "left"), data=grid)



@table("tbl-rammebetingelser-grupper",
       caption="Kodede utdrag om rammebetingelser etter kode, informantgruppe og tidspunkt for datainnsamlingen",
       chapter="implementering")
def tbl_rammebetingelser_grupper(study):
    fc = framework_codes(study)
    groups = fc.attrs.get("groups") or [g for g in GROUP_ORDER if f"gruppe_{g}" in fc.columns]
    cols = (["Rammebetingelse"] + [GROUP_LABELS[g] for g in groups] + list(WAVES.values()) + ["I alt"])
    width = len(cols) - 1
    rows = []
    for lv, lv_label in LEVELS.items():
        for dr, dr_label in DIRECTIONS.items():
            sub = fc[(fc["level"] == lv) & (fc["direction"] == dr)]
            if sub.empty:
                continue
            rows.append([f"**{lv_label}: {dr_label.lower()}**"] + [""] * width)
            for r in sub.itertuples(index=False):
                rows.append([fmt.md_escape(_capitalise(r.short))] + [fmt.integer(getattr(r, f"gruppe_{g}")) for g in groups]
                            + [fmt.integer(getattr(r, f"bolge_{w}")) for w in WAVES] + [fmt.integer(r.segmenter)])
    frame = pd.DataFrame(rows, columns=cols)
    group_cols = ", ".join(GROUP_LABELS[g] for g in groups)
    notes = [f"Antall kodede utdrag. Kolonnene {group_cols} fordeler utdragene etter informantgruppe "
             "(FM-veiledere: veiledere hos Fylkesmannen; ledelse/ressurs: ledere, ressursgruppe og programutviklere); "
             "T1, Underveis og T2 fordeler de samme utdragene etter tidspunkt: intervjuer før opplæringen (T1), "
             "observasjoner og gruppeintervjuer underveis, og intervjuer ved T2 (høsten 2012)."]
    colalign = ("left",) + ("right",) * width
    return Table(frame, notes, colalign=colalign, data=fc)


@provider
def implementering_numbers(study):
    seg = framework_segments(study)
    fc = framework_codes(study)
    grid = framework_grid(study)
    out = {}
    total = len(seg)
    out["rb_segmenter_n"] = n(total, "int")
    out["rb_kilder_n"] = n(int(seg["source_id"].nunique()), "int")
    out["rb_koder_n"] = n(len(fc), "int")
    out["kval_segmenter_n"] = n(len(study.qual_segments), "int")
    out["kval_kilder_n"] = n(len(study.qual_sources), "int")
    out["kval_kilder_med_utdrag_n"] = n(int(study.qual_segments["source_id"].nunique()), "int")
    barriers = int((seg["direction"] == "barriere").sum())
    out["rb_barriere_n"] = n(barriers, "int")
    out["rb_foring_n"] = n(total - barriers, "int")
    out["rb_barriere_pct"] = n(barriers / total * 100 if total else float("nan"), "pct", 0)
    out["rb_struktur_pct"] = n(float((seg["level"] == "struktur").mean() * 100) if total else float("nan"), "pct", 0)
    for dr, word in (("barriere", "barriere"), ("foring", "foring")):
        sub = fc[(fc["direction"] == dr) & (fc["segmenter"] > 0)].sort_values(["segmenter", "code"], ascending=[False, True])
        if len(sub):
            top = sub.iloc[0]
            out[f"rb_topp_{word}"] = n(top["short"], "text")
            out[f"rb_topp_{word}_n"] = n(int(top["segmenter"]), "int")
    for r in grid.itertuples(index=False):
        out[f"rb_{r.level}_{r.direction}_n"] = n(int(r.segmenter), "int")
    return out


# ---------------------------------------------------------------- veiledningsstrukturen og kjernekomponentene
#: codes about supervision: the whole family of supervision challenges, and framework conditions and core
#: components whose label names supervision (the data package has no separate table of the three levels)
SUPERVISION_FAMILIES = ("utfordring_veiledning",)
SUPERVISION_WORD = "veiledning"
#: which level of the supervision structure each informant group mainly speaks from
DIRECTION_WORDS = {"foring": "føring", "barriere": "barriere"}
GROUP_LEVEL = {"veileder": "nivå 1", "fm_veileder": "nivå 2", "ledelse_ressurs": "nivå 3"}
FAMILY_TITLES = {"rammebetingelse": "Rammebetingelser", "utfordring_veiledning": "Utfordringer i veiledningen",
                 "kjernekomponent": "Kjernekomponent"}


def _coded(study, codes: pd.DataFrame) -> pd.DataFrame:
    """Per code: segments by informant group and wave, and the total."""
    seg = study.qual_segments.merge(codes[["code"]], on="code")
    out = codes.set_index("code").copy()
    out["short"] = out["label"].map(_short)
    return coded_counts(out, seg, GROUP_ORDER, WAVES).reset_index()


def supervision_codes(study) -> pd.DataFrame:
    def f(s):
        c = s.qual_codes
        hit = c["family"].isin(SUPERVISION_FAMILIES) | (
            c["family"].isin(["rammebetingelse", "kjernekomponent"]) & c["label"].str.lower().str.contains(SUPERVISION_WORD))
        out = _coded(s, c[hit][["code", "family", "label", "direction"]].fillna({"direction": ""}))
        order = {"rammebetingelse": 0, "utfordring_veiledning": 1, "kjernekomponent": 2}
        out["o1"] = out["family"].map(order)
        out["o2"] = out["direction"].map({"foring": 0, "barriere": 1}).fillna(2)
        return out.sort_values(["o1", "o2", "segmenter", "code"], ascending=[True, True, False, True]).drop(
            columns=["o1", "o2"]).reset_index(drop=True)
    return study.shared("impl_supervision", f)


def core_components(study) -> pd.DataFrame:
    def f(s):
        c = s.qual_codes[s.qual_codes["family"] == "kjernekomponent"][["code", "family", "label"]]
        out = _coded(s, c)
        return out.sort_values(["segmenter", "code"], ascending=[False, True]).reset_index(drop=True)
    return study.shared("impl_core", f)


def _groups_present(study) -> list[str]:
    return [g for g in GROUP_ORDER if g in set(study.qual_segments["informant_role"])]


@table("tbl-veiledningsstruktur",
       caption="Kodede utdrag om veiledningen etter kode, informantgruppe (med nivået i veiledningsstrukturen de "
               "hovedsakelig taler fra) og tidspunkt",
       chapter="implementering")
def tbl_veiledningsstruktur(study):
    sc = supervision_codes(study)
    groups = _groups_present(study)
    cols = (["Kode"] + [GROUP_LABELS[g] + (f" ({GROUP_LEVEL[g]})" if g in GROUP_LEVEL else "") for g in groups]
            + list(WAVES.values()) + ["I alt"])
    rows = []
    for fam, title in FAMILY_TITLES.items():
        sub = sc[sc["family"] == fam]
        if sub.empty:
            continue
        rows.append([f"**{title}**"] + [""] * (len(cols) - 1))
        rows += coded_count_rows(sub, groups, WAVES, lambda r: fmt.md_escape(_capitalise(r.short))
                                 + (f" ({DIRECTION_WORDS.get(r.direction, r.direction)})" if r.direction else ""))
    frame = pd.DataFrame(rows, columns=cols)
    notes = ["Antall kodede utdrag. Med: alle koder for utfordringer i veiledningen, og rammebetingelser og "
             "kjernekomponenter som handler om veiledning. Nivå 1: veiledning på kontoret (HPMT-veileder og "
             "KVP-veiledere); nivå 2: FM-veileder og HPMT-veiledere; nivå 3: ressursgruppen og FM-veilederne. "
             "Informantgruppen er kodet, ikke nivået, så koblingen mellom gruppe og nivå er omtrentlig."]
    return Table(frame, notes, colalign=("left",) + ("right",) * (len(cols) - 1), data=sc)


@table("tbl-kjernekomponenter",
       caption="Implementeringens kjernekomponenter: antall kodede utdrag etter informantgruppe og tidspunkt",
       chapter="implementering")
def tbl_kjernekomponenter(study):
    cc = core_components(study)
    groups = _groups_present(study)
    cols = ["Kjernekomponent"] + [GROUP_LABELS[g] for g in groups] + list(WAVES.values()) + ["I alt"]
    frame = pd.DataFrame(coded_count_rows(cc, groups, WAVES, lambda r: fmt.md_escape(_capitalise(r.short))),
                         columns=cols)
    notes = ["Antall kodede utdrag med koden for kjernekomponenten, etter informantgruppe og etter tidspunkt "
             "(T1: før opplæringen; underveis: observasjoner og gruppeintervjuer; T2: høsten 2012)."]
    return Table(frame, notes, colalign=("left",) + ("right",) * (len(cols) - 1), data=cc)


def excerpts(study) -> pd.DataFrame:
    """One illustrative excerpt per core component and supervision challenge, by a fixed rule: from the informant
    group that raises the code most often (ties: the group order), the earliest wave, the lowest segment id."""
    def f(s):
        codes = s.qual_codes[s.qual_codes["family"].isin(["kjernekomponent", "utfordring_veiledning"])]
        seg = s.qual_segments.merge(codes[["code", "family", "label"]], on="code")
        rows = []
        for (fam, code), g in seg.groupby(["family", "code"], sort=False):
            counts = g["informant_role"].value_counts()
            top = max(counts.index, key=lambda x: (counts[x], -GROUP_ORDER.index(x) if x in GROUP_ORDER else -99))
            pick = g[g["informant_role"] == top].assign(
                w=lambda d: d["wave"].map({w: i for i, w in enumerate(WAVES)})).sort_values(["w", "segment_id"]).iloc[0]
            rows.append({"family": fam, "code": code, "label": _short(pick["label"]), "segment_id": pick["segment_id"],
                         "informant_role": top, "wave": pick["wave"], "text": pick["text"],
                         "synthetic": str(pick["synthetic"]).lower() in ("true", "1")})
        out = pd.DataFrame(rows)
        if out.empty:
            return out
        out["o"] = out["family"].map({"kjernekomponent": 0, "utfordring_veiledning": 1})
        return out.sort_values(["o", "code"]).drop(columns="o").reset_index(drop=True)
    return study.shared("impl_excerpts", f)


@table("tbl-implementering-utdrag",
       caption="Illustrerende utdrag for hver kjernekomponent og hver utfordring i veiledningen, med "
               "informantgruppe og tidspunkt",
       chapter="implementering")
def tbl_implementering_utdrag(study):
    ex = excerpts(study)
    rows = []
    for fam, title in (("kjernekomponent", "Kjernekomponenter"), ("utfordring_veiledning", "Utfordringer i veiledningen")):
        sub = ex[ex["family"] == fam] if len(ex) else ex
        if len(sub) == 0:
            continue
        rows.append([f"**{title}**", "", ""])
        for r in sub.itertuples(index=False):
            mark = " (syntetisk parafrase)" if r.synthetic else ""
            rows.append([fmt.md_escape(_capitalise(r.label)), f"«{fmt.md_escape(r.text)}»{mark}", f"{GROUP_LABELS.get(r.informant_role, r.informant_role)}, "
                         f"{WAVES.get(r.wave, r.wave)}"])
    frame = pd.DataFrame(rows, columns=["Kode", "Utdrag", "Informantgruppe, tidspunkt"])
    synthetic = bool(len(ex)) and bool(ex["synthetic"].any())
    notes = ["Utdraget er valgt etter en fast regel: fra informantgruppen som tar opp koden oftest, det tidligste "
             "tidspunktet og deretter det første utdraget etter utdrags-ID."
             + (" I de syntetiske dataene er utdragene syntetiske parafraser, ikke sitater fra informantene." if synthetic else "")]
    return Table(frame, notes, colalign=("left", "left", "left"), data=ex)


@provider
def implementering_extra_numbers(study):
    out = {}
    sc = supervision_codes(study)
    cc = core_components(study)
    out["vs_koder_n"] = n(len(sc), "int")
    out["vs_segmenter_n"] = n(int(sc["segmenter"].sum()), "int")
    uv = sc[sc["family"] == "utfordring_veiledning"]
    out["vs_utfordring_segmenter_n"] = n(int(uv["segmenter"].sum()), "int")
    if len(uv) and uv["segmenter"].max() > 0:
        top = uv.sort_values(["segmenter", "code"], ascending=[False, True]).iloc[0]
        out["vs_topp_utfordring"] = n(top["short"], "text")
        out["vs_topp_utfordring_n"] = n(int(top["segmenter"]), "int")
    for g in GROUP_LEVEL:
        out[f"vs_{g}_n"] = n(int(sc[f"gruppe_{g}"].sum()), "int")
    out["kk_segmenter_n"] = n(int(cc["segmenter"].sum()), "int")
    out["kk_koder_n"] = n(len(cc), "int")
    if len(cc):
        top, low = cc.iloc[0], cc.iloc[-1]
        out["kk_topp"] = n(top["short"], "text")
        out["kk_topp_n"] = n(int(top["segmenter"]), "int")
        out["kk_minst"] = n(low["short"], "text")
        out["kk_minst_n"] = n(int(low["segmenter"]), "int")
    return out


# ---------------------------------------------------------------- oppsummering
#: the catalogued goal for how often the offices should hold HPMT supervision (rapport 5.1: «hver 14. dag»)
SUPERVISION_GOAL_KEY = "rapport_tekst_5_1_veiledning_frekvens_maal_dager"
#: the period the T2 question covers: 2012 up to the survey in September (codebook: supervisions_2012)
SUPERVISION_PERIOD = ("2012-01-01", "2012-09-30")
#: codes the report singles out in its conclusion (kap. 7.7): the belief in the method as one of the most
#: important facilitators, lack of time and room as the first barrier to supervision
REPORT_FACILITATOR = "rb_af_tro_pa_metoden"
REPORT_BARRIER = "rb_sb_tid_og_rom"
_ORDINAL = {1: "den hyppigste", 2: "den nest hyppigste", 3: "den tredje hyppigste", 4: "den fjerde hyppigste",
            5: "den femte hyppigste"}


def answer_labels(study, resource: str = "caseworker_hpmt_t2", field: str = "implementation_aims") -> dict[int, str]:
    """The answer codes of a rating as the codebook describes them: ``{0: 'ikke i det hele tatt', …}``."""
    import re

    for r in study.descriptor.get("resources", []):
        if r.get("name") != resource:
            continue
        for f in r.get("schema", {}).get("fields", []):
            if f.get("name") == field:
                return {int(k): v.strip() for k, v in re.findall(r"(\d+)=([^,.]+)", f.get("description", ""))}
    return {}


def supervision_goal(study) -> dict:
    """The goal as a number of supervisions in the period, and how the caseworkers' answers compare with it."""
    from ..reproduction import published

    pub = published().set_index("key")
    days = int(pub.loc[SUPERVISION_GOAL_KEY, "value"])
    span = (pd.Timestamp(SUPERVISION_PERIOD[1]) - pd.Timestamp(SUPERVISION_PERIOD[0])).days + 1
    goal = span // days
    v = study.caseworker_hpmt_t2["supervisions_2012"].dropna().astype("float64")
    return {"days": days, "goal": goal, "n": len(v), "reached": int((v >= goal).sum()),
            "mean": float(v.mean()) if len(v) else float("nan"), "share_of_goal": float(v.mean() / goal * 100) if len(v) else float("nan")}


def _rank_text(fc: pd.DataFrame, code: str, direction: str) -> tuple[str, int]:
    """«den hyppigste av de ti føringene», «nummer 7 av de ti …» (ties: «(delt med én annen)»)."""
    from .. import words
    from .tekst import count_word

    sub = fc[fc["direction"] == direction]
    noun = "føringene" if direction == "foring" else "barrierene"
    k = int(sub.loc[sub["code"] == code, "segmenter"].iloc[0])
    rank = 1 + int((sub["segmenter"] > k).sum())
    ties = int((sub["segmenter"] == k).sum()) - 1
    total = words.number(len(sub))
    if rank in _ORDINAL:
        text = f"{_ORDINAL[rank]} av de {total} {noun}"
    elif rank == len(sub):
        text = f"den sjeldneste av de {total} {noun}"
    else:  # a rank, not a part of a whole: «på plass 7 blant de ti»
        text = f"på plass {rank} blant de {total} {noun}"
    if ties:
        text += f" (delt med {count_word(ties, 'f')} {'annen' if ties == 1 else 'andre'})"
    return text, rank


@provider
def implementering_summary_numbers(study):
    """The chapter's closing summary: every comparison and count word from the numbers."""
    from .. import words
    from .frafall import calibrated
    from .kompetanse import _extreme
    from .kontor import implementation_by_office
    from .tekst import of_words

    out = {}
    synthetic = bool(getattr(study, "synthetic", True))
    seg = framework_segments(study)
    fc = framework_codes(study)
    barriers = int((seg["direction"] == "barriere").sum())
    facil = len(seg) - barriers
    w = words.compare(barriers, facil, "flere", "færre", "like mange")
    out["impl_oppsummering_balanse"] = n(
        f"like mange utdrag om barrierer som om føringer ({fmt.integer(barriers)} hver)" if w == "like mange" else
        f"{w} utdrag om barrierer enn om føringer ({fmt.integer(barriers)} mot {fmt.integer(facil)})", "text")
    # core components: the most and least discussed (every one of them when several share the count)
    cc = core_components(study)
    if len(cc):
        quoted = cc["short"].map(lambda s: f"«{s}»")
        top, k_top = _extreme(quoted, cc["segmenter"], max)
        low, k_low = _extreme(quoted, cc["segmenter"], min)
        n_top, n_low = int((cc["segmenter"] == k_top).sum()), int((cc["segmenter"] == k_low).sum())
        each = lambda c: " hver" if c > 1 else ""  # noqa: E731
        utdrag = lambda k, c: words.count(k, "utdrag", "utdrag", gender="n", words=False) + each(c)  # noqa: E731
        among = f"de {words.number(len(cc))} kjernekomponentene" if len(cc) > 1 else "den ene kjernekomponenten"
        if k_top == k_low:
            txt = (f"{words.capitalise(among)} tas opp like ofte ({utdrag(k_top, len(cc))})." if len(cc) > 1 else
                   f"{words.capitalise(among)}, {top}, tas opp i {utdrag(k_top, 1)}.")
        else:
            txt = (f"Blant {among} tas {top} opp oftest ({utdrag(k_top, n_top)}) og {low} sjeldnest "
                   f"({utdrag(k_low, n_low)}).")
        out["impl_kk_oppsummering"] = n(txt, "text")
    else:
        out["impl_kk_oppsummering"] = n("Ingen utdrag er kodet med en kjernekomponent.", "text")
    out["impl_kval_syntetisk"] = n(
        "I de syntetiske dataene er disse antallene satt av vektene i generatoren, så hva som tas opp oftest og "
        "sjeldnest, sier noe om generatoren og ikke om informantene." if synthetic else
        "Antallene er hentet fra det kodede intervju- og observasjonsmaterialet.", "text")
    # the report's conclusion against the coded material
    parts = []
    for code, direction, what in ((REPORT_FACILITATOR, "foring", "troen på metoden"),
                                  (REPORT_BARRIER, "barriere", "mangel på tid og rom")):
        if code not in set(fc["code"]):
            parts.append(f"kodeboken har ingen kode for {what}")
            continue
        rank_txt, _ = _rank_text(fc, code, direction)
        parts.append(f"«{fc.loc[fc['code'] == code, 'short'].iloc[0]}» {rank_txt}")
    checks = [f"I det kodede materialet er {words.join(parts)}."]
    if synthetic:
        checks.append("I de syntetiske dataene følger rekkefølgen av vektene i generatoren, så sammenligningen viser "
                      "hvordan analysen er bygd opp, ikke hva informantene la vekt på.")
    out["impl_rapport_mot_data"] = n(" ".join(checks), "text")
    # the caseworkers' rating of the implementation, read against the answer labels of the codebook
    o = implementation_by_office(study).attrs["overall"]
    mean = o["implementation_aims_mean"]
    labels = answer_labels(study)
    if labels and not pd.isna(mean):
        near = min(labels, key=lambda c: (abs(c - mean), c))
        out["impl_vurdering_svar"] = n(f"nærmest svaralternativet «{labels[near]}» ({near})", "text")
    else:
        out["impl_vurdering_svar"] = n("uten svaralternativer i kodeboken å lese den mot", "text")
    from ..reproduction import published

    pub = published().set_index("key")
    key = "rapport_tekst_10_1_tab11_overall_mean"
    if key in pub.index and not pd.isna(mean):
        printed, ours = float(pub.loc[key, "value"]), fmt.round_half_up(float(mean), 2)
        out["impl_vurdering_rapport"] = n(
            ("Det er det samme gjennomsnittet som rapporten oppga"
             + (", fordi generatoren er kalibrert til rapportens tall." if calibrated(study) else "."))
            if ours == printed else f"Rapporten oppga {fmt.num(printed, 2)}.", "text")
    else:
        out["impl_vurdering_rapport"] = n("Rapporten oppga ikke noe gjennomsnitt å sammenligne med.", "text")
    # supervision frequency against the goal
    g = supervision_goal(study)
    out["impl_veiledning_mal_n"] = n(g["goal"], "int")
    out["impl_veiledning_mal_andel"] = n(g["share_of_goal"], "pct", 0)
    out["impl_veiledning_snitt_mot_mal"] = n(words.compare(round(g["mean"], 1), g["goal"], "over", "under", "på"), "text")
    reached = (f"{of_words(g['reached'], g['n'])} veilederne som svarte, hadde fått så mange som målet tilsier"
               if g["n"] else "ingen veiledere svarte på spørsmålet")
    if synthetic and g["n"]:
        reached += (". Rapportens tabell 4 slår sammen alle med seks eller flere veiledninger, så hvor mange som nådde "
                    "målet, er ikke publisert; i de syntetiske dataene følger det av hvordan generatoren fordelte svarene "
                    "over seks" + ("" if calibrated(study) else ", og generatoren var ikke kalibrert til tabell 4"))
    out["impl_veiledning_nadde"] = n(reached, "text")
    return out
