"""Veiledning og verktøybruk: HPMT-veiledninger i 2012 (rapportens tabell 4), bruk av
FE-skjema (tabell 5 og etter-refleksjon, kap. 5.2) og verktøy planlagt i FE-skjemaene
(kap. 5.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, theme, words
from ..data import UTU_INTRODUCED, load_schema
from ..registry import Table, figure, table
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


def tool_labels() -> dict:
    """Tool -> Norwegian label, from the codebook titles («Verktøy: Åpne spørsmål»)."""
    fe = next(r for r in load_schema()["resources"] if r["name"] == "fe_forms")
    out = {}
    for fld in fe["schema"]["fields"]:
        if fld["name"].startswith("tool_"):
            out[fld["name"][5:]] = fld["title"].split(":", 1)[1].strip()
    out["utu"] = "UTU"
    return out


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


def _label_ends(ax, x_end, values: dict, colours: dict, labels: dict, min_gap: float) -> None:
    """Direct labels at the right end of each line, nudged apart vertically."""
    from matplotlib.dates import date2num

    order = sorted(values, key=lambda k: values[k])
    ys, last = {}, -np.inf
    for k in order:
        y = max(values[k], last + min_gap)
        ys[k], last = y, y
    top = ax.get_ylim()[1] - min_gap / 2
    if ys and ys[order[-1]] > top:  # shift down if the stack overflows the top
        shift = ys[order[-1]] - top
        for k in order:
            ys[k] -= shift
    for k in order:
        ax.text(date2num(x_end + pd.Timedelta(days=12)), ys[k], labels[k], va="center", ha="left", fontsize=7.5,
                color=colours[k])


@figure("fig-fe-verktoy",
        caption="Andel FE-skjema per måned der veilederen planla å bruke de ulike verktøyene, "
                "september 2011–april 2013 (rapportens kap. 5.3)",
        alt="Tre linjediagram over hverandre med felles tidsakse fra september 2011 til april 2013 som viser "
            "månedlig andel FE-skjema med hvert verktøy krysset av: samtaleverktøy fra motiverende intervju "
            "(åpne spørsmål, aktiv lytting, speiling, oppsummering og UTU), plan- og strukturverktøy (SMARTE mål, "
            "helhetsmodellen, plan med SMARTE mål og IIMA) og gjennomsnittet av de øvrige verktøyene. Loddrette "
            "linjer markerer at UTU kom inn i verktøylisten i februar 2012 og boostersamlingen i september 2012.",
        chapter="verktoybruk")
def fig_fe_verktoy(study):
    import matplotlib.pyplot as plt
    from matplotlib.dates import date2num, num2date
    from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator

    m = fe_monthly(study)
    booster, booster_days = booster_autumn_2012(study)
    labels = tool_labels()
    rest_n = len(fe_summary(study)["rest_tools"])
    x = m.index.to_timestamp() + pd.Timedelta(days=14)  # mid-month
    panels = [
        ("Samtaleverktøy (motiverende intervju)", MI_TOOLS),
        ("Plan- og strukturverktøy", PLAN_TOOLS),
        (f"Øvrige verktøy (gjennomsnitt av {fmt.integer(rest_n)})", ["rest_mean"]),
    ]
    labels["rest_mean"] = "Gjennomsnitt"
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 1.75),
                             gridspec_kw={"height_ratios": [1.25, 1.0, 0.75]})
    colours = theme.PALETTE
    x_end = x.max()
    for ax, (title, cols) in zip(axes, panels):
        floor = 20.0 if cols == ["rest_mean"] else 40.0
        top = 100 if cols is MI_TOOLS else max(floor, float(np.ceil(m[cols].to_numpy().max() / 10 + 1) * 10))
        ax.set_ylim(0, top)
        cmap = {}
        for i, c in enumerate(cols):
            colour = colours[i] if c != "rest_mean" else "#555555"
            cmap[c] = colour
            ax.plot(x, m[c], color=colour, linewidth=1.6, marker="o", markersize=2.5)
        _label_ends(ax, x_end, {c: float(m[c].iloc[-1]) for c in cols}, cmap, labels, min_gap=top * 0.075)
        ax.set_title(title, loc="left", fontsize=9, fontweight="bold", pad=3)
        ax.yaxis.set_major_locator(MultipleLocator(20 if top > 60 else 10 if top > 20 else 5))
        theme.percent_axis(ax, "y", 0)
        for when in (UTU_INTRODUCED, booster):
            ax.axvline(when, color="#444444", linewidth=0.9, linestyle="--")
        ax.grid(axis="x", visible=False)
    # short labels for the two events, low in the top panel (no line runs there after February 2012)
    ax = axes[0]
    ax.text(UTU_INTRODUCED + pd.Timedelta(days=8), 3, "UTU innført\n(februar 2012)", ha="left", va="bottom", fontsize=7.5)
    ax.text(booster + pd.Timedelta(days=8), 3, f"Boostersamling\n({_booster_words(booster, booster_days, year=True)})",
            ha="left", va="bottom", fontsize=7.5)
    axes[1].set_ylabel("Andel av FE-skjemaene")
    months_nb = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"]
    ticks = [p.to_timestamp() for p in m.index if p.month in (1, 4, 7, 10)]
    axes[-1].xaxis.set_major_locator(FixedLocator(date2num(ticks)))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: f"{months_nb[num2date(v).month - 1]}.\n{num2date(v).year}"))
    axes[-1].set_xlim(m.index.min().to_timestamp() - pd.Timedelta(days=5),
                      m.index.max().to_timestamp() + pd.Timedelta(days=125))
    fig.tight_layout(h_pad=0.6)
    return fig


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


MONTHS_NB = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des"]


def _month_axis(ax, m: pd.DataFrame, every=(1, 4, 7, 10), right_pad_days: int = 20) -> None:
    from matplotlib.dates import date2num, num2date
    from matplotlib.ticker import FixedLocator, FuncFormatter

    ticks = [p.to_timestamp() + pd.Timedelta(days=14) for p in m.index if p.month in every]  # mid-month, as the data
    ax.xaxis.set_major_locator(FixedLocator(date2num(ticks)))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: f"{MONTHS_NB[num2date(v).month - 1]}.\n{num2date(v).year}"))
    ax.set_xlim(m.index.min().to_timestamp() - pd.Timedelta(days=5),
                m.index.max().to_timestamp() + pd.Timedelta(days=right_pad_days))


def _mid(m: pd.DataFrame) -> pd.DatetimeIndex:
    return m.index.to_timestamp() + pd.Timedelta(days=14)


def _of_months(k: int, n: int) -> str:
    """«i alle de 20 månedene», «i ingen av månedene», «i 15 av 20 måneder», «i én av 20 måneder»."""
    if k == 0:
        return "i ingen av månedene"
    if k == n:
        return f"i alle de {fmt.integer(n)} månedene" if n > 2 else "i begge månedene" if n == 2 else "i den ene måneden"
    return f"i {words.number(k)} av {fmt.integer(n)} måneder"


def describe_fe_counts(study) -> str:
    """What fig-fe-antall shows: the months with most and fewest forms, and the mean per month in the three
    months before and from the booster gathering (as the bars it draws)."""
    per = fe_monthly(study)["n_forms"]
    if per.empty:
        return "Det finnes ingen FE-skjema."
    out = [f"Flest skjema kom i {fmt.month(per.idxmax())} ({fmt.integer(per.max())}), færrest i "
           f"{fmt.month(per.idxmin())} ({fmt.integer(per.min())})."]
    start, _days = booster_autumn_2012(study)
    bm = start.to_period("M")
    before = per[(per.index >= bm - 3) & (per.index < bm)]
    after = per[(per.index >= bm) & (per.index < bm + 3)]
    if len(before) and len(after):
        b, a = float(before.mean()), float(after.mean())
        same = fmt.num(b, 0) == fmt.num(a, 0)
        verb = "var like stort" if same else words.change(b, a, up="var større", down="var mindre")
        out.append(f"Snittet per måned {verb} i de tre månedene fra og med boostersamlingen ({fmt.num(a, 0)}) enn i "
                   f"de tre før ({fmt.num(b, 0)})." if not same else
                   f"Snittet per måned var like stort før og etter boostersamlingen ({fmt.num(a, 0)}).")
    return " ".join(out)


@figure("fig-fe-antall",
        caption="Antall FE-skjema per måned, september 2011–april 2013 (rapportens kap. 5.3)",
        alt="Søylediagram med én søyle per måned fra september 2011 til april 2013 som viser antall innsendte "
            "FE-skjema; søylen for måneden med boostersamlingen høsten 2012 har egen farge og en merknad. En loddrett "
            "strek markerer at UTU kom inn i verktøylisten i februar 2012. Hvordan antallet endret seg, står med "
            "tallene i teksten.",
        chapter="verktoybruk", describe=describe_fe_counts)
def fig_fe_antall(study):
    import matplotlib.pyplot as plt
    from matplotlib.dates import date2num

    m = fe_monthly(study)
    start, days = booster_autumn_2012(study)
    fig, ax = plt.subplots(figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 0.85))
    x = _mid(m)
    booster_month = start.to_period("M")
    colours = [theme.PALETTE[1] if p == booster_month else theme.PALETTE[0] for p in m.index]
    ax.bar(x, m["n_forms"], width=24, color=colours)
    top = float(m["n_forms"].max())
    ax.set_ylim(0, top * 1.3)
    ax.axvline(UTU_INTRODUCED, color="#444444", linewidth=0.9, linestyle="--")
    ax.text(UTU_INTRODUCED - pd.Timedelta(days=6), top * 1.27, "UTU innført\n(februar 2012)", ha="right", va="top",
            fontsize=7.5)
    if booster_month in m.index:
        xb = date2num(booster_month.to_timestamp() + pd.Timedelta(days=14))
        yb = float(m.loc[booster_month, "n_forms"])
        ax.annotate(f"Boostersamling\n({_booster_words(start, days, year=True)})", xy=(xb, yb + 2),
                    xytext=(xb, top * 1.1), ha="center", va="bottom", fontsize=7.5, color="#333333",
                    arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.8})
    ax.set_ylabel("Antall FE-skjema")
    ax.grid(axis="x", visible=False)
    _month_axis(ax, m)
    theme.decimal_comma(ax, "y", 0)
    fig.tight_layout()
    return fig


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


#: how many of the most often marked principles get the first colour in fig-fe-prinsipper
TOP_PRINCIPLES = 5


def principle_groups(study) -> dict:
    """principle column -> True for the TOP_PRINCIPLES most often marked (overall share; ties by number)."""
    overall = fe_principles(study).attrs["overall"]
    order = sorted(overall, key=lambda c: (-overall[c], c))
    return {c: i < TOP_PRINCIPLES for i, c in enumerate(order)}


def describe_principles(study) -> str:
    """What fig-fe-prinsipper shows: the principles marked most and least often overall (ties named together)."""
    overall = fe_principles(study).attrs["overall"]
    labels = principle_labels()
    vals = {c: v for c, v in overall.items() if not pd.isna(v)}
    if not vals:
        return "Ingen skjema har prinsippene krysset av."

    def named(v):
        hit = sorted((c for c in vals if round(vals[c], 6) == round(v, 6)), key=lambda c: int(c.split("_")[1]))
        return words.join([f"{int(c.split('_')[1])} («{labels[c][:1].lower() + labels[c][1:]}»)" for c in hit])

    hi, lo = max(vals.values()), min(vals.values())
    if hi == lo:
        return f"Alle prinsippene er krysset av like ofte, i {fmt.pct(hi, 0)} av skjemaene."
    return (f"Oftest krysset av er prinsipp {named(hi)}, i {fmt.pct(hi, 0)} av skjemaene, og sjeldnest prinsipp "
            f"{named(lo)}, i {fmt.pct(lo, 0)}.")


@figure("fig-fe-prinsipper",
        caption="Andel FE-skjema per måned der veilederen krysset av for hvert av de ti HPMT-prinsippene, "
                "september 2011–april 2013, i prinsippenes rekkefølge; samlet andel i parentes og som tynn "
                "vannrett linje, og fargen skiller de fem prinsippene som oftest er krysset av fra de fem "
                "sjeldneste (rapportens kap. 5.3)",
        alt="Ti små linjediagram, ett per prinsipp, i rekkefølge fra prinsipp 1 til 10 (to diagram per rad), med "
            "samme akser: tid fra september 2011 til april 2013 og andel av skjemaene fra 0 til 100 prosent. "
            "Tittelen på hvert diagram har prinsippets nummer, navn og samlede andel. De fem prinsippene som "
            "oftest er krysset av, er tegnet i blått og de fem sjeldneste i oransje, som forklaringen under "
            "diagrammene sier; en tynn vannrett linje viser den samlede andelen og en stiplet loddrett linje "
            "boostersamlingen høsten 2012. Hvilke prinsipp som ligger høyest og lavest, står i teksten.",
        chapter="verktoybruk", describe=describe_principles)
def fig_fe_prinsipper(study):
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator

    pr = fe_principles(study)
    overall = pr.attrs["overall"]
    labels = principle_labels()
    order = sorted(overall, key=lambda c: int(c.split("_")[1]))  # principle 1, 2, …, 10
    top = principle_groups(study)
    colours = {True: theme.PALETTE[0], False: theme.PALETTE[5]}
    start, days = booster_autumn_2012(study)
    rows = -(-len(order) // 2)
    fig, axes = plt.subplots(rows, 2, sharex=True, sharey=True, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 2.2),
                             layout="constrained", squeeze=False)
    x = _mid(pr)
    for ax, c in zip(axes.flat, order):
        colour = colours[top[c]]
        ax.plot(x, pr[c], color=colour, linewidth=1.5, marker="o", markersize=2)
        ax.axhline(overall[c], color=colour, linewidth=0.8, alpha=0.5)
        ax.axvline(start, color="#444444", linewidth=0.8, linestyle="--")
        num = int(c.split("_")[1])
        title = textwrap.fill(f"{num}. {labels[c]} ({fmt.pct(overall[c], 0)})", 46)
        ax.set_title(title, loc="left", fontsize=7.5, fontweight="bold", pad=2)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_locator(FixedLocator([0, 50, 100]))
        theme.percent_axis(ax, "y", 0)
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="x", visible=False)
    for ax in list(axes.flat)[len(order):]:
        ax.set_visible(False)
    _month_axis(axes[-1, 0], pr, every=(1, 7))
    fig.supylabel("Andel av FE-skjemaene", fontsize=9)
    n_top = sum(top.values())
    handles = [Line2D([], [], color=colours[True], lw=1.5, marker="o", markersize=3,
                      label=f"De {words.number(n_top)} prinsippene som oftest er krysset av"),
               Line2D([], [], color=colours[False], lw=1.5, marker="o", markersize=3,
                      label=f"De {words.number(len(order) - n_top)} som sjeldnest er krysset av"),
               Line2D([], [], color="0.4", lw=0.8, alpha=0.6, label="Samlet andel (tallet i parentes)"),
               Line2D([], [], color="#444444", lw=0.8, ls="--",
                      label=f"Boostersamling ({_booster_words(start, days, year=True)})")]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=7.5, handlelength=2.2, columnspacing=1.2)
    return fig


def _published_range(cat: str) -> tuple[float, float]:
    from ..reproduction import published

    pub = published().set_index("key")["value"]
    return float(pub[f"rapport_tekst_5_3_{cat}_min_mean"]), float(pub[f"rapport_tekst_5_3_{cat}_max_mean"])


RATINGS = (("rating_as_planned", "gjennomfort_som_tenkt", "Gjennomført som tenkt"),
           ("rating_goal", "maal_oppnadd", "Målet oppnådd"))


def describe_fe_ratings(study) -> str:
    """What fig-fe-vurderinger shows: in how many months each monthly mean lies inside the report's range."""
    m = fe_monthly(study)
    out = []
    for col, cat, title in RATINGS:
        lo, hi = _published_range(cat)
        v = m[col].dropna()
        inside = int(((v >= lo) & (v <= hi)).sum())
        out.append(f"Månedsgjennomsnittet for «{title.lower()}» ligger {_of_months(inside, len(v))} innenfor "
                   f"rapportens spenn ({fmt.num(lo, 0 if lo == int(lo) else 1)}{fmt.DASH}"
                   f"{fmt.num(hi, 0 if hi == int(hi) else 1)}).")
    return " ".join(out)


