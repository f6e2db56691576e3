"""Opplæringen og samlingene: tidslinjen (rapportens kap. 4.1), opplevd nytte av
samlingene (figur 3) og kompetansebehov før opplæringen (kap. 4.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, theme
from ..registry import Table, figure, table
from ..reproduction import NOTES
from ..results import n, provider
from .common import answer_shares

GATHERINGS = (1, 2, 3, 4, 5)
#: the four basic training gatherings (samling 5 was only for prospective HPMT supervisors)
TRAINING_GATHERINGS = (1, 2, 3, 4)
#: answer codes of «Hvor nyttig var samling k for det daglige arbeidet?»
USEFULNESS = {0: "Helt unyttig", 1: "Delvis unyttig", 2: "Hverken nyttig eller unyttig",
              3: "Delvis nyttig", 4: "Svært nyttig"}
USEFUL_CODES = (3, 4)
#: Okabe–Ito colours, diverging: warm = unyttig, grey = nøytral, blue = nyttig
USEFULNESS_COLOURS = {0: theme.PALETTE[5], 1: theme.PALETTE[1], 2: "#BBBBBB", 3: theme.PALETTE[4], 4: theme.PALETTE[0]}

KIND_LABELS = {"opplaering": "Opplæring", "hpmt_veileder": "HPMT-veilederutdanning", "booster": "Boostersamling",
               "dialog": "Dialogsamling", "ledersamling": "Ledersamling"}
GROUP_LABELS = {"veileder": "Veiledere", "fm_veileder": "FM-veiledere",
                "ledelse_ressurs": "Ledelse/ressurs", "deltaker": "Deltakere"}
GROUP_ORDER = ("veileder", "fm_veileder", "ledelse_ressurs", "deltaker")
AREA_LABELS = {"mote_med_bruker": "Møte med bruker", "systemorientert": "Systemorientert innsats",
               "forvaltning": "Forvaltning, koordinering og pådriverfunksjon"}


# ---------------------------------------------------------------- tidslinje
def timeline(study) -> pd.DataFrame:
    def f(s):
        g = s.gatherings.copy()
        return g.sort_values(["start", "gathering_id"], kind="stable").reset_index(drop=True)
    return study.shared("samlinger_timeline", f)


def _days(x) -> str:
    if pd.isna(x):
        return fmt.MISSING
    return fmt.num(x, 0 if float(x).is_integer() else 1)


@table("tbl-samlinger", caption="Tidslinje for HPMT-opplæringen: samlinger, tidspunkt, varighet og deltakere",
       chapter="samlinger")
def tbl_samlinger(study):
    g = timeline(study)
    frame = pd.DataFrame({
        "Samling": g["title"].map(fmt.md_escape),  # text from the data: shown as text, never as markup
        "Type": g["kind"].map(KIND_LABELS).fillna(g["kind"]),
        "Tidspunkt": [fmt.month(d) for d in g["start"]],
        "Dager": [_days(d) for d in g["days"]],
        "Deltakere": g["audience"].map(fmt.md_escape),
    })
    notes = ["Tidspunkt er måneden samlingen startet. Der rapporten ikke oppgir måned eller dato, er "
             "tidspunktet et anslag (jf. kodeboka for gatherings.csv).",
             f"Dager: varighet i dager; {fmt.MISSING} betyr at varigheten ikke er oppgitt for den enkelte samlingen."]
    return Table(frame, notes, colalign=("left", "left", "left", "right", "left"), data=g)


# ---------------------------------------------------------------- nytte av samlingene (figur 3)
def usefulness(study) -> pd.DataFrame:
    """One row per gathering: n answering, count and share per answer code, share useful."""
    def f(s):
        ht = s.caseworker_hpmt_t2
        rows = []
        for k in GATHERINGS:
            col = f"samling{k}"
            v = ht[col].dropna().astype(int)
            nn = int(len(v))
            row = {"samling": k, "n": nn, "mean": float(v.mean()) if nn else np.nan, **answer_shares(v, USEFULNESS)}
            row["nyttig_pct"] = sum(row[f"pct_{c}"] for c in USEFUL_CODES) if nn else np.nan
            rows.append(row)
        return pd.DataFrame(rows)
    return study.shared("samlinger_usefulness", f)


#: answer codes left of zero (nearest zero first), right of zero (nearest zero first), and in the side panel
NOT_USEFUL_CODES, NEUTRAL_CODE = (1, 0), 2
#: the words under the diverging axis that say what each side of zero counts
LEFT_OF_ZERO, RIGHT_OF_ZERO = "\u2190 unyttig", "nyttig \u2192"


def usefulness_bars(study) -> pd.DataFrame:
    """The segments fig-nytte-samlinger draws, one row per gathering and answer code: ``left`` and ``width``
    in percent of those answering, on the diverging axis (``panel="nytte"``) or in the side panel
    (``panel="noytral"``).  «Unyttig» runs left from 0, «nyttig» right from 0, so the right end of a bar is
    the printed share «delvis eller svært nyttig» and the left end minus the share «unyttig»."""
    u = usefulness(study)
    rows = []
    for r in u.to_dict("records"):
        left = 0.0
        for code in NOT_USEFUL_CODES:
            w = r[f"pct_{code}"]
            rows.append(dict(samling=r["samling"], code=code, panel="nytte", left=left - w, width=w))
            left -= w
        left = 0.0
        for code in USEFUL_CODES:
            w = r[f"pct_{code}"]
            rows.append(dict(samling=r["samling"], code=code, panel="nytte", left=left, width=w))
            left += w
        rows.append(dict(samling=r["samling"], code=NEUTRAL_CODE, panel="noytral", left=0.0, width=r[f"pct_{NEUTRAL_CODE}"]))
    return pd.DataFrame(rows)


def describe_usefulness(u: pd.DataFrame) -> str:
    """What fig-nytte-samlinger shows, from the shares it draws: which gatherings have the highest and the
    lowest share «delvis eller svært nyttig», and where the share «unyttig» is largest."""
    from .. import words

    u = u.dropna(subset=["nyttig_pct"])
    if u.empty:
        return "Ingen veiledere svarte på spørsmålene om samlingene."

    def which(col, best):
        v = u[col].round(6)
        hit = u.loc[v == (v.max() if best else v.min()), "samling"]
        return words.join([f"samling {int(k)}" for k in hit]), float(u[col].max() if best else u[col].min())

    hi, hi_v = which("nyttig_pct", True)
    lo, lo_v = which("nyttig_pct", False)
    if hi_v == lo_v:
        out = [f"Alle samlingene har samme andel delvis eller svært nyttig, {fmt.pct(hi_v, 0)}."]
    else:
        out = [f"Størst andel delvis eller svært nyttig har {hi} ({fmt.pct(hi_v, 0)}), minst {lo} ({fmt.pct(lo_v, 0)})."]
    bad = u["pct_0"] + u["pct_1"]
    if float(bad.max()) == 0:
        out.append("Ingen svarte helt eller delvis unyttig.")
    else:
        k = u.loc[bad.round(6) == round(float(bad.max()), 6), "samling"]
        out.append(f"Andelen helt eller delvis unyttig er størst for {words.join([f'samling {int(x)}' for x in k])} "
                   f"({fmt.pct(float(bad.max()), 0)}).")
    return " ".join(out)


@figure("fig-nytte-samlinger",
        caption="Opplevd nytte av HPMT-samlingene for det daglige arbeidet, veiledere i tiltakskontorene ved T2 "
                "(rapportens figur 3)",
        alt="Liggende, divergerende stablede stolper for samling 1 til 5 med andelen veiledere i hver svarkategori: "
            "helt og delvis unyttig til venstre for null og delvis og svært nyttig til høyre for null, slik at "
            "stolpen ender ved andelen som svarte delvis eller svært nyttig; den andelen står også som tall ved "
            "enden av stolpen. Aksen viser andeler uten fortegn, og teksten under aksen sier hvilken side som er "
            "unyttig og hvilken som er nyttig. Andelen som svarte hverken nyttig eller unyttig står i et eget, "
            "smalt panel til høyre.",
        chapter="samlinger", describe=lambda study: describe_usefulness(usefulness(study)))
def fig_nytte_samlinger(study):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator, FuncFormatter

    u = usefulness(study)
    bars = usefulness_bars(study)
    fig, (ax, axn) = plt.subplots(1, 2, sharey=True, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 1.05),
                                  gridspec_kw={"width_ratios": [5, 1.1], "wspace": 0.06}, layout="constrained")
    y = {k: i for k, i in zip(u["samling"], np.arange(len(u))[::-1])}  # samling 1 on top
    for r in bars.itertuples(index=False):
        target = ax if r.panel == "nytte" else axn
        target.barh(y[r.samling], r.width, left=r.left, height=0.62, color=USEFULNESS_COLOURS[r.code],
                    edgecolor="white", linewidth=0.6)
    useful_end = bars[bars["panel"] == "nytte"].assign(end=lambda d: d["left"] + d["width"]).groupby("samling")["end"].max()
    for r in u.itertuples(index=False):
        ax.text(useful_end[r.samling] + 1.5, y[r.samling], fmt.pct(r.nyttig_pct, 0), va="center", ha="left", fontsize=9)
        axn.text(r.pct_2 + 1.5, y[r.samling], fmt.pct(r.pct_2, 0), va="center", ha="left", fontsize=9)
    ax.axvline(0, color="#333333", linewidth=0.9)
    ax.set_yticks(list(y.values()))
    ax.set_yticklabels([f"Samling {k} (n = {fmt.integer(nn)})" for k, nn in zip(u["samling"], u["n"])])
    not_useful = float((u["pct_0"] + u["pct_1"]).max())
    lo = -max(20.0, float(np.ceil((not_useful + 5) / 20) * 20))
    ax.set_xlim(lo, 112)  # room right of 100 % for the printed share
    ax.xaxis.set_major_locator(FixedLocator(np.arange(lo, 100.1, 20)))
    # shares on both sides of zero are shares, without sign; the words under the axis say which side is which
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.pct(abs(v), 0)))
    # the words above the bars say which side of zero counts what (the ticks show shares without sign)
    ax.text(-1, 1.02, LEFT_OF_ZERO, transform=ax.get_xaxis_transform(), ha="right", va="bottom", fontsize=8.5,
            color=USEFULNESS_COLOURS[0], fontweight="bold")
    ax.text(1, 1.02, RIGHT_OF_ZERO, transform=ax.get_xaxis_transform(), ha="left", va="bottom", fontsize=8.5,
            color=USEFULNESS_COLOURS[4], fontweight="bold")
    ax.set_xlabel("Andel av veilederne som svarte")
    neutral_max = float(u["pct_2"].max()) if u["pct_2"].notna().any() else 0.0
    axn.set_xlim(0, max(30.0, neutral_max * 1.6))
    axn.set_xticks([])
    axn.text(0, 1.02, "hverken\u2013eller", transform=axn.get_xaxis_transform(), ha="left", va="bottom", fontsize=8.5,
             color="#666666", fontweight="bold")
    for a in (ax, axn):
        a.grid(axis="y", visible=False)
        a.spines["left"].set_visible(False)
        a.tick_params(axis="y", length=0)
    axn.grid(axis="x", visible=False)
    axn.spines["bottom"].set_visible(False)
    order = [0, 1, 3, 4, 2]
    handles = [Patch(facecolor=USEFULNESS_COLOURS[c], label=USEFULNESS[c]) for c in order]
    fig.legend(handles=handles, loc="outside upper center", ncol=3, fontsize=8, handlelength=1.2, columnspacing=1.0)
    return fig


# ---------------------------------------------------------------- kompetansebehov (kap. 4.2)
def competence_needs(study) -> pd.DataFrame:
    """Segments per competence-need code (rows) by informant group (columns), with area and wave T1 count."""
    def f(s):
        codes = s.qual_codes[s.qual_codes["family"] == "kompetansebehov"]
        seg = s.qual_segments.merge(codes[["code", "label", "area"]], on="code")
        groups = [g for g in GROUP_ORDER if g in set(seg["informant_role"])]
        counts = pd.crosstab(seg["code"], seg["informant_role"]).reindex(index=codes["code"], columns=groups, fill_value=0)
        out = codes[["code", "label", "area"]].set_index("code").join(counts).fillna(0)
        for g in groups:
            out[g] = out[g].astype(int)
        out["total"] = out[groups].sum(axis=1).astype(int)
        out["t1"] = seg[seg["wave"] == "T1"].groupby("code").size().reindex(out.index, fill_value=0).astype(int)
        out["area_order"] = out["area"].map({a: i for i, a in enumerate(AREA_LABELS)})
        out = out.reset_index().sort_values(["area_order", "total", "code"], ascending=[True, False, True])
        return out.drop(columns="area_order").reset_index(drop=True)
    return study.shared("samlinger_kompetansebehov", f)


def illustrative_excerpts(study) -> dict:
    """One excerpt per area: the first segment (by segment_id) of the area's most frequent code."""
    def f(s):
        cn = competence_needs(s)
        seg = s.qual_segments
        out = {}
        for area, sub in cn.groupby("area", sort=False):
            sub = sub.sort_values(["total", "code"], ascending=[False, True])
            top = sub.iloc[0]
            if top["total"] == 0:
                continue
            first = seg[seg["code"] == top["code"]].sort_values("segment_id").iloc[0]
            out[area] = {"code": top["code"], "segment_id": first["segment_id"], "text": first["text"],
                         "synthetic": bool(first["synthetic"])}
        return out
    return study.shared("samlinger_excerpts", f)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _strip_prefix(label: str) -> str:
    return label.split(":", 1)[1].strip() if ":" in label else label


