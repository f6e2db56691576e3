"""Tallene i teksten om kontorforskjeller (rapportens kap. 10): implementeringen per tiltakskontor
(tabell 10–12), kontorvise funn (tabell 13), rekrutteringen, spredningsplottet, utelat ett kontor og
skjermingen av små celler.  The frames come from :mod:`analysis.outputs.kontor`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import disclosure, fmt
from ..reproduction import NOTES, published
from ..results import hidden, n, provider
from .common import ARMS, SCALES, caseworkers
from .kontor import (CHANGE_THRESHOLD, HIGH_WORK_PCT, IMPLEMENTATION, LOO_ALPHA, LOO_EFFECTS, LOO_WORDS, MINUS_SYMBOL,
                     PLUS, SCALE_KEYS, SURVEY_DENOMINATOR, ZERO, _k, findings_masks, implementation_by_office,
                     implementation_masks, leave_one_out, office_findings, recruitment_masks, shown_findings,
                     shown_implementation, shown_recruitment)


def _catalogue_keys(prefix: str) -> list[str]:
    try:
        return [k for k in published()["key"] if k.startswith(prefix)]
    except Exception:  # the catalogue is optional for the computation
        return []


def _words_list(ids) -> str:
    from ..words import join

    return join([str(i) for i in ids])


def _rank_counts(of: pd.DataFrame) -> dict:
    """Ranks of the register share (highest first; ties by office id)."""
    r = of.sort_values(["selvhjulpen_pct", "office_id"], ascending=[False, True]).reset_index(drop=True)
    arms = r["arm"].tolist()
    half = len(r) // 2
    return {"top9_tiltak": sum(a == "tiltak" for a in arms[:half]),
            "next8_tiltak": sum(a == "tiltak" for a in arms[1:half]),
            "bottom9_sammenligning": sum(a == "sammenligning" for a in arms[half:]),
            "top_office": int(r.loc[0, "office_id"])}


def _hide_published_aggregates(out: dict, scopes) -> None:
    """The report's numbers over all offices (extremes, counts, ranks) are «skjermet» when an office in
    their scope has a suppressed cell: computed over all offices they could back it out, and over the
    shown offices only they would not be the report's number. ``scopes``: (key pattern, any suppressed)."""
    import re

    for key in list(out):
        if not out[key].suppressed and any(flag and re.match(pat, key) for pat, flag in scopes):
            out[key] = hidden()


