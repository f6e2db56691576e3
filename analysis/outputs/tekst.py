"""Words in the prose that follow from the numbers (analysis/words.py), and the published side of the
numbers the prose quotes from the sources.

Every key here is text: a verb, a comparison, a count in words or a clause that says whether a
published finding holds on the data in use.  A provider reads the numbers it describes through the
study's inline numbers (``R.value``), so a word can never disagree with the number beside it.

* ``pub_<key>``: the number as the source printed it (``analysis/published.yaml``), for prose that
  quotes the report; ``<key>`` itself is always the book's recomputation.
* ``ord_<…>``: words computed from numbers.
* ``flagg_<…>``: whether a published finding holds here; on synthetic data a miss says that the
  generator, not the study, is the cause (and the reproduction appendix says the same).
"""

from __future__ import annotations

import math

import numpy as np

from .. import fmt, results, words
from ..words import lower_first  # noqa: F401  (used here and by other modules)
from ..reproduction import NOTES, published
from ..results import n, provider
from .common import ARMS, participants

#: the report's Figure 5: the items about the training changed most (rapport 6.1)
FK_TRAINING_ITEMS = ("fk5",)
#: a sample share «ligner» the national one when it is within this many percentage points
SIMILAR_PP = 5.0


def _v(R, key):
    return R.value(key)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _r(x, d=1):
    """As printed: a comparison of printed numbers uses the rounded values."""
    return fmt.round_half_up(float(x), d)


def _synthetic(study) -> bool:
    return bool(getattr(study, "synthetic", True))


def _miss(study, report_says: str, data_say: str) -> str:
    """A sentence for a published finding the data do not reproduce."""
    if _synthetic(study):
        return (f"Rapporten fant {report_says}; i de syntetiske dataene {data_say}. Det er en egenskap ved "
                "generatoren, ikke ved studien (se vedlegget om reproduksjon).")
    return f"Rapporten fant {report_says}; i disse dataene {data_say}."


def _hold(study, report_says: str) -> str:
    """A sentence for a published finding the data reproduce; on calibrated synthetic data it says
    that the calibration put it there."""
    text = f"Det stemmer med rapporten, som fant {report_says}."
    if _synthetic(study):
        from .frafall import calibrated

        text += (" I de syntetiske dataene er det et resultat av at generatoren er kalibrert til rapporten."
                 if calibrated(study) else " I de syntetiske dataene er det et resultat av trekningen.")
    return text


def of_words(k: int, total: int, gender: str = "m") -> str:
    """'ingen av de seks', 'én av seks', 'fire av de seks', 'alle de seks' (both counts in words)."""
    k, total = int(k), int(total)
    tot = words.number(total, "m")
    if total == 0:
        return "ingen"
    if k == 0:
        return f"ingen av de {tot}"
    if k == total:
        return "begge" if total == 2 else f"alle de {tot}"
    return f"{words.number(k, gender)} av de {tot}"


def count_word(k: int, gender: str = "m") -> str:
    """A count standing alone: 'ingen', 'én'/'ett', 'to' … 'tolv', else digits."""
    k = int(k)
    return "ingen" if k == 0 else words.number(k, gender)



def _rising(before, after, d=1, noun_up="økte", noun_down="sank", same="var uendret"):
    return words.change(_r(before, d), _r(after, d), up=noun_up, down=noun_down, same=same)


# ---------------------------------------------------------------- published numbers, quoted as printed
@provider
def published_numbers(study):
    """``pub_<key>``: every catalogued number as the source printed it (decimal comma)."""
    out = {}
    for r in published().itertuples(index=False):
        text = str(r.published).strip()
        if any(ch.isdigit() for ch in text):
            text = text.replace(".", ",") if text.count(".") == 1 and "," not in text else text
        out[f"pub_{r.key}"] = n(text, "text")
    return out


