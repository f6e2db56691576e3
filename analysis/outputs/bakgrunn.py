"""Bakgrunn: the HPMT model (report Figure 1) drawn from ``analysis/hpmt_model.yaml``, the list of
abbreviations from ``analysis/abbreviations.yaml``, and the numbers the chapter's text takes from
both (and from the gatherings in the data).

The two YAML files describe the programme, not the study: nothing in them is measured.  The
figure counts the gatherings of each kind from ``data/gatherings.csv``.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import words
from ..registry import Table, figure, table
from ..results import n, provider

HERE = Path(__file__).resolve().parent.parent
MODEL_PATH = HERE / "hpmt_model.yaml"
ABBREVIATIONS_PATH = HERE / "abbreviations.yaml"
MODEL_KEYS = ("phases", "principles", "areas", "cross_cutting", "supervision", "programme", "fe_form")
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class ModelError(ValueError):
    """A description file the book cannot draw or list from."""


def _read(path: Path):
    from ..data import read_yaml

    try:
        return read_yaml(path)
    except OSError as err:
        raise ModelError(f"Fant ikke {path.name}: {err}") from err
    except Exception as err:  # a YAML syntax error
        raise ModelError(f"{path.name} er ikke gyldig YAML: {err}") from err


def check_model(model) -> list[str]:
    """Every problem with a model description, in Norwegian (empty when it is usable)."""
    if not isinstance(model, dict):
        return ["modellbeskrivelsen må være en YAML-tabell (nøkkel: verdi)"]
    problems = [f"mangler nøkkelen «{k}»" for k in MODEL_KEYS if k not in model]
    if problems:
        return problems
    for key in ("phases", "principles", "areas", "supervision", "programme"):
        if not isinstance(model[key], list) or not model[key]:
            problems.append(f"«{key}» må være en liste med minst ett element")
    if problems:
        return problems
    for i, p in enumerate(model["principles"], 1):
        if not isinstance(p, dict) or not str(p.get("label", "")).strip():
            problems.append(f"prinsipp {i} mangler «label»")
    for i, a in enumerate(model["areas"], 1):
        if not isinstance(a, dict):
            problems.append(f"innsatsområde {i} må være en tabell")
            continue
        for k in ("key", "label", "colour", "tools"):
            if k not in a:
                problems.append(f"innsatsområde {i} mangler «{k}»")
        if "colour" in a and not HEX.match(str(a["colour"])):
            problems.append(f"innsatsområde {i}: fargen «{a['colour']}» er ikke på formen #RRGGBB")
        for j, t in enumerate(a.get("tools") or [], 1):
            if not isinstance(t, dict) or not str(t.get("label", "")).strip():
                problems.append(f"innsatsområde {i}, verktøy {j} mangler «label»")
    levels = [s.get("level") if isinstance(s, dict) else None for s in model["supervision"]]
    if levels != list(range(1, len(levels) + 1)):
        problems.append(f"veiledningsnivåene må være 1, 2, 3 … i rekkefølge, ikke {levels}")
    for i, s in enumerate(model["supervision"], 1):
        if isinstance(s, dict) and not (s.get("giver") and s.get("receiver")):
            problems.append(f"veiledningsnivå {i} mangler «giver» eller «receiver»")
    for i, g in enumerate(model["programme"], 1):
        if not isinstance(g, dict) or not (g.get("kind") and g.get("label")):
            problems.append(f"opplæringsdel {i} mangler «kind» eller «label»")
    return problems


@lru_cache(maxsize=4)
def _model_at(path: Path) -> dict:
    model = _read(path)
    problems = check_model(model)
    if problems:
        raise ModelError(f"Modellbeskrivelsen {path.name} kan ikke brukes:\n- " + "\n- ".join(problems))
    return model


def model(path: Path | None = None) -> dict:
    """The HPMT model description, checked."""
    return _model_at(Path(path or MODEL_PATH))


def check_abbreviations(items) -> list[str]:
    if not isinstance(items, list) or not items:
        return ["forkortelseslisten må være en liste med minst én forkortelse"]
    problems, seen = [], set()
    for i, a in enumerate(items, 1):
        if not isinstance(a, dict) or not str(a.get("term", "")).strip() or not str(a.get("name", "")).strip():
            problems.append(f"forkortelse {i} mangler «term» eller «name»")
            continue
        if a["term"] in seen:
            problems.append(f"forkortelsen «{a['term']}» står to ganger")
        seen.add(a["term"])
    return problems


@lru_cache(maxsize=4)
def _abbreviations_at(path: Path) -> tuple:
    items = _read(path)
    problems = check_abbreviations(items)
    if problems:
        raise ModelError(f"Forkortelseslisten {path.name} kan ikke brukes:\n- " + "\n- ".join(problems))
    return tuple(items)


def abbreviations(path: Path | None = None) -> list[dict]:
    """The abbreviations, sorted as a reader looks them up (alphabetically, case-blind)."""
    return sorted(_abbreviations_at(Path(path or ABBREVIATIONS_PATH)), key=lambda a: str(a["term"]).casefold())


@table("tbl-forkortelser", caption="Forkortelser som brukes i boken", chapter="bakgrunn")
def tbl_forkortelser(study):
    items = abbreviations()
    frame = pd.DataFrame([[a["term"], a["name"], a.get("note", "") or "–"] for a in items],
                         columns=["Forkortelse", "Står for", "Forklaring"])
    return Table(frame, colalign=("left", "left", "left"))


# ---------------------------------------------------------------------------- the model figure

def gathering_counts(study) -> dict[str, int]:
    """Gatherings of each kind in the data (``data/gatherings.csv``), in the model's order."""
    g = study.gatherings["kind"].value_counts()
    return {p["kind"]: int(g.get(p["kind"], 0)) for p in model()["programme"]}


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_on_hyphens=False)) or str(text)


