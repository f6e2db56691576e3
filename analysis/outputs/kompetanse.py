"""Kompetanseutvikling (rapportens kapittel 8): hvordan veilederne beskriver sin egen
kompetanseutvikling, fra de kodede utdragene i familien ``kompetanseutvikling``.

Tabellene teller utdrag, kilder og informanter per tema og kontorgruppe, og per kode etter
informantgruppe og tidspunkt, og viser ett utdrag per kode valgt etter en fast regel. Hvert
retnings- og mengdeord i teksten regnes ut her (analysis/words.py)."""

from __future__ import annotations

import pandas as pd

from .. import fmt, words
from ..registry import Table, table
from ..results import n, provider
from .common import coded_count_rows, coded_counts

FAMILY = "kompetanseutvikling"
#: the themes of the report's chapter 8, in the chapter's order, with the heading the book uses
THEMES = {
    "syn_pa_kompetanse": "Syn på kompetanse",
    "felles_sprak": "Felles språk og teori",
    "refleksjon": "Refleksjon med FE-skjema og over egne holdninger",
    "veiledning": "Veiledningen som læringsarena",
    "endret_praksis": "Endret praksis i innsatsområdene",
    "mestring": "Mestring og kontroll",
    "barrierer": "Barrierer og føringer",
}
#: office groups of a source: the arms, and informants without an office (FM, resource group, observations)
ARMS = {"tiltak": "Tiltakskontor", "sammenligning": "Sammenligningskontor", "ingen": "Uten kontor"}
GROUP_LABELS = {"veileder": "Veiledere", "fm_veileder": "FM-veiledere", "ledelse_ressurs": "Ledelse/ressurs",
                "deltaker": "Deltakere"}
#: the groups in running text
GROUP_WORDS = {"veileder": "KVP- og HPMT-veilederne", "fm_veileder": "FM-veilederne",
               "ledelse_ressurs": "ledelsen og ressursgruppen", "deltaker": "deltakerne"}
GROUP_ORDER = ("veileder", "fm_veileder", "ledelse_ressurs", "deltaker")
WAVES = {"T1": "T1", "underveis": "Underveis", "T2": "T2"}
AREAS = {"mote_med_bruker": "møte med bruker", "systemorientert": "systemorientert innsats",
         "forvaltning": "forvaltning, koordinering og pådriverfunksjon"}
DIRECTIONS = {"barriere": "barriere", "foring": "føring"}


def _short(label: str) -> str:
    """«Mestring: tryggere i rollen» -> «tryggere i rollen»."""
    return label.split(":", 1)[1].strip() if ":" in label else label


def _lower_first(text: str) -> str:
    """'Refleksjon med FE-skjema' -> 'refleksjon med FE-skjema' (abbreviations keep their case)."""
    return text[:1].lower() + text[1:]


def _quoted(labels) -> str:
    """Theme names in running text, each in quotes so that an «og» inside a name reads as part of it."""
    return words.join([f"«{_lower_first(t)}»" for t in labels])


def _theme_label(theme) -> str:
    return THEMES.get(theme, str(theme).replace("_", " "))


def _theme_order(themes) -> list[str]:
    """The known themes in the chapter's order, then any other theme in the data (sorted)."""
    present = [t for t in pd.unique(pd.Series(list(themes))) if isinstance(t, str)]
    return [t for t in THEMES if t in present] + sorted(t for t in present if t not in THEMES)


def codes(study) -> pd.DataFrame:
    """The codebook rows of the family (every code, also those without segments), in theme order."""
    def f(s):
        c = s.qual_codes[s.qual_codes["family"] == FAMILY].copy()
        if c.empty:
            raise ValueError(f"Kodeboken (qual_codes.csv) har ingen koder i familien «{FAMILY}»; "
                             "kapitlet om kompetanseutvikling kan ikke lages.")
        missing = c["theme"].isna()
        if missing.any():
            raise ValueError("Kodene " + ", ".join(c.loc[missing, "code"]) + f" i familien «{FAMILY}» mangler tema "
                             "(kolonnen theme i qual_codes.csv).")
        order = {t: i for i, t in enumerate(_theme_order(c["theme"]))}
        c["o"] = c["theme"].map(order)
        c["short"] = c["label"].map(_short)
        return c.sort_values(["o"], kind="stable").drop(columns="o").reset_index(drop=True)
    return study.shared("ku_codes", f)