# ---------------------------------------------------------------- om studien
@provider
def design_words(study):
    R = results.compute(study)
    from .design import NATIONAL_LABELS, NATIONAL_PCT

    out = {}
    labels = {"unge": "unge", "kvinner": "kvinner", "innvandrere": "innvandrere", "grunnskole": "med bare grunnskole"}
    diffs, items = [], []
    for key in NATIONAL_PCT:
        s, nat = _r(_v(R, f"rapport_tekst_2_sample_{key}_pct"), 0), float(NATIONAL_PCT[key])
        diffs.append(abs(s - nat))
        if abs(s - nat) > SIMILAR_PP:
            word = "flere" if s > nat else "færre"
            items.append(f"{word} {labels[key]} ({fmt.pct(s, 0)} mot {fmt.pct(nat, 0)})")
    far = len(items)
    out["ord_landsbasis_ligner"] = n("ligner" if far == 0 else "skiller seg fra", "text")
    if far == 0:
        txt = (f"alle de fire andelene i tabellen ligger innenfor {fmt.num(SIMILAR_PP, 0)} prosentpoeng fra "
               "landsbasis")
    else:
        txt = (f"{of_words(far, len(NATIONAL_PCT))} andelene i tabellen avviker med mer enn "
               f"{fmt.num(SIMILAR_PP, 0)} prosentpoeng, med {words.join(items)} i utvalget")
    out["ord_landsbasis_liste"] = n(txt, "text")
    out["ord_balanse_individ"] = n(count_word(_v(R, "balanse_sig_individ"), "n"), "text")
    out["ord_balanse_kontor"] = n(count_word(_v(R, "balanse_sig_kontor"), "n"), "text")
    # register coverage: the report says every participant (N = 617) in every period
    reg = study.register
    total = len(participants(study))
    cov = {p: int(reg.loc[reg["period"] == p, "participant_id"].nunique()) for p in ("2011-05", "2012-11", "2013-05")}
    out["register_dekning_2012_11"] = n(cov["2012-11"], "int")
    out["register_dekning_2013_05"] = n(cov["2013-05"], "int")
    for p, key in (("2012-11", "rapport_tekst_3_register_n_2012_11"), ("2013-05", "rapport_tekst_3_register_n_2013_05")):
        out[key] = n(cov[p], "int")
        NOTES[key] = ("Rapporten oppgir registerstatus for alle de 617 deltakerne. I de syntetiske dataene mangler noen få i "
                      "hver gruppe: nevnerne er valgt slik at både andelene i figur 13 og 14 og rapportens p-verdier kan "
                      "treffes, noe ingen heltallskombinasjon med alle 617 gir. Andelene er det nærmeste av de to.")
    # the coverage itself is written by analysis/outputs/frafall.py (register_dekning_tekst)
    if all(v == total for v in cov.values()):
        out["flagg_register_dekning"] = n("Som i rapporten har registrene alle deltakerne med.", "text")
    else:
        out["flagg_register_dekning"] = n(
            _miss(study, f"registerstatus for alle de {fmt.integer(total)}",
                  "mangler noen, fordi nevnerne er valgt slik at andelene og p-verdiene i rapportens figur 13 og 14 "
                  "kan treffes samtidig") if _synthetic(study) else
            _miss(study, f"registerstatus for alle de {fmt.integer(total)}", "mangler noen"), "text")
    return out


