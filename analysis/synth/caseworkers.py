"""The caseworkers and their survey (T1/T2 scales, the HPMT questions at T2) for the generator
(:mod:`analysis.synth.simulate`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import targets as T
from .tools import choose_exact, count_for_pct, ints_with_total

if TYPE_CHECKING:
    from .simulate import Params

SCALE_ITEMS = {"faglig_kompetanse": ("fk", 6), "veiledning": ("vl", 2), "relasjonell_allianse": ("wai", 12),
               "mote_med_bruker": ("mb", 4), "systemorientert": ("so", 4), "forvaltning": ("fkp", 3)}


def item_columns(scale: str) -> list[str]:
    prefix, n = SCALE_ITEMS[scale]
    return [f"{prefix}{i:02d}" if n >= 10 else f"{prefix}{i}" for i in range(1, n + 1)]


CW_T1 = {2: 5, 4: 6, 5: 8, 9: 5, 10: 8, 13: 9, 16: 3, 17: 7, 18: 3, 1: 4, 3: 2, 6: 5, 7: 2, 8: 7, 11: 6, 12: 7, 14: 6, 15: 6}
CW_T2 = {2: 4, 4: 4, 5: 7, 9: 3, 10: 6, 13: 8, 16: 2, 17: 6, 18: 2, 1: 4, 3: 2, 6: 4, 7: 2, 8: 6, 11: 5, 12: 6, 14: 5, 15: 5}
CW_NONRESP = {13: 1, 8: 1, 12: 1, 1: 1}


def _fit_share(rng, n, pct, decimals=1):
    """Boolean values (with item non-response if needed) whose share prints as pct."""
    for missing in range(0, max(1, n // 5)):
        k = count_for_pct(pct, n - missing, decimals)
        if k is not None:
            vals = np.array([True] * k + [False] * (n - missing - k) + [None] * missing, dtype=object)
            return vals[rng.permutation(n)]
    k = int(round(pct * n / 100))
    return np.array([True] * k + [False] * (n - k), dtype=object)[rng.permutation(n)]


def _fit_mean(rng, n, mean, lo, hi, spread, decimals):
    """Integers in [lo, hi] whose mean prints as ``mean`` at ``decimals`` (item non-response if needed)."""
    from ..fmt import round_half_up

    for missing in range(0, max(1, n // 5)):
        m = n - missing
        for total in sorted(range(int(lo * m), int(hi * m) + 1), key=lambda t: abs(t / m - mean)):
            if round_half_up(total / m, decimals) == round_half_up(mean, decimals):
                vals = ints_with_total(rng, rng.normal(mean, spread, m), total, lo, hi).astype(object)
                return np.concatenate([vals, [None] * missing])[rng.permutation(n)]
            if abs(total / m - mean) > 1:
                break
    return np.clip(np.rint(rng.normal(mean, spread, n)), lo, hi).astype(int).astype(object)


def _caseworkers(rng, p: Params, off: pd.DataFrame) -> pd.DataFrame:
    rows = []
    arm_of = dict(zip(off["office_id"], off["arm"]))
    for oid in off["office_id"]:
        if p.calibrated:
            n1, n2, nr = CW_T1[oid], CW_T2[oid], CW_NONRESP.get(oid, 0)
        else:
            n1 = max(2, int(rng.poisson(5.5 * p.scale)))
            n2 = int(rng.binomial(n1, 0.82))
            nr = int(rng.binomial(n1, 0.04))
        t2 = np.zeros(n1 + nr, dtype=bool)
        t2[rng.choice(n1, n2, replace=False)] = True
        for j in range(n1 + nr):
            rows.append((oid, j < n1, bool(t2[j]) and j < n1))
    df = pd.DataFrame(rows, columns=["office_id", "responded_t1", "responded_t2"])
    df.insert(0, "caseworker_id", [f"V{i:04d}" for i in range(1, len(df) + 1)])
    df["arm"] = df["office_id"].map(arm_of)
    for col in ("gender", "birth_year", "education", "relevant_courses", "similar_experience", "months_in_kvp", "caseload", "hpmt_supervisor"):
        df[col] = None
    for a in ("tiltak", "sammenligning"):
        m = (df["arm"] == a) & df["responded_t1"]
        n = int(m.sum())
        t = T.CW_TABLE1[a]
        women = _fit_share(rng, n, t["women"])
        df.loc[m, "gender"] = [None if w is None else ("kvinne" if w else "mann") for w in women]
        df.loc[m, "birth_year"] = [None if v is None else 2010 - v for v in _fit_mean(rng, n, t["age"], 25, 65, 9, 0)]
        df.loc[m, "education"] = _fit_mean(rng, n, t["education"], 1, 5, 0.4, 2)  # few below 3: 96 % have a degree (rapport 2.1)
        df.loc[m, "relevant_courses"] = _fit_share(rng, n, t["courses"], 0)
        df.loc[m, "similar_experience"] = _fit_share(rng, n, t["experience"], 0)
        df.loc[m, "months_in_kvp"] = _fit_mean(rng, n, t["months"], 1, 40, 7, 0)
        df.loc[m, "caseload"] = _fit_mean(rng, n, t["caseload"], 2, 40, 5, 1)
    tl = (df["arm"] == "tiltak") & df["responded_t1"]
    sup = np.zeros(len(df), dtype=bool)
    for oid, g in df[tl].groupby("office_id"):
        k = min(len(g), 2 if len(g) >= 5 else 1)
        sup[rng.choice(g.index.to_numpy(), k, replace=False)] = True
    df["hpmt_supervisor"] = [bool(s) if t else None for s, t in zip(sup, tl)]
    return df


# ---------------------------------------------------------------- caseworker scales
def _scale_targets(rng, p: Params, cw: pd.DataFrame, scale: str):
    """Office-level T1 and T2 target means (calibrated: Table 13 signs and the 10.2 extremes)."""
    _, t1t, t2t, t1c, t2c = T.SCALES[scale]
    t2t = t1t + (t2c - t1c) + p.effect(scale)
    arm_t = {"tiltak": (t1t, t2t), "sammenligning": (t1c, t2c)}
    offices = sorted(cw["office_id"].unique())
    n1 = cw[cw["responded_t1"]].groupby("office_id").size()
    n2 = cw[cw["responded_t2"]].groupby("office_id").size()
    arm_of = dict(zip(cw["office_id"], cw["arm"]))
    sd_office = np.sqrt(p.icc_of("veileder") / (1 - p.icc_of("veileder"))) * 0.55

    def draw_t1():
        m1 = {o: arm_t[arm_of[o]][0] + rng.normal(0, sd_office) for o in offices}
        for a in arm_t:  # exact arm T1 mean
            os_ = [o for o in offices if arm_of[o] == a]
            w = np.array([n1.get(o, 0) for o in os_], dtype=float)
            shift = arm_t[a][0] - np.dot(w, [m1[o] for o in os_]) / w.sum()
            for o in os_:
                m1[o] += shift
        return m1

    m1 = draw_t1()
    if not p.calibrated:
        d = {o: arm_t[arm_of[o]][1] - arm_t[arm_of[o]][0] + rng.normal(0, sd_office * 0.7) for o in offices}
        return m1, {o: m1[o] + d[o] for o in offices}
    idx = T.SCALE_ORDER.index(scale)
    hi_o, hi_v, lo_o, lo_v = T.EXTREMES[scale]
    def within(o, v):
        sign = T.TABLE13[o][0][idx]
        return (sign == "+" and 0.1 <= v < hi_v - 0.02) or (sign == "-" and lo_v + 0.02 < v <= -0.1) or sign == "0"

    best = None
    for attempt in range(3000):
        if attempt % 20 == 19:
            m1 = draw_t1()
        d = {}
        for o in offices:
            sign = T.TABLE13[o][0][idx]
            d[o] = {"+": rng.uniform(0.12, min(0.7, hi_v)), "-": -rng.uniform(0.12, min(0.4, -lo_v)), "0": 0.0}[sign]
        d[hi_o], d[lo_o] = hi_v, lo_v
        ok = True
        for a in arm_t:
            os_ = [o for o in offices if arm_of[o] == a]
            w = np.array([n2.get(o, 0) for o in os_], dtype=float)
            gap = arm_t[a][1] - np.dot(w, [m1[o] + d[o] for o in os_]) / w.sum()
            done = abs(gap) < 0.012
            for strategy in ("all", "same-sign"):
                if done:
                    break
                want = "+" if gap > 0 else "-"
                free = [o for o in os_ if o not in (hi_o, lo_o) and T.TABLE13[o][0][idx] != "0"
                        and (strategy == "all" or T.TABLE13[o][0][idx] == want)]
                wf = np.array([n2.get(o, 0) for o in free], dtype=float)
                if not free or wf.sum() == 0:
                    continue
                kappa = gap * w.sum() / wf.sum()
                if all(within(o, d[o] + kappa) for o in free):
                    for o in free:
                        d[o] += kappa
                    done = True
            ok = ok and done
        top = T.TOP_INTERVENTION_OFFICES.get(scale)
        if top:  # rapport 10.2 names the three intervention offices with the largest change
            tl = sorted((o for o in offices if arm_of[o] == "tiltak"), key=lambda o: -d[o])[:3]
            ok = ok and set(tl) == set(top) and min(d[o] for o in top) > max(d[o] for o in offices if arm_of[o] == "tiltak" and o not in top) + 0.05
        if ok and all(0.1 <= m1[o] + d[o] <= 3.95 for o in offices):
            best = d
            break
    if best is None:  # another seed than the default: keep the last draw (signs hold, arm means nearly)
        best = d
    return m1, {o: m1[o] + best[o] for o in offices}


def _exact_change(rng, w1, realised, o, change, size2, cols, w1_vals):
    """Pick T1 and T2 item totals for office ``o`` so that its change prints as the published
    extreme (rapport 10.2, two decimals); re-draws the office's T1 answers if needed and
    returns the T2 total."""
    from ..fmt import round_half_up

    mean1, rows1, lat1 = realised[o]
    size1 = lat1.size
    t1_now = int(round(mean1 * size1))
    best = None
    for t1 in range(max(0, t1_now - 4), min(4 * size1, t1_now + 4) + 1):
        for t2 in range(0, 4 * size2 + 1):
            diff = t2 / size2 - t1 / size1
            ok = round_half_up(diff, 2) == round_half_up(change, 2)
            cost = (0 if ok else 10) + abs(t1 - t1_now) + abs(diff - change)
            if best is None or cost < best[0]:
                best = (cost, t1, t2)
    _, t1, t2 = best
    if t1 != t1_now:
        w1_vals[rows1] = ints_with_total(rng, lat1.ravel(), t1, 0, 4).reshape(lat1.shape)
        realised[o] = (t1 / size1, rows1, lat1)
    return t2


def _nudge_ok(waves, cols, o, wave, step, sign, lo_v, hi_v):
    """Would one point up/down in office o at this wave keep its change's sign and extremes?"""
    means = {}
    for wv in ("T1", "T2"):
        block = waves[wv].loc[waves[wv]["office_id"] == o, cols].to_numpy(dtype=float)
        if block.size == 0:
            return False
        means[wv] = (block.sum() + (step if wv == wave else 0)) / block.size
    d = means["T2"] - means["T1"]
    return (0.06 <= d < hi_v - 0.01) if sign == "+" else (lo_v + 0.01 < d <= -0.06)


