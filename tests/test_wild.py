"""The restricted wild cluster bootstrap against an explicit refit per sign pattern and against ``wildboottest``."""

import warnings

import numpy as np
import pytest

from analysis.stats import wild


def _data(G, seed, effect=0.3):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(G), rng.integers(3, 15, G))
    N = len(g)
    X = np.column_stack([np.ones(N), (g % 2).astype(float), rng.normal(size=N)])
    y = X @ [1.0, effect, 0.2] + 0.5 * rng.normal(size=G)[g] + rng.normal(size=N)
    return X, y, g


def _brute_force(X, y, g, V):
    """Refit OLS with an explicit CR1 variance for every row of weights V (restricted: coefficient 1 = 0)."""
    G, (N, K) = g.max() + 1, X.shape
    M = np.linalg.inv(X.T @ X)

    def t(yy):
        b = M @ X.T @ yy
        e = yy - X @ b
        meat = sum(np.outer(X[g == k].T @ e[g == k], X[g == k].T @ e[g == k]) for k in range(G))
        return b[1] / np.sqrt((M @ meat @ M)[1, 1] * G / (G - 1) * (N - 1) / (N - K))

    Xr = X[:, [0, 2]]
    fit = Xr @ np.linalg.lstsq(Xr, y, rcond=None)[0]
    t0 = t(y)
    tb = np.array([t(fit + v[g] * (y - fit)) for v in V])
    return t0, float(np.mean(np.abs(tb) > abs(t0) * (1 + 1e-9)))


def test_weights_are_webbs_six_points_with_equal_probability():
    V, enumerated = wild.weight_matrix(18, 60000, "webb", rng=1)
    assert not enumerated and V.shape == (60000, 18)
    vals, counts = np.unique(V, return_counts=True)
    np.testing.assert_allclose(vals, [-np.sqrt(1.5), -1, -np.sqrt(0.5), np.sqrt(0.5), 1, np.sqrt(1.5)])
    assert np.abs(counts / V.size - 1 / 6).max() < 0.003
    assert np.mean(V**2) == pytest.approx(1, abs=0.01) and abs(np.mean(V)) < 0.01
    R, enumerated = wild.weight_matrix(8, 9999, "rademacher")
    assert enumerated and len({tuple(r) for r in R}) == 256


def test_rademacher_enumeration_equals_an_explicit_refit_for_every_sign_pattern():
    X, y, g = _data(8, 3)
    r = wild.wild_cluster_bootstrap(X, y, g, coef=1, B=9999, weights="rademacher")
    assert r.enumerated and r.draws == 2**8
    t0, p = _brute_force(X, y, g, wild.weight_matrix(8, 9999, "rademacher")[0])
    assert r.t == pytest.approx(t0, rel=1e-10)
    assert r.p == p  # a multiple of 1/256, exactly
    # and Webb weights: the same draws give the same p as the explicit refit
    V, _ = wild.weight_matrix(8, 400, "webb", rng=7)
    assert wild.wild_cluster_bootstrap(X, y, g, coef=1, B=400, weights="webb", seed=7).p == _brute_force(X, y, g, V)[1]


@pytest.mark.parametrize("seed", [3, 11])
def test_agrees_with_the_wildboottest_package(seed):
    pytest.importorskip("wildboottest")
    import statsmodels.api as sm
    from wildboottest.wildboottest import wildboottest

    X, y, g = _data(10, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref_rad = wildboottest(sm.OLS(y, X), param="x1", cluster=g, B=5000, weights_type="rademacher",
                               impose_null=True, bootstrap_type="11", seed=1, show=False)
        ref_webb = wildboottest(sm.OLS(y, X), param="x1", cluster=g, B=49999, weights_type="webb",
                                impose_null=True, bootstrap_type="11", seed=1, show=False)
    rad = wild.wild_cluster_bootstrap(X, y, g, coef=1, B=5000, weights="rademacher")
    # full enumeration: the same 1024 patterns; the package counts the two patterns that reproduce ±t
    # (a tie) as floating point falls, so the p-values agree up to 2/1024
    assert abs(rad.p - float(ref_rad["p-value"].iloc[0])) <= 2 / 1024 + 1e-12
    assert rad.t == pytest.approx(float(ref_rad["statistic"].iloc[0]), rel=1e-8)
    webb = wild.wild_cluster_bootstrap(X, y, g, coef=1, B=49999, weights="webb", seed=2)
    p = float(ref_webb["p-value"].iloc[0])
    assert abs(webb.p - p) < 4 * np.sqrt(2 * p * (1 - p) / 49999) + 1e-4        # two independent draws


def test_rejects_at_about_the_nominal_level_with_few_clusters():
    rng = np.random.default_rng(0)
    G, trials = 12, 300
    g = np.repeat(np.arange(G), 8)
    X = np.column_stack([np.ones(len(g)), (g < G // 2).astype(float)])
    rej = 0
    for i in range(trials):
        y = rng.normal(size=G)[g] + rng.normal(size=len(g))
        rej += wild.wild_cluster_bootstrap(X, y, g, B=399, seed=i).p < 0.05
    assert 0.02 <= rej / trials <= 0.09


def test_bad_input_is_refused_in_norwegian():
    X, y, g = _data(8, 1)
    with pytest.raises(ValueError, match="vekttype"):
        wild.wild_cluster_bootstrap(X, y, g, weights="mammen")
    with pytest.raises(ValueError, match="tre klynger"):
        wild.wild_cluster_bootstrap(X[:10], y[:10], np.r_[np.zeros(5), np.ones(5)])