# ---------------------------------------------------------------- effekter for veilederne
@provider
def caseworker_words(study):
    R = results.compute(study)
    from .common import SCALES

    out = {}
    get = lambda s, a, w: _v(R, f"skala_{s}_{a}_{w}")  # noqa: E731
    f1, f2 = get("faglig_kompetanse", "tiltak", "t1"), get("faglig_kompetanse", "tiltak", "t2")
    out["ord_fk_endring"] = n(_rising(f1, f2), "text")
    rel = {s: (get(s, "tiltak", "t2") - get(s, "tiltak", "t1")) / get(s, "tiltak", "t1") * 100 for s in SCALES}
    pct_fk = rel["faglig_kompetanse"]
    out["ord_fk_forbedring"] = n(("en forbedring" if _r(pct_fk, 0) > 0 else "en nedgang" if _r(pct_fk, 0) < 0 else "ingen endring")
                                 + (f" på {fmt.pct(abs(pct_fk), 0)}" if _r(pct_fk, 0) != 0 else ""), "text")
    v = rel["veiledning"]
    verb = _rising(get("veiledning", "tiltak", "t1"), get("veiledning", "tiltak", "t2"))
    if verb == "økte" and max(rel, key=rel.get) == "veiledning":
        verb = "økte mest"
    out["ord_veiledning_endring"] = n(verb, "text")
    out["ord_veiledning_verb"] = n(_rising(get("veiledning", "tiltak", "t1"), get("veiledning", "tiltak", "t2")), "text")
    out["ord_veiledning_endring_pct"] = n(fmt.pct(abs(v), 0), "text")
    a1, a2 = get("relasjonell_allianse", "tiltak", "t1"), get("relasjonell_allianse", "tiltak", "t2")
    out["ord_allianse_endring"] = n(_rising(a1, a2, noun_up="økte med", noun_down="sank med", same="endret seg med"), "text")
    out["ord_allianse_endring_poeng"] = n(fmt.num(abs(a2 - a1), 1), "text")
    out["ord_allianse_endring_pct"] = n(fmt.pct(abs(rel["relasjonell_allianse"]), 0), "text")
    m = rel["mote_med_bruker"]
    out["ord_mote_endring"] = n(("økte med" if _r(m, 0) > 0 else "sank med" if _r(m, 0) < 0 else "endret seg med")
                                + f" {fmt.pct(abs(m), 0)}", "text")
    fv = [get("forvaltning", a, w) for a in ARMS for w in ("t1", "t2")]
    out["ord_forvaltning_niva"] = n("lå høyt i begge gruppene og ved begge tidspunkt" if min(fv) >= 3.0 else
                                    "lå over midten av skalaen i begge gruppene og ved begge tidspunkt" if min(fv) > 2.0 else
                                    "lå ikke over midten av skalaen i alle grupper og ved alle tidspunkt", "text")
    # Figure 5: which item changed most; the report: the items about the training
    from .effekter_veiledere import FK_ITEMS, competence_items

    fk = competence_items(study)
    t1 = fk[fk["wave"] == "T1"].set_index("item")["mean"]
    t2m = fk[fk["wave"] == "T2"].set_index("item")["mean"]
    d = t2m - t1
    top = d.idxmax()
    out["ord_fk_storst"] = n("økningen var størst" if d.max() > 0 else "nedgangen var minst", "text")
    training = words.join([f"«{FK_ITEMS[i].lower()}»" for i in FK_TRAINING_ITEMS])
    if top in FK_TRAINING_ITEMS:
        out["flagg_fk_opplaering"] = n(_hold(study, f"at påstanden om opplæringen ({training}) endret seg mest"), "text")
    else:
        out["flagg_fk_opplaering"] = n(_miss(study, f"at påstanden om opplæringen ({training}) endret seg mest",
                                             f"endret den seg {fmt.num(float(d[FK_TRAINING_ITEMS[0]]), 1)} poeng, mindre enn "
                                             f"«{FK_ITEMS[top].lower()}»"), "text")
    NOTES["rapport_tekst_6_1_fk_opplaering_storst"] = (
        "Generatoren flytter poeng mellom påstandene i hvert svar fra tiltakskontorene (inn i påstanden om opplæringen "
        "ved T2, ut av den ved T1) til den øker mest; hver veileders skåre på skalaen er uendret, så skalagjennomsnittene "
        "står som i rapporten." if top in FK_TRAINING_ITEMS else
        "Rapporten sier at påstanden om opplæringen endret seg mest i figur 5. Generatoren gir den største økningen til "
        "påstanden om opplæringen bare i de kalibrerte dataene; i disse dataene fikk en annen påstand den.")
    out["rapport_tekst_6_1_fk_opplaering_storst"] = n("ja" if top in FK_TRAINING_ITEMS else "nei", "text")
    # significance counts in words
    out["ord_skala_sig"] = n(of_words(_v(R, "skala_sig_antall"), len(SCALES)), "text")
    k_rep = int(_v(R, "eff_skala_rep_sig_antall"))
    out["ord_skala_rep_sig"] = n("de skalaene (ingen)" if k_rep == 0 else "den ene skalaen" if k_rep == 1 else
                                 f"de {words.number(k_rep)} skalaene", "text")
    # systemorientert innsats: the report found an ANCOVA effect (6.3/6.4)
    p_sys = _v(R, "skala_systemorientert_p_ancova")
    if p_sys < 0.05:
        out["flagg_systemorientert"] = n(_hold(study, "en signifikant effekt også for systemorientert innsats"), "text")
    else:
        out["flagg_systemorientert"] = n(_miss(study, "en signifikant ANCOVA-effekt også for systemorientert innsats",
                                               f"er den ikke signifikant ({fmt.pvalue(p_sys)})"), "text")
    out["rapport_tekst_6_3_systemorientert_sig"] = n("ja" if p_sys < 0.05 else "nei", "text")
    NOTES["rapport_tekst_6_3_systemorientert_sig"] = (
        "Generatoren lar hver veileders svar ved T2 følge svaret ved T1 tettere innen kontoret (høyere korrelasjon mellom "
        "T1 og T2, mindre restledd i ANCOVA), med kontorenes og gruppenes gjennomsnitt uendret." if p_sys < 0.05 else
        "Generatoren treffer gjennomsnittene i rapportens figurer for systemorientert innsats, men spredningen mellom "
        "veilederne er så stor at ANCOVA-effekten ikke blir signifikant; skalagjennomsnittene er beholdt fordi de er "
        "publisert som tall.")
    # how much the method matters for the alliance
    # «betyr lite» only when the three p-values the sentence prints agree: within a factor 5 of
    # each other and on the same side of 0,05
    ra = [_v(R, f"eff_skala_relasjonell_allianse_{m}_p") for m in ("rep", "cr2", "ri")]
    little = (max(ra) / max(min(ra), 1e-12) < 5) and len({p < 0.05 for p in ra}) == 1
    out["ord_allianse_metode"] = n("For relasjonell allianse betyr metoden lite for p-verdien" if little else
                                   "Relasjonell allianse viser hvor mye metoden kan bety", "text")
    out.update(_cluster_sentence(study))
    return out


