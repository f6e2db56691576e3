"""Summary tables (sammendrag, avslutning) and the appendices: reproduction and codebook."""

from __future__ import annotations

import pandas as pd

from .. import fmt, results
from ..data import load_schema
from ..registry import Table, table
from ..results import n, provider


STATUS_NB = {"match": "samsvarer", "differs": "avviker", "not-computable": "ikke beregnet"}
_DOCUMENT = {"rapport": "Rapporten", "artikkel": "Artikkelen"}
_PART = {"tabell": "tabell", "figur": "figur", "tekst": "avsnitt"}


def source_label(code: str) -> str:
    """A source code of published.yaml in words: «rapport-tabell-4» → «Rapporten, tabell 4»,
    «rapport-tekst-5.1» → «Rapporten, avsnitt 5.1», «rapport-tekst-0» → «Rapporten, sammendraget»."""
    doc, _, rest = str(code).partition("-")
    part, _, number = rest.partition("-")
    if doc not in _DOCUMENT or part not in _PART:
        return str(code)
    if part == "tekst" and number in ("", "0"):
        where = "teksten" if doc == "artikkel" else "sammendraget"
    else:
        where = f"{_PART[part]} {number}".strip()
    return f"{_DOCUMENT[doc]}, {where}"


@table("tbl-reproduksjon-sammendrag", caption="Publiserte tall og bokens tall: status per kilde", chapter="vedlegg-reproduksjon")
def tbl_repro_summary(study):
    r = results.reproduction(study)
    g = r.pivot_table(index="source", columns="status", values="key", aggfunc="count", fill_value=0)
    for c in STATUS_NB:
        if c not in g:
            g[c] = 0
    g = g[list(STATUS_NB)]
    g["total"] = g.sum(axis=1)
    order = sorted(g.index, key=lambda s: (s.split("-")[0], s.split("-")[1], [int(x) if x.isdigit() else x for x in s.split("-")[-1].split(".")]))
    g = g.loc[order]
    frame = pd.DataFrame({"Kilde": [source_label(c) for c in g.index], "Samsvarer": g["match"].map(fmt.integer), "Avviker": g["differs"].map(fmt.integer),
                          "Ikke beregnet": g["not-computable"].map(fmt.integer), "I alt": g["total"].map(fmt.integer)})
    tot = g.sum()
    frame.loc[len(frame)] = ["**I alt**", fmt.integer(tot["match"]), fmt.integer(tot["differs"]),
                             fmt.integer(tot["not-computable"]), fmt.integer(tot["total"])]
    return Table(frame, ["«Samsvarer»: bokens tall blir likt det publiserte når det avrundes til samme antall desimaler."], data=g.reset_index())


@table("tbl-reproduksjon-avvik", caption="Publiserte tall som boken ikke gjenskaper, med forklaring", chapter="vedlegg-reproduksjon")
def tbl_repro_differs(study):
    r = results.reproduction(study)
    d = r[r["status"] == "differs"]
    frame = pd.DataFrame({"Kilde": d["source"].map(source_label), "Hva": d["item"], "Publisert": d["published"], "Boken": d["computed"],
                          "Merknad": d["note"].str.slice(0, 300).replace("", "–")})
    return Table(frame, [], data=d)


#: why a published item is not computed, by key pattern (regular expression); the first match wins
NOT_COMPUTED = [
    (r".*national_.*", "Tall for KVP på landsbasis fra en annen kilde (Ohrem Naper 2010), ikke fra studiens data."),
    (r".*(grunnbelop|kvp_stonad).*", "Regelverk (grunnbeløp og stønadssats), ikke et resultat av studien."),
    (r".*(_date|_period|training_period|_interval.*|months_after_training|_months|timepoints|_days|days_count|"
     r"groups_count|frekvens_maal_dager)$",
     "Et faktum om gjennomføringen (dato, periode, varighet eller opplegg) som dataene ikke har en variabel for."),
    (r".*(pilot|gavekort|invited_offices|fn15_).*",
     "En opplysning om gjennomføringen som dataene ikke har en variabel for."),
    (r"rapport_fig9_.*", "Rapporten gir ikke noe tall, bare en beskrivelse («små forskjeller»)."),
]
NOT_COMPUTED_DEFAULT = "Ingen beregning i boken gir dette tallet ennå."


