"""Veiledning og verktøybruk: HPMT-veiledninger i 2012 (rapportens tabell 4), bruk av
FE-skjema (tabell 5 og etter-refleksjon, kap. 5.2) og verktøy planlagt i FE-skjemaene
(kap. 5.3): tabellene, tallene figurene tegner og tallene i teksten.  Figurene står i
:mod:`analysis.outputs.verktoy_figurer`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, words
from ..data import load_schema
from ..registry import Table, table
from ..reproduction import NOTES
from ..results import n, provider
from .common import answer_shares

# ---------------------------------------------------------------- HPMT-veiledninger (tabell 4)
SUPERVISION_CATEGORIES = ["0", "1", "2", "3", "4", "5", "6 eller flere"]
SUPERVISION_KEYS = ["0", "1", "2", "3", "4", "5", "6plus"]


def supervisions(study) -> pd.DataFrame:
    """Table 4: answering caseworkers by number of supervisions (value floored; 6+ pooled)."""
    def f(s):
        v = s.caseworker_hpmt_t2["supervisions_2012"].dropna().astype("float64")
        cat = np.minimum(np.floor(v), 6).astype(int)
        counts = cat.value_counts().reindex(range(7), fill_value=0)
        out = pd.DataFrame({"kategori": SUPERVISION_CATEGORIES, "key": SUPERVISION_KEYS, "antall": counts.to_numpy()})
        out["pct"] = out["antall"] / len(v) * 100 if len(v) else np.nan
        out.attrs["n"] = int(len(v))
        out.attrs["mean"] = float(v.mean()) if len(v) else np.nan
        out.attrs["median"] = float(v.median()) if len(v) else np.nan
        return out
    return study.shared("verktoy_supervisions", f)


@table("tbl-veiledninger", caption="Antall HPMT-veiledninger januar til september 2012 (rapportens tabell 4)",
       chapter="verktoybruk")
def tbl_veiledninger(study):
    sv = supervisions(study)
    frame = pd.DataFrame([["Andel veiledere"] + [fmt.pct(p, 0) for p in sv["pct"]],
                          ["Antall veiledere"] + [fmt.integer(k) for k in sv["antall"]]],
                         columns=["Antall veiledninger"] + SUPERVISION_CATEGORIES)
    notes = [f"n = {fmt.integer(sv.attrs['n'])} veiledere i tiltakskontorene som svarte på spørsmålet ved T2 "
             "(september 2012). Svar oppgitt som intervall er kodet til midtpunktet og rundet ned til helt antall."]
    return Table(frame, notes, data=sv)


# ---------------------------------------------------------------- bruk av FE-skjema (tabell 5)
FREQ_CODES = [5, 4, 3, 2, 1]
FREQ_LABELS = {5: "Hyppigere enn 3 av 4 ganger", 4: "Omkring 3 av 4", 3: "Omkring halvparten",
               2: "Omkring 1 av 4", 1: "Sjeldnere enn 1 av 4"}
FREQ_KEYS = {5: "hyppigere_enn_3av4", 4: "omkring_3av4", 3: "omkring_halvparten", 2: "omkring_1av4",
             1: "sjeldnere_enn_1av4"}
FE_USES = {"fe_freq_prep": ("forberedelse", "Forberedelse"), "fe_freq_refl": ("refleksjon", "Etter-refleksjon")}


def fe_use(study) -> pd.DataFrame:
    """Table 5: share of answering caseworkers per frequency, preparation and reflection."""
    def f(s):
        ht = s.caseworker_hpmt_t2
        rows = []
        for col, (key, label) in FE_USES.items():
            v = ht[col].dropna().astype(int)
            rows.append({"bruk": key, "label": label, "n": int(len(v)), **answer_shares(v, FREQ_CODES)})
        return pd.DataFrame(rows)
    return study.shared("verktoy_fe_use", f)


@table("tbl-fe-bruk",
       caption="Hvor ofte veilederne bruker FE-skjemaet til forberedelse og til etter-refleksjon "
               "(rapportens tabell 5 og kap. 5.2), andel av veilederne",
       chapter="verktoybruk")
def tbl_fe_bruk(study):
    fu = fe_use(study)
    rows = [[r["label"]] + [fmt.pct(r[f"pct_{c}"], 0) for c in FREQ_CODES] + [fmt.integer(r["n"])]
            for _, r in fu.iterrows()]
    frame = pd.DataFrame(rows, columns=["Bruk av FE-skjema"] + [FREQ_LABELS[c] for c in FREQ_CODES] + ["n"])
    notes = ["Veiledere i tiltakskontorene ved T2 (september 2012): «Hvor ofte bruker du FE-skjema til "
             "forberedelse / etter-refleksjon?» Andel av dem som svarte; n er antall svar. Rapporten viser bare "
             "raden for forberedelse som tabell; fordelingen for etter-refleksjon er omtalt i teksten."]
    return Table(frame, notes, data=fu)


# ---------------------------------------------------------------- FE-skjema per måned (kap. 5.3)
MI_TOOLS = ["apne_sporsmal", "aktiv_lytting", "speiling", "oppsummering", "utu"]
PLAN_TOOLS = ["smarte_mal", "helhetsmodellen", "plan_smarte_mal", "iima"]
BOOSTER_DATE = pd.Timestamp("2012-09-12")  # boostersamling 12.–13. september 2012 (rapporten kap. 5.3 og 10.1)
FE_FIRST_MONTH, FE_LAST_MONTH = pd.Period("2011-09", "M"), pd.Period("2013-04", "M")


def _tools(fe) -> list[str]:
    return [c[5:] for c in fe.columns if c.startswith("tool_")]


def fe_monthly(study) -> pd.DataFrame:
    """One row per month: number of forms, share (%) planning each tool, mean ratings, comment shares."""
    def f(s):
        fe = s.fe_forms
        tools = _tools(fe)
        month = fe["form_date"].dt.to_period("M")
        g = fe.groupby(month)
        out = g[[f"tool_{t}" for t in tools]].mean().astype("float64") * 100
        out.columns = tools
        rest = [t for t in tools if t not in MI_TOOLS + PLAN_TOOLS]
        out["rest_mean"] = out[rest].mean(axis=1)
        out["n_forms"] = g.size()
        out["rating_as_planned"] = g["rating_as_planned"].mean().astype("float64")
        out["rating_goal"] = g["rating_goal"].mean().astype("float64")
        out["n_rating_as_planned"] = g["rating_as_planned"].count()
        out["n_rating_goal"] = g["rating_goal"].count()
        out.index.name = "month"
        return out
    return study.shared("verktoy_fe_monthly", f)


def fe_summary(study) -> dict:
    def f(s):
        fe = s.fe_forms
        tools = [f"tool_{t}" for t in _tools(fe)]
        principles = [c for c in fe.columns if c.startswith("principle_")]
        m = fe_monthly(s)
        utu_months = m.index[m["utu"] > 0]
        comments = fe["comment_factors"].astype(int) + fe["comment_challenges"].astype(int)
        return {
            "n_forms": len(fe),
            "first_month": fe["form_date"].min().to_period("M"),
            "last_month": fe["form_date"].max().to_period("M"),
            "mean_tools": float(fe[tools].astype(int).sum(axis=1).mean()),
            "mean_principles": float(fe[principles].astype(int).sum(axis=1).mean()),
            "utu_first_month": utu_months.min() if len(utu_months) else None,
            "comment1_pct": float(fe["comment_factors"].astype(float).mean() * 100),
            "comment2_pct": float(fe["comment_challenges"].astype(float).mean() * 100),
            "n_comments": int(comments.sum()),
            "rest_tools": [t for t in _tools(fe) if t not in MI_TOOLS + PLAN_TOOLS],
        }
    return study.shared("verktoy_fe_summary", f)


# ---------------------------------------------------------------- nytte av veiledning og FE-skjema (kap. 5.1–5.2)
USEFUL_CODES = [4, 3, 2, 1, 0]
USEFUL_LABELS = {4: "I stor grad", 3: "I noen grad", 2: "Både og", 1: "I liten grad", 0: "Ikke i det hele tatt"}
USEFUL_ITEMS = {"supervision_useful": ("veiledning", "HPMT-veiledningen"),
                "fe_useful_prep": ("fe_forberedelse", "FE-skjema til forberedelse"),
                "fe_useful_refl": ("fe_refleksjon", "FE-skjema til etter-refleksjon")}


def usefulness_supervision_fe(study) -> pd.DataFrame:
    """Distribution (count and share of those answering) of the three usefulness questions."""
    def f(s):
        ht = s.caseworker_hpmt_t2
        rows = []
        for col, (key, label) in USEFUL_ITEMS.items():
            v = ht[col].dropna().astype(int)
            row = {"item": key, "label": label, "n": int(len(v)), **answer_shares(v, USEFUL_CODES)}
            row["pct_3_4"] = row["pct_3"] + row["pct_4"]
            rows.append(row)
        return pd.DataFrame(rows)
    return study.shared("verktoy_useful", f)


@table("tbl-nytte-veiledning-fe",
       caption="Opplevd nytte av HPMT-veiledningen og av FE-skjemaet til forberedelse og etter-refleksjon, "
               "andel av veilederne i tiltakskontorene ved T2 (rapportens kap. 5.1 og 5.2)",
       chapter="verktoybruk")
def tbl_nytte_veiledning_fe(study):
    u = usefulness_supervision_fe(study)
    rows = [[r["label"]] + [f"{fmt.pct(r[f'pct_{c}'], 0)} ({fmt.integer(r[f'n_{c}'])})" for c in USEFUL_CODES]
            + [fmt.integer(r["n"])] for _, r in u.iterrows()]
    frame = pd.DataFrame(rows, columns=["Nyttig i arbeidet"] + [USEFUL_LABELS[c] for c in USEFUL_CODES] + ["n"])
    notes = ["«I hvilken grad opplever du HPMT-veiledningen / FE-skjemaet som nyttig?» Andel av dem som svarte, "
             "antall i parentes; n er antall svar."]
    return Table(frame, notes, data=u)


# ---------------------------------------------------------------- FE-skjema over tid: antall, prinsipper, vurderinger
def booster_autumn_2012(study) -> tuple[pd.Timestamp, int]:
    """Start and length (days) of the autumn 2012 booster gathering, from gatherings.csv."""
    g = study.gatherings
    b = g[(g["kind"] == "booster") & (g["start"].dt.year == 2012) & (g["start"].dt.month >= 7)].sort_values("start")
    if b.empty:
        return BOOSTER_DATE, 2
    r = b.iloc[0]
    return pd.Timestamp(r["start"]), int(r["days"]) if pd.notna(r["days"]) else 1


def _booster_words(start: pd.Timestamp, days: int, year: bool = False) -> str:
    mon = fmt.month(start).split()[0]
    end = start + pd.Timedelta(days=days - 1)
    body = (f"{start.day}. {mon}" if days <= 1 else f"{start.day}. og {end.day}. {mon}" if days == 2
            else f"{start.day}.{fmt.DASH}{end.day}. {mon}")
    return f"{body} {start.year}" if year else body


def principle_labels() -> dict:
    """principle_01 -> «Være forberedt» (codebook titles)."""
    fe = next(r for r in load_schema()["resources"] if r["name"] == "fe_forms")
    return {fld["name"]: fld["title"].split(":", 1)[1].strip()
            for fld in fe["schema"]["fields"] if fld["name"].startswith("principle_")}


def fe_principles(study) -> pd.DataFrame:
    """Monthly share (%) of forms marking each principle (columns principle_01..10), and the overall share."""
    def f(s):
        fe = s.fe_forms
        cols = [c for c in fe.columns if c.startswith("principle_")]
        month = fe["form_date"].dt.to_period("M")
        out = fe[cols].astype("float64").groupby(month).mean() * 100
        out.index.name = "month"
        out.attrs["overall"] = (fe[cols].astype("float64").mean() * 100).to_dict()
        return out
    return study.shared("verktoy_fe_principles", f)


def _published_range(cat: str) -> tuple[float, float]:
    from ..reproduction import published

    pub = published().set_index("key")["value"]
    return float(pub[f"rapport_tekst_5_3_{cat}_min_mean"]), float(pub[f"rapport_tekst_5_3_{cat}_max_mean"])


RATINGS = (("rating_as_planned", "gjennomfort_som_tenkt", "Gjennomført som tenkt"),
           ("rating_goal", "maal_oppnadd", "Målet oppnådd"))


# ---------------------------------------------------------------- kommentarfeltene
COMMENT_FIELDS = {"comment_factors": ("kommentar1", "Felt 1: viktigste faktorer for utfallet"),
                  "comment_challenges": ("kommentar2", "Felt 2: utfordringer og ønske om veiledning")}


def _half_year(d: pd.Series) -> pd.Series:
    return d.dt.year.astype(str) + "-" + np.where(d.dt.month <= 6, "1", "2")


def _half_label(h: str) -> str:
    y, k = h.split("-")
    return f"{k}. halvår {y}"


def fe_comments(study) -> pd.DataFrame:
    """Share (%) of forms with each comment field filled: overall and per half-year, with the number of forms."""
    def f(s):
        fe = s.fe_forms
        half = _half_year(fe["form_date"])
        halves = sorted(half.unique())
        rows = []
        for col, (key, label) in COMMENT_FIELDS.items():
            v = fe[col].astype("float64")
            row = {"felt": key, "label": label, "alle": float(v.mean() * 100), "n_alle": int(v.sum())}
            for h in halves:
                row[h] = float(v[half == h].mean() * 100)
            rows.append(row)
        out = pd.DataFrame(rows)
        out.attrs["halves"] = halves
        out.attrs["n_forms"] = {"alle": len(fe), **{h: int((half == h).sum()) for h in halves}}
        out.attrs["months"] = {h: (fe.loc[half == h, "form_date"].min(), fe.loc[half == h, "form_date"].max())
                               for h in halves}
        return out
    return study.shared("verktoy_fe_comments", f)


@table("tbl-fe-kommentarer",
       caption="Hvor ofte de to kommentarfeltene i FE-skjemaet er fylt ut: andel av skjemaene samlet og per halvår "
               "(rapportens kap. 5.3)",
       chapter="verktoybruk")
def tbl_fe_kommentarer(study):
    c = fe_comments(study)
    halves = c.attrs["halves"]
    nf = c.attrs["n_forms"]
    rows = [[r["label"]] + [fmt.pct(r[h], 0) for h in halves] + [fmt.pct(r["alle"], 0)] for _, r in c.iterrows()]
    rows.append(["Antall FE-skjema"] + [fmt.integer(nf[h]) for h in halves] + [fmt.integer(nf["alle"])])
    frame = pd.DataFrame(rows, columns=["Kommentarfelt"] + [_half_label(h) for h in halves] + ["I alt"])
    first, last = c.attrs["months"][halves[0]][0], c.attrs["months"][halves[-1]][1]
    notes = [f"Materialet begynner i {fmt.month(first)} og slutter i {fmt.month(last)}, så det første og det siste "
             "halvåret er ufullstendige. "
             "Felt 1: de viktigste faktorene for utfallet av møtet og hva som kan gjøres bedre neste gang. "
             "Felt 2: utfordringer i møtet som veilederen ønsker veiledning på."]
    return Table(frame, notes, data=c)


# ---------------------------------------------------------------- inline numbers
def _share(v: pd.Series, codes) -> float:
    v = v.dropna().astype(int)
    return float(v.isin(list(codes)).mean()) if len(v) else np.nan


@provider
def verktoy_numbers(study):
    out = {}
    # Table 4
    sv = supervisions(study)
    n_sv = sv.attrs["n"]
    for r in sv.itertuples(index=False):
        out[f"rapport_tab4_tiltak_veiledninger_{r.key}_pct"] = n(r.pct, "pct", 0)
        out[f"veiledning_{r.key}_pct"] = n(r.pct, "pct", 0)
    out["rapport_tab4_tiltak_n"] = n(n_sv, "int")
    out["veiledning_n"] = n(n_sv, "int")
    pct = dict(zip(sv["key"], sv["pct"]))
    out["veiledning_6pluss_pct"] = n(pct["6plus"], "pct", 0)
    out["veiledning_under6_pct"] = n(100 - pct["6plus"], "pct", 0)
    out["veiledning_maks2_pct"] = n(pct["0"] + pct["1"] + pct["2"], "pct", 0)
    out["veiledning_mean"] = n(sv.attrs["mean"], "num", 1)
    out["veiledning_median"] = n(sv.attrs["median"], "num", 1)
    # rapport 5.1, verbal shares of Table 4 (ratios 0–1, as the catalogue stores them)
    for key, val in (("rapport_tekst_5_1_tab4_6plus_share", pct["6plus"]),
                     ("rapport_tekst_5_1_tab4_min6_share", pct["6plus"]),
                     ("rapport_tekst_5_1_tab4_under6_share", 100 - pct["6plus"]),
                     ("rapport_tekst_5_1_tab4_max2_share", pct["0"] + pct["1"] + pct["2"])):
        out[key] = _ratio(val)
    out["rapport_tekst_5_1_fn15_ingen_veiledning_before_pct"] = n(pct["0"], "pct", 0)
    # rapport 5.1: perceived usefulness of the supervision (4 = i stor grad ... 1 = i liten grad)
    su = study.caseworker_hpmt_t2["supervision_useful"].dropna().astype(int)
    out["veiledning_nytte_n"] = n(len(su), "int")
    for code, word in ((4, "stor_grad"), (3, "noen_grad"), (2, "bade_og")):
        out[f"rapport_tekst_5_1_veiledning_nyttig_{word}_share"] = _ratio(_share(su, [code]) * 100)
    out["rapport_tekst_5_1_veiledning_nyttig_liten_grad_n"] = n(int((su == 1).sum()), "int")
    # rapport 5.2: usefulness of the FE form for preparation
    up = study.caseworker_hpmt_t2["fe_useful_prep"].dropna().astype(int)
    for code, word in ((4, "stor_grad"), (3, "noen_grad"), (2, "bade_og")):
        out[f"rapport_tekst_5_2_fe_nytte_{word}_share"] = _ratio(_share(up, [code]) * 100)
    out["rapport_tekst_5_2_fe_nytte_ikke_nyttig_n"] = n(int(up.isin([0, 1]).sum()), "int")
    out["rapport_tekst_5_2_fe_nyttig_noen_eller_stor_share"] = _ratio(_share(up, [3, 4]) * 100)
    out["fe_nyttig_forberedelse_pct"] = n(_share(up, [3, 4]) * 100, "pct", 0)
    ur = study.caseworker_hpmt_t2["fe_useful_refl"].dropna().astype(int)
    out["fe_nyttig_refleksjon_pct"] = n(_share(ur, [3, 4]) * 100, "pct", 0)
    # Table 5 and the reflection counterpart
    fu = fe_use(study).set_index("bruk")
    for bruk in fu.index:
        r = fu.loc[bruk]
        for c in FREQ_CODES:
            out[f"fe_{bruk}_{FREQ_KEYS[c]}_pct"] = n(r[f"pct_{c}"], "pct", 0)
        out[f"fe_{bruk}_n"] = n(int(r["n"]), "int")
        out[f"fe_{bruk}_3av4_eller_oftere_pct"] = n(r["pct_5"] + r["pct_4"], "pct", 0)
        out[f"fe_{bruk}_1av4_eller_sjeldnere_pct"] = n(r["pct_2"] + r["pct_1"], "pct", 0)
    prep = fu.loc["forberedelse"]
    for c in FREQ_CODES:
        out[f"rapport_tab5_tiltak_fe_forberedelse_{FREQ_KEYS[c]}_pct"] = n(prep[f"pct_{c}"], "pct", 0)
    out["rapport_tab5_tiltak_n"] = n(int(prep["n"]), "int")
    out["rapport_tekst_5_2_fe_forb_3av4_eller_oftere_share"] = _ratio(prep["pct_5"] + prep["pct_4"])
    out["rapport_tekst_5_2_fe_forb_1av4_eller_sjeldnere_share"] = _ratio(prep["pct_2"] + prep["pct_1"])
    out["rapport_tekst_5_2_fe_forb_halvparten_share"] = _ratio(prep["pct_3"])
    out["rapport_tekst_5_4_fe_sjelden_share"] = _ratio(prep["pct_3"] + prep["pct_2"] + prep["pct_1"])
    refl = fu.loc["refleksjon"]
    out["rapport_tekst_5_2_fe_refl_3av4_eller_oftere_share"] = _ratio(refl["pct_5"] + refl["pct_4"])
    out["rapport_tekst_5_2_fe_refl_halvparten_share"] = _ratio(refl["pct_3"])
    out["rapport_tekst_5_2_fe_refl_1av4_eller_sjeldnere_share"] = _ratio(refl["pct_2"] + refl["pct_1"])
    # FE forms (rapport 5.3)
    fs = fe_summary(study)
    m = fe_monthly(study)
    out["fe_n_forms"] = n(fs["n_forms"], "int")
    out["rapport_tekst_5_3_fe_forms_n"] = n(fs["n_forms"], "int")
    first, last = fmt.month(fs["first_month"]), fmt.month(fs["last_month"])
    out["fe_forste_maned"] = n(first, "text")
    out["fe_siste_maned"] = n(last, "text")
    out["rapport_tekst_5_3_fe_forms_start_date"] = n(first, "text")
    out["rapport_tekst_5_3_fe_forms_end_date"] = n(last, "text")
    out["fe_maneder_n"] = n(len(m), "int")
    out["fe_mean_tools"] = n(fs["mean_tools"], "num", 1)
    out["rapport_tekst_5_3_fe_tools_per_form_mean"] = n(fs["mean_tools"], "num", 1)
    out["fe_mean_principles"] = n(fs["mean_principles"], "num", 1)
    out["rapport_tekst_5_3_fe_principles_per_form_mean"] = n(fs["mean_principles"], "num", 1)
    if fs["utu_first_month"] is not None:
        out["fe_utu_forste_maned"] = n(fmt.month(fs["utu_first_month"]), "text")
        out["rapport_tekst_5_3_utu_first_use_date"] = n(fmt.month(fs["utu_first_month"]), "text")
    for ym, word in (("2012-06", "juni"), ("2012-12", "des")):
        p = pd.Period(ym, "M")
        if p in m.index:
            val = float(m.loc[p, "utu"])
            out[f"fe_utu_{word}_pct"] = n(val, "pct", 0)
            out[f"rapport_tekst_5_3_utu_{ym.replace('-', '_')}_pct"] = n(val, "pct", 0)
    apne = m["apne_sporsmal"]
    out["fe_apne_min_pct"] = n(float(apne.min()), "pct", 0)
    out["fe_apne_max_pct"] = n(float(apne.max()), "pct", 0)
    out["fe_apne_min_maned"] = n(fmt.month(apne.idxmin()), "text")
    out["fe_apne_max_maned"] = n(fmt.month(apne.idxmax()), "text")
    out["rapport_tekst_5_3_fe_apne_sporsmal_min_pct"] = n(float(apne.min()), "pct", 0)
    out["rapport_tekst_5_3_fe_apne_sporsmal_max_pct"] = n(float(apne.max()), "pct", 0)
    for col, key, cat in (("rating_as_planned", "gjennomfort", "gjennomfort_som_tenkt"),
                          ("rating_goal", "maal", "maal_oppnadd")):
        lo, hi = float(m[col].min()), float(m[col].max())
        out[f"fe_{key}_min"] = n(lo, "num", 1)
        out[f"fe_{key}_max"] = n(hi, "num", 1)
        out[f"rapport_tekst_5_3_{cat}_min_mean"] = n(lo, "num", 1)
        out[f"rapport_tekst_5_3_{cat}_max_mean"] = n(hi, "num", 1)
    out["fe_kommentar1_pct"] = n(fs["comment1_pct"], "pct", 0)
    out["fe_kommentar2_pct"] = n(fs["comment2_pct"], "pct", 0)
    out["rapport_tekst_5_3_kommentarfelt1_pct"] = n(fs["comment1_pct"], "pct", 0)
    out["rapport_tekst_5_3_kommentarfelt2_pct"] = n(fs["comment2_pct"], "pct", 0)
    out["fe_kommentarer_n"] = n(fs["n_comments"], "int")
    out["rapport_tekst_5_3_kommentarer_n"] = n(fs["n_comments"], "int")
    for key in ("rapport_tekst_5_3_kommentarfelt1_pct", "rapport_tekst_5_3_kommentarer_n"):
        NOTES[key] = "Rapporten oppgir en nedre grense («over»); det beregnede tallet sammenlignes med grensen."
    NOTES["rapport_tekst_5_3_kommentarfelt2_pct"] = "Rapporten oppgir et omtrentlig tall («omkring»)."
    # usefulness table (tbl-nytte-veiledning-fe)
    uf = usefulness_supervision_fe(study).set_index("item")
    for item in uf.index:
        out[f"nytte_{item}_noen_eller_stor_pct"] = n(uf.loc[item, "pct_3_4"], "pct", 0)
        out[f"nytte_{item}_stor_grad_pct"] = n(uf.loc[item, "pct_4"], "pct", 0)
        out[f"nytte_{item}_n"] = n(int(uf.loc[item, "n"]), "int")
        k = int(round(uf.loc[item, "pct_3_4"] * uf.loc[item, "n"] / 100))
        out[f"ord_nytte_{item}_kvantor"] = n(words.capitalise(words.quantity(k, int(uf.loc[item, "n"]))), "text")
    # forms per month, the booster gathering of autumn 2012 (fig-fe-antall)
    start, days = booster_autumn_2012(study)
    out["booster_2012_host_dato"] = n(_booster_words(start, days, year=True), "text")
    out["rapport_tekst_5_3_booster_date"] = n(_booster_words(start, days), "text")
    per = m["n_forms"]
    bm = start.to_period("M")
    before = per[(per.index >= bm - 3) & (per.index < bm)]
    after = per[(per.index >= bm) & (per.index < bm + 3)]
    out["fe_skjema_per_maned_3_for_booster"] = n(float(before.mean()), "num", 0)
    out["fe_skjema_per_maned_3_fra_booster"] = n(float(after.mean()), "num", 0)
    out["fe_skjema_min_maned"] = n(fmt.month(per.idxmin()), "text")
    out["fe_skjema_min_n"] = n(int(per.min()), "int")
    out["fe_skjema_max_maned"] = n(fmt.month(per.idxmax()), "text")
    out["fe_skjema_max_n"] = n(int(per.max()), "int")
    # principles (fig-fe-prinsipper)
    pr = fe_principles(study)
    overall = pr.attrs["overall"]
    plabels = principle_labels()
    order = sorted(overall, key=lambda c: (-overall[c], c))
    out["fe_prinsipp_topp"] = n(plabels[order[0]].lower(), "text")
    out["fe_prinsipp_topp_pct"] = n(overall[order[0]], "pct", 0)
    out["fe_prinsipp_nr2"] = n(plabels[order[1]].lower(), "text")
    out["fe_prinsipp_nr2_pct"] = n(overall[order[1]], "pct", 0)
    bottom = order[-3:]
    out["fe_prinsipp_bunn3"] = n(", ".join(plabels[c].lower() for c in bottom[:-1]) + " og " + plabels[bottom[-1]].lower(),
                                 "text")
    out["fe_prinsipp_bunn3_min_pct"] = n(min(overall[c] for c in bottom), "pct", 0)
    out["fe_prinsipp_bunn3_max_pct"] = n(max(overall[c] for c in bottom), "pct", 0)
    # ratings: every month inside the report's ranges?
    for col, cat, _t in RATINGS:
        lo, hi = _published_range(cat)
        inside = int(((m[col] >= lo) & (m[col] <= hi)).sum())
        out[f"fe_{cat}_maneder_innenfor_n"] = n(inside, "int")
    from ..reproduction import published

    pub = published().set_index("key")["value"]
    plo, phi = (float(pub[f"rapport_tekst_5_3_fe_apne_sporsmal_{e}_pct"]) for e in ("min", "max"))
    out["fe_apne_maneder_innenfor_n"] = n(int(((apne >= plo) & (apne <= phi)).sum()), "int")
    # comment fields by half-year (tbl-fe-kommentarer)
    cm = fe_comments(study).set_index("felt")
    halves = cm.attrs["halves"]
    for felt in cm.index:
        vals = cm.loc[felt, halves].astype(float)
        out[f"fe_{felt}_halvar_min_pct"] = n(float(vals.min()), "pct", 0)
        out[f"fe_{felt}_halvar_max_pct"] = n(float(vals.max()), "pct", 0)
    for key in [k for k in out if k.endswith("_share")]:
        NOTES[key] = ("Rapporten oppgir andelen i ord (brøk); det beregnede tallet er andelen av dem som svarte, "
                      "vist i prosent.")
    _reproduction_notes(study, out, sv, apne, m)
    return out


def _ratio(pct_value: float):
    """A share stored as a 0–1 ratio (the catalogue's unit for verbal fractions), printed in per cent."""
    from ..results import Num

    return Num(pct_value / 100, fmt.pct(pct_value, 0))


def _reproduction_notes(study, out, sv, apne, m) -> None:
    """Why a published number of chapters 5.1–5.3 differs from the computed one (shown in the appendix)."""
    from ..reproduction import published

    pub = published().set_index("key")["value"]
    n_sv = sv.attrs["n"]
    for key in SUPERVISION_KEYS:
        k = f"rapport_tab4_tiltak_veiledninger_{key}_pct"
        if k not in pub.index or pub[k] is None:
            continue
        p = float(pub[k])
        lo = int(np.floor(p * n_sv / 100))
        NOTES[k] = (f"Motstrid i rapporten: tabell 4 oppgir n = {fmt.integer(n_sv)}, men {fmt.pct(p, 0)} er ikke en "
                    f"mulig andel av {fmt.integer(n_sv)} svar (nærmeste er {fmt.integer(lo)} = "
                    f"{fmt.pct(lo / n_sv * 100, 1)} og {fmt.integer(lo + 1)} = {fmt.pct((lo + 1) / n_sv * 100, 1)}). "
                    "Dataene har det oppgitte antallet svar, fordelt så nær de publiserte andelene som mulig.")
    NOTES["rapport_tekst_5_1_fn15_ingen_veiledning_before_pct"] = (
        "Samme andel som kolonnen 0 i tabell 4, som ikke går opp med det oppgitte antallet svar (se tabell 4).")
    refl = fe_use(study).set_index("bruk").loc["refleksjon"]
    NOTES["rapport_tekst_5_2_fe_refl_1av4_eller_sjeldnere_share"] = (
        f"Ordformulering: «nærmere halvparten» er her {fmt.integer(int(refl['n_2'] + refl['n_1']))} av "
        f"{fmt.integer(int(refl['n']))} ({fmt.pct(refl['pct_2'] + refl['pct_1'], 0)}), like utenfor toleransen på "
        "±7 prosentpoeng rundt 50 %. Fordelingen for etter-refleksjon er ikke tabellert i rapporten, og de tre andelene "
        "i teksten (omkring en tredjedel, en fjerdedel, nærmere halvparten) må summere til 100 % samlet.")
    def span(values: pd.Series, lo_key: str, hi_key: str, decimals: int, unit: str) -> str:
        plo, phi = float(pub[lo_key]), float(pub[hi_key])
        inside = int(((values >= plo) & (values <= phi)).sum())
        f = (lambda v: fmt.pct(v, decimals)) if unit == "pct" else (lambda v: fmt.num(v, decimals))
        return (f"Rapporten oppgir spennet over månedene. I dataene ligger {fmt.integer(inside)} av "
                f"{fmt.integer(len(values))} måneder innenfor det, og det beregnede spennet er {f(values.min())} til "
                f"{f(values.max())}; endepunktene er ikke kalibrert eksakt.")
    lo_k, hi_k = "rapport_tekst_5_3_fe_apne_sporsmal_min_pct", "rapport_tekst_5_3_fe_apne_sporsmal_max_pct"
    for k in (lo_k, hi_k):
        NOTES[k] = span(apne, lo_k, hi_k, 0, "pct")
    for col, cat, _t in RATINGS:
        lo_k, hi_k = f"rapport_tekst_5_3_{cat}_min_mean", f"rapport_tekst_5_3_{cat}_max_mean"
        for k in (lo_k, hi_k):
            NOTES[k] = span(m[col], lo_k, hi_k, 1, "num")
