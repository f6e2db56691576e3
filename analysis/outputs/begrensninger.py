"""Om studien, «Begrensninger»: the numbers and the computed sentences of the limitations section.

Every word that says which way or how much (høyere/lavere, signifikant, «alle») comes from the
data through :mod:`analysis.words`; while the data are synthetic, the sentences say which of
the numbers the generator put in and which are reproduced from the published report.
"""

from __future__ import annotations

from .. import fmt, words
from ..results import n, provider
from .common import ARMS, caseworkers
from .design import balance
from .frafall import PERIODS, attrition, calibrated

#: the kinds of outcome, by who or what measured them (key prefix of the effect specs)
SOURCES = {"veileder": "veiledernes egne vurderinger i spørreskjemaet", "deltaker": "deltakernes egne svar ved T2",
           "register": "NAVs registre"}
ALPHA = 0.05


def outcome_sources(study) -> dict[str, list[str]]:
    """The effect outcomes of the book, grouped by who or what measured them."""
    from .effekter_samlet import _effect_specs

    out: dict[str, list[str]] = {k: [] for k in SOURCES}
    for spec in _effect_specs(study):
        key = spec["key"]
        kind = "veileder" if key.startswith("skala_") else "register" if key.startswith(("selvhjulpen_", "registerarbeid_")) else "deltaker"
        out[kind].append(spec["label"])
    return out


def _trait(b, key: str) -> dict:
    r = b[(b["level"] == "deltaker") & (b["key"] == key)].iloc[0]
    return dict(tiltak=float(r["tiltak"]), sammenligning=float(r["sammenligning"]),
                p_ind=float(r["p_individual"]), p_cl=float(r["p_cluster"]))


@provider
def limitation_numbers(study):
    out = {}
    synthetic = study.synthetic
    # 1. recruitment after randomisation, by caseworkers who knew their office's arm
    b = balance(study)
    for key, name in (("innvandrer_pct", "innvandrer"), ("tidligere_inntektsgivende_arbeid_pct", "arbeid")):
        t = _trait(b, key)
        out[f"begr_{name}_tiltak_pct"] = n(t["tiltak"], "pct", 0)
        out[f"begr_{name}_sammenligning_pct"] = n(t["sammenligning"], "pct", 0)
        out[f"begr_{name}_retning"] = n(words.compare(t["tiltak"], t["sammenligning"], tol=0.5), "text")
        out[f"begr_{name}_p_individ"] = n(t["p_ind"], "p")
        out[f"begr_{name}_p_kontor"] = n(t["p_cl"], "p")
        out[f"begr_{name}_sig_individ"] = n(words.significant(t["p_ind"]), "text")
        out[f"begr_{name}_sig_kontor"] = n(words.significant(t["p_cl"]), "text")
    out["begr_rekruttering_tekst"] = n(
        "Analysene av deltidsarbeid justerer for begge forholdene, men ikke for kjennetegn som ikke er målt."
        + ((" I de syntetiske dataene er andelene per gruppe kalibrert til rapportens tabell 1, så forskjellen er "
            "gjengitt fra den publiserte rapporten; p-verdien på kontornivå følger av hvordan generatoren fordelte "
            "deltakerne på kontorene." if calibrated(study) else
            " I de syntetiske dataene er andelene trukket av generatoren rundt rapportens andeler i tabell 1, så "
            "forskjellen her er en egenskap ved generatoren og trekningen.") if synthetic else ""), "text")
    # 2. self-reported, unblinded caseworker outcomes
    src = outcome_sources(study)
    total = sum(len(v) for v in src.values())
    out["begr_utfall_antall"] = n(total, "int")
    out["begr_utfall_antall_ord"] = n(words.number(total, "n"), "text")
    for kind in SOURCES:
        out[f"begr_utfall_{kind}_antall"] = n(words.number(len(src[kind]), "n"), "text")
    out["begr_utfall_kilder_tekst"] = n(words.join(
        [f"{words.number(len(v), 'n')} på {SOURCES[k]}" for k, v in src.items() if v]), "text")
    cw = caseworkers(study)
    rate = {a: cw.loc[(cw["arm"] == a) & cw["responded_t1"], "responded_t2"].mean() * 100 for a in ARMS}
    for a in ARMS:
        out[f"begr_veileder_t2_svar_{a}_pct"] = n(rate[a], "pct", 0)
    out["begr_veileder_t2_svar_retning"] = n(words.compare(rate["tiltak"], rate["sammenligning"], tol=0.5), "text")
    # 4. many outcomes, none declared primary: what chance alone gives at the 5 % level
    out["begr_forventet_falske"] = n(total * ALPHA, "num", 2)
    out["begr_minst_en_falsk_pct"] = n((1 - (1 - ALPHA) ** total) * 100, "pct", 0)
    # 5. register coverage
    a = attrition(study).set_index("key")
    recruited = int(a.loc["deltakere_t1", "total"])
    counts = {p: int(a.loc[f"register_{p.replace('-', '_')}", "total"]) for p in PERIODS}
    missing = [p for p, k in counts.items() if k < recruited]
    if missing:
        text = (f"Registeruttrekkene mangler noen av de {fmt.integer(recruited)} rekrutterte: "
                + words.join([f"{fmt.integer(recruited - counts[p])} i {PERIODS[p]}" for p in missing])
                + ". Dataene sier ikke hvorfor, og registerandelene i boken er regnet av dem som finnes i hvert uttrekk")
    else:
        text = f"Registeruttrekkene omfatter alle de {fmt.integer(recruited)} rekrutterte ved hvert måletidspunkt"
    if synthetic and missing and not calibrated(study):
        text += ". I de syntetiske dataene er hullene lagt inn av generatoren"
    elif synthetic and missing:
        arms = a.loc["deltakere_t1"]
        text += (". I de syntetiske dataene er hullene lagt inn av generatoren, som tok ut noen deltakere for at "
                 "rapportens andeler og p-verdier skulle gå opp: flere av rapportens registerprosenter kan ikke regnes "
                 f"av {fmt.integer(arms['tiltak'])} og {fmt.integer(arms['sammenligning'])} deltakere, selv om "
                 "sluttrapporten sier at registrene omfatter alle deltakerne (kap. 2.1)")
    out["begr_register_tekst"] = n(text + ".", "text")
    return out