def not_computed_reason(key: str) -> str:
    import re

    return next((why for pat, why in NOT_COMPUTED if re.fullmatch(pat, key)), NOT_COMPUTED_DEFAULT)


@table("tbl-reproduksjon-ikke-beregnet", caption="Publiserte tall som boken ikke beregner, med grunnen",
       chapter="vedlegg-reproduksjon")
def tbl_repro_not_computed(study):
    r = results.reproduction(study)
    d = r[r["status"] == "not-computable"].copy()
    # a suppressed cell, or an estimate these data cannot support, carries its own reason (reproduction.py)
    own = d["computed"].isin([results.SUPPRESSED_TEXT, "kan ikke beregnes"]) & d["note"].astype(str).ne("")
    d["reason"] = d["note"].where(own, d["key"].map(not_computed_reason))
    frame = pd.DataFrame({"Kilde": d["source"].map(source_label), "Hva": d["item"], "Publisert": d["published"], "Grunn": d["reason"]})
    return Table(frame, ["Tallene står i boken slik kilden oppgir dem der teksten trenger dem; de regnes ikke ut av dataene."],
                 data=d)


@provider
def published_counts(study):
    """The article's and the summary's counts of the design, counted from the data (the same counts the
    report's chapter 2 gives under other keys)."""
    off, cw, pa = study.offices, study.caseworkers, study.participants
    k_t = int((off["arm"] == "tiltak").sum())
    k_c = int((off["arm"] == "sammenligning").sum())
    t1, t2 = int(cw["responded_t1"].sum()), int(cw["responded_t2"].sum())
    out = {"artikkel_tekst_kontor_n": n(len(off), "int"), "artikkel_tekst_tiltak_kontor_n": n(k_t, "int"),
           "artikkel_tekst_sammenligning_kontor_n": n(k_c, "int"),
           "artikkel_tekst_t1_veiledere_invited_n": n(len(cw), "int"),
           "artikkel_tekst_t1_veiledere_respondents_n": n(t1, "int"),
           "artikkel_tekst_t1_veiledere_response_rate_pct": n(100 * t1 / max(len(cw), 1), "pct", 0),
           "artikkel_tekst_t2_veiledere_respondents_n": n(t2, "int"),
           "artikkel_tekst_t2_veiledere_response_rate_pct": n(100 * t2 / max(t1, 1), "pct", 0),
           "artikkel_tekst_t1_deltakere_n": n(len(pa), "int"),
           "artikkel_tekst_t2_deltakere_response_rate_pct": n(100 * len(study.participant_t2) / max(len(pa), 1), "pct", 1),
           "rapport_tekst_2_t1_veiledere_nonrespondents_n": n(len(cw) - t1, "int"),
           "artikkel_tekst_register_n": n(int(study.register["participant_id"].nunique()), "int"),
           "kontor_sammenligning_n": n(k_c, "int")}
    if k_t == k_c:
        out["rapport_tekst_0_offices_per_arm_count"] = n(k_t, "int")
    return out


@table("tbl-kodebok", caption="Filene i datapakken (kodeboken i sin helhet står i data/README.md)", chapter="vedlegg-data")
def tbl_kodebok(study):
    rows = []
    for res in load_schema()["resources"]:
        df = study.frames[res["name"]]
        rows.append([f"`{res['path']}`", res["title"], fmt.integer(len(df)), fmt.integer(len(res["schema"]["fields"])),
                     ", ".join(res["schema"]["primaryKey"])])
    return Table(pd.DataFrame(rows, columns=["Fil", "Innhold", "Rader", "Kolonner", "Primærnøkkel"]), [])


@table("tbl-nokkeltall", caption="Studien i tall", chapter="index")
def tbl_nokkeltall(study):
    R = results.compute(study)
    rows = [["NAV-kontor (tiltak / sammenligning)", f"{R['n_kontor']} ({R['n_kontor_tiltak']} / {R['kontor_sammenligning_n']})"],
            ["KVP-veiledere invitert / svarte T1 / svarte T2", f"{R['n_veiledere_invitert']} / {R['n_veiledere_t1']} / {R['n_veiledere_t2']}"],
            ["KVP-deltakere ved T1 / svarte T2", f"{R['n_deltakere']} / {R['n_deltakere_t2']}"],
            ["FE-skjema", R["fe_n_forms"] if "fe_n_forms" in R else "–"]]
    return Table(pd.DataFrame(rows, columns=["", "Antall"]), [])