@table("tbl-kompetansebehov",
       caption="Kompetansebehov før opplæringen etter innsatsområde: antall kodede utdrag per kode og "
               "informantgruppe, med et illustrerende utdrag per innsatsområde",
       chapter="samlinger")
def tbl_kompetansebehov(study):
    cn = competence_needs(study)
    ex = illustrative_excerpts(study)
    groups = [g for g in GROUP_ORDER if g in cn.columns]
    rows = []
    width = len(groups) + 2
    for area, label in AREA_LABELS.items():
        sub = cn[cn["area"] == area]
        if sub.empty:
            continue
        rows.append([f"**{label}**"] + [""] * width)
        for r in sub.itertuples(index=False):
            rows.append([fmt.md_escape(_capitalise(_strip_prefix(r.label)))] + [fmt.integer(getattr(r, g)) for g in groups]
                        + [fmt.integer(r.total), fmt.integer(r.t1)])
        e = ex.get(area)
        if e:
            mark = " (syntetisk parafrase)" if e["synthetic"] else ""
            rows.append([f"*Eksempel:* «{fmt.md_escape(e['text'])}»{mark}"] + [""] * width)
    cols = ["Kompetansebehov"] + [GROUP_LABELS[g] for g in groups] + ["I alt", "Herav T1"]
    frame = pd.DataFrame(rows, columns=cols)
    synthetic = any(e["synthetic"] for e in ex.values())
    notes = ["Antall kodede utdrag (segmenter) fra intervjuer, gruppeintervjuer og observasjoner med koden, etter "
             "informantgruppe: KVP-/HPMT-veiledere, veiledere hos Fylkesmannen (FM) og ledelse, ressursgruppe og "
             "programutviklere. «Herav T1»: utdrag fra intervjuene før opplæringen (T1).",
             "Eksempelet er det første utdraget (etter utdrags-ID) med den hyppigste koden i innsatsområdet."
             + (" I de syntetiske dataene er utdragene syntetiske parafraser, ikke sitater." if synthetic else "")]
    colalign = ("left",) + ("right",) * width
    return Table(frame, notes, colalign=colalign, data=cn)


