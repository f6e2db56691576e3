"""The seeded synthetic HPMT data set.

``simulate(Params())`` draws one trial from a simple multilevel model
(offices → caseworkers/participants) whose parameters are the published
aggregates, and — for the default design (18 offices, scale 1, default effects
and ICCs) — then calibrates the draw so that the analysis reproduces the
published numbers (exact integer counts behind percentages, exact means and
SDs).  Any other parameter set gives a plain draw from the model ("model"
mode), which is what method validation needs: with all effects set to zero the
arms differ only by chance.

Effects are differences between the arms in the T1→T2 change (caseworker
scales, points on 0–4) or in the T2 level (participant outcomes: percentage
points, kroner).  ICCs are intra-office correlations on the latent scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import __version__
from ..data import load_schema
from . import calibrate
from . import targets as T
from .caseworkers import CW_T1, CW_T2, SCALE_ITEMS, _caseworkers, _hpmt_t2, _survey, item_columns
from .forms import BANK, _fe_forms, _gatherings, _qualitative
from .participants import LATENT_SD, _expit, _logit, _participants, _register, _t2
from .tools import ints_with_total

# re-exported: the rest of the package imports these from here
__all__ = ["BANK", "CW_T1", "CW_T2", "DEFAULT_SEED", "EFFECTS", "ICCS", "LATENT_SD", "SCALE_ITEMS", "Params",
           "_expit", "_logit", "item_columns", "simulate", "write_package"]

DEFAULT_SEED = 20110216
def _default_effects() -> dict:
    eff = {s: round((v[2] - v[1]) - (v[4] - v[3]), 3) for s, v in T.SCALES.items()}
    eff.update({
        "heltid": round(T.ACTIVITY_PCT["heltid"][0] - T.ACTIVITY_PCT["heltid"][1], 3),
        "deltid": round(T.ACTIVITY_PCT["deltid"][0] - T.ACTIVITY_PCT["deltid"][1], 3),
        "selvhjulpen": round(T.REGISTER_SELF_SUFFICIENT["2013-05"][0] - T.REGISTER_SELF_SUFFICIENT["2013-05"][1], 3),
        "inntekt": T.INCOME["tiltak"]["mean"] - T.INCOME["sammenligning"]["mean"],
    })
    return eff


EFFECTS = _default_effects()
#: latent-scale intra-office correlations; chosen so that model draws show about the observed
#: ICCs of the calibrated data (part-time work ≈ 0,05, change in professional competence ≈ 0,37)
ICCS = {"veileder": 0.30, "deltaker": 0.15}


@dataclass
class Params:
    seed: int = DEFAULT_SEED
    offices: int = T.N_OFFICES
    scale: float = 1.0
    effects: dict = field(default_factory=dict)
    icc: dict = field(default_factory=dict)
    #: "auto": calibrated when every parameter has its default, else a model draw;
    #: "model": always a model draw (what method validation needs)
    mode: str = "auto"

    def __post_init__(self):
        if self.mode not in ("auto", "model"):
            raise ValueError("modus må være 'auto' eller 'model'")
        unknown = set(self.effects) - set(EFFECTS)
        if unknown:
            raise ValueError(f"ukjent effekt: {', '.join(sorted(unknown))}; kjente effekter: {', '.join(EFFECTS)}")
        unknown = set(self.icc) - set(ICCS)
        if unknown:
            raise ValueError(f"ukjent icc: {', '.join(sorted(unknown))}; kjente: {', '.join(ICCS)}")
        if self.offices < 4 or self.offices % 2:
            raise ValueError("--offices må være et partall og minst 4 (to like store grupper)")
        if self.scale <= 0:
            raise ValueError("--scale må være større enn 0")
        for k, v in self.icc.items():
            if not 0 <= v < 1:
                raise ValueError(f"icc {k} må være minst 0 og mindre enn 1")

    def effect(self, name):
        return self.effects.get(name, EFFECTS[name])

    def icc_of(self, name):
        return self.icc.get(name, ICCS[name])

    @property
    def calibrated(self) -> bool:
        return (self.mode == "auto" and self.offices == T.N_OFFICES and self.scale == 1.0
                and all(self.effect(k) == EFFECTS[k] for k in EFFECTS)
                and all(self.icc_of(k) == ICCS[k] for k in ICCS))

    def describe(self) -> dict:
        return {"seed": self.seed, "offices": self.offices, "scale": self.scale,
                "mode": "calibrated" if self.calibrated else "model",
                "effects": {k: self.effect(k) for k in EFFECTS}, "icc": {k: self.icc_of(k) for k in ICCS}}


# ---------------------------------------------------------------- offices
def _offices(rng, p: Params) -> pd.DataFrame:
    k = p.offices
    ids = np.arange(1, k + 1)
    if p.calibrated or k == T.N_OFFICES:
        arm = np.where(np.isin(ids, T.INTERVENTION_OFFICES), "tiltak", "sammenligning")
    else:
        arm = np.array(["tiltak"] * (k // 2) + ["sammenligning"] * (k // 2))[rng.permutation(k)]
    if p.calibrated:
        recruited = np.array([T.RECRUITED[i] for i in ids])
    else:
        recruited = np.maximum(5, np.rint(rng.gamma(3.0, 34.3 / 3.0, k) * p.scale)).astype(int)
    df = pd.DataFrame({"office_id": ids, "arm": arm, "recruited": recruited})
    size = df["recruited"] / df["recruited"].mean()
    for col, means in (("kvp_participants_2010", T.OFFICE_KVP_2010), ("kvp_completed_2010", T.OFFICE_COMPLETED_2010),
                       ("kvp_in_work_2010", T.OFFICE_IN_WORK_2010)):
        vals = np.zeros(k, dtype=int)
        for a in ("tiltak", "sammenligning"):
            m = (df["arm"] == a).to_numpy()
            base = means[a] * p.scale * (0.5 + 0.5 * size[m].to_numpy()) * rng.lognormal(0, 0.15, m.sum())
            total = int(round(means[a] * p.scale * m.sum()))
            vals[m] = ints_with_total(rng, base * total / base.sum(), total, 0, 10**7)
        df[col] = vals
    share = {2: .25, 4: .28, 5: .29, 9: .84, 10: .41, 13: .55, 16: .17, 17: .33, 18: .52,
             1: .33, 3: .17, 6: .17, 7: .31, 8: .40, 11: .36, 12: .38, 14: .35, 15: .32}
    s = np.array([share.get(i, rng.uniform(0.2, 0.6)) for i in ids]) if p.calibrated else rng.uniform(0.2, 0.6, k)
    df["kvp_target_2011"] = np.maximum(1, np.rint(df["recruited"] / s)).astype(int)
    leader = {2, 4, 13, 17, 18}
    df["manager_at_leader_gathering"] = [
        (i in leader if p.calibrated else bool(rng.random() < 5 / 9)) if a == "tiltak" else None
        for i, a in zip(df["office_id"], df["arm"])]
    return df


# ---------------------------------------------------------------- caseworkers
# ---------------------------------------------------------------- assembly and writing
def _core(rng, p: Params) -> tuple[pd.DataFrame, ...]:
    """Offices, caseworkers, survey, HPMT T2 form, participants and T2, in the generator's RNG order."""
    off = _offices(rng, p)
    cw = _caseworkers(rng, p, off)
    sv = _survey(rng, p, cw)
    ht = _hpmt_t2(rng, p, cw)
    pa = _participants(rng, p, off, cw)
    t2 = _t2(rng, p, pa)
    return off, cw, sv, ht, pa, t2