@table("tbl-hovedfunn", caption="Hovedfunn: effekt slik rapporten beregnet den", chapter="avslutning")
def tbl_hovedfunn(study):
    R = results.compute(study)
    from .common import SCALE_LABELS, SCALES

    rows = [[f"Veiledere: {SCALE_LABELS[s].lower()}", R[f"skala_{s}_ancova"] + " poeng", R[f"skala_{s}_p_ancova"]] for s in SCALES]
    rows.append(["Deltakere: deltidsarbeid ved T2", R["rapport_tab7_diff_deltid_aar_pct"] + " prosentpoeng", R["deltid_p"]])
    rows.append(["Deltakere: husholdningens inntekt ved T2", R["inntekt_diff"], R["rapport_tab8_diff_inntekt_p"]])
    return Table(pd.DataFrame(rows, columns=["Utfall", "Effekt", "p (individnivå)"]),
                 ["Veiledere: ANCOVA på T2 justert for T1. Deltakere: forskjell i andel og i gjennomsnitt. "
                  "Analysene med kontor som klynger står i effektkapitlene."])


def validation_results() -> pd.DataFrame:
    from ..validation import RESULTS

    return pd.read_csv(RESULTS)


#: the Monte Carlo standard error at 5 % the issue asks a decisive validation to reach (percentage points)
TARGET_MCSE_PP = 0.5


def _trials_for(mcse_pp: float, alpha: float = 0.05) -> int:
    """Trials per scenario for a Monte Carlo SE of ``mcse_pp`` percentage points at the level alpha."""
    import math

    return math.ceil(alpha * (1 - alpha) / (mcse_pp / 100) ** 2)


def _verdict(r) -> str:
    if r["holds"]:
        return "holder nivået"
    return "for høy" if r["type1"] > 0.05 else "for lav"


@table("tbl-metodevalidering", caption="Validering av metodene: forkastingsrate uten effekt (nominelt 5 %) med binomisk test, dekning av 95 % konfidensintervall og styrke, i forsøk trukket fra simulatoren med 18 kontor",
       chapter="vedlegg-metodevalidering")
def tbl_metodevalidering(study):
    from .. import words
    from ..validation import ALPHA, METHODS, OUTCOMES

    v = validation_results()
    rows = []
    for r in v.to_dict("records"):
        cov = (f"{fmt.pct(r['coverage'], 1, share=True)} ({fmt.num(r['coverage_mcse'] * 100, 1)})"
               if pd.notna(r["coverage"]) else "–")
        rows.append([OUTCOMES[r["outcome"]], METHODS[r["method"]],
                     f"{fmt.pct(r['type1'], 1, share=True)} ({fmt.integer(r['rejections'])} av {fmt.integer(r['trials'])})",
                     f"{fmt.pvalue(r['binom_p'], prefix=False)} ({fmt.pvalue(r['binom_p_holm'], prefix=False)})",
                     _verdict(r), cov, fmt.pct(r["power"], 0, share=True)])
    frame = pd.DataFrame(rows, columns=["Utfall", "Metode", "Forkastet uten effekt", "Binomisk p (Holm)", "Vurdering",
                                        "Dekning (MCSE)", "Styrke"])
    first = v.iloc[0]
    n0, n1 = int(first["trials"]), int(first["trials_effect"])
    mcse = float(first["type1_mcse"]) * 100
    notes = [f"{fmt.integer(n0)} forsøk uten effekt (frø {fmt.integer(first['seed'])}–{fmt.integer(first['seed'] + n0 - 1)}) og "
             f"{fmt.integer(n1)} med effekt (frø fra {fmt.integer(first['effect_seed'])}) per utfall; kjøretid "
             f"{fmt.num(first['seconds'], 0)} s med {words.number(int(first['jobs']), 'm')} "
             f"{'prosess' if int(first['jobs']) == 1 else 'prosesser'}. Kommando: `{first['command']}`.",
             f"Forkastet uten effekt: andelen p < {fmt.num(ALPHA, 2)} når det ikke er noen effekt. Monte Carlo-standardfeilen ved 5 % er "
             f"√(0,05 · 0,95 / {fmt.integer(n0)}) = {fmt.num(mcse, 1)} prosentpoeng. Binomisk p: eksakt tosidig test av antall "
             f"forkastinger mot 5 %; i parentes Holm-justert over alle {fmt.integer(len(v))} kombinasjoner av metode og utfall, "
             "som bedømmes på de samme simulerte datasettene. «Holder nivået» med mindre Holm-justert p < 0,05.",
             "Dekning: andelen 95 %-intervall som inneholder den sanne effekten, bare fra forsøkene med effekt, med Monte "
             "Carlo-standardfeil √(c(1 − c)/n) i parentes (prosentpoeng). Randomiseringsinferens og wild bootstrap gir p-verdier, ikke intervall. "
             "Styrke: andelen p < 0,05 i forsøkene med effekt."]
    return Table(frame, notes, data=v)