def segments(study) -> pd.DataFrame:
    """Every segment with a code of the family, with its code's theme, area and direction and its
    source's kind and number of informants."""
    def f(s):
        c = codes(s)[["code", "theme", "short", "area", "direction"]]
        seg = s.qual_segments.merge(c, on="code")
        return seg.merge(s.qual_sources[["source_id", "kind", "n_informants"]], on="source_id", how="left")
    return study.shared("ku_segments", f)


def _informants(seg: pd.DataFrame) -> int:
    """Persons behind the segments: the informants of each distinct interview source (observations have none)."""
    src = seg.drop_duplicates("source_id")
    return int(pd.to_numeric(src["n_informants"], errors="coerce").fillna(0).sum())


def themes(study) -> pd.DataFrame:
    """One row per theme: segments per office group and in all, codes, sources and informants."""
    def f(s):
        seg, c = segments(s), codes(s)
        rows = []
        for t in _theme_order(c["theme"]):
            sub = seg[seg["theme"] == t]
            row = {"theme": t, "label": _theme_label(t), "koder": int((c["theme"] == t).sum()),
                   "segmenter": len(sub), "kilder": int(sub["source_id"].nunique()), "informanter": _informants(sub)}
            for arm in ARMS:
                row[f"arm_{arm}"] = int((sub["office_group"] == arm).sum())
                row[f"informanter_{arm}"] = _informants(sub[sub["office_group"] == arm])
            for w in WAVES:
                row[f"bolge_{w}"] = int((sub["wave"] == w).sum())
            rows.append(row)
        return pd.DataFrame(rows)
    return study.shared("ku_themes", f)


def code_counts(study) -> pd.DataFrame:
    """One row per code (theme order): segments by informant group, by wave, and in all."""
    def f(s):
        seg, c = segments(s), codes(s)
        out = c[["code", "theme", "short", "area", "direction"]].set_index("code")
        return coded_counts(out, seg, GROUP_ORDER, WAVES).reset_index()
    return study.shared("ku_code_counts", f)


def _groups_present(study) -> list[str]:
    return [g for g in GROUP_ORDER if g in set(segments(study)["informant_role"])]


def excerpts(study) -> pd.DataFrame:
    """One excerpt per code with segments, by a fixed rule: from the informant group that raises the code most
    often (ties: the group order), the latest wave in which that group raises it, the lowest segment id."""
    def f(s):
        seg = segments(s)
        wave_rank = {w: i for i, w in enumerate(WAVES)}
        rows = []
        for code in codes(s)["code"]:
            g = seg[seg["code"] == code]
            if g.empty:
                continue
            counts = g["informant_role"].value_counts()
            top = min(counts.index, key=lambda x: (-counts[x], GROUP_ORDER.index(x) if x in GROUP_ORDER else 99, x))
            pick = g[g["informant_role"] == top].assign(w=lambda d: -d["wave"].map(wave_rank).fillna(-1)).sort_values(
                ["w", "segment_id"]).iloc[0]
            rows.append({"code": code, "theme": pick["theme"], "label": pick["short"], "segment_id": pick["segment_id"],
                         "informant_role": top, "wave": pick["wave"], "office_group": pick["office_group"],
                         "text": pick["text"], "synthetic": str(pick["synthetic"]).lower() in ("true", "1")})
        return pd.DataFrame(rows, columns=["code", "theme", "label", "segment_id", "informant_role", "wave",
                                           "office_group", "text", "synthetic"])
    return study.shared("ku_excerpts", f)


# ---------------------------------------------------------------- tables
@table("tbl-kompetanse-temaer",
       caption="Kompetanseutvikling etter tema: antall kodede utdrag fra tiltakskontor, sammenligningskontor og "
               "informanter uten kontor, med antall kilder og informanter",
       chapter="kompetanseutvikling")
