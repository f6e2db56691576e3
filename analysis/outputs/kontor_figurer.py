"""Figures of the chapter Kontorforskjeller (rapportens kap. 10): implementation per intervention office and
the main effects with one office left out.  The numbers come from :mod:`analysis.outputs.kontor`."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from .. import disclosure, fmt, theme, words
from ..registry import figure
from ..stats.dist import t_ppf
from .kontor import LOO_ALPHA, LOO_EFFECTS, implementation_by_office, implementation_masks, leave_one_out

#: the two measures of fig-implementering-veiledning: column -> (panel title, axis limits or None)
IMPL_PANELS = {"implementation_aims": ("Implementering i tråd\nmed målene (0–4)", (0.0, 4.0)),
               "supervisions_2012": ("HPMT-veiledninger per veileder,\njanuar–september 2012", None)}
#: what a row shows where the table prints «–»
SUPPRESSED_WORD, NO_ANSWER_WORD = "skjermet", "ingen svar"
ALL_OFFICES = "Alle tiltakskontor"


def implementation_points(study) -> pd.DataFrame:
    """What fig-implementering-veiledning draws: one row per office (and the row for all intervention offices)
    and measure, with ``value`` only where the table shows the cell; ``status`` is ``"vist"``,
    ``"skjermet"`` (suppressed by the small-cell rule) or ``"ingen svar"``."""
    im = implementation_by_office(study)
    masks = implementation_masks(study)
    k = disclosure.min_cell("vurderinger")
    rows = []
    for r in im.itertuples(index=False):
        for col in IMPL_PANELS:
            count, mean = int(getattr(r, f"{col}_n")), getattr(r, f"{col}_mean")
            status = ("skjermet" if masks.loc[r.office_id, col] else
                      "ingen svar" if count == 0 or pd.isna(mean) else "vist")
            rows.append(dict(row=f"Kontor {int(r.office_id)}", office_id=int(r.office_id), measure=col, n=count,
                             status=status, value=float(mean) if status == "vist" else np.nan))
    o = im.attrs["overall"]
    for col in IMPL_PANELS:
        count, mean = int(o[f"{col}_n"]), o[f"{col}_mean"]
        status = "skjermet" if count < k else "ingen svar" if pd.isna(mean) else "vist"
        rows.append(dict(row=ALL_OFFICES, office_id=None, measure=col, n=count, status=status,
                         value=float(mean) if status == "vist" else np.nan))
    return pd.DataFrame(rows)


def _part(k: int, n: int, indefinite: str, definite: str, gender: str = "m") -> str:
    """k of n in running text: «ingen av kontorene», «ett av 9 kontor», «to av 9 kontor», «alle de 9 kontorene»."""
    if k == 0:
        return f"ingen av {definite}"
    if k == n:
        return f"alle de {fmt.integer(n)} {definite}" if n > 2 else f"begge {definite}" if n == 2 else f"{definite}"
    return f"{words.number(k, gender)} av {fmt.integer(n)} {indefinite}"


def describe_implementation(pts: pd.DataFrame) -> str:
    """What fig-implementering-veiledning shows: how many offices have each measure shown or suppressed, and
    the values for all intervention offices where they are shown."""
    offices = pts[pts["row"] != ALL_OFFICES]
    n_off = offices["office_id"].nunique()
    both = offices.groupby("office_id")["status"].apply(lambda s: bool((s == "vist").all())).sum()
    out = [f"Begge tallene vises for {_part(int(both), n_off, 'kontor', 'kontorene', 'n')}."]
    for col, what in (("implementation_aims", "vurderingen av implementeringen"),
                      ("supervisions_2012", "antall veiledninger")):
        k = int((offices[(offices["measure"] == col)]["status"] == "skjermet").sum())
        if k:
            out.append(f"For {words.count(k, 'kontor', 'kontor', 'n')} er {what} skjermet.")
    total = pts[(pts["row"] == ALL_OFFICES) & (pts["status"] == "vist")].set_index("measure")["value"]
    if len(total) == len(IMPL_PANELS):
        out.append(f"For alle tiltakskontorene samlet er vurderingen {fmt.num(total['implementation_aims'], 1)} og "
                   f"antallet veiledninger {fmt.num(total['supervisions_2012'], 1)} per veileder.")
    return " ".join(out)


@figure("fig-implementering-veiledning",
        caption="Implementering i tråd med direktoratets målsetninger og antall HPMT-veiledninger i 2012, per tiltakskontor "
                "(gjennomsnitt blant veilederne som svarte)",
        alt="Prikkdiagram i to paneler side om side med én rad per tiltakskontor og en nederste rad for alle "
            "tiltakskontorene: til venstre veiledernes vurdering av implementeringen (0–4), til høyre antall "
            "HPMT-veiledninger per veileder januar–september 2012. Hvert punkt er et gjennomsnitt som også står i "
            "tabellen over. Der tabellen har skjermet en celle etter regelen for små celler, står ordet «skjermet» "
            "i raden i stedet for et punkt, og der ingen svarte, «ingen svar»; skjermede verdier er ikke tegnet.",
        chapter="kontorforskjeller", describe=lambda study: describe_implementation(implementation_points(study)))
def fig_implementering_veiledning(study):
    import matplotlib.pyplot as plt

    pts = implementation_points(study)
    order = list(dict.fromkeys(pts["row"]))  # offices by number, then all offices
    y = {row: i for i, row in enumerate(order[::-1])}
    height = max(theme.FIG_HEIGHT * 0.8, 0.32 * len(order) + 1.3)
    fig, axes = plt.subplots(1, len(IMPL_PANELS), sharey=True, figsize=(theme.FIG_WIDTH, height), layout="constrained")
    colour, total_colour = theme.ARM_COLOURS["tiltak"], "0.15"
    for ax, (col, (title, limits)) in zip(np.atleast_1d(axes), IMPL_PANELS.items()):
        sub = pts[pts["measure"] == col]
        shown = sub[sub["status"] == "vist"]
        if limits is None:
            top = float(shown["value"].max()) if len(shown) else 1.0
            limits = (0.0, max(1.0, float(np.ceil(top))))
        from matplotlib.ticker import MaxNLocator

        lo_, hi_ = limits
        ax.set_xticks([t for t in MaxNLocator(nbins=5, integer=True).tick_values(lo_, hi_) if lo_ <= t <= hi_])
        ax.set_xlim(lo_, hi_ + 0.16 * (hi_ - lo_))  # room right of the largest value for its label
        mid = (limits[0] + limits[1]) / 2
        for r in sub.itertuples(index=False):
            yy = y[r.row]
            if r.status == "vist":
                is_total = r.row == ALL_OFFICES
                ax.scatter([r.value], [yy], s=60 if is_total else 45, color=total_colour if is_total else colour,
                           marker="D" if is_total else "o", zorder=3)
                ax.annotate(fmt.num(r.value, 1), (r.value, yy), xytext=(6, 0), textcoords="offset points",
                            va="center", fontsize=8)
            else:  # a placeholder without a value: the suppressed number is never drawn
                ax.text(mid, yy, f"({r.status})", ha="center", va="center", fontsize=8, color="0.45", style="italic")
        ax.set_title(title, loc="left", fontsize=9)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        theme.decimal_comma(ax, "x", 0)
    first = np.atleast_1d(axes)[0]
    first.set_yticks(list(y.values()), list(y.keys()))
    first.set_ylim(-0.7, len(order) - 0.3)
    for ax in np.atleast_1d(axes):
        ax.axhline(0.5, color="0.6", lw=0.6)  # the row of all offices under a thin line
    hidden = pts["status"].eq("skjermet").sum()
    if hidden:
        fig.supxlabel(textwrap.fill(
            f"«Skjermet»: tallet bygger på færre enn {words.count(disclosure.min_cell('vurderinger'), 'svar', 'svar', 'n')}, "
            "eller ville gjort det mulig å regne ut et slikt tall, og vises ikke (som i tabellen).", 100),
            x=0.01, ha="left", fontsize=7.5, color="0.3")
    return fig


def _unit_text(value, unit) -> str:
    if unit == "skala":
        return fmt.num(value, 2)
    if unit == "pp":
        return f"{fmt.num(value, 1)} pp"
    return fmt.kr(value)


#: characters per line of the list of offices that change an effect
IDS_WIDTH = 20


def describe_leave_one_out(lo: pd.DataFrame) -> str:
    """What fig-utelat-ett-kontor shows: how many main effects are significant with all offices, and for which
    leaving out one office changes the sign or the significance."""
    full = lo[lo["left_out"].isna()].set_index("effect")
    n_eff = len(full)
    sig = int((full["p"] < LOO_ALPHA).sum())
    changed = [e for e in LOO_EFFECTS if (lo.loc[lo["effect"] == e, "sign_flip"] | lo.loc[lo["effect"] == e, "sig_flip"]).any()]
    adjective = "signifikante" if sig > 1 else "signifikant"
    out = [f"Med alle kontorene er {_part(sig, n_eff, 'hovedeffekter', 'hovedeffektene')} {adjective} på 5 %-nivået."]
    if changed:
        names = words.join([LOO_EFFECTS[e][0][:1].lower() + LOO_EFFECTS[e][0][1:] for e in changed])
        out.append(f"Å utelate ett kontor endrer fortegnet eller signifikansen for "
                   f"{words.count(len(changed), 'effekt', 'effekter', 'm')}: {names}.")
    else:
        out.append("Å utelate ett kontor endrer ikke fortegnet eller signifikansen for noen av effektene.")
    return " ".join(out)


@figure("fig-utelat-ett-kontor",
        caption="Hovedeffektene på kontornivå med alle kontorene og med ett og ett kontor utelatt: t-verdi for "
                "forskjellen mellom tiltaks- og sammenligningskontorenes gjennomsnitt",
        alt="Punktdiagram med én rad per hovedeffekt: veiledernes seks skalaer, deltid, heltid, selvhjulpenhet i "
            "registeret og husholdningsinntekt. Et stort punkt viser t-verdien med alle kontorene, små punkter og en "
            "strek viser spennet når ett og ett kontor er utelatt, og stiplede linjer markerer grensen for "
            "signifikans på 5 %-nivået. Utelatelser som endrer fortegnet eller signifikansen er markert med egen "
            "farge, og numrene på de kontorene står i en egen kolonne til høyre; estimatet med alle kontor står i "
            "kolonnen før, i effektens enhet.",
        chapter="kontorforskjeller", describe=lambda study: describe_leave_one_out(leave_one_out(study)))
def fig_utelat_ett_kontor(study):
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    lo = leave_one_out(study)
    effects = list(LOO_EFFECTS)
    n_offices = int(lo["left_out"].notna().sum() // max(len(effects), 1))
    fig = plt.figure(figsize=(theme.FIG_WIDTH, 6.2), layout="constrained")
    gs = fig.add_gridspec(1, 3, width_ratios=[2.7, 0.85, 1.75], wspace=0.02)
    ax = fig.add_subplot(gs[0])
    col_est = fig.add_subplot(gs[1], sharey=ax)
    col_ids = fig.add_subplot(gs[2], sharey=ax)
    flip_colour, base = theme.PALETTE[5], theme.PALETTE[0]
    crit = float(t_ppf(1 - LOO_ALPHA / 2, lo.loc[lo["left_out"].isna(), "df"].iloc[0]))
    for x in (-crit, crit):
        ax.axvline(x, color="0.45", ls="--", lw=1)
    ax.axvline(0, color="0.2", lw=0.8)
    ys = np.arange(len(effects))[::-1]
    for y, eff in zip(ys, effects):
        sub = lo[(lo["effect"] == eff) & lo["left_out"].notna()]
        full = lo[(lo["effect"] == eff) & lo["left_out"].isna()].iloc[0]
        if sub["t"].notna().any():
            ax.hlines(y, sub["t"].min(), sub["t"].max(), color=base, lw=2, alpha=0.35)
        flip = sub["sign_flip"] | sub["sig_flip"]
        ax.scatter(sub.loc[~flip, "t"], np.full((~flip).sum(), y), s=14, color=base, alpha=0.6, zorder=3)
        ax.scatter(sub.loc[flip, "t"], np.full(flip.sum(), y), s=30, color=flip_colour, marker="D", zorder=4)
        ax.scatter([full["t"]], [y], s=70, color="0.1", zorder=5)
        label = _unit_text(full["estimate"], LOO_EFFECTS[eff][1]) + ("*" if full["p"] < LOO_ALPHA else "")
        col_est.text(0.0, y, label, va="center", ha="left", fontsize=9)
        ids = sorted(int(x) for x in sub.loc[flip, "left_out"])
        if ids:
            col_ids.text(0.0, y, textwrap.fill(", ".join(map(str, ids)), IDS_WIDTH), va="center", ha="left",
                         fontsize=8, color=flip_colour, linespacing=1.1)
    ax.set_yticks(ys, [LOO_EFFECTS[e][0] for e in effects])
    ax.set_xlabel("t-verdi, tiltak − sammenligning\n(kontorgjennomsnitt)")
    theme.decimal_comma(ax, "x", 0)
    ax.grid(visible=False)
    ax.set_ylim(-0.7, len(effects) - 0.3)
    for c, head, colour in ((col_est, "Estimat", "0.3"), (col_ids, "Kontor som endrer", flip_colour)):
        c.set_xlim(0, 1)
        c.axis("off")
        c.text(0.0, len(effects) - 0.45, head, fontsize=8, va="bottom", ha="left", color=colour)
    handles = [Line2D([], [], marker="o", ls="", color="0.1", markersize=8,
                      label=f"Alle {words.count(n_offices, 'kontor', 'kontor', 'n')}"),
               Line2D([], [], marker="o", ls="", color=base, alpha=0.6, markersize=5, label="Ett kontor utelatt"),
               Line2D([], [], marker="D", ls="", color=flip_colour, markersize=6,
                      label="Utelatt kontor endrer fortegn eller signifikans"),
               Line2D([], [], ls="--", color="0.45", label="Grense for signifikans (5 %)"),
               Line2D([], [], ls="", label=f"* p{fmt.NBSP}<{fmt.NBSP}0,05 med alle kontor; pp = prosentpoeng")]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=8.5)
    return fig
