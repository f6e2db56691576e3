"""Figures of the chapter Veiledning og verktøybruk (rapportens kap. 5.3): the tools, number, principles
and ratings of the FE forms per month.  The numbers come from :mod:`analysis.outputs.verktoy`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, theme, words
from ..data import UTU_INTRODUCED, load_schema
from ..registry import figure
from .verktoy import (MI_TOOLS, PLAN_TOOLS, RATINGS, _booster_words, _published_range, booster_autumn_2012,
                      fe_monthly, fe_principles, fe_summary, principle_labels)


def tool_labels() -> dict:
    """Tool -> Norwegian label, from the codebook titles («Verktøy: Åpne spørsmål»)."""
    fe = next(r for r in load_schema()["resources"] if r["name"] == "fe_forms")
    out = {}
    for fld in fe["schema"]["fields"]:
        if fld["name"].startswith("tool_"):
            out[fld["name"][5:]] = fld["title"].split(":", 1)[1].strip()
    out["utu"] = "UTU"
    return out


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