def _cluster_sentence(study) -> dict:
    """Does clustering change the size of the effects, and are the intervals wider?  From the intervals."""
    from .effekter_samlet import effect_summary

    es = effect_summary(study)
    rep_w = es["rep_hi"] - es["rep_lo"]
    cr2_w = es["cr2_hi"] - es["cr2_lo"]
    # compared as printed (two significant decimals of the unit's width)
    wider = cr2_w > rep_w * 1.005
    narrower = cr2_w < rep_w * 0.995
    same = ~(wider | narrower)
    scale = es["unit"] == "poeng"
    shift = (es["cl_est"] - es["rep_est"]).abs() <= 0.25 * rep_w
    out = {}
    sc = es[scale]
    out["ord_klynge_storrelse"] = n("endrer lite på" if bool(shift[scale].all()) else "endrer", "text")
    k_w, k_tot = int(wider[scale].sum()), int(scale.sum())
    txt = f"intervallet med CR2 er bredere enn rapportens for {of_words(k_w, k_tot)} skalaene"
    exc = []
    for lab, w_, nn in zip(sc["label"], wider[scale], narrower[scale]):
        if not w_:
            exc.append(f"{lower_first(lab)} ({'smalere' if nn else 'like bredt'})")
    if exc:
        txt += f"; {'unntaket' if len(exc) == 1 else 'unntakene'} er {words.join(exc)}"
    out["ord_klynge_intervall"] = n(txt, "text")
    k_all = int(wider.sum())
    exc_all = [f"{lower_first(lab)} ({'smalere' if nn else 'like bredt'})"
               for lab, w_, nn in zip(es["label"], wider, narrower) if not w_]
    out["ord_klynge_intervall_alle"] = n(
        f"intervallet med CR2 er bredere enn rapportens for {of_words(k_all, len(es))} effektene"
        + (f"; {'unntaket' if len(exc_all) == 1 else 'unntakene'} er {words.join(exc_all)}" if exc_all else ""), "text")
    out["klynge_bredere_n"] = n(k_all, "int")
    out["klynge_likt_n"] = n(int(same.sum()), "int")
    return out


