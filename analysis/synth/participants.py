"""The participants: recruitment, T2 survey, income and the NAV registers, for the generator
(:mod:`analysis.synth.simulate`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import targets as T
from .tools import choose_exact, count_for_pct, exact_mean_sd, ints_with_total

if TYPE_CHECKING:
    from .simulate import Params

def _participants(rng, p: Params, off: pd.DataFrame, cw: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for oid, n in zip(off["office_id"], off["recruited"]):
        rows += [oid] * int(n)
    df = pd.DataFrame({"office_id": rows})
    df["arm"] = df["office_id"].map(dict(zip(off["office_id"], off["arm"])))
    n = len(df)
    df.insert(0, "participant_id", [f"D{i:06d}" for i in range(1, n + 1)])
    # caseworker: a T1-responding caseworker at the same office
    pool = cw[cw["responded_t1"]].groupby("office_id")["caseworker_id"].apply(list).to_dict()
    df["caseworker_id"] = [pool[o][rng.integers(len(pool[o]))] if o in pool else None for o in df["office_id"]]
    start, end = pd.Timestamp("2011-04-07"), pd.Timestamp("2012-01-16")
    days = np.minimum((rng.beta(1.3, 3.0, n) * (end - start).days).astype(int), (end - start).days)
    df["t1_date"] = start + pd.to_timedelta(days, "D")
    for col in ("gender", "birth_year", "immigrant", "education", "prior_paid_work", "years_paid_work", "years_last_job", "years_unemployed"):
        df[col] = None
    for a in ("tiltak", "sammenligning"):
        m = (df["arm"] == a).to_numpy()
        k = int(m.sum())
        t = T.PA_TABLE1[a]
        cal = p.calibrated
        imm = choose_exact(rng, k, count_for_pct(t["immigrant"], k, 0) if cal else rng.binomial(k, t["immigrant"] / 100))
        df.loc[m, "immigrant"] = imm
        df.loc[m, "gender"] = np.where(choose_exact(rng, k, count_for_pct(t["women"], k, 0) if cal else rng.binomial(k, t["women"] / 100)), "kvinne", "mann")
        prior_w = np.where(imm, 0.6, 1.4)
        prior = choose_exact(rng, k, count_for_pct(t["prior_work"], k, 0) if cal else rng.binomial(k, t["prior_work"] / 100), prior_w)
        df.loc[m, "prior_paid_work"] = prior
        age = rng.normal(2011 - t["birth_year"], 10, k)
        by = ints_with_total(rng, 2011 - age, int(round(t["birth_year"] * k)), 1950, 1993)
        df.loc[m, "birth_year"] = by
        edu_probs = np.array([0.02, 0.47, 0.35, 0.11, 0.05])
        edu = rng.choice(np.arange(1, 6), k, p=edu_probs)
        df.loc[m, "education"] = ints_with_total(rng, edu, int(round(t["education"] * k)), 1, 5) if cal else edu
        kp = int(prior.sum())
        work = np.zeros(k)
        work[prior] = exact_mean_sd(rng, kp, t["years_work"] * k / kp, 5.0, lo=0.5, hi=40) if cal else np.minimum(rng.gamma(2, t["years_work"] * k / kp / 2, kp), 40)
        df.loc[m, "years_paid_work"] = np.round(work, 0)
        last = np.full(k, np.nan)
        last[prior] = np.round(np.minimum(rng.gamma(1.5, t["years_last"] / 1.5, kp), work[prior]), 1)
        if cal:  # exact mean at two decimals, in tenths of a year
            tenths = ints_with_total(rng, last[prior] * 10, int(round(t["years_last"] * kp * 10)), 1, 400)
            last[prior] = tenths / 10
        df.loc[m, "years_last_job"] = last
        unemp = rng.gamma(1.6, t["years_unemp"] / 1.6, k)
        if cal:
            unemp = np.clip(unemp + t["years_unemp"] - unemp.mean(), 0, None)
            unemp = unemp * t["years_unemp"] / unemp.mean()
        df.loc[m, "years_unemployed"] = np.round(unemp, 1)
    df["mestring_t1"] = np.round(np.clip(rng.normal(2.7, 0.55, n), 1, 4), 2)
    df["alliance_t1"] = np.round(np.clip(rng.normal(3.0, 0.7, n), 0, 4), 2)
    return df


def LATENT_SD(icc: float) -> float:  # noqa: N802
    """SD of a normal office effect on the logit scale giving this latent-scale ICC."""
    return float(np.sqrt(icc / (1 - icc) * np.pi**2 / 3)) if icc > 0 else 0.0


def _logit(q):
    return np.log(q / (1 - q))


def _expit(x):
    return 1 / (1 + np.exp(-x))


def _office_latent(rng, offices, icc):
    """Normal office effects on the logit scale (SD from the latent-scale ICC)."""
    sd = LATENT_SD(icc)
    return {o: rng.normal(0, sd) for o in offices}


def _allocate(rng, total: int, weights: dict, caps: dict) -> dict:
    """Split ``total`` over keys proportionally to weights (largest remainder), within caps."""
    keys = list(weights)
    w = np.array([max(weights[k], 1e-9) for k in keys])
    raw = w / w.sum() * total
    out = np.minimum(np.floor(raw).astype(int), [caps[k] for k in keys])
    while out.sum() < total:
        room = np.array([out[i] < caps[k] for i, k in enumerate(keys)])
        if not room.any():
            break
        rem = np.where(room, raw - out, -np.inf)
        out[int(np.argmax(rem))] += 1
    return dict(zip(keys, out.tolist()))


def _t2(rng, p: Params, pa: pd.DataFrame):
    """T2 response, activities, income and the secondary outcomes."""
    n = len(pa)
    lat_off = _office_latent(rng, pa["office_id"].unique(), p.icc_of("deltaker"))
    ol = pa["office_id"].map(lat_off).to_numpy()
    # attrition: somewhat more among immigrants and those without work experience (rapport 9.1)
    stay_w = np.where(pa["immigrant"].to_numpy(dtype=bool), 0.8, 1.1) * np.where(pa["prior_paid_work"].to_numpy(dtype=bool), 1.1, 0.85)
    resp = np.zeros(n, dtype=bool)
    for a in ("tiltak", "sammenligning"):
        m = np.flatnonzero((pa["arm"] == a).to_numpy())
        k = T.T2_RESPONDENTS[a] if p.calibrated else int(rng.binomial(len(m), 0.695))
        resp[m[choose_exact(rng, len(m), k, stay_w[m])]] = True
    if p.calibrated:  # every office keeps at least the respondents Table 13's work shares need
        office = pa["office_id"].to_numpy()
        for o in pd.unique(office):
            need = sum(count_for_pct(T.TABLE13[o][c], T.RECRUITED[o], 0) or 0 for c in (1, 2)) + 1
            mine = np.flatnonzero(office == o)
            while resp[mine].sum() < min(need, len(mine)):
                i = mine[~resp[mine]][0]
                same_arm = np.flatnonzero((pa["arm"].to_numpy() == pa["arm"].iloc[i]) & resp & (office != o))
                donors = [j for j in same_arm if resp[office == office[j]].sum() > (
                    sum(count_for_pct(T.TABLE13[office[j]][c], T.RECRUITED[office[j]], 0) or 0 for c in (1, 2)) + 1)]
                if not donors:
                    break
                resp[i], resp[donors[rng.integers(len(donors))]] = True, False
    pa["responded_t2"] = resp
    t2 = pa.loc[resp, ["participant_id", "office_id", "arm", "t1_date", "immigrant", "prior_paid_work"]].reset_index(drop=True)
    t2["t2_date"] = t2["t1_date"] + pd.DateOffset(months=18) + pd.to_timedelta(rng.integers(-20, 40, len(t2)), "D")
    t2["t2_date"] = t2["t2_date"].clip(pd.Timestamp("2012-10-07"), pd.Timestamp("2013-07-01"))
    t2.loc[t2["t2_date"] <= t2["t1_date"], "t2_date"] = t2["t1_date"] + pd.Timedelta(days=400)
    acts = [k for k in T.ACTIVITY_PCT]
    for c in acts:
        t2[f"act_{c}"] = False
    work_w = np.exp(ol[resp]) * np.where(t2["prior_paid_work"].to_numpy(dtype=bool), 1.5, 0.8)
    off_u = ol[resp]  # office effects on the logit scale
    for a, col in (("tiltak", 0), ("sammenligning", 1)):
        m = np.flatnonzero((t2["arm"] == a).to_numpy())
        k_n = len(m)
        free = np.ones(k_n, dtype=bool)
        for c in acts:
            pct = T.ACTIVITY_PCT[c][1]
            if a == "tiltak":
                pct = T.ACTIVITY_PCT[c][0] if c not in ("heltid", "deltid") else T.ACTIVITY_PCT[c][1] + p.effect(c)
            pct = min(max(pct, 0), 100)
            if p.calibrated:
                k = count_for_pct(pct, k_n)
            else:
                k = int(rng.binomial(k_n, pct / 100))
            if c in ("heltid", "deltid"):
                if p.calibrated and c in ("heltid", "deltid"):
                    chosen = _office_calibrated(rng, t2, m, free, k, c)
                else:
                    # model mode: each person in work with probability expit(logit(p_arm) + u_office),
                    # so the office-level variation (ICC) reaches the arm totals
                    prob = _expit(_logit(pct / 100) + off_u[m])
                    chosen = (rng.random(k_n) < prob) & free
                free &= ~chosen
            else:
                # a first tick for those without work, further ticks for some
                w = np.where(free, 3.0, 0.35)
                chosen = choose_exact(rng, k_n, k, w)
            t2.loc[m[chosen], f"act_{c}"] = True
        if p.calibrated:  # nobody without a tick: move spare second ticks to the empty ones
            ticks = t2.loc[m, [f"act_{c}" for c in acts]].to_numpy()
            empty = np.flatnonzero(ticks.sum(1) == 0)
            for e in empty:
                multi = np.flatnonzero(ticks.sum(1) > 1)
                for c_i in range(2, len(acts)):
                    donors = multi[ticks[multi, c_i]]
                    if len(donors):
                        d = donors[0]
                        ticks[d, c_i], ticks[e, c_i] = False, True
                        break
            t2.loc[m, [f"act_{c}" for c in acts]] = ticks
    _income(rng, p, t2)
    t2["mestring_t2"] = np.round(np.clip(pa.loc[resp, "mestring_t1"].to_numpy() + rng.normal(0.1, 0.4, len(t2)), 1, 4), 2)
    t2["alliance_t2"] = np.round(np.clip(pa.loc[resp, "alliance_t1"].to_numpy() + rng.normal(0.05, 0.5, len(t2)), 0, 4), 2)
    return t2


def _office_calibrated(rng, t2, m, free, k, c):
    """Exactly k workers in arm rows m; office counts as in Table 13 (shares of everyone the
    office recruited, see targets.RECRUITED), any shortfall spread by largest remainder."""
    col = 1 if c == "heltid" else 2
    offices = t2.loc[m, "office_id"].to_numpy()
    free_by = pd.Series(offices[free]).value_counts().to_dict()
    want = {}
    for o in pd.unique(offices):
        r = T.RECRUITED[o]
        want[o] = min(count_for_pct(T.TABLE13[o][col], r, 0) or 0, free_by.get(o, 0))
    short = k - sum(want.values())
    if short:
        room = {o: free_by.get(o, 0) - want[o] for o in want}
        extra = _allocate(rng, short, {o: T.TABLE13[o][col] * T.RECRUITED[o] + 1e-6 for o in want}, room) if short > 0 else {}
        for o, e in extra.items():
            want[o] += e
    chosen = np.zeros(len(m), dtype=bool)
    for o, kk in want.items():
        idx = np.flatnonzero((offices == o) & free)
        chosen[rng.choice(idx, kk, replace=False)] = True
    return chosen


def _group_sd_for_p(diff, n1, n2, pvalue):
    """The common SD that gives a pooled two-sample t-test this p-value."""
    from scipy import stats

    t = stats.t.isf(pvalue / 2, n1 + n2 - 2)
    return abs(diff) / (t * np.sqrt(1 / n1 + 1 / n2))


def _income(rng, p, t2):
    t2["household_income"] = None
    answered = {}
    for a in ("tiltak", "sammenligning"):
        m = np.flatnonzero((t2["arm"] == a).to_numpy())
        k = T.INCOME[a]["n"] if p.calibrated else int(rng.binomial(len(m), T.INCOME[a]["n"] / T.T2_RESPONDENTS[a]))
        answered[a] = m[choose_exact(rng, len(m), min(k, len(m)))]
    groups = {a: (t2.loc[r, "act_heltid"].to_numpy(dtype=bool),
                  t2.loc[r, "act_deltid"].to_numpy(dtype=bool) & ~t2.loc[r, "act_heltid"].to_numpy(dtype=bool))
              for a, r in answered.items()}
    sds = {}  # the published p-values of Table 9 fix the SDs only in the calibrated draw
    for key, gi in ((("heltid", 0), ("deltid", 1)) if p.calibrated else ()):
        mt, mc, pv = T.INCOME_BY_WORK[key]
        sds[key] = _group_sd_for_p(mt - mc, groups["tiltak"][gi].sum(), groups["sammenligning"][gi].sum(), pv)
    for i, a in enumerate(("tiltak", "sammenligning")):
        spec = T.INCOME[a]
        mean = spec["mean"] if a == "sammenligning" else T.INCOME["sammenligning"]["mean"] + p.effect("inntekt")
        rows = answered[a]
        full, part = groups[a]
        rest = ~(full | part)
        vals = np.zeros(len(rows))
        if p.calibrated:
            mf, mp = T.INCOME_BY_WORK["heltid"][i], T.INCOME_BY_WORK["deltid"][i]
            sf, sp = sds["heltid"], sds["deltid"]
            nf, np_, nr = full.sum(), part.sum(), rest.sum()
            n_all = len(rows)
            mr = (mean * n_all - mf * nf - mp * np_) / nr
            ss_total = (n_all - 1) * spec["sd"] ** 2
            between = nf * (mf - mean) ** 2 + np_ * (mp - mean) ** 2 + nr * (mr - mean) ** 2
            ss_rest = ss_total - between - (nf - 1) * sf**2 - (np_ - 1) * sp**2
            sr = np.sqrt(max(ss_rest, 1e6) / (nr - 1))
            vals[full] = exact_mean_sd(rng, nf, mf, sf, lo=2000, skew=0)
            vals[part] = exact_mean_sd(rng, np_, mp, sp, lo=2000, skew=0)
            vals[rest] = exact_mean_sd(rng, nr, mr, sr, lo=1000)
            _fix_total_sd(rng, vals, rest, mean, spec["sd"])
        else:
            base = mean - 4000
            vals = np.maximum(1000, rng.normal(base + 8000 * full + 6000 * part, 8000)).round()
        t2.loc[rows, "household_income"] = vals.astype(int)


def _fix_total_sd(rng, vals, rest, mean, sd):
    """Stretch the 'rest' group around its mean so the whole group has exactly the target SD."""
    idx = np.flatnonzero(rest)
    r = vals[idx].astype(float)
    for _ in range(30):
        cur = vals.std(ddof=1)
        if abs(cur - sd) < 0.5:
            break
        factor = 1 + (sd**2 - cur**2) / (2 * ((r - r.mean()) ** 2).sum() + 1e-9) * (len(vals) - 1)
        r = r.mean() + (r - r.mean()) * max(factor, 0.1)
        r = np.maximum(r, 500)
        vals[idx] = np.rint(r)
        vals[idx[: 1]] += int(round(mean * len(vals) - vals.sum()))


# ---------------------------------------------------------------- register
def _register(rng, p: Params, pa: pd.DataFrame, t2: pd.DataFrame) -> pd.DataFrame:
    n = len(pa)
    arm = pa["arm"].to_numpy()
    lat = pa["office_id"].map(_office_latent(rng, pa["office_id"].unique(), p.icc_of("deltaker"))).to_numpy()
    works_t2 = pa["participant_id"].isin(t2.loc[t2["act_heltid"] | t2["act_deltid"], "participant_id"]).to_numpy()
    w = np.exp(lat) * np.where(works_t2, 4.0, 1.0) * np.where(pa["prior_paid_work"].to_numpy(dtype=bool), 1.3, 0.8)
    rows = []
    # calibrated denominators: register N per arm (a few gaps per period) chosen so the published
    # shares print exactly and the tests come as close as possible to the published p-values
    fits = {period: _fit_register(int((arm == "tiltak").sum()), int((arm == "sammenligning").sum()), period)
            for period in ("2012-11", "2013-05")} if p.calibrated else {}
    for period in ("2011-05", "2012-11", "2013-05"):
        status = np.array(["kvp"] * n, dtype=object)
        present = np.ones(n, dtype=bool)
        for a, i in (("tiltak", 0), ("sammenligning", 1)):
            m = np.flatnonzero(arm == a)
            if period == "2011-05":
                k_any = int(round(len(m) * T.REGISTER_BASELINE_ANY_WORK / 100))
                k_self = int(round(k_any / 3))
                gaps = 0
            else:
                self_pct = T.REGISTER_SELF_SUFFICIENT[period][i]
                any_pct = T.REGISTER_ANY_WORK[period][i]
                if a == "tiltak" and not p.calibrated:
                    self_pct = T.REGISTER_SELF_SUFFICIENT[period][1] + p.effect("selvhjulpen") * (1 if period == "2013-05" else 0.92)
                    any_pct = T.REGISTER_ANY_WORK[period][1] + p.effect("selvhjulpen")
                gaps, k_self, k_any = fits[period][a] if p.calibrated else _draw_register_counts(len(m), self_pct, any_pct, rng)
            order = m[rng.permutation(len(m))]
            gap_rows = order[:gaps]
            present[gap_rows] = False
            live = np.setdiff1d(m, gap_rows)
            if p.calibrated and period == "2013-05":
                sel = _office_register(rng, pa, live, k_self, w)
            else:
                sel = live[choose_exact(rng, len(live), k_self, w[live])]
            status[sel] = "arbeid_uten_ytelse"
            rest = np.setdiff1d(live, sel)
            sel2 = rest[choose_exact(rng, len(rest), max(0, k_any - k_self), w[rest])]
            status[sel2] = "arbeid_med_ytelse"
            other = np.setdiff1d(rest, sel2)
            share_kvp = {"2011-05": 0.85, "2012-11": 0.35, "2013-05": 0.25}[period]
            pick = rng.random(len(other))
            status[other] = np.where(pick < share_kvp, "kvp", np.where(pick < 0.93, "annen_ytelse", "ingen"))
        for pid, st, pr in zip(pa["participant_id"], status, present):
            if pr:
                rows.append((pid, period, st))
    return pd.DataFrame(rows, columns=["participant_id", "period", "status"])


def _draw_register_counts(n, self_pct, any_pct, rng):
    """Model mode: no gaps, binomial numbers in work without and with benefits."""
    k_self = int(rng.binomial(n, min(max(self_pct, 0), 100) / 100))
    k_any = k_self + int(rng.binomial(n - k_self, max(any_pct - self_pct, 0) / 100 / max(1 - self_pct / 100, 1e-9)))
    return 0, k_self, k_any


def _fit_register(n_t, n_c, period):
    """(gaps, self-sufficient, any work) per arm so that both shares print as published and the
    chi-square p-values come as close as possible to the published ones (rapport 9.2)."""
    from scipy import stats

    (st, sc, ps), (at, ac, pa_) = T.REGISTER_SELF_SUFFICIENT[period], T.REGISTER_ANY_WORK[period]
    best = None
    for gt in range(0, 12):
        for gc in range(0, 12):
            mt, mc = n_t - gt, n_c - gc
            ks_t, ks_c, ka_t, ka_c = count_for_pct(st, mt), count_for_pct(sc, mc), count_for_pct(at, mt), count_for_pct(ac, mc)
            if None in (ks_t, ks_c, ka_t, ka_c):
                continue
            p1 = stats.chi2_contingency([[ks_t, mt - ks_t], [ks_c, mc - ks_c]], correction=False)[1]
            p2 = stats.chi2_contingency([[ka_t, mt - ka_t], [ka_c, mc - ka_c]], correction=False)[1]
            cost = abs(round(p1, 3) - ps) + abs(round(p2, 3) - pa_) + 0.0001 * (gt + gc)
            if best is None or cost < best[0]:
                best = (cost, (gt, ks_t, ka_t), (gc, ks_c, ka_c))
    return {"tiltak": best[1], "sammenligning": best[2]}


def _office_register(rng, pa, live, k, w):
    offices = pa["office_id"].to_numpy()[live]
    sizes = pd.Series(offices).value_counts().to_dict()
    want = {o: T.TABLE13[o][3] / 100 * sizes[o] for o in sizes}
    alloc = _allocate(rng, k, want, sizes)
    out = []
    for o, kk in alloc.items():
        idx = live[offices == o]
        out.extend(idx[choose_exact(rng, len(idx), kk, w[idx])])
    return np.array(out, dtype=int)


# ---------------------------------------------------------------- FE forms