def tbl_kompetanse_temaer(study):
    th = themes(study)
    seg = segments(study)

    def cell(k, persons):
        return f"{fmt.integer(k)} ({fmt.integer(persons)})" if persons else fmt.integer(k)

    rows = [[r.label] + [cell(getattr(r, f"arm_{a}"), getattr(r, f"informanter_{a}")) for a in ARMS]
            + [fmt.integer(r.segmenter), fmt.integer(r.kilder), fmt.integer(r.informanter)]
            for r in th.itertuples(index=False)]
    rows.append(["**Alle temaer**"] + [cell(int((seg["office_group"] == a).sum()), _informants(seg[seg["office_group"] == a]))
                                       for a in ARMS]
                + [fmt.integer(len(seg)), fmt.integer(seg["source_id"].nunique()), fmt.integer(_informants(seg))])
    frame = pd.DataFrame(rows, columns=["Tema"] + list(ARMS.values()) + ["Utdrag i alt", "Kilder", "Informanter"])
    notes = ["Antall kodede utdrag (segmenter) med en kode for kompetanseutvikling, etter kontorgruppen kilden hører "
             "til, med antall informanter bak utdragene i parentes. Uten kontor: veiledere hos Fylkesmannen, "
             "ressursgruppen og observasjoner av samlingene. Kilder: intervjuer, gruppeintervjuer og observasjoner med "
             "minst ett utdrag om temaet; informanter: personene i intervjuene og gruppeintervjuene (observasjoner har "
             "ingen oppgitte informanter). En kilde kan ha utdrag om flere temaer, så kilder og informanter summerer "
             "seg ikke nedover."]
    return Table(frame, notes, colalign=("left",) + ("right",) * (len(frame.columns) - 1), data=th)


@table("tbl-kompetanse-koder",
       caption="Kodede utdrag om kompetanseutvikling etter kode, informantgruppe og tidspunkt",
       chapter="kompetanseutvikling")
def tbl_kompetanse_koder(study):
    cc = code_counts(study)
    groups = _groups_present(study)
    cols = ["Kode"] + [GROUP_LABELS[g] for g in groups] + list(WAVES.values()) + ["I alt"]
    rows = []
    for t in _theme_order(cc["theme"]):
        rows.append([f"**{_theme_label(t)}**"] + [""] * (len(cols) - 1))
        rows += coded_count_rows(cc[cc["theme"] == t], groups, WAVES,
                                 lambda r: fmt.md_escape(words.capitalise(r.short)))
    frame = pd.DataFrame(rows, columns=cols)
    notes = ["Antall kodede utdrag. Informantgruppene: KVP- og HPMT-veiledere, veiledere hos Fylkesmannen (FM) og "
             "ledelse, ressursgruppe og programutviklere. T1: intervjuer før opplæringen; underveis: observasjoner og "
             "gruppeintervjuer under opplæringen og implementeringen; T2: intervjuer i sluttfasen (høsten 2012)."]
    return Table(frame, notes, colalign=("left",) + ("right",) * (len(cols) - 1), data=cc)


@table("tbl-kompetanse-sitater",
       caption="Illustrerende utdrag om kompetanseutvikling, ett for hver kode, med informantgruppe, tidspunkt og "
               "kontorgruppe",
       chapter="kompetanseutvikling")
def tbl_kompetanse_sitater(study):
    ex = excerpts(study)
    rows = []
    for t in _theme_order(ex["theme"]):
        rows.append([f"**{_theme_label(t)}**", "", ""])
        for r in ex[ex["theme"] == t].itertuples(index=False):
            mark = " (syntetisk parafrase)" if r.synthetic else ""
            rows.append([fmt.md_escape(words.capitalise(r.label)), f"«{fmt.md_escape(r.text)}»{mark}",  # data text
                         f"{GROUP_LABELS.get(r.informant_role, r.informant_role)}, {WAVES.get(r.wave, r.wave)}, "
                         f"{ARMS.get(r.office_group, r.office_group).lower()}"])
    frame = pd.DataFrame(rows, columns=["Kode", "Utdrag", "Hvem og når"])
    synthetic = bool(len(ex)) and bool(ex["synthetic"].any())
    notes = ["Utdraget er valgt etter en fast regel, ikke for å underbygge et bestemt poeng: fra informantgruppen som "
             "tar opp koden oftest, det seneste tidspunktet gruppen tar den opp, og deretter det første utdraget etter "
             "utdrags-ID." + (" I de syntetiske dataene er utdragene syntetiske parafraser skrevet for denne boken, "
                              "ikke sitater fra informantene." if synthetic else "")]
    return Table(frame, notes, colalign=("left", "left", "left"), data=ex)