def simulate_outcomes(p: Params | None = None) -> dict[str, pd.DataFrame]:
    """The frames the method validation analyses (offices, caseworkers and their survey, participants and
    their T2 answers), with the codebook's columns.  The random stream is the one of
    :func:`simulate` up to T2 and stops there (register, FE forms and qualitative data come later),
    so these frames equal simulate()'s for the same parameters, at about half the cost."""
    p = p or Params()
    off, cw, sv, _, pa, t2 = _core(np.random.default_rng(p.seed), p)
    frames = {"offices": off, "caseworkers": cw, "caseworker_survey": sv, "participants": pa, "participant_t2": t2}
    return {r["name"]: frames[r["name"]][[f["name"] for f in r["schema"]["fields"]]]
            for r in load_schema()["resources"] if r["name"] in frames}


def simulate(p: Params | None = None) -> dict[str, pd.DataFrame]:
    """One synthetic trial: every resource of the codebook as a DataFrame."""
    p = p or Params()
    rng = np.random.default_rng(p.seed)
    off, cw, sv, ht, pa, t2 = _core(rng, p)
    rg = _register(rng, p, pa, t2)
    if p.calibrated:  # published findings the draw leaves open, on their own random stream (calibrate.py)
        calibrate.findings(p.seed, cw, sv, t2, {s: item_columns(s) for s in SCALE_ITEMS}, list(T.ACTIVITY_PCT))
    fe = _fe_forms(rng, p)
    src, codes, seg = _qualitative(rng, p)
    frames = {"offices": off, "caseworkers": cw, "caseworker_survey": sv, "caseworker_hpmt_t2": ht, "participants": pa,
              "participant_t2": t2, "register": rg, "fe_forms": fe, "gatherings": _gatherings(),
              "qual_sources": src, "qual_codes": codes, "qual_segments": seg}
    schema = load_schema()
    return {r["name"]: frames[r["name"]][[f["name"] for f in r["schema"]["fields"]]] for r in schema["resources"]}