@figure("fig-hpmt-modell",
        caption="HPMT-modellen: NAVs oppfølgingsmodell, de ti metodiske prinsippene, de tre innsatsområdene med "
                "verktøyene, veiledningsstrukturen og opplæringsprogrammet (etter rapportens figur 1)",
        alt="Skjema over HPMT-modellen. Øverst de seks fasene i NAVs oppfølgingsmodell fra bestilling til evaluering. "
            "Under dem et felt med de ti metodiske prinsippene, nummerert. I midten tre fargede bokser for "
            "innsatsområdene møte med bruker, systemorientert innsats og forvaltning, koordinering og pådriverfunksjon, "
            "hver med tilnærming og verktøy, og en rad med verktøy som brukes på tvers. Nederst til venstre de tre "
            "veiledningsnivåene, nederst til høyre samlingene i opplæringsprogrammet med antall av hver type i dataene.",
        chapter="bakgrunn")
def fig_hpmt_modell(study):
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from .. import theme

    m = model()
    counts = gathering_counts(study)
    fig, ax = plt.subplots(figsize=(theme.FIG_WIDTH, theme.FIG_WIDTH * 1.2))
    ax.set_axis_off()
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 120)
    grey, edge, small = "#f2f2f2", "#555555", 6.2

    def box(x, y, w, h, fc=grey, ec=edge, lw=0.8):
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.4,rounding_size=1.2", fc=fc, ec=ec, lw=lw))

    def title(x, y, text, size=8, **kw):
        ax.text(x, y, text, ha=kw.pop("ha", "left"), va="top", fontsize=size, fontweight="bold", **kw)

    # NAVs oppfølgingsmodell: the phases as a row of arrows
    phases = m["phases"]
    title(0, 119.5, "NAVs oppfølgingsmodell: fasene i oppfølgingen")
    w = 100 / len(phases)
    for i, ph in enumerate(phases):
        x = i * w
        ax.add_patch(FancyArrowPatch((x + 0.3, 111.5), (x + w - 0.3, 111.5),
                                     arrowstyle="simple,head_width=14,head_length=4,tail_width=11",
                                     mutation_scale=1.6, fc="#d9d9d9", ec=edge, lw=0.6))
        ax.text(x + w / 2 - 1.2, 111.5, ph.replace("|", "-\n"), ha="center", va="center", fontsize=6.0, linespacing=1.0)

    # the ten principles
    pr = m["principles"]
    box(0.5, 84, 99, 21.5, fc="#fbfbf4")
    title(1.5, 105, f"{words.capitalise(words.number(len(pr), 'n'))} metodiske prinsipper i alt arbeid med brukeren")
    half = (len(pr) + 1) // 2
    for i, p in enumerate(pr):
        col, row = divmod(i, half)
        ax.text(2 + col * 49.5, 100.5 - row * 3.4, f"{i + 1}. {p['label']}", va="top", fontsize=small - 0.2)

    # the three areas with their tools
    areas = m["areas"]
    aw = (100 - 2 * (len(areas) - 1)) / len(areas)
    top, bottom = 80, 43
    for i, a in enumerate(areas):
        x = i * (aw + 2)
        box(x + 0.5, bottom, aw - 1, top - bottom, fc=a["colour"] + "1f", ec=a["colour"], lw=1.2)
        ax.text(x + aw / 2, top - 0.3, _wrap(a["label"], 26), ha="center", va="top", fontsize=7.2, fontweight="bold",
                color=a["colour"])
        ax.text(x + aw / 2, top - 6.8, _wrap(a.get("approach", ""), 32), ha="center", va="top", fontsize=small, style="italic")
        for j, t in enumerate(a["tools"]):
            ax.text(x + 2.5, top - 14 - j * 3.1, "• " + _wrap(t["label"], 32).replace("\n", "\n   "), va="top", fontsize=small)
    cross = m.get("cross_cutting") or []
    if cross:
        box(0.5, 35.5, 99, 4.6)
        ax.text(50, 37.8, "Brukes på tvers: " + words.join([t["label"] for t in cross]), ha="center", va="center",
                fontsize=small + 0.2)

    # supervision structure (left) and the training programme (right)
    sup = m["supervision"]
    box(0.5, 0.5, 41, 30)
    title(1.5, 30.3, "Veiledningsstruktur")
    step = 23 / len(sup)
    for i, s in enumerate(sup):
        ax.text(2, 24.5 - i * step, f"Nivå {s['level']}: {s['giver']}\n→ {s['receiver']}", va="top", fontsize=small)
    prog = m["programme"]
    box(45.5, 0.5, 54, 30)
    title(46.5, 30.3, "Opplæringsprogrammet")
    ax.text(98.5, 29.9, "(i parentes: samlinger i dataene)", ha="right", va="top", fontsize=small - 0.6, style="italic")
    step = 24.5 / len(prog)
    for i, p in enumerate(prog):
        k = counts.get(p["kind"], 0)
        head = f"{p['label']} ({k})" if k else f"{p['label']} (ingen i dataene)"
        ax.text(47, 25.5 - i * step, _wrap(f"{head}: {p.get('what', '')}", 62), va="top", fontsize=small - 0.2)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    return fig