# ---------------------------------------------------------------- effekter for deltakerne
@provider
def participant_words(study):
    R = results.compute(study)
    from .effekter_deltakere import activity, binary_t2, deltid_adjusted, nnt, risk_difference, weighted_activity

    out = {}
    a = activity(study).set_index("code")
    ht, hs = a.loc["heltid", "pct_tiltak"], a.loc["heltid", "pct_sammenligning"]
    if abs(_r(ht) - _r(hs)) <= 1.0:
        out["ord_heltid"] = n(f"var nesten den samme i de to gruppene, {fmt.num(ht, 1)} og {fmt.num(hs, 1)} %", "text")
    else:
        out["ord_heltid"] = n(f"var {words.compare(_r(ht), _r(hs))} i tiltaksgruppen enn i sammenligningsgruppen, "
                              f"{fmt.num(ht, 1)} mot {fmt.num(hs, 1)} %", "text")
    dt, ds = a.loc["deltid", "pct_tiltak"], a.loc["deltid", "pct_sammenligning"]
    rel = (dt / ds - 1) * 100 if ds > 0 else float("nan")
    out["ord_deltid_relativ"] = n("en relativ forskjell som ikke kan beregnes" if math.isnan(rel) else
                                  f"en relativ {'økning' if _r(rel, 0) > 0 else 'nedgang' if _r(rel, 0) < 0 else 'endring'} "
                                  f"på {fmt.num(abs(rel), 0)} %", "text")

    def more(code, noun):
        s_, t_ = _r(a.loc[code, "pct_sammenligning"]), _r(a.loc[code, "pct_tiltak"])
        w = "flere" if s_ > t_ else "færre" if s_ < t_ else "like mange"
        return f"{w} {noun} ({fmt.num(s_, 1)} mot {fmt.num(t_, 1)} %)"

    out["ord_kvp_andre"] = n(f"I sammenligningsgruppen var {more('kvp', 'fortsatt i KVP')} og "
                             f"{more('andre_kval', 'i andre kvalifiseringstiltak')} enn i tiltaksgruppen", "text")
    akt = risk_difference(binary_t2(study)["aktivering"])
    out["ord_aktivering_sig"] = n(words.significant(akt["p"], yes="en signifikant forskjell", no="ingen signifikant forskjell"),
                                  "text")
    if akt["p"] < 0.05:
        out["flagg_aktivering"] = n(_hold(study, "en signifikant forskjell i den samlede kategorien"), "text")
    else:
        out["flagg_aktivering"] = n(_miss(study, "en signifikant forskjell i den samlede kategorien",
                                          f"er forskjellen ikke signifikant ({fmt.pvalue(akt['p'])})"), "text")
    out["rapport_tekst_9_1_aktivering_sig"] = n("ja" if akt["p"] < 0.05 else "nei", "text")
    NOTES["rapport_tekst_9_1_aktivering_sig"] = (
        "Hvor mange som krysset av både for KVP og for andre kvalifiseringstiltak, er ikke publisert. Generatoren gir "
        "noen i tiltaksgruppen begge kryssene (andelene i tabell 6 er uendret), slik at den samlede kategorien blir "
        "mindre der og forskjellen signifikant." if akt["p"] < 0.05 else
        "Andelene i KVP og i andre kvalifiseringstiltak er kalibrert hver for seg til tabell 6; hvor mange som krysset av "
        "for begge, er ikke publisert, og i disse dataene overlapper de ikke slik at den samlede forskjellen blir "
        "signifikant.")
    NOTES["rapport_tekst_9_1_ticks_mean"] = (
        "Tabell 6s summer (123,4 % av 252 og 118,6 % av 177 som svarte) gir 521 avkryssinger for 429 svar, 1,21 i "
        "snitt; rapportens 1,19 er snittet i sammenligningsgruppen alene. Tabell 6 er beholdt.")
    # who was recruited and who answered at T2
    pa = participants(study)
    by = pa.groupby("arm")
    imm = by["immigrant"].mean() * 100
    work = by["prior_paid_work"].mean() * 100
    resp = by["responded_t2"].mean() * 100
    w_imm = words.compare(_r(imm["tiltak"], 0), _r(imm["sammenligning"], 0), "flere", "færre", "like mange")
    w_nowork = words.compare(_r(100 - work["tiltak"], 0), _r(100 - work["sammenligning"], 0), "flere", "færre", "like mange")
    out["ord_rekruttering"] = n(f"Tiltakskontorene rekrutterte {w_imm} innvandrere ({fmt.pct(imm['tiltak'], 0)} mot "
                                f"{fmt.pct(imm['sammenligning'], 0)}) og {w_nowork} uten tidligere arbeid "
                                f"({fmt.pct(100 - work['tiltak'], 0)} mot {fmt.pct(100 - work['sammenligning'], 0)})", "text")
    w_resp = words.compare(_r(resp["tiltak"], 0), _r(resp["sammenligning"], 0), "høyere", "lavere", "lik")
    out["ord_frafall"] = n(f"svarprosenten ved T2 var {w_resp} i tiltaksgruppen ({fmt.pct(resp['tiltak'], 0)} mot "
                           f"{fmt.pct(resp['sammenligning'], 0)})", "text")
    adj = deltid_adjusted(study).set_index("key")
    if adj["estimable"].all():
        shift = abs(math.log(adj.loc["ipw", "odds_ratio"]) - math.log(adj.loc["ujustert", "odds_ratio"]))
        small = shift < 0.15
    else:  # no odds ratio (complete separation): judged on the risk difference, in percentage points
        small = abs(adj.loc["ipw", "rd"] - adj.loc["ujustert", "rd"]) < 1.0
    out["ord_justering"] = n("endrer altså lite" if small else "endrer altså estimatet merkbart", "text")
    # NNT
    t7 = nnt(study).set_index("key")
    d = t7.loc["deltid"]
    if d["cr2_lo"] > 0:
        out["ord_nnt_deltid_cr2"] = n("effekten kan være stor, men den kan også være liten", "text")
    elif d["cr2_hi"] < 0:
        out["ord_nnt_deltid_cr2"] = n("hele intervallet for forskjellen ligger under null, så dataene peker mot færre i "
                                      "deltidsarbeid i tiltaksgruppen", "text")
    else:
        out["ord_nnt_deltid_cr2"] = n("intervallet for forskjellen omfatter null, så også ingen effekt er forenlig med dataene",
                                      "text")
    # the point NNT from the printed AAR (one decimal), as the report did; a negative difference has no
    # NNT for benefit, only an NNTH (how many for one fewer in work)
    dd = a.loc["deltid", "pct_tiltak"] - a.loc["deltid", "pct_sammenligning"]  # the prose's difference, unrounded
    if dd > 0:
        out["ord_nnt_deltid"] = n(f"som gir NNT = {fmt.num(100 / dd, 2)}, rundet opp til {fmt.integer(math.ceil(100 / dd))} "
                                  "fordi bare hele personer kan følges opp", "text")
    elif dd < 0:
        out["ord_nnt_deltid"] = n("altså færre i deltidsarbeid i tiltaksgruppen, så det finnes ikke noe NNT for nytte; "
                                  f"100 delt på forskjellen gir NNTH = {fmt.num(100 / abs(dd), 2)}, rundet opp til "
                                  f"{fmt.integer(math.ceil(100 / abs(dd)))}", "text")
    else:
        out["ord_nnt_deltid"] = n("så det finnes ikke noe NNT (100 delt på null er uendelig)", "text")
    h = t7.loc["heltid"]
    out["ord_heltid_null"] = n("som for heltidsarbeid" if h["lo"] <= 0 <= h["hi"] else
                               "noe intervallet for heltidsarbeid ikke gjør", "text")
    # Table 7's title says weighted, its values are the unweighted differences of Table 6
    wa = weighted_activity(study)
    # as the report did for Table 7: NNT from the AAR as printed (one decimal), rounded up
    wd = _r(wa.loc["deltid", "wpct_tiltak"] - wa.loc["deltid", "wpct_sammenligning"], 1)
    out["nnt_deltid_vektet_aar"] = n(wd, "num", 1)
    out["nnt_deltid_vektet_nnt"] = n(math.ceil(100 / wd) if wd > 0 else float("inf"), "int") if wd > 0 else n("∞", "text")
    out["ord_nnt_deltid_vektet"] = n(f"NNT {fmt.integer(math.ceil(100 / wd))}" if wd > 0 else
                                     f"NNTH {fmt.integer(math.ceil(100 / abs(wd)))} (ikke noe NNT for nytte)" if wd < 0 else
                                     "ikke noe endelig NNT", "text")
    hd = h["rd"]
    hb = hd
    out["ord_nnt_heltid_bok"] = n(f"blir den samme utregningen {fmt.integer(math.ceil(100 / hb))}" if hb > 0 else
                                  "gir den samme utregningen et negativt tall, altså ikke noe NNT for nytte, men NNTH = "
                                  f"{fmt.integer(math.ceil(100 / abs(hb)))}" if hb < 0 else
                                  "finnes det ikke noe endelig NNT", "text")
    out["nnt_heltid_bok"] = n(math.ceil(100 / hd) if hd > 0 else float("inf"), "int") if hd > 0 else n("∞", "text")
    out["nnt_heltid_aar_bok"] = n(hd, "num", 2)
    from .effekter_deltakere import income, income_share_work

    inc = income(study)
    total = inc["tiltak"]["mean"] - inc["sammenligning"]["mean"]
    full = inc["heltid"]["tiltak"] - inc["heltid"]["sammenligning"]
    dk = _v(R, "rapport_tekst_9_3_deltid_diff_kr")
    out["ord_inntekt_deltid"] = n("kan den ikke beregnes, fordi en av gruppene ikke har noen i deltidsarbeid med oppgitt inntekt"
                                  if dk is None or (isinstance(dk, float) and math.isnan(dk)) else
                                  f"var den {R['rapport_tekst_9_3_deltid_diff_kr']} ({R['rapport_tab9_diff_deltid_p']})", "text")
    out["ord_inntekt_heltid"] = n(("mindre enn i alt" if abs(full) < abs(total) else "større enn i alt")
                                  + f" og {words.significant(inc['heltid']['p'])}", "text")
    share = income_share_work(study)
    pct = fmt.pct(abs(share) * 100, 0)
    out["ord_inntekt_justert"] = n(f"krymper forskjellen mellom gruppene med {pct}" if _r(share * 100, 0) > 0 else
                                   f"øker forskjellen mellom gruppene med {pct}" if _r(share * 100, 0) < 0 else
                                   "endres forskjellen mellom gruppene ikke", "text")
    out["ord_inntekt_forskjell"] = n(f"{fmt.kr(abs(total))} {words.compare(total, 0, 'høyere', 'lavere', 'like høy')}", "text")
    out["ord_nnt_heltid_fortegn"] = n("positiv" if hd > 0 else "negativ" if hd < 0 else "null", "text")
    return out