# ---------------------------------------------------------------- inline numbers
def _catalogue_note(key: str, text: str) -> None:
    NOTES[key] = text


@provider
def samlinger_numbers(study):
    u = usefulness(study).set_index("samling")
    out = {}
    for k, r in u.iterrows():
        out[f"samling{k}_nyttig_pct"] = n(r["nyttig_pct"], "pct", 0)
        out[f"samling{k}_svart_nyttig_pct"] = n(r["pct_4"], "pct", 0)
        out[f"samling{k}_ikke_nyttig_pct"] = n(100 - r["nyttig_pct"], "pct", 0)
        out[f"samling{k}_n"] = n(int(r["n"]), "int")
        out[f"rapport_fig3_tiltak_samling{k}_n"] = n(int(r["n"]), "int")
    out["samling_nyttig_min_pct"] = n(float(u["nyttig_pct"].min()), "pct", 0)
    out["samling_nyttig_max_pct"] = n(float(u["nyttig_pct"].max()), "pct", 0)
    out["samling_nyttig_min_samling"] = n(int(u["nyttig_pct"].idxmin()), "int")
    out["samling_nyttig_max_samling"] = n(int(u["nyttig_pct"].idxmax()), "int")
    basic = u.loc[[k for k in TRAINING_GATHERINGS if k in u.index], "nyttig_pct"]
    out["samling1_4_nyttig_min_pct"] = n(float(basic.min()), "pct", 0)
    out["samling1_4_nyttig_max_pct"] = n(float(basic.max()), "pct", 0)
    # rapport 5.1: «mellom 81 og 97 prosent» for opplæringssamlingene; samling 5 omtales for seg
    out["rapport_tekst_5_1_samlinger_nyttig_min_pct"] = n(float(basic.min()), "pct", 0)
    out["rapport_tekst_5_1_samlinger_nyttig_max_pct"] = n(float(basic.max()), "pct", 0)
    note = ("Regnet over opplæringssamling 1–4; rapporten omtaler samling 5 (bare for kommende HPMT-veiledere) "
            "for seg.")
    _catalogue_note("rapport_tekst_5_1_samlinger_nyttig_min_pct", note)
    _catalogue_note("rapport_tekst_5_1_samlinger_nyttig_max_pct", note)
    g = timeline(study)
    n_training = int((g["kind"] == "opplaering").sum())
    out["samlinger_opplaering_n"] = n(n_training, "int")
    out["samlinger_n"] = n(len(g), "int")
    for key in ("rapport_tekst_0_training_gatherings_count", "artikkel_tekst_samlinger_count"):
        out[key] = n(n_training, "int")
    boost = g[(g["kind"] == "booster") & (g["start"].dt.year == 2012)].sort_values("start")
    if len(boost):
        months = [fmt.month(d).split()[0] for d in boost["start"]]
        words = months[0] if len(months) == 1 else ", ".join(months[:-1]) + " og " + months[-1]
        out["rapport_tekst_7_2_booster_2012_dates"] = n(f"{words} 2012", "text")
        out["samlinger_booster_2012_n"] = n(len(boost), "int")
    return out