def _fix_arm_means(rng, waves, cols, scale, cw, protected):
    """Final touch: nudge single answers (in offices whose change has the right sign, never an
    office whose change is quoted) until each arm's total at each wave is the nearest one to
    the target mean."""
    _, t1t, t2t, t1c, t2c = T.SCALES[scale]
    targets = {("tiltak", "T1"): t1t, ("tiltak", "T2"): t2t, ("sammenligning", "T1"): t1c, ("sammenligning", "T2"): t2c}
    arm_of = dict(zip(cw["office_id"], cw["arm"]))
    idx = T.SCALE_ORDER.index(scale)
    hi_v, lo_v = T.EXTREMES[scale][1], T.EXTREMES[scale][3]
    for (arm, wave), target in targets.items():
        w = waves[wave]
        in_arm = w["office_id"].map(arm_of).to_numpy() == arm
        block_all = w.loc[in_arm, cols].to_numpy(dtype=float)
        goal = int(round(target * block_all.size))  # the nearest total the answers can reach
        for _ in range(400):
            total = int(w.loc[in_arm, cols].to_numpy(dtype=float).sum())
            if total == goal:
                break
            step = 1 if total < goal else -1
            # an office whose change keeps its sign and stays inside the quoted extremes after the nudge
            offices = [o for o in pd.unique(w.loc[in_arm, "office_id"]) if o not in protected
                       and T.TABLE13[o][0][idx] != "0" and _nudge_ok(waves, cols, o, wave, step, T.TABLE13[o][0][idx], lo_v, hi_v)]
            if not offices:
                break
            o = offices[rng.integers(len(offices))]
            rows = np.flatnonzero((w["office_id"] == o).to_numpy())
            block = w.iloc[rows][cols].to_numpy()
            cand = np.argwhere(block < 4) if step > 0 else np.argwhere(block > 0)
            if not len(cand):
                continue
            r, c = cand[rng.integers(len(cand))]
            w.iloc[rows[r], w.columns.get_loc(cols[c])] = block[r, c] + step