# ---------------------------------------------------------------------------- numbers in the text

def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@provider
def background_numbers(study):
    m = model()
    pr = m["principles"]
    counts = gathering_counts(study)
    out = {
        "bakgrunn_prinsipper_antall": n(words.number(len(pr), "n"), "text"),
        "bakgrunn_prinsipper_liste": n(words.join([f"{i}) {_lower_first(p['label'])}" for i, p in enumerate(pr, 1)]), "text"),
        "bakgrunn_faser_antall": n(words.number(len(m["phases"]), "m"), "text"),
        "bakgrunn_faser_liste": n(words.join([_lower_first(p.replace("|", "")) for p in m["phases"]]), "text"),
        "bakgrunn_omrader_antall": n(words.number(len(m["areas"]), "n"), "text"),
        "bakgrunn_omrader_liste": n(words.join([f"«{_lower_first(a['label'])}»" for a in m["areas"]]), "text"),
        "bakgrunn_niva_antall": n(words.number(len(m["supervision"]), "n"), "text"),
        "bakgrunn_forkortelser_antall": n(len(abbreviations()), "int"),
    }
    nouns = {"opplaering": ("samling", "samlinger"), "hpmt_veileder": ("samling", "samlinger"),
             "booster": ("boostersamling", "boostersamlinger")}
    for kind, (one, many) in nouns.items():
        out[f"bakgrunn_samlinger_{kind}_antall"] = n(words.count(counts.get(kind, 0), one, many, "f"), "text")
    out["bakgrunn_samlinger_i_alt"] = n(words.count(sum(counts.values()), "samling", "samlinger", "f"), "text")
    return out