# ---------------------------------------------------------------- samlingene
@provider
def gathering_words(study):
    R = results.compute(study)
    from .samlinger import usefulness

    out = {}
    u = usefulness(study).set_index("samling")
    low = int(u["nyttig_pct"].idxmin())
    out["ord_samling_lavest"] = n(f"samling {low}", "text")
    if low == 5:
        out["flagg_samling5"] = n(_hold(study, "at færrest syntes samling 5 var nyttig"), "text")
    else:
        out["flagg_samling5"] = n(_miss(study, "at andelen som ikke syntes samlingen var nyttig, var noe høyere for samling 5",
                                        f"er andelen som syntes samlingen var nyttig, lavest for samling {low} "
                                        f"({fmt.pct(u.loc[low, 'nyttig_pct'], 0)}, mot "
                                        f"{fmt.pct(u.loc[5, 'nyttig_pct'], 0)} for samling 5)" if 5 in u.index else
                                        f"er den lavest for samling {low}"), "text")
    out["rapport_tekst_5_1_samling5_lavest"] = n("ja" if low == 5 else "nei", "text")
    NOTES["rapport_tekst_5_1_samling5_lavest"] = (
        "To publiserte tall kan ikke begge holde: rapporten oppgir at 29 av 36 syntes samling 1 var nyttig (81 %), "
        "og at andelen som ikke syntes det, var noe høyere for samling 5. Med 16 av 19 for samling 5 (figur 3) er "
        "samling 1 lavest; dataene følger tallene.")
    return out