def _survey(rng, p: Params, cw: pd.DataFrame) -> pd.DataFrame:
    frames = []
    resp = cw[cw["responded_t1"]].reset_index(drop=True)
    person = rng.normal(0, 0.45, len(resp))
    base = pd.DataFrame({"caseworker_id": resp["caseworker_id"], "office_id": resp["office_id"]})
    waves = {"T1": base.copy(), "T2": base[resp["responded_t2"].to_numpy()].copy()}
    waves["T1"]["response_date"] = pd.Timestamp("2011-01-24") + pd.to_timedelta(rng.integers(0, 20, len(waves["T1"])), "D")
    waves["T2"]["response_date"] = pd.Timestamp("2012-09-03") + pd.to_timedelta(rng.integers(0, 35, len(waves["T2"])), "D")
    for scale in T.SCALE_ORDER:
        m1, m2 = _scale_targets(rng, p, cw, scale)
        cols = item_columns(scale)
        item_shift = rng.normal(0, 0.3, len(cols))
        realised = {}
        w1_vals = None
        hi_o, hi_v, lo_o, lo_v = T.EXTREMES[scale]
        extremes = {hi_o: hi_v, lo_o: lo_v} if p.calibrated else {}
        for wave, targets in (("T1", m1), ("T2", m2)):
            w = waves[wave]
            pidx = w.index.to_numpy()
            vals = np.zeros((len(w), len(cols)), dtype=int)
            for o, g in w.groupby("office_id"):
                rows = np.flatnonzero(w["office_id"].to_numpy() == o)
                lat = targets[o] + person[pidx[rows]][:, None] + item_shift[None, :] + rng.normal(0, 0.55, (len(rows), len(cols)))
                # T2: aim at the realised T1 office mean plus the intended change, so small
                # office changes (Table 13's "0") survive the integer rounding
                goal = realised[o][0] + (m2[o] - m1[o]) if wave == "T2" and o in realised else targets[o]
                total = int(round(goal * lat.size))
                if wave == "T2" and p.calibrated and o in extremes and o in realised:
                    total = _exact_change(rng, waves["T1"], realised, o, extremes[o], lat.size, cols, w1_vals)
                vals[rows] = ints_with_total(rng, lat.ravel(), min(max(total, 0), 4 * lat.size), 0, 4).reshape(lat.shape)
                if wave == "T1":
                    realised[o] = (vals[rows].mean(), rows, lat)
            if wave == "T1":
                w1_vals = vals
            for j, c in enumerate(cols):
                w[c] = vals[:, j]
            if wave == "T2" and w1_vals is not None:  # T1 totals of extreme offices may have been re-drawn
                for j, c in enumerate(cols):
                    waves["T1"][c] = w1_vals[:, j]
        if p.calibrated:
            _fix_arm_means(rng, waves, cols, scale, cw, set(extremes))
    for wave, w in waves.items():
        w = w.drop(columns="office_id")
        w.insert(1, "wave", wave)
        frames.append(w)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- T2 HPMT questions (tiltak)