# ---------------------------------------------------------------- kodede utdrag: læringstrinn og utfordringer
WAVE_ORDER = ("T1", "underveis", "T2")
WAVE_LABELS = {"T1": "T1", "underveis": "Underveis", "T2": "T2"}
FAMILY_LABELS = {"laeringstrinn": "Læringstrinn", "utfordring_opplaering": "Utfordringer i opplæringen",
                 "utfordring_veiledning": "Utfordringer i HPMT-veiledningen"}
CHALLENGE_FAMILIES = ("utfordring_opplaering", "utfordring_veiledning")


def coded_frequencies(study, family: str) -> pd.DataFrame:
    """Every code of a family (also codes without segments): label, description, stage, and the number of
    coded segments by informant group and by wave, plus the total."""
    def f(s):
        codes = s.qual_codes[s.qual_codes["family"] == family].copy()
        seg = s.qual_segments[s.qual_segments["code"].isin(codes["code"])]
        groups = [g for g in GROUP_ORDER if g in set(s.qual_segments["informant_role"])]
        waves = [w for w in WAVE_ORDER if w in set(s.qual_segments["wave"])]
        by_group = pd.crosstab(seg["code"], seg["informant_role"]).reindex(index=codes["code"], columns=groups,
                                                                           fill_value=0)
        by_wave = pd.crosstab(seg["code"], seg["wave"]).reindex(index=codes["code"], columns=waves, fill_value=0)
        by_wave.columns = [f"wave_{w}" for w in waves]
        out = codes[["code", "label", "description", "stage"]].set_index("code").join(by_group).join(by_wave)
        cols = groups + list(by_wave.columns)
        out[cols] = out[cols].fillna(0).astype(int)
        out["total"] = out[groups].sum(axis=1).astype(int)
        out = out.reset_index()
        if family == "laeringstrinn":
            out = out.sort_values("stage", kind="stable")
        else:
            out = out.sort_values(["total", "code"], ascending=[False, True], kind="stable")
        out = out.reset_index(drop=True)
        out.attrs["groups"], out.attrs["waves"] = groups, waves
        return out
    return study.shared(f"samlinger_freq_{family}", f)