@provider
def validation_numbers(study):
    from .. import words
    from ..results import Num
    from ..validation import METHODS, OUTCOMES

    v = validation_results()
    n0 = int(v["trials"].iloc[0])
    seconds, jobs = float(v["seconds"].iloc[0]), int(v["jobs"].iloc[0])
    need = _trials_for(TARGET_MCSE_PP)
    out = {"val_trials": n(n0, "int"), "val_seconds": n(seconds, "num", 0), "val_jobs": Num(jobs, words.number(jobs)),
           "val_mcse": n(float(v["type1_mcse"].iloc[0]) * 100, "num", 1), "val_mcse_maal": n(TARGET_MCSE_PP, "num", 1),
           "val_trials_needed": n(need, "int"),
           # extrapolated from this run: the wall time grows linearly with the number of trials
           "val_minutes_needed": n(seconds * need / n0 / 60, "num", 0),
           "val_kombinasjoner": n(len(v), "int")}
    if n0 >= need:
        text = (f"For en standardfeil på {fmt.num(TARGET_MCSE_PP, 1)} prosentpoeng trengs minst "
                f"{fmt.integer(need)} forsøk per scenario, og kjøringen har så mange.")
    else:
        text = (f"Det er færre enn de {fmt.integer(need)} forsøkene per scenario som trengs for en standardfeil på "
                f"{fmt.num(TARGET_MCSE_PP, 1)} prosentpoeng; en slik kjøring ville ta omtrent "
                f"{fmt.integer(round(seconds * need / n0 / 60))} minutter med like mange prosesser, regnet ut fra tiden denne "
                "kjøringen brukte. Testen mot 5 % er derfor grovere enn den kunne vært: den oppdager bare store avvik.")
    out["val_presisjon"] = n(text, "text")
    for r in v.itertuples():
        out[f"val_{r.outcome}_{r.method}_type1"] = n(r.type1 * 100, "pct", 1)
        out[f"val_{r.outcome}_{r.method}_power"] = n(r.power * 100, "pct", 0)
        if pd.notna(r.coverage):
            out[f"val_{r.outcome}_{r.method}_coverage"] = n(r.coverage * 100, "pct", 1)
    ok, bad = v[v["holds"]], v[~v["holds"]]

    short = {"deltid": "deltidsarbeid", "faglig_kompetanse": "faglig kompetanse"}

    def names(df, method=True):
        return words.join([f"{METHODS[m].split(' (')[0].lower()} ({short.get(o, o)})" if method else short.get(o, o)
                           for o, m in zip(df["outcome"], df["method"])])

    out["val_holder_antall"] = Num(len(ok), words.of(len(ok), len(v)))
    out["val_holder_ikke"] = n(names(bad), "text")
    # randomisation inference is exact under exchangeable offices: is its rate within one MCSE of at most 5 %?
    ri = v[v["method"] == "randomisering"]
    within = ri["type1"] <= 0.05 + ri["type1_mcse"] + 1e-12
    if within.all():
        text = "For begge utfallene ligger forkastingsraten dens høyst én Monte Carlo-standardfeil over 5 %."
    else:
        over = ri[~within]
        detail = words.join([f"{short.get(r.outcome, r.outcome)}: {fmt.pct(r.type1, 1, share=True)}, binomisk p = "
                             f"{fmt.pvalue(r.binom_p, prefix=False)}, Holm-justert {fmt.pvalue(r.binom_p_holm, prefix=False)}"
                             for r in over.itertuples()])
        text = (("For " + names(ri[within], method=False) + " ligger forkastingsraten dens høyst én Monte "
                 "Carlo-standardfeil over 5 %; for ") if within.any() else "For ") + \
               f"{names(over, method=False)} er den mer enn én standardfeil over 5 % ({detail})."
    out["val_ri_setning"] = n(text, "text")
    return out