# ---------------------------------------------------------------- inline numbers
def _share_of(k: int, total: int, noun: str) -> str:
    """'ingen av T2-intervjuene', 'alle T2-intervjuene', 'de fleste av T2-intervjuene', 'få av …'."""
    q = words.quantity(k, total)
    if q == "alle":
        return f"alle {noun}"
    return f"{q} av {noun}"


def _comparison(a: int, b: int, other: str) -> str:
    """'flere utdrag enn føringene', 'færre utdrag enn …', 'like mange utdrag som …'."""
    if a == b:
        return f"like mange utdrag som {other}"
    return f"{'flere' if a > b else 'færre'} utdrag enn {other}"


def _extreme(labels: pd.Series, counts: pd.Series, pick) -> tuple[str, int]:
    """The label(s) with the largest (``max``) or smallest (``min``) count, joined in their order
    ('a', 'a og b'), and the count."""
    labels, counts = list(labels), [int(c) for c in counts]
    k = pick(counts)
    return words.join([lab for lab, c in zip(labels, counts) if c == k]), k


def synthetic_sentence(synthetic: bool) -> str:
    """Where the excerpts and the counts come from (the sentence about the generator goes away with real data)."""
    if synthetic:
        return ("Både utdragene og antallene i dette kapitlet kommer fra den syntetiske generatoren: utdragene er "
                "parafraser skrevet for denne boken, og hvor ofte et tema, en kode eller en informantgruppe "
                "forekommer, følger av vektene i generatoren, ikke av intervjuene. Tallene viser hvordan analysen er "
                "bygd opp, ikke hva veilederne sa, og hver setning om hva som er hyppigst eller sjeldnest gjelder "
                "generatoren.")
    return "Utdragene og antallene er hentet fra det kodede intervju- og observasjonsmaterialet."


def t2_office_sentence(k: int, total: int, synthetic: bool) -> str:
    """How many of the T2 interviews with caseworkers come from intervention offices; with synthetic data where
    all of them do, the sentence says that this is the generator's simplification."""
    if total == 0:
        return "Materialet har ingen T2-intervjuer med veiledere."
    if synthetic and k == total:
        return (f"I de syntetiske dataene kommer alle de {words.number(total, 'n')} T2-intervjuene med veiledere fra "
                "tiltakskontorene; det er en forenkling i generatoren, ikke en opplysning fra rapporten.")
    head = "alle" if k == total else f"{'ingen' if k == 0 else words.number(k, 'n')} av"
    return words.capitalise(f"{head} de {words.number(total, 'n')} T2-intervjuene med veiledere er fra "
                            "tiltakskontorene.")