def family_excerpt(study, family: str) -> dict | None:
    """The illustration of a family: the first segment (by segment_id) of the family's most frequent code
    (ties broken by code)."""
    def f(s):
        fr = coded_frequencies(s, family)
        fr = fr.sort_values(["total", "code"], ascending=[False, True], kind="stable")
        if fr.empty or fr.iloc[0]["total"] == 0:
            return None
        code = fr.iloc[0]["code"]
        seg = s.qual_segments[s.qual_segments["code"] == code].sort_values("segment_id").iloc[0]
        return {"code": code, "label": fr.iloc[0]["label"], "segment_id": seg["segment_id"], "text": seg["text"],
                "synthetic": bool(seg["synthetic"]), "informant_role": seg["informant_role"], "wave": seg["wave"]}
    return study.shared(f"samlinger_excerpt_{family}", f)


def _excerpt_row(e: dict | None, width: int) -> list | None:
    if not e:
        return None
    mark = " (syntetisk parafrase)" if e["synthetic"] else ""
    who = GROUP_LABELS.get(e["informant_role"], e["informant_role"]).lower()
    return [f"*Eksempel ({fmt.md_escape(_strip_prefix(e['label']).lower())}; {who}, {WAVE_LABELS.get(e['wave'], e['wave'])}):* "
            f"«{fmt.md_escape(e['text'])}»{mark}"] + [""] * width