@provider
def kontor_numbers(study):
    out = {}
    # ------------------------------------------------ Tables 10–12 and text 10.1
    raw_im = implementation_by_office(study)
    im = shown_implementation(study)  # suppressed cells blank: nothing below can print or back one out
    imask = implementation_masks(study)
    for i, (_, r) in enumerate(raw_im.iterrows()):
        for col, (tab, item, _label) in IMPLEMENTATION.items():
            hide = bool(imask[col].iloc[i])
            if r[f"{col}_n"]:
                out[f"{tab}_tiltak_{_k(r['office_id'])}_{item}_mean"] = (
                    hidden() if hide else n(float(r[f"{col}_mean"]), "num", 2))
            out[f"kontor_{_k(r['office_id'])}_{item}_n"] = hidden() if hide else n(int(r[f"{col}_n"]), "int")
    o = raw_im.attrs["overall"]
    few = o["implementation_aims_n"] < disclosure.min_cell("vurderinger")  # the table's «Alle tiltakskontor» row hides it too
    out["impl_mean"] = hidden() if few else n(o["implementation_aims_mean"], "num", 2)
    out["impl_n"] = n(o["implementation_aims_n"], "int")
    out["rapport_tekst_10_1_tab11_overall_mean"] = hidden() if few else n(o["implementation_aims_mean"], "num", 2)
    out["impl_mean_kontor_uvektet"] = n(float(im["implementation_aims_mean"].mean()), "num", 2)
    s1 = im["samling1_mean"].dropna().sort_values()
    if len(s1) >= 2:
        # «alle unntatt ett kontor et sted mellom 3 og 4»: the lower end of the range without the lowest office
        out["rapport_tekst_10_1_tab10_range_min"] = n(float(s1.iloc[1]), "num", 2)
        out["kontor_samling1_min_mean"] = n(float(s1.iloc[0]), "num", 2)
        out["kontor_samling1_min_kontor"] = n(int(im.loc[s1.index[0], "office_id"]), "int")
        out["kontor_samling1_nest_laveste_mean"] = n(float(s1.iloc[1]), "num", 2)
    ia = im.set_index("office_id")["implementation_aims_mean"].dropna()
    sv = im.set_index("office_id")["supervisions_2012_mean"].dropna()
    if len(ia):
        out["rapport_tekst_10_1_tab11_min_mean"] = n(float(ia.min()), "num", 2)
        out["rapport_tekst_10_1_tab11_max_mean"] = n(float(ia.max()), "num", 2)
        out["kontor_impl_min_kontor"] = n(int(ia.idxmin()), "int")
        out["kontor_impl_max_kontor"] = n(int(ia.idxmax()), "int")
    if len(sv):
        out["rapport_tekst_10_1_tab12_max_mean"] = n(float(sv.max()), "num", 2)
        out["rapport_tekst_10_1_tab12_min_mean"] = n(float(sv.min()), "num", 2)
        out["kontor_veiledninger_max_kontor"] = n(int(sv.idxmax()), "int")
        out["kontor_veiledninger_min_kontor"] = n(int(sv.idxmin()), "int")
    leaders = study.offices.loc[study.offices["arm"] == "tiltak", "manager_at_leader_gathering"]
    out["rapport_tekst_10_1_ledersamling_offices_count"] = n(int(leaders.fillna(False).astype(bool).sum()), "int")
    out["kontor_ledersamling_n"] = n(int(leaders.fillna(False).astype(bool).sum()), "int")
    # footnote 30: respondents per office (Tables 10–12) and participants per office
    counts = im[[f"{c}_n" for c in IMPLEMENTATION]].to_numpy(dtype="float64", na_value=np.nan)
    counts = counts[~np.isnan(counts) & (counts > 0)]
    if counts.size:
        out["rapport_tekst_10_fn30_veiledere_per_kontor_min"] = n(int(counts.min()), "int")
        out["rapport_tekst_10_fn30_veiledere_per_kontor_max"] = n(int(counts.max()), "int")
    raw_of = office_findings(study)
    of = shown_findings(study)
    fmask = findings_masks(study)
    rmask = recruitment_masks(study)
    if of["n_deltakere"].notna().any():
        out["rapport_tekst_10_fn30_deltakere_per_kontor_min"] = n(int(of["n_deltakere"].min()), "int")
        out["rapport_tekst_10_fn30_deltakere_per_kontor_max"] = n(int(of["n_deltakere"].max()), "int")
    out["rapport_tekst_10_deltakere_n"] = n(len(study.participants), "int")
    out["rapport_tekst_10_veiledere_n"] = n(int(caseworkers(study)["responded_t1"].sum()), "int")
    out["rapport_tekst_10_kontor_n"] = n(len(study.offices), "int")
    # ------------------------------------------------ Table 13
    for i, r in enumerate(raw_of.itertuples(index=False)):
        base = f"rapport_tab13_{r.arm}_{_k(r.office_id)}"
        hide = fmask.iloc[i]
        for scale in SCALES:
            sym = getattr(r, f"{scale}_symbol")
            if sym:
                out[f"{base}_{SCALE_KEYS[scale]}_endring_symbol"] = hidden() if hide["skala"] else n(sym, "text")
            out[f"kontor_{_k(r.office_id)}_{SCALE_KEYS[scale]}_endring"] = (
                hidden() if hide["skala"] else n(getattr(r, f"{scale}_delta"), "num", 2))
        for col, item, mask in (("heltid_pct", "arbeid_heltid_18m_pct", "heltid"),
                                ("deltid_pct", "arbeid_deltid_18m_pct", "deltid"),
                                ("selvhjulpen_pct", "arbeid_regdata_26m_pct", "selvhjulpen")):
            v = getattr(r, col)
            if not pd.isna(v):
                out[f"{base}_{item}"] = hidden() if hide[mask] else n(float(v), "pct", 0)
                if col != "selvhjulpen_pct" and SURVEY_DENOMINATOR == "t2":
                    NOTES[f"{base}_{item}"] = ("Beregnet som andel av kontorets deltakere som svarte ved T2; rapportens "
                                               "andeler ser ut til å være regnet av alle rekrutterte ved kontoret.")
    for arm in ARMS:
        ids = of.loc[of["arm"] == arm, "office_id"].astype(int).tolist()
        out[f"rapport_tab13_{arm}_kontor_ids"] = n(", ".join(map(str, ids)), "text")
        out[f"rapport_tab13_{arm}_kontor_n"] = n(len(ids), "int")
    # ------------------------------------------------ text 10.2: counts and extremes per scale
    in_catalogue = set(_catalogue_keys("rapport_tekst_10_2_"))
    for scale in SCALES:
        key = SCALE_KEYS[scale]
        syms = of[f"{scale}_symbol"]
        for word, sym in (("positive", PLUS), ("negative", MINUS_SYMBOL), ("neutral", ZERO)):
            hit = syms == sym
            for scope in ("total",) + ARMS:
                k = int(hit.sum()) if scope == "total" else int((hit & (of["arm"] == scope)).sum())
                out[f"kontor_{key}_{word}_{scope}_n"] = n(k, "int")
                cat = f"rapport_tekst_10_2_{key}_{word}_{scope}_count"
                if cat in in_catalogue:
                    out[cat] = n(k, "int")
        d = of.set_index("office_id")[f"{scale}_delta"].dropna()
        if d.empty:
            continue
        for which, office, value in (("max", int(d.idxmax()), float(d.max())), ("min", int(d.idxmin()), float(d.min()))):
            out[f"kontor_{key}_{which}_endring"] = n(value, "num", 2)
            out[f"kontor_{key}_{which}_kontor"] = n(office, "int")
            for cat_key in _catalogue_keys(f"rapport_tekst_10_2_{key}_{which}_change_k"):
                out[cat_key] = n(value, "num", 2)
                cat_office = int(cat_key.rsplit("_k", 1)[1].split("_")[0])
                if cat_office != office:
                    NOTES[cat_key] = (f"Beregnet {'største økning' if which == 'max' else 'største reduksjon'} er "
                                      f"ved kontor {office}, ikke kontor {cat_office} som i rapporten.")
    fk = of[(of["arm"] == "tiltak") & of["faglig_kompetanse_delta"].notna()].sort_values(
        ["faglig_kompetanse_delta", "office_id"], ascending=[False, True])
    top3 = sorted(fk["office_id"].astype(int).head(3))
    out["rapport_tekst_10_2_faglig_kompetanse_top_tiltak_offices"] = n(_words_list(top3), "text")
    # ------------------------------------------------ text 10.3: recruitment and work by office
    off = study.offices.set_index("office_id")
    ofi = of.set_index("office_id")
    recruit = (ofi["n_deltakere"] / off["kvp_target_2011"].reindex(ofi.index).astype("float64") * 100)
    arm = ofi["arm"]
    out["rapport_tekst_10_3_recruit_share_min_pct"] = n(float(recruit.min()), "pct", 0)
    out["rapport_tekst_10_3_recruit_share_max_pct"] = n(float(recruit.max()), "pct", 0)
    out["rapport_tekst_10_3_offices_over50_count"] = n(int((recruit > 50).sum()), "int")
    out["rapport_tekst_10_3_offices_under30_count"] = n(int((recruit < 30).sum()), "int")
    out["rapport_tekst_10_3_offices_under30_tiltak_count"] = n(int(((recruit < 30) & (arm == "tiltak")).sum()), "int")
    other = recruit[(arm == "tiltak") & (recruit <= 50)]
    if len(other):
        out["rapport_tekst_10_3_other_tiltak_recruit_min_pct"] = n(float(other.min()), "pct", 0)
        out["rapport_tekst_10_3_other_tiltak_recruit_max_pct"] = n(float(other.max()), "pct", 0)
    wanted = set(_catalogue_keys("rapport_tekst_10_3_k"))
    raw_ofi = raw_of.set_index("office_id")
    for i, (office, r) in enumerate(raw_ofi.iterrows()):
        rec_hidden, hide = bool(rmask["rekruttert"].iloc[i]), fmask.iloc[i]
        out[f"kontor_{_k(office)}_deltakere_n"] = hidden() if rec_hidden else n(int(r["n_deltakere"]), "int")
        out[f"kontor_{_k(office)}_rekruttert_pct"] = hidden() if rec_hidden else n(float(recruit[office]), "pct", 0)
        for key, val, kind, sup in ((f"rapport_tekst_10_3_{_k(office)}_deltakere_n", int(r["n_deltakere"]), "int", rec_hidden),
                                    (f"rapport_tekst_10_3_{_k(office)}_deltid_pct", r["deltid_pct"], "pct", hide["deltid"]),
                                    (f"rapport_tekst_10_3_{_k(office)}_regdata_pct", r["selvhjulpen_pct"], "pct",
                                     hide["selvhjulpen"])):
            if key in wanted and not pd.isna(val):
                out[key] = hidden() if sup else n(val, kind, 0) if kind == "pct" else n(val, kind)
    rc = _rank_counts(of.dropna(subset=["selvhjulpen_pct"]))
    out["rapport_tekst_10_3_top9_tiltak_count"] = n(rc["top9_tiltak"], "int")
    out["rapport_tekst_10_3_next8_tiltak_count"] = n(rc["next8_tiltak"], "int")
    out["rapport_tekst_10_3_bottom9_sammenligning_count"] = n(rc["bottom9_sammenligning"], "int")
    out["artikkel_tekst_top9_tiltak_count"] = n(rc["top9_tiltak"], "int")
    out["artikkel_tekst_bottom9_sammenligning_count"] = n(rc["bottom9_sammenligning"], "int")
    out["kontor_selvhjulpen_topp_kontor"] = n(rc["top_office"], "int")
    out["kontor_change_threshold"] = n(CHANGE_THRESHOLD, "num", 2)
    work = bool(fmask[["heltid", "deltid", "selvhjulpen"]].to_numpy().any())
    _hide_published_aggregates(out, (
        (r"rapport_tekst_10_1_tab1[0-2]_(range|min|max)_|rapport_tekst_10_fn30_veiledere_", bool(imask.to_numpy().any())),
        (r"rapport_tekst_10_2_", bool(fmask["skala"].any())),
        (r"rapport_tekst_10_3_(recruit_share|offices_|other_tiltak)|rapport_tekst_10_fn30_deltakere_",
         bool(rmask["rekruttert"].any())),
        (r"rapport_tekst_10_3_(top9|next8|bottom9)|artikkel_tekst_(top9|bottom9)", work)))
    return out