T10_N = {2: 4, 4: 3, 5: 7, 9: 3, 10: 6, 13: 7, 16: 1, 17: 4, 18: 1}
T11_N = {2: 4, 4: 4, 5: 7, 9: 2, 10: 1, 13: 8, 16: 2, 17: 6, 18: 2}  # prints the overall 2,78
T12_N = {2: 4, 4: 3, 5: 7, 9: 3, 10: 5, 13: 4, 16: 2, 17: 6, 18: 2}
# Table 4 cannot be met with n=36 (see the reproduction appendix); these counts are the
# largest-remainder reading of the printed percentages for n=36.
T4_COUNTS = [6, 2, 4, 4, 4, 6, 10]
T5_COUNTS = [6, 7, 12, 7, 3]  # codes 1..5 (sjeldnere .. hyppigere); Table 5, n=35
REFL_COUNTS = [8, 7, 9, 8, 3]  # rapport 5.2 prose: ~1/2 rarely, 1/4 half, ~1/3 often
SUP_USEFUL = {4: 16, 3: 11, 2: 7, 1: 2}  # rapport 5.1 prose
FE_USEFUL_PREP = {4: 13, 3: 17, 2: 4, 0: 1}  # rapport 5.2 prose
FE_USEFUL_REFL = {4: 11, 3: 16, 2: 6, 1: 1, 0: 1}  # assumed, a little below preparation