def _count_columns(fr: pd.DataFrame) -> tuple[list[str], list[str]]:
    groups, waves = fr.attrs["groups"], fr.attrs["waves"]
    return groups + [f"wave_{w}" for w in waves], [GROUP_LABELS[g] for g in groups] + [WAVE_LABELS[w] for w in waves]


COUNT_NOTE = ("Antall kodede utdrag (segmenter) med koden i intervjuer, gruppeintervjuer og observasjoner, først "
              "etter informantgruppe (veiledere i KVP, veiledere hos Fylkesmannen (FM), ledelse/ressursgruppe), så "
              "etter tidspunkt: T1 før opplæringen, underveis i opplæringen og T2 etter opplæringen. Begge "
              "fordelingene summerer til «I alt».")


def _excerpt_note(synthetic: bool, what: str) -> str:
    return (f"Eksempelet er det første utdraget (etter utdrags-ID) med den hyppigste koden {what}."
            + (" I de syntetiske dataene er utdragene syntetiske parafraser, ikke sitater." if synthetic else ""))


@table("tbl-laeringstrinn",
       caption="Fem trinn i en læringsprosess fra nybegynner til ekspert (rapportens tabell 3), med antall kodede "
               "utdrag om veiledernes læring per trinn etter informantgruppe og tidspunkt",
       chapter="samlinger")
def tbl_laeringstrinn(study):
    fr = coded_frequencies(study, "laeringstrinn")
    cols, heads = _count_columns(fr)
    rows = [[f"{fmt.integer(r['stage'])}. {fmt.md_escape(_capitalise(_strip_prefix(r['label'])))}", fmt.md_escape(r["description"])]
            + [fmt.integer(r[c]) for c in cols] + [fmt.integer(r["total"])] for _, r in fr.iterrows()]
    e = family_excerpt(study, "laeringstrinn")
    frame = pd.DataFrame(rows, columns=["Trinn", "Kjennetegn"] + heads + ["I alt"])
    notes = ["Trinnene og kjennetegnene følger Dreyfus og Dreyfus slik rapporten gjengir dem (kodeboka for "
             "qual_codes.csv). " + COUNT_NOTE]
    ex = _excerpt_row(e, 0)
    if ex:  # under the table, so the long excerpt does not widen the first column
        notes.append(ex[0] + " " + _excerpt_note(bool(e["synthetic"]), "for læringstrinn"))
    return Table(frame, notes, colalign=("left", "left") + ("right",) * (len(cols) + 1), data=fr)


