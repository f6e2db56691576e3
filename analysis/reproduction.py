"""The reproduction table: every published number beside the number the book computes.

Published numbers come from ``analysis/published.yaml`` (source, item, the number as
printed, line in the source).  The computed side is the inline number with the same
key.  A computed number *matches* when it prints the same at the published precision.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from .data import read_yaml
from .fmt import num, round_half_up

PUBLISHED = Path(__file__).resolve().parent / "published.yaml"
#: notes on why a computed number cannot equal the published one (filled by the chapters' providers)
NOTES: dict[str, str] = {}
#: explanations for calibration misses, by key pattern (regular expression)
PATTERN_NOTES = [
    (r"rapport_tab13_.*_arbeid_regdata_26m_pct",
     "Kontorandelene i tabell 13 er fordelt slik at armtotalene i figur 13 (mai 2013) stemmer eksakt; med de antatte "
     "kontorstørrelsene (rapporten oppgir bare noen av dem) går det ikke å treffe hver kontorandel samtidig."),
    (r"rapport_tab1_.*siste_arbeidsforhold",
     "Gjennomsnittet gjelder dem med tidligere arbeid; varigheten er avrundet til én desimal per person i dataene, "
     "så gjennomsnittet treffer ikke alltid på andre desimal."),
    (r"rapport_tekst_9_2_fig1[34]_diff_.*_p",
     "Nærmeste mulige: registerandelene (figur 13 og 14) er kalibrert eksakt, og nevnerne er valgt så khikvadrattesten "
     "kommer nærmest mulig rapportens p-verdi; ingen heltallskombinasjon gir alle fire p-verdiene eksakt."),
    (r"(rapport|artikkel)_tab1_sammenligning_veileder_andel_kvinner_pct",
     "73,1 % er ikke k/n for noen k med n = 45 veiledere i sammenligningskontorene (nærmeste: 33/45 = 73,3 %); "
     "tabellens andeler går heller ikke opp med 80 % kvinner av 99 i kap. 2.1. Dataene følger tabellens n."),
    (r"(rapport|artikkel)_tab1_diff_deltaker_innvandrer_sig",
     "Med 56 mot 34 % av 360 og 257 deltakere gir khikvadrattesten p < 0,001 (***); rapporten markerer bare *. "
     "Også testen på kontornivå gir p < 0,001, så rapportens stjerne kan ikke komme fra disse andelene med en vanlig test."),
    (r"rapport_fig[48]_sammenligning_t2_mean",
     "Rapporten beskriver utviklingen med ord, ikke et tall; boken viser gjennomsnittet (jf. figuren) og retningen stemmer."),
    (r"rapport_tekst_5_1_fn15", "Følger av tabell 4, som ikke går opp med n = 36 (se tabell 4)."),
    (r"rapport_tekst_5_3_(fe_apne_sporsmal|maal_oppnadd)",
     "Månedsvariasjonen i FE-skjemaene er simulert innenfor rapportens spenn, men endepunktene er ikke kalibrert eksakt."),
    (r"artikkel_tekst_(top9|bottom9)",
     "Rangeringen av kontorene etter økonomisk selvhjulpenhet følger av kontorandelene i tabell 13, som ikke treffes eksakt."),
]
#: on data that are not synthetic, a difference is not explained by the generator
REAL_NOTE = "Tallet i disse dataene avviker fra det publiserte; avviket er ikke forklart her."
GENERIC_NOTE = ("De syntetiske dataene er ikke kalibrert til akkurat dette tallet, så avviket viser en egenskap ved "
                "generatoren og ikke ved studien.")


@lru_cache(maxsize=1)
def published() -> pd.DataFrame:
    return pd.DataFrame(read_yaml(PUBLISHED))


def _decimals(printed: str) -> int:
    m = re.search(r"[.,](\d+)", printed.replace(" ", "").replace("\u00a0", ""))
    return len(m.group(1)) if m else 0


APPROX = ("omkring", "cirka", "ca.", "rundt", "nærmere", "nesten", "drøyt", "vel ")


def _compare(printed: str, pub_value, computed, unit: str):
    """Does the computed number print as the published one?

    Numbers compare at the published number of decimals.  Verbal statements compare by
    what they say: «over 1000» is any number above 1000, «omkring 15» or «nærmere
    halvparten» allow ±10 % of the value (at least 2 points; ±0,07 for shares).
    """
    if unit == "symbol" or pub_value is None or isinstance(computed, str):
        return str(printed).strip() == str(computed).strip()
    try:
        c = float(computed)
    except (TypeError, ValueError):
        return False
    if c != c or c in (float("inf"), float("-inf")):  # NaN or infinite: no number to compare
        return False
    v = float(pub_value)
    words = str(printed).lower()
    if unit == "ratio" and c > 1 >= v:
        c = c / 100
    if words.startswith(("over", "mer enn", "flere enn")):
        return c > v
    if words.startswith(("under", "færre enn", "mindre enn")):
        return c < v
    if unit == "ratio" or any(w in words for w in APPROX):
        tol = 0.07 if unit == "ratio" else max(2.0, 0.1 * abs(v))
        return abs(c - v) <= tol
    d = _decimals(str(printed))
    return round_half_up(c, d) == round_half_up(v, d)


def published_text(printed, value, unit: str) -> str:
    """The published number as a Norwegian reader reads it: «73.1» in published.yaml (read from an
    English table) prints 73,1, and a verbal value carries its number («to tredjedeler (0,67)»)."""
    text = str(printed).strip()
    if re.fullmatch(r"-?\d+\.\d+", text):
        return text.replace(".", ",").replace("-", "\u2212")
    if value is not None and re.search(r"[a-zæøå]", text.lower()) and unit != "symbol":
        try:
            v = float(value)
        except (TypeError, ValueError):
            return text
        if v == v:
            d = 2 if abs(v) < 10 and v != int(v) else 0
            return f"{text} ({num(v, d)})"
    return text


def reproduction_table(study, R) -> pd.DataFrame:
    pub = published()
    rows = []
    for r in pub.itertuples(index=False):
        # published.yaml's own notes record how each number was read from the source (for
        # maintainers); the reader sees the Norwegian explanation of a difference only.
        note = ""
        if r.key in R and R.num(r.key).unavailable:
            status, computed = "not-computable", R[r.key]
            note = "Kan ikke beregnes med disse dataene (for få kontor eller svar til dette estimatet)."
        elif r.key in R and R.num(r.key).suppressed:
            status, computed = "not-computable", R[r.key]
            note = ("Skjermet etter regelen for små celler: kontortallet bygger på for få personer, eller ville gjort "
                    "det mulig å regne ut et slikt tall, så boken viser det ikke.")
        elif r.key in R:
            comp = R.value(r.key)
            ok = _compare(str(r.published), r.value, comp, r.unit)
            status = "match" if ok else "differs"
            computed = R[r.key]
            extra = NOTES.get(r.key, "")
            if status == "differs" and not extra:
                extra = next((n for pat, n in PATTERN_NOTES if re.fullmatch(pat, r.key)), GENERIC_NOTE)
            if not getattr(study, "synthetic", True):
                # the notes explain the synthetic generator; on other data they would not be true
                extra = REAL_NOTE if status == "differs" else ""
            note = extra
        else:
            status, computed = "not-computable", ""
        rows.append({"source": r.source, "item": r.item, "published": published_text(r.published, r.value, r.unit), "computed": computed,
                     "status": status, "note": note, "key": r.key})
    return pd.DataFrame(rows)
