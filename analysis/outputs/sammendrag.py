"""Sentences of the Sammendrag and the Avslutning that depend on the numbers or on where the data
come from.

The two chapters sum up the others, so most of their numbers are the other chapters' inline keys.
What is made here: the direction words of the summary (``samm_*``), and the framing that says which
statements are reproduced from the published report and which follow from the synthetic generator
(``samm_ramme_*``).  With ``synthetic: false`` the framing sentences are empty.
"""

from __future__ import annotations

from .. import fmt, results, words
from ..results import n, provider
from .frafall import calibrated


def _icc(study) -> dict:
    gen = study.descriptor.get("generator") or {}
    return (gen.get("params") or {}).get("icc") or {}


def framing(study, R) -> dict[str, str]:
    """Which statements rest on the generator: one sentence for the summary, a paragraph for the
    conclusion (empty strings for real data)."""
    if not study.synthetic:
        return {"kort": "", "lang": "", "avvik": "avvikene står med merknad i vedlegget"}
    icc = _icc(study)
    icc_txt = ""
    if "veileder" in icc and "deltaker" in icc:
        icc_txt = (f" (intraklassekorrelasjon {fmt.num(float(icc['veileder']), 2)} for veilederne og "
                   f"{fmt.num(float(icc['deltaker']), 2)} for deltakerne, på en latent skala)")
    if calibrated(study):
        kort = ("Tallene er regnet fra syntetiske data som er kalibrert til rapporten. Gjennomsnitt, andeler og "
                "p-verdier med rapportens egne metoder er derfor gjenskapt fra den publiserte rapporten, mens "
                "intraklassekorrelasjonene, designeffektene og hvilke effekter som tåler analysene med kontor som "
                "klynge, følger av generatoren og ikke er funn om HPMT.")
        lang = ("Det som er gjenskapt fra rapporten, er tallene den publiserte: gjennomsnitt, andeler, antall og "
                f"p-verdier beregnet slik rapporten beregnet dem ({R['repro_match']} av {R['repro_total']} publiserte "
                "tall samsvarer, se vedlegget om reproduksjon). Rapporten oppga ikke hvor like veilederne og deltakerne "
                "på samme kontor var. Alt som avhenger av det, er derfor bestemt av parametere i "
                f"generatoren{icc_txt} og av trekningen: intraklassekorrelasjonene og designeffektene, hvilke "
                "effekter som er signifikante med klyngerobuste metoder, randomiseringsinferens og wild bootstrap, "
                "hvilke som tåler justeringen for mange utfall, hva som skjer når ett kontor tas ut, og "
                "metodevalideringen i vedlegget. Disse resultatene viser hva metodene gir på data som ligner "
                "studien, ikke hva de ekte dataene ville vist.")
        avvik = "hvert avvik har en forklaring i vedlegget"
    else:
        kort = ("Tallene er regnet fra syntetiske data som er trukket fritt fra generatorens modell, uten "
                "kalibrering til rapporten. Alle resultatene er derfor egenskaper ved generatoren og ikke funn om HPMT.")
        lang = ("Dataene er trukket fritt fra generatorens modell" + icc_txt + ", uten kalibrering til de "
                "publiserte tallene. Både effektene og usikkerheten i denne boken viser derfor hva generatoren og "
                "trekningen ga, og ingenting om HPMT.")
        avvik = "avvikene følger av at dataene ikke er kalibrert til rapporten"
    return {"kort": kort, "lang": lang, "avvik": avvik}


@provider
def summary_numbers(study):
    R = results.compute(study)
    out = {}
    fr = framing(study, R)
    out["samm_ramme_kort"] = n(fr["kort"], "text")
    out["samm_ramme_lang"] = n(fr["lang"], "text")
    out["samm_avvik"] = n(fr["avvik"], "text")
    # tool use: the share of FE forms with the UTU tool, first against last month reported
    if "fe_utu_juni_pct" in R and "fe_utu_des_pct" in R:
        a, b = R.value("fe_utu_juni_pct"), R.value("fe_utu_des_pct")
        verb = words.change(fmt.round_half_up(a, 0), fmt.round_half_up(b, 0), "økte", "sank", "var den samme")
        out["samm_utu"] = n(f"{verb} fra {R['fe_utu_juni_pct']} i juni til {R['fe_utu_des_pct']} i desember", "text")
    # the register: economically self-sufficient in May 2013
    t, c = R.value("rapport_fig13_tiltak_2013_05_pct"), R.value("rapport_fig13_sammenligning_2013_05_pct")
    out["samm_selvhjulpen"] = n(
        f"{words.compare(fmt.round_half_up(t, 1), fmt.round_half_up(c, 1), 'høyere', 'lavere', 'like høy')} i "
        f"tiltaksgruppen ({fmt.pct(t, 1)}) enn i sammenligningsgruppen ({fmt.pct(c, 1)})", "text")
    # part-time work
    dt, dc = R.value("deltid_tiltak_pct"), R.value("deltid_sammenligning_pct")
    out["samm_deltid"] = n(words.compare(fmt.round_half_up(dt, 1), fmt.round_half_up(dc, 1), "flere", "færre", "like mange"),
                           "text")
    return out