@table("tbl-utfordringer",
       caption="Utfordringer i opplæringsprosessen: antall kodede utdrag per utfordring etter informantgruppe og "
               "tidspunkt, med et illustrerende utdrag for opplæringen og for veiledningen",
       chapter="samlinger")
def tbl_utfordringer(study):
    rows, data, synthetic = [], [], False
    for family in CHALLENGE_FAMILIES:
        fr = coded_frequencies(study, family)
        cols, heads = _count_columns(fr)
        width = len(cols) + 1
        rows.append([f"**{FAMILY_LABELS[family]}**"] + [""] * width)
        for _, r in fr.iterrows():
            rows.append([fmt.md_escape(_capitalise(_strip_prefix(r["label"])))] + [fmt.integer(r[c]) for c in cols]
                        + [fmt.integer(r["total"])])
        e = family_excerpt(study, family)
        ex = _excerpt_row(e, width)
        if ex:
            rows.append(ex)
            synthetic |= e["synthetic"]
        data.append(fr.assign(family=family))
    frame = pd.DataFrame(rows, columns=["Utfordring"] + heads + ["I alt"])
    notes = [COUNT_NOTE, _excerpt_note(synthetic, "i hver gruppe av utfordringer")]
    return Table(frame, notes, colalign=("left",) + ("right",) * (len(frame.columns) - 1),
                 data=pd.concat(data, ignore_index=True))


@provider
def laering_numbers(study):
    out = {}
    lt = coded_frequencies(study, "laeringstrinn")
    out["laeringstrinn_n"] = n(len(lt), "int")
    out["laeringstrinn_utdrag_n"] = n(int(lt["total"].sum()), "int")
    top = lt.sort_values(["total", "stage"], ascending=[False, True]).iloc[0]
    out["laeringstrinn_hyppigst"] = n(_strip_prefix(top["label"]), "text")
    out["laeringstrinn_hyppigst_n"] = n(int(top["total"]), "int")
    low = lt[lt["stage"] <= 2]["total"].sum()
    out["laeringstrinn_1_2_utdrag_n"] = n(int(low), "int")
    out["laeringstrinn_4_5_utdrag_n"] = n(int(lt[lt["stage"] >= 4]["total"].sum()), "int")
    out["laeringstrinn_ekspert_utdrag_n"] = n(int(lt[lt["stage"] == 5]["total"].sum()), "int")
    from .. import words as w

    k = int(lt[lt["stage"] == 5]["total"].sum())
    out["ord_laeringstrinn_ekspert"] = n("ingen gjelder" if k == 0 else
                                         f"bare {w.count(k, 'utdrag', 'utdrag', gender='n')} gjelder", "text")
    for family, short in (("utfordring_opplaering", "opplaering"), ("utfordring_veiledning", "veiledning")):
        fr = coded_frequencies(study, family)
        out[f"utfordring_{short}_koder_n"] = n(len(fr), "int")
        out[f"utfordring_{short}_utdrag_n"] = n(int(fr["total"].sum()), "int")
        out[f"utfordring_{short}_hyppigst"] = n(_strip_prefix(fr.iloc[0]["label"]).lower(), "text")
        out[f"utfordring_{short}_hyppigst_n"] = n(int(fr.iloc[0]["total"]), "int")
        if "veileder" in fr.columns:
            out[f"utfordring_{short}_veileder_n"] = n(int(fr["veileder"].sum()), "int")
    # Figure 3, samling 1: the office means of Table 10 imply at least 36 answers, Figure 3 says n = 35
    cw = study.caseworkers.set_index("caseworker_id")["office_id"]
    s1 = study.caseworker_hpmt_t2.dropna(subset=["samling1"])
    per_office = s1["caseworker_id"].map(cw).value_counts().sort_index()
    NOTES["rapport_fig3_tiltak_samling1_n"] = (
        "Motstrid i rapporten: kontorsnittene for samling 1 i tabell 10 krever minst "
        f"{fmt.integer(int(per_office.sum()))} svar ({' + '.join(fmt.integer(v) for v in per_office)} per kontor), "
        "mens figur 3 oppgir n = 35. Dataene følger tabell 10.")
    return out
