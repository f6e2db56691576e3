"""The bundled data are exactly what the documented simulator writes; model draws behave."""

import time
from pathlib import Path

import numpy as np
import pytest

from analysis.synth.simulate import EFFECTS, Params, simulate, write_package
from analysis.codebook import write_readme
from analysis.data import validate

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_regenerate_bundled_data_byte_for_byte(tmp_path):
    out = write_package(simulate(Params()), tmp_path / "d", Params())
    write_readme(out)
    bundled = sorted(p.name for p in (ROOT / "data").iterdir())
    assert sorted(p.name for p in out.iterdir()) == bundled
    for name in bundled:
        assert (out / name).read_bytes() == (ROOT / "data" / name).read_bytes(), f"{name} differs from data/"


def test_model_mode_is_valid_and_fast(tmp_path):
    p = Params(seed=7, effects={"deltid": 0.0})
    assert not p.calibrated
    t0 = time.perf_counter()
    frames = simulate(p)
    assert time.perf_counter() - t0 < 1.0
    write_package(frames, tmp_path / "m", p)
    assert validate(tmp_path / "m") == []


def test_other_office_counts_and_scale(tmp_path):
    p = Params(seed=3, offices=10, scale=2)
    frames = simulate(p)
    assert len(frames["offices"]) == 10
    assert (frames["offices"]["arm"] == "tiltak").sum() == 5
    write_package(frames, tmp_path / "k", p)
    assert validate(tmp_path / "k") == []


def test_no_effect_means_no_effect_on_average():
    diffs = []
    for seed in range(40):
        f = simulate(Params(seed=seed, effects={"deltid": 0.0, "heltid": 0.0}))
        t2 = f["participant_t2"].merge(f["participants"][["participant_id", "office_id"]], on="participant_id")
        arm = t2["office_id"].map(dict(zip(f["offices"]["office_id"], f["offices"]["arm"])))
        diffs.append(t2.loc[arm == "tiltak", "act_deltid"].mean() - t2.loc[arm == "sammenligning", "act_deltid"].mean())
    diffs = np.array(diffs)
    assert abs(diffs.mean()) < 3 * diffs.std(ddof=1) / np.sqrt(len(diffs))


def test_known_effect_shows_on_average():
    f = simulate(Params(seed=11, effects={"deltid": 20.0}))
    t2 = f["participant_t2"].merge(f["participants"][["participant_id", "office_id"]], on="participant_id")
    arm = t2["office_id"].map(dict(zip(f["offices"]["office_id"], f["offices"]["arm"])))
    diff = t2.loc[arm == "tiltak", "act_deltid"].mean() - t2.loc[arm == "sammenligning", "act_deltid"].mean()
    assert diff > 0.1


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="ukjent effekt: lykke"):
        Params(effects={"lykke": 1})
    with pytest.raises(ValueError, match="partall"):
        Params(offices=7)
    assert set(EFFECTS) >= {"deltid", "faglig_kompetanse"}


def test_informants_add_up_to_the_inventory():
    """Persons in the qualitative inventory are spread over its sources so that the counts add up
    (the report's Table 2: five FM caseworkers in four interviews)."""
    from collections import Counter

    import pandas as pd

    from analysis.data import read_yaml
    from analysis.synth.simulate import BANK

    want = Counter()
    for row in read_yaml(BANK)["sources_inventory"]:
        if row.get("persons") and row["kind"] != "observasjon":
            want[(row["kind"], row["informant_group"], row["wave"])] += int(row["persons"])
    src = pd.read_csv(ROOT / "data" / "qual_sources.csv")
    got = src.groupby(["kind", "informant_group", "wave"])["n_informants"].sum()
    for key, persons in want.items():
        assert got[key] == persons, f"{key}: {got[key]} informants, inventory says {persons}"