def _exact_values(rng, n, mean, lo, hi, spread, half=False):
    scale = 2 if half else 1
    total = int(round(mean * n * scale))
    vals = ints_with_total(rng, rng.normal(mean * scale, spread * scale, n), total, lo * scale, hi * scale)
    return vals / scale


def _spread_counts(rng, counts: dict, n: int):
    vals = np.concatenate([[k] * v for k, v in counts.items()]).astype(object)
    vals = vals[:n] if len(vals) >= n else np.concatenate([vals, [None] * (n - len(vals))])
    return vals[rng.permutation(n)]


def _hpmt_t2(rng, p: Params, cw: pd.DataFrame) -> pd.DataFrame:
    df = cw[(cw["arm"] == "tiltak") & cw["responded_t2"]][["caseworker_id", "office_id", "hpmt_supervisor"]].reset_index(drop=True)
    n = len(df)
    for c in ("samling1", "samling2", "samling3", "samling4", "samling5", "supervisions_2012", "implementation_aims"):
        df[c] = None
    if p.calibrated:
        for table, ns, col, hi, half in ((T.TABLE10, T10_N, "samling1", 4, False), (T.TABLE11, T11_N, "implementation_aims", 4, False),
                                         (T.TABLE12, T12_N, "supervisions_2012", 30, True)):
            for o, mean in table.items():
                rows = df.index[df["office_id"] == o].to_numpy()[: ns[o]]
                df.loc[rows, col] = _exact_values(rng, ns[o], mean, 0, hi, 1.0 if hi == 4 else 3.0, half=half and o == 5)
        _match_histogram(rng, df, "supervisions_2012", T4_COUNTS)
    else:
        off_eff = {o: rng.normal(0, 0.4) for o in df["office_id"].unique()}
        oe = df["office_id"].map(off_eff).to_numpy()
        df["samling1"] = np.clip(np.rint(3.4 + 0.5 * oe + rng.normal(0, 0.7, n)), 0, 4).astype(int)
        df["implementation_aims"] = np.clip(np.rint(2.7 + 2 * oe + rng.normal(0, 0.8, n)), 0, 4).astype(int)
        df["supervisions_2012"] = np.maximum(0, np.rint(4 + 6 * oe + rng.normal(0, 2, n)))
    # gatherings 2-5: response counts from Figure 3; samling 5 only for HPMT supervisors and a few more
    for g, mean in ((2, 3.45), (3, 3.4), (4, 3.3), (5, 3.0)):
        k = min(n, T.GATHERING_N[g] if p.calibrated else int(round(n * T.GATHERING_N[g] / 36)))
        pref = df["hpmt_supervisor"].fillna(False).astype(float).to_numpy() * 5 + 1 if g == 5 else None
        who = choose_exact(rng, n, k, pref)
        df.loc[who, f"samling{g}"] = ints_with_total(rng, rng.normal(mean, 0.8, k), int(round(mean * k)), 0, 4)
    if p.calibrated:  # rapport 5.1: 81-97 % partly or very useful (29/36 for samling 1, 35/36 for samling 2)
        _match_low_count(rng, df, "samling1", 36 - 29)
        _force_useful_share(rng, df, "samling2", 35)
        _force_useful_share(rng, df, "samling4", 28)
        _force_useful_share(rng, df, "samling5", 16)
    df["supervision_useful"] = _spread_counts(rng, SUP_USEFUL, n)
    df["fe_useful_prep"] = _spread_counts(rng, FE_USEFUL_PREP, n)
    df["fe_useful_refl"] = _spread_counts(rng, FE_USEFUL_REFL, n)
    df["fe_freq_prep"] = _spread_counts(rng, dict(zip(range(1, 6), T5_COUNTS)), n)
    df["fe_freq_refl"] = _spread_counts(rng, dict(zip(range(1, 6), REFL_COUNTS)), n)
    return df.drop(columns=["office_id", "hpmt_supervisor"])