# ---------------------------------------------------------------- kontorforskjeller
@provider
def office_words(study):
    R = results.compute(study)
    out = {}
    for key in ("rapport_tekst_10_3_offices_over50_count", "rapport_tekst_10_3_offices_under30_count",
                "rapport_tekst_10_3_offices_under30_tiltak_count", "kontor_hoy_arbeid_tiltak_n"):
        if key in R:
            noun = "tiltakskontor" if "tiltak_count" in key else "kontor"
            if R.num(key).suppressed:  # an office is suppressed (disclosure control): the count would reveal it
                out[f"ord_{key}"] = n(f"et skjermet antall {noun}", "text")
                continue
            k = int(_v(R, key))
            out[f"ord_{key}"] = n(words.count(k, noun, noun, gender="n"), "text")
    if "kontor_hoy_arbeid_tiltak_n" not in R:
        out["ord_kontor_hoy_arbeid_tiltak_n"] = n("ingen kontor", "text")
    # the range of those offices' shares: none, one (or all alike) or from … to …
    if "rapport_tekst_10_3_high_work_tiltak_min_pct" not in R:
        out["ord_kontor_hoy_arbeid_spenn"] = n("", "text")
    else:
        lo, hi = (str(R[f"rapport_tekst_10_3_high_work_tiltak_{m}_pct"]) for m in ("min", "max"))
        out["ord_kontor_hoy_arbeid_spenn"] = n(f" ({lo})" if lo == hi else f", fra {lo} til {hi}", "text")
    out["ord_loo_signifikante"] = n(of_words(_v(R, "loo_signifikante_n"), _v(R, "loo_effekter_n")), "text")
    k = int(_v(R, "loo_deltid_fortegn_n"))
    out["ord_loo_deltid_fortegn"] = n("fortegnet snur ikke når noe enkelt kontor tas ut" if k == 0 else
                                      "fortegnet snur når ett bestemt kontor tas ut" if k == 1 else
                                      f"fortegnet snur når ett av {words.number(k, 'n')} bestemte kontor tas ut", "text")
    # chapter 10: the report found that the large intervention offices did best
    big, small = "kontor_store_tiltak_arbeid_pct", "kontor_sma_tiltak_arbeid_pct"
    if big in R and small in R and not any(_missing(_v(R, key)) for key in (big, small)):  # NaN: all skjermet
        b, s = _r(_v(R, big), 0), _r(_v(R, small), 0)
        out["ord_store_sma_tiltak"] = n(words.compare(b, s, "høyere", "lavere", "like høy"), "text")
        if b > s:
            out["flagg_store_tiltak"] = n(_hold(study, "at de store tiltakskontorene lyktes best"), "text")
        else:
            out["flagg_store_tiltak"] = n(_miss(study, "at de store tiltakskontorene lyktes best med overgang til arbeid",
                                                "er andelen i arbeid " + words.compare(b, s, "høyere", "lavere", "like høy")
                                                + " i de store enn i de små tiltakskontorene"), "text")
        out["rapport_tekst_10_3_store_tiltak_best"] = n("ja" if b > s else "nei", "text")
        NOTES["rapport_tekst_10_3_store_tiltak_best"] = (
            "Kontorandelene i arbeid er trukket slik at armtotalene i tabell 6 og figur 13 treffes; hvilke kontor som "
            "er store (måltall), er ikke brukt i generatoren, så mønsteret rapporten beskriver, er ikke gjenskapt.")
    else:
        out["ord_store_sma_tiltak"] = n("ikke sammenlignbar", "text")
        out["flagg_store_tiltak"] = n("Med disse kontorene kan store og små tiltakskontor ikke sammenlignes.", "text")
    return out