@figure("fig-fe-vurderinger",
        caption="Veiledernes vurdering etter møtet (0–10) i FE-skjemaene: månedlig gjennomsnitt for om møtet ble "
                "gjennomført som tenkt og om målet ble oppnådd, med spennet rapporten oppgir (kap. 5.3)",
        alt="To linjediagram over hverandre med felles tidsakse fra september 2011 til april 2013. Øverst månedlig "
            "gjennomsnitt av vurderingen av om møtet ble gjennomført som tenkt, nederst om målet ble oppnådd, begge "
            "på skalaen 0 til 10. Et skyggelagt bånd viser spennet rapporten oppgir for hver vurdering; hvor mange "
            "måneder gjennomsnittet ligger innenfor båndet, står i teksten. En stiplet linje markerer "
            "boostersamlingen høsten 2012.",
        chapter="verktoybruk", describe=describe_fe_ratings)
def fig_fe_vurderinger(study):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MultipleLocator

    m = fe_monthly(study)
    start, _days = booster_autumn_2012(study)
    fig, axes = plt.subplots(2, 1, sharex=True, figsize=(theme.FIG_WIDTH, theme.FIG_HEIGHT * 1.2))
    x = _mid(m)
    for ax, (col, cat, title), colour in zip(axes, RATINGS, (theme.PALETTE[0], theme.PALETTE[2])):
        lo, hi = _published_range(cat)
        ax.axhspan(lo, hi, color="#DDDDDD", zorder=0)
        ax.text(x.min(), hi + 0.06, f"Rapportens spenn: {fmt.num(lo, 0 if lo == int(lo) else 1)}{fmt.DASH}"
                f"{fmt.num(hi, 0 if hi == int(hi) else 1)}", fontsize=7.5, va="bottom", ha="left", color="#444444")
        ax.plot(x, m[col], color=colour, linewidth=1.6, marker="o", markersize=3)
        ax.axvline(start, color="#444444", linewidth=0.9, linestyle="--")
        ax.set_title(title, loc="left", fontsize=9, fontweight="bold", pad=3)
        vals = m[col].dropna()
        # the report's window 6–9,5, widened when a monthly mean lies outside it (never cut a point off)
        ax.set_ylim(max(0.0, min(6.0, float(np.floor(vals.min() - 0.3)) if len(vals) else 6.0)),
                    min(10.0, max(9.5, float(np.ceil(vals.max() + 0.3)) if len(vals) else 9.5)))
        ax.yaxis.set_major_locator(MultipleLocator(1))
        theme.decimal_comma(ax, "y", 0)
        ax.grid(axis="x", visible=False)
    axes[0].text(start + pd.Timedelta(days=6), 0.03, "Boostersamling", fontsize=7.5, va="bottom", ha="left",
                 transform=axes[0].get_xaxis_transform())
    fig.supylabel("Gjennomsnitt (0–10)", fontsize=9)
    _month_axis(axes[-1], m)
    fig.tight_layout(h_pad=0.6)
    return fig


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
        from .. import words

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