@provider
def kompetanse_numbers(study):
    seg, th, cc = segments(study), themes(study), code_counts(study)
    out = {}
    total = len(seg)
    out["ku_utdrag_n"] = n(total, "int")
    out["ku_kilder_n"] = n(int(seg["source_id"].nunique()), "int")
    out["ku_informanter_n"] = n(_informants(seg), "int")
    out["ku_koder_n"] = n(len(cc), "int")
    out["ku_temaer"] = n(words.count(len(th), "tema", "temaer", gender="n"), "text")
    all_seg = len(study.qual_segments)
    out["ku_andel_av_alle_pct"] = n(total / all_seg * 100 if all_seg else float("nan"), "pct", 0)
    out["ku_merknad_syntetisk"] = n(synthetic_sentence(study.synthetic), "text")
    for arm in ARMS:
        out[f"ku_{arm}_utdrag"] = n(words.count(int((seg["office_group"] == arm).sum()), "utdrag", "utdrag", gender="n"),
                                    "text")
    # themes raised from the comparison offices (before HPMT, or without it)
    comp = th[th["arm_sammenligning"] > 0]
    out["ku_sammenligning_temaer"] = n(
        f"{words.count(len(comp), 'tema', 'temaer', gender='n')} ({_quoted(comp['label'])})" if len(comp)
        else "ingen av temaene", "text")
    # the most and least frequent theme and code (every one of them when several share the count)
    if total:
        top, k = _extreme(th["label"].map(lambda t: f"«{_lower_first(t)}»"), th["segmenter"], max)
        out["ku_topp_tema"], out["ku_topp_tema_n"] = n(top, "text"), n(k, "int")
        low, k = _extreme(th["label"].map(lambda t: f"«{_lower_first(t)}»"), th["segmenter"], min)
        out["ku_minst_tema"], out["ku_minst_tema_n"] = n(low, "text"), n(k, "int")
        top, k = _extreme(cc["short"].map(lambda t: f"«{t}»"), cc["segmenter"], max)
        out["ku_topp_kode"], out["ku_topp_kode_n"] = n(top, "text"), n(k, "int")
    # the view of competence at T1 and at T2
    syn = seg["theme"] == "syn_pa_kompetanse"
    shares = {}
    for w in ("T1", "T2"):
        in_wave = seg["wave"] == w
        k, m = int((syn & in_wave).sum()), int(in_wave.sum())
        shares[w] = k / m * 100 if m else float("nan")
        out[f"ku_syn_{w.lower()}_pct"] = n(shares[w], "pct", 0)
        out[f"ku_{w.lower()}_utdrag"] = n(words.count(m, "utdrag", "utdrag", gender="n"), "text")
    out["ku_syn_t2_mot_t1"] = n(words.compare(shares["T2"], shares["T1"], higher="større", lower="mindre",
                                              same="like stor"), "text")
    # changed practice: how many T2 interviews with caseworkers tell of it, and in which area most often
    t2_src = study.qual_sources[(study.qual_sources["wave"] == "T2") & (study.qual_sources["informant_group"] == "veileder")
                                & (study.qual_sources["kind"] == "intervju")]
    out["ku_t2_kontor_merknad"] = n(t2_office_sentence(int((t2_src["office_group"] == "tiltak").sum()), len(t2_src),
                                                       study.synthetic), "text")
    practice = seg[(seg["theme"] == "endret_praksis") & seg["source_id"].isin(t2_src["source_id"])]
    k = int(practice["source_id"].nunique())
    out["ku_praksis_t2_intervjuer"] = n(_share_of(k, len(t2_src), "T2-intervjuene med veiledere"), "text")
    out["ku_praksis_t2_av"] = n(words.of(k, len(t2_src)), "text")
    area = cc[cc["theme"] == "endret_praksis"].dropna(subset=["area"])
    for a in AREAS:
        out[f"ku_praksis_{a}_n"] = n(int(area.loc[area["area"] == a, "segmenter"].sum()), "int")
    if len(area) and area["segmenter"].sum() > 0:
        by_area = area.groupby("area")["segmenter"].sum().reindex([a for a in AREAS if a in set(area["area"])])
        top, _k = _extreme(pd.Series([AREAS[a] for a in by_area.index]), by_area.reset_index(drop=True), max)
        out["ku_praksis_topp_omrade"] = n(top, "text")
    # barriers against drivers
    bf = cc[cc["theme"] == "barrierer"]
    nb, nf = (int(bf.loc[bf["direction"] == d, "segmenter"].sum()) for d in DIRECTIONS)
    out["ku_barriere_utdrag_n"] = n(nb, "int")
    out["ku_foring_utdrag_n"] = n(nf, "int")
    out["ku_barriere_koder"] = n(words.count(int((bf["direction"] == "barriere").sum()), "kode", "koder"), "text")
    out["ku_foring_koder"] = n(words.count(int((bf["direction"] == "foring").sum()), "kode", "koder"), "text")
    out["ku_barriere_mot_foring"] = n(_comparison(nb, nf, "føringene"), "text")
    barriers = bf[(bf["direction"] == "barriere") & (bf["segmenter"] > 0)]
    if len(barriers):
        top, k = _extreme(barriers["short"].map(lambda t: f"«{_lower_first(t)}»"), barriers["segmenter"], max)
        out["ku_topp_barriere"], out["ku_topp_barriere_n"] = n(top, "text"), n(k, "int")
    # who speaks of supervision as a place to learn
    sup = seg[seg["theme"] == "veiledning"]
    out["ku_veiledning_utdrag_n"] = n(len(sup), "int")
    if len(sup):
        counts = sup["informant_role"].value_counts().reindex([g for g in GROUP_ORDER if g in set(sup["informant_role"])])
        top, k = _extreme(pd.Series([GROUP_WORDS.get(g, g) for g in counts.index]), counts.reset_index(drop=True), max)
        out["ku_veiledning_topp_gruppe"], out["ku_veiledning_topp_gruppe_n"] = n(top, "text"), n(k, "int")
    return out