# ---------------------------------------------------------------- sammendrag og avslutning
@provider
def summary_words(study):
    R = results.compute(study)
    out = {}
    k = int(_v(R, "eff_deltaker_overlever_antall"))
    lst = str(R["eff_deltaker_overlever_liste"])
    out["ord_deltaker_overlever"] = n("holder ingen av effektene med alle metodene" if k == 0 else
                                      f"holder {count_word(k, 'm')} med alle metodene ({lst})", "text")
    return out


# ---------------------------------------------------------------- effektene for deltakerne, i ord
@provider
def participant_effect_words(study):
    """Sentences about the participants' effects whose words follow from the numbers: the activity
    columns' sums against 100, the individual-level degrees of freedom, how small the ICC is, and how
    many of the effects significant with the report's method hold with CR2 and randomisation inference."""
    from .effekter_deltakere import activity
    from .effekter_samlet import _join, effect_summary

    out = {}
    a = activity(study)
    st, ss = (round(float(a[c].sum()), 1) for c in ("pct_tiltak", "pct_sammenligning"))
    sums = f"({fmt.num(st, 1)} og {fmt.num(ss, 1)})"
    out["ord_aktivitet_sum"] = n(
        f"Derfor summerer de uvektede kolonnene seg til mer enn 100 {sums}." if min(st, ss) > 100 else
        f"Fordi noen ikke krysset av for noe, summerer de uvektede kolonnene seg likevel til mindre enn 100 {sums}."
        if max(st, ss) < 100 else "Fordi noen krysset av for flere og andre ikke for noe, summerer de uvektede kolonnene "
        f"seg til {_vs(st, 'tiltaksgruppen')} og {_vs(ss, 'sammenligningsgruppen')}.", "text")
    e = effect_summary(study).set_index("key")
    # what a test on individuals assumes instead: n − 2 (or n − 3 with the T1 covariate), here as a range
    lo, hi = int(e["n"].min()) - 3, int(e["n"].max()) - 2
    out["ord_individ_df"] = n(f"de {fmt.integer(lo)}–{fmt.integer(hi)}" if lo < hi else f"de {fmt.integer(hi)}", "text")
    part = e[~e.index.str.startswith("skala_")]  # the participants' outcomes
    icc_d, med_d = float(part["icc"].max()), float(part["icc"].median())
    deff_d, m_d = float(part["deff"].max()), float(part["mbar"].mean())
    small = med_d < 0.05  # «liten» for the typical participant outcome
    out["ord_icc_deltaker"] = n(
        f"For deltakerutfallene er den {'liten' if small else 'ikke liten'} (median {fmt.num(med_d, 3)}, "
        f"høyst {fmt.num(icc_d, 3)})"
        + (f", men med i gjennomsnitt {fmt.num(m_d, 0)} deltakere per kontor gir selv en liten ICC en merkbar designeffekt "
           f"(opptil {fmt.num(deff_d, 2)})" if small and deff_d >= 1.2 else "") + ".", "text")
    rep_sig = (part["rep_p"] < 0.05).to_numpy()
    valid = ((part["cr2_p"] < 0.05) & (part["ri_p"] < 0.05)).to_numpy()
    labs = [x if x.startswith(("KVP", "I ")) else x[0].lower() + x[1:] for x in part["label"]]
    liste = _join([lab for lab, r, v in zip(labs, rep_sig, valid) if r and v])
    out["ord_eff_deltaker_overlever"] = n(_survivors(int((rep_sig & valid).sum()), int(rep_sig.sum()), liste), "text")
    return out


def _vs(total: float, group: str) -> str:
    """A column sum against 100: «mer enn 100 i tiltaksgruppen (104,2)», «nøyaktig 100 i …»."""
    side = "mer enn 100" if total > 100 else "mindre enn 100" if total < 100 else "nøyaktig 100"
    return f"{side} i {group} ({fmt.num(total, 1)})"


def _survivors(k: int, n_sig: int, liste: str = "") -> str:
    """How many of the participant effects that are significant with the report's method also are
    with CR2 and randomisation inference, as a sentence with the counts in words (0, 1 and many)."""
    if n_sig == 0:
        return "Ingen av deltakereffektene er signifikante med rapportens metode."
    if n_sig == 1:
        return ("Den ene deltakereffekten som er signifikant med rapportens metode, er det også med CR2 og "
                "randomiseringsinferens." if k else
                "Den ene deltakereffekten som er signifikant med rapportens metode, er ikke signifikant med "
                "både CR2 og randomiseringsinferens.")
    part = f"alle de {n_sig}" if k == n_sig else f"{'ingen' if k == 0 else words.number(k)} av de {n_sig}"
    return f"Av deltakereffektene som er signifikante med rapportens metode, gjelder det {part}" + (f": {liste}." if k else ".")