def _format_column(s: pd.Series, ftype: str) -> pd.Series:
    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
            return ""
        if ftype == "boolean":
            return "true" if bool(v) else "false"
        if ftype == "integer":
            return str(int(v))
        if ftype == "number":
            v = float(v)
            return str(int(v)) if v == int(v) else f"{v:.2f}".rstrip("0")
        if ftype == "date":
            return pd.Timestamp(v).strftime("%Y-%m-%d")
        return str(v)

    return s.map(one).astype(str)


def write_package(frames: dict, out: str | Path, p: Params) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    schema = load_schema()
    for res in schema["resources"]:
        df = frames[res["name"]]
        text = pd.DataFrame({f["name"]: _format_column(df[f["name"]], f["type"]) for f in res["schema"]["fields"]})
        text.to_csv(out / res["path"], index=False, lineterminator="\n", encoding="utf-8")
    descriptor = dict(schema)
    descriptor = {"synthetic": True, **descriptor}
    descriptor["generator"] = {"command": "python -m analysis simulate " + " ".join(_cli_args(p)),
                               "package": f"hpmt-rapport {__version__}", "params": p.describe()}
    with open(out / "datapackage.yaml", "w", encoding="utf-8") as fh:
        fh.write("# Syntetiske data laget av analysis.synth.simulate; se data/README.md.\n")
        yaml.safe_dump(descriptor, fh, allow_unicode=True, sort_keys=False, width=110)
    return out


def _cli_args(p: Params) -> list[str]:
    args = ["--out DIR"]
    if p.seed != DEFAULT_SEED:
        args.append(f"--seed {p.seed}")
    if p.offices != T.N_OFFICES:
        args.append(f"--offices {p.offices}")
    if p.scale != 1.0:
        args.append(f"--scale {p.scale:g}")
    if p.mode != "auto":
        args.append(f"--mode {p.mode}")
    args += [f"--effect {k}={v:g}" for k, v in sorted(p.effects.items())]
    args += [f"--icc {k}={v:g}" for k, v in sorted(p.icc.items())]
    return args