def _force_useful_share(rng, df, col, k_useful):
    vals = df[col].dropna()
    useful = vals[vals >= 3].index.to_list()
    low = vals[vals < 3].index.to_list()
    while len(useful) > k_useful:
        i = useful.pop(rng.integers(len(useful)))
        j = low[rng.integers(len(low))] if low else None
        df.loc[i, col] = 2
        if j is not None:
            df.loc[j, col] = min(4, df.loc[j, col] + 1)
    while len(useful) < k_useful and low:
        i = low.pop(rng.integers(len(low)))
        df.loc[i, col] = 3
        useful.append(i)


def _match_low_count(rng, df, col, k_low, iters=20000):
    """Move single points between caseworkers of the same office (office sums fixed, values
    0-4) until exactly ``k_low`` answers are below 3 ('not useful or neutral')."""
    rows = df.index[df[col].notna()].to_numpy()
    vals = df.loc[rows, col].astype(int).to_numpy()
    office = df.loc[rows, "office_id"].to_numpy()
    cost = abs(int((vals < 3).sum()) - k_low)
    for _ in range(iters):
        if cost == 0:
            break
        i, j = rng.choice(len(vals), 2, replace=False)
        if office[i] != office[j] or vals[i] == 0 or vals[j] == 4:
            continue
        new = vals.copy()
        new[i] -= 1
        new[j] += 1
        c = abs(int((new < 3).sum()) - k_low)
        if c <= cost:
            vals, cost = new, c
    df.loc[rows, col] = vals


def _match_histogram(rng, df, col, target_counts, iters=20000):
    """Move amounts between caseworkers of the same office (office sums fixed) until the
    0,1,…,5,6+ histogram matches ``target_counts`` as closely as possible."""
    rows = df.index[df[col].notna()].to_numpy()
    vals = df.loc[rows, col].astype(float).to_numpy()
    office = df.loc[rows, "office_id"].to_numpy()

    def hist(v):
        b = np.minimum(np.floor(v).astype(int), 6)
        return np.bincount(b, minlength=7)

    target = np.array(target_counts)
    cost = np.abs(hist(vals) - target).sum()
    for _ in range(iters):
        if cost == 0:
            break
        i, j = rng.choice(len(vals), 2, replace=False)
        if office[i] != office[j]:
            continue
        amt = rng.integers(1, 4)
        if vals[i] < amt:
            continue
        new = vals.copy()
        new[i] -= amt
        new[j] += amt
        c = np.abs(hist(new) - target).sum()
        if c <= cost:
            vals, cost = new, c
    df.loc[rows, col] = vals


# ---------------------------------------------------------------- participants