@provider
def kontor_extra_numbers(study):
    """Recruitment pattern, the scatter, leave-one-office-out and disclosure control."""
    out = {}
    k = disclosure.min_cell()
    out["kontor_min_celle"] = n(k, "int")
    out["kontor_min_celle_vurdering"] = n(disclosure.min_cell("vurderinger"), "int")
    # why some published chapter-10 numbers are not hit exactly (used only when a row differs)
    share_note = ("Kontorandelene for økonomisk selvhjulpenhet er fordelt slik at armtotalene i figur 13 (mai 2013) "
                  "stemmer eksakt; med de antatte kontorstørrelsene kan ikke hver kontorandel treffes samtidig.")
    for key in _catalogue_keys("rapport_tekst_10_3_k"):
        if key.endswith("_regdata_pct"):
            NOTES[key] = share_note
    rank_note = ("Rangeringen av kontorene etter andel økonomisk selvhjulpne følger av kontorandelene i tabell 13, som "
                 "ikke treffes eksakt; noen få prosentpoeng flytter kontor over eller under midten av rangeringen.")
    for key in ("rapport_tekst_10_3_next8_tiltak_count", "rapport_tekst_10_3_top9_tiltak_count",
                "rapport_tekst_10_3_bottom9_sammenligning_count", "artikkel_tekst_top9_tiltak_count",
                "artikkel_tekst_bottom9_sammenligning_count"):
        NOTES[key] = rank_note
    # ------------------------------------------------ 10.3: high transition to work among tiltak offices
    rc = shown_recruitment(study)  # suppressed cells blank: extremes and means over the shown offices
    hw = rc[(rc["arm"] == "tiltak") & (rc["arbeid_pct"] >= HIGH_WORK_PCT)]["arbeid_pct"]
    if len(hw):
        out["rapport_tekst_10_3_high_work_tiltak_min_pct"] = n(float(hw.min()), "pct", 0)
        out["rapport_tekst_10_3_high_work_tiltak_max_pct"] = n(float(hw.max()), "pct", 0)
        out["kontor_hoy_arbeid_tiltak_n"] = n(len(hw), "int")
    out["kontor_hoy_arbeid_grense"] = n(HIGH_WORK_PCT, "pct", 0)
    fmask = findings_masks(study)
    _hide_published_aggregates(out, ((r"rapport_tekst_10_3_high_work_",
                                      bool(fmask[["heltid", "deltid"]].to_numpy().any()
                                           or recruitment_masks(study)["rekruttert"].any())),))
    # ------------------------------------------------ large vs small offices (by KVP target), immigrant share
    out["kontor_stor_maltall_grense"] = n(rc.attrs["cut"], "int")
    for arm in ARMS:
        for size, word in ((True, "store"), (False, "sma")):
            sub = rc[(rc["arm"] == arm) & (rc["stor"] == size)]
            out[f"kontor_{word}_{arm}_n"] = n(len(sub), "int")
            from .. import words

            out[f"ord_kontor_{word}_{arm}_de"] = n("det ene" if len(sub) == 1 else f"de {words.number(len(sub), gender='n')}",
                                                  "text")
            if len(sub):
                # unweighted mean over offices of the office shares (each office counts once)
                out[f"kontor_{word}_{arm}_arbeid_pct"] = n(float(sub["arbeid_pct"].mean()), "pct", 0)
                out[f"kontor_{word}_{arm}_selvhjulpen_pct"] = n(float(sub["selvhjulpen_pct"].mean()), "pct", 0)
                out[f"kontor_{word}_{arm}_innvandrer_pct"] = n(float(sub["innvandrer_pct"].mean()), "pct", 0)
    rho = rc[["maltall", "innvandrer_pct"]].corr(method="spearman").iloc[0, 1]
    out["kontor_rho_storrelse_innvandrer"] = n(float(rho), "num", 2)
    rho_w = rc[["andel_maltall_pct", "arbeid_pct"]].corr(method="spearman").iloc[0, 1]
    out["kontor_rho_rekruttering_arbeid"] = n(float(rho_w), "num", 2)
    out["kontor_rekruttering_skjermet_n"] = n(int(recruitment_masks(study)["rekruttert"].sum()), "int")
    # ------------------------------------------------ the scatter: correlation over all nine offices
    im = implementation_by_office(study).dropna(subset=["implementation_aims_mean", "supervisions_2012_mean"])
    if len(im) >= 3:
        r = im[["implementation_aims_mean", "supervisions_2012_mean"]].corr(method="spearman").iloc[0, 1]
        out["kontor_rho_impl_veiledning"] = n(float(r), "num", 2)
    out["kontor_impl_kontor_n"] = n(len(im), "int")
    mk = implementation_masks(study)
    shown = ~(mk["implementation_aims"] | mk["supervisions_2012"])
    out["kontor_spredning_vist_n"] = n(int(shown.sum()), "int")
    from .. import words

    out["ord_kontor_spredning_vist"] = n(words.of(int(shown.sum()), len(im), gender="n"), "text")
    out["kontor_impl_celler_skjermet_n"] = n(int(mk.to_numpy().sum()), "int")
    out["kontor_impl_celler_n"] = n(int(mk.size), "int")
    k_hid = int(mk.to_numpy().sum())
    from .. import words

    out["ord_kontor_impl_skjermet"] = n(
        f"Ingen av de {fmt.integer(mk.size)} kontorcellene er skjermet." if k_hid == 0 else
        f"Fordi få veiledere ved noen av kontorene svarte, er {words.of(k_hid, mk.size, 'kontorcellene', 'm')} skjermet."
        .replace(f"av {fmt.integer(mk.size)} kontorcellene", f"av de {fmt.integer(mk.size)} kontorcellene"), "text")
    fm = findings_masks(study)
    out["kontor_skala_skjermet_n"] = n(int(fm["skala"].sum()), "int")
    # ------------------------------------------------ leave one office out
    lo = leave_one_out(study)
    flipped_any = []
    for eff, (label, _unit) in LOO_EFFECTS.items():
        sub = lo[lo["effect"] == eff]
        full = sub[sub["left_out"].isna()].iloc[0]
        rest = sub[sub["left_out"].notna()]
        key = f"loo_{eff}"
        out[f"{key}_p"] = n(float(full["p"]), "p")
        out[f"{key}_signifikant"] = n("signifikant" if full["p"] < LOO_ALPHA else "ikke signifikant", "text")
        out[f"{key}_fortegn_n"] = n(int(rest["sign_flip"].sum()), "int")
        out[f"{key}_signifikans_n"] = n(int(rest["sig_flip"].sum()), "int")
        ids = sorted(int(x) for x in rest.loc[rest["sign_flip"] | rest["sig_flip"], "left_out"])
        out[f"{key}_kontor"] = n(_words_list(ids) if ids else "ingen", "text")
        if ids:
            flipped_any.append(LOO_WORDS.get(eff, label.lower()))
    out["loo_effekter_n"] = n(len(LOO_EFFECTS), "int")
    out["loo_endres_n"] = n(len(flipped_any), "int")
    out["loo_endres_effekter"] = n(_words_list(flipped_any) if flipped_any else "ingen", "text")
    full = lo[lo["left_out"].isna()]
    out["loo_signifikante_n"] = n(int((full["p"] < LOO_ALPHA).sum()), "int")
    return out
