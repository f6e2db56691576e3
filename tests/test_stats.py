"""Known answers for the cluster-robust and randomisation machinery in analysis.stats."""

from itertools import combinations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from analysis.stats import cluster, randomisation


def _balanced(G1=9, G0=9, n=5, seed=1):
    rng = np.random.default_rng(seed)
    G = G1 + G0
    g = np.repeat(np.arange(G), n)
    treat = (g < G1).astype(float)
    y = 0.3 * treat + rng.normal(size=G)[g] * 0.8 + rng.normal(size=G * n)
    return y, treat, g


@pytest.mark.parametrize("G1,G0", [(9, 9), (6, 10)])
def test_cr2_equals_welch_on_cluster_means_when_balanced(G1, G0):
    y, treat, g = _balanced(G1, G0)
    X = np.column_stack([np.ones_like(treat), treat])
    res = cluster.cr2_regression(X, y, g, coef=1)
    means = np.array([y[g == k].mean() for k in range(G1 + G0)])
    welch = cluster.cluster_ttest(means[:G1], means[G1:], equal_var=False)
    assert res.estimate == pytest.approx(welch.estimate, rel=1e-10)
    assert res.se == pytest.approx(welch.se, rel=1e-10)
    # BM df: the Welch–Satterthwaite df with equal (working-model) variances in both arms
    df_expected = (1 / G1 + 1 / G0) ** 2 / (1 / (G1**2 * (G1 - 1)) + 1 / (G0**2 * (G0 - 1)))
    assert res.df == pytest.approx(df_expected, rel=1e-8)
    if G1 == G0:
        assert res.df == pytest.approx(G1 + G0 - 2)


def test_cr2_equals_hc2_with_singleton_clusters():
    rng = np.random.default_rng(3)
    N = 40
    X = sm.add_constant(np.column_stack([rng.normal(size=N), rng.integers(0, 2, N)]))
    y = X @ [1.0, 0.5, -0.3] + rng.normal(size=N) * (1 + X[:, 2])
    _, V, _ = cluster.robust_vcov(X, y, np.arange(N), "CR2")
    hc2 = sm.OLS(y, X).fit(cov_type="HC2")
    np.testing.assert_allclose(np.sqrt(np.diag(V)), hc2.bse, rtol=1e-10)


@pytest.mark.parametrize("kind,correction", [("CR0", False), ("CR1", True)])
def test_cr0_cr1_equal_statsmodels_cluster(kind, correction):
    rng = np.random.default_rng(5)
    g = np.repeat(np.arange(18), rng.integers(2, 9, 18))
    N = len(g)
    X = sm.add_constant(np.column_stack([(g % 2).astype(float), rng.normal(size=N)]))
    y = X @ [0.2, 0.4, 1.0] + rng.normal(size=18)[g] + rng.normal(size=N)
    _, V, _ = cluster.robust_vcov(X, y, g, kind)
    fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g, "use_correction": correction})
    np.testing.assert_allclose(V, fit.cov_params(), rtol=1e-10)


def _dense_cr2(X, y, g, c):
    """The textbook CR2 and Bell–McCaffrey df with n_g × n_g matrices, as a reference."""
    M = np.linalg.inv(X.T @ X)
    e = y - X @ (M @ X.T @ y)
    meat, cols = 0, []
    for k in np.unique(g):
        idx = np.flatnonzero(g == k)
        Xg = X[idx]
        w, v = np.linalg.eigh(np.eye(len(idx)) - Xg @ M @ Xg.T)
        A = (v * np.where(w > 1e-12, 1 / np.sqrt(np.clip(w, 1e-12, None)), 0)) @ v.T
        u = Xg.T @ A @ e[idx]
        meat = meat + np.outer(u, u)
        a = A @ Xg @ M @ c
        p = -X @ M @ Xg.T @ a
        p[idx] += a
        cols.append(p)
    V = M @ meat @ M
    Gm = np.column_stack(cols)
    B = Gm.T @ Gm
    return V, np.trace(B) ** 2 / np.sum(B * B)


@pytest.mark.parametrize("seed", [11, 12])
def test_low_rank_cr2_equals_dense_cr2(seed):
    """The O(N·K²) CR2 and df equal the n_g × n_g textbook computation, covariates included,
    also for clusters where the treatment and the intercept are collinear (rank-deficient X_g)."""
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(12), rng.integers(1, 15, 12))
    N = len(g)
    X = np.column_stack([np.ones(N), (g % 2).astype(float), rng.normal(size=N), rng.integers(0, 2, N)])
    y = X @ [0.1, 0.3, 0.5, -0.2] + rng.normal(size=12)[g] + rng.normal(size=N)
    c = np.array([0.0, 1.0, 0.0, 0.0])
    _, V, parts = cluster.robust_vcov(X, y, g, "CR2")
    V_ref, df_ref = _dense_cr2(X, y, g, c)
    np.testing.assert_allclose(V, V_ref, rtol=1e-9)
    assert cluster.bm_df(parts, c) == pytest.approx(df_ref, rel=1e-9)


def test_cr2_is_linear_in_rows():
    """At ×100 the book has about 3 400 participants per office; dense CR2 would need 18
    eigendecompositions of 3 400 × 3 400 matrices.  The low-rank form handles 200 000 rows quickly."""
    import time

    rng = np.random.default_rng(2)
    g = rng.integers(0, 18, 200_000)
    X = np.column_stack([np.ones(len(g)), (g % 2).astype(float), rng.normal(size=len(g))])
    y = X @ [0.0, 0.1, 0.2] + rng.normal(size=18)[g] + rng.normal(size=len(g))
    t0 = time.perf_counter()
    res = cluster.cr2_regression(X, y, g, coef=1)
    assert time.perf_counter() - t0 < 5.0
    assert 10 < res.df < 17 and res.se > 0


def test_cr2_weighted_equals_transformed_ols():
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(10), 4)
    X = sm.add_constant((g % 2).astype(float))
    y = rng.normal(size=40)
    w = rng.uniform(0.5, 2, 40)
    b1, V1, _ = cluster.robust_vcov(X, y, g, "CR2", weights=w)
    b2, V2, _ = cluster.robust_vcov(X * np.sqrt(w)[:, None], y * np.sqrt(w), g, "CR2")
    np.testing.assert_allclose(b1, sm.WLS(y, X, weights=w).fit().params)
    np.testing.assert_allclose(V1, V2)


def test_randomisation_matches_brute_force():
    rng = np.random.default_rng(11)
    G, k = 6, 3
    Y = rng.normal(size=(G, 2))
    Y[:, 1] = np.round(Y[:, 1])  # ties
    treated = np.array([1, 0, 1, 1, 0, 0], dtype=float)
    obs, p = randomisation.randomisation_pvalues(Y, treated)
    for j in range(2):
        o = Y[treated == 1, j].mean() - Y[treated == 0, j].mean()
        stats_ = []
        for t in combinations(range(G), k):
            z = np.zeros(G, bool)
            z[list(t)] = True
            stats_.append(Y[z, j].mean() - Y[~z, j].mean())
        stats_ = np.array(stats_)
        assert obs[j] == pytest.approx(o)
        assert p[j] == pytest.approx(np.mean(np.abs(stats_) >= abs(o) - 1e-9))
    assert randomisation.allocations(6, 3).shape == (20, 6)
    assert randomisation.allocations(18, 9).shape == (48620, 18)
    assert randomisation.allocations(18, 9) is randomisation.allocations(18, 9)  # cached


def test_randomisation_with_a_missing_cluster_uses_the_clusters_it_has():
    """An office without answers (NaN) used to make every allocation's statistic NaN, so that no
    allocation counted as extreme and p printed as «p < 0,001»."""
    rng = np.random.default_rng(5)
    Y = rng.normal(size=(8, 2))
    treated = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=float)
    Y[2, 1] = np.nan
    obs, p = randomisation.randomisation_pvalues(Y, treated)
    o0, p0 = randomisation.randomisation_pvalues(Y[:, :1], treated)
    assert obs[0] == o0[0] and p[0] == p0[0]  # the complete column as before
    keep = np.arange(8) != 2
    o1, p1 = randomisation.randomisation_pvalues(Y[keep, 1:], treated[keep])
    assert obs[1] == pytest.approx(o1[0]) and p[1] == p1[0] and p[1] >= 1 / 35
    Y[:4, 1] = np.nan  # no treated office left: not testable
    assert np.isnan(randomisation.randomisation_pvalues(Y, treated)[1][1])


def test_randomisation_is_fast_for_many_outcomes():
    import time

    Y = np.random.default_rng(0).normal(size=(18, 20))
    treated = np.r_[np.ones(9), np.zeros(9)]
    randomisation.allocations(18, 9)
    t0 = time.perf_counter()
    _, p = randomisation.randomisation_pvalues(Y, treated)
    assert time.perf_counter() - t0 < 1.0
    assert ((p > 0) & (p <= 1)).all()


def test_icc_anova_constructed():
    # balanced: 3 clusters of 2: MSB = 2·Var(means)·..., computed by hand
    y = np.array([1.0, 3.0, 4.0, 6.0, 7.0, 9.0])
    g = np.array([0, 0, 1, 1, 2, 2])
    # means 2, 5, 8; grand 5; SSB = 2·(9+0+9) = 36, MSB = 18; SSW = 6·... each pair ±1 → 6, MSW = 2
    icc, m = cluster.icc_anova(y, g)
    assert icc == pytest.approx((18 - 2) / (18 + 2))
    assert m == 2
    assert cluster.design_effect(icc, m) == pytest.approx(1 + icc)
    # no clustering in expectation -> ICC near 0 on a large random sample
    rng = np.random.default_rng(2)
    icc0, _ = cluster.icc_anova(rng.normal(size=5000), np.repeat(np.arange(50), 100))
    assert abs(icc0) < 0.02


def test_icc_within_arms_hand_computed():
    # arm a: clusters {1,3} and {5,7}; arm b: {10,12} and {11,13,15}
    y = np.array([1.0, 3, 5, 7, 10, 12, 11, 13, 15])
    g = np.array([0, 0, 1, 1, 2, 2, 3, 3, 3])
    arm = np.array(["a"] * 4 + ["b"] * 5)
    # arm means 4 and 12,2; SSB = 2·2² + 2·2² + 2·1,2² + 3·0,8² = 20,8 on G − A = 2 df -> MSB = 10,4
    # SSW = 2 + 2 + 2 + 8 = 14 on N − G = 5 df -> MSW = 2,8
    # n0 = (9 − (2² + 2²)/4 − (2² + 3²)/5) / 2 = 2,2
    icc, m = cluster.icc_anova(y, g, arm=arm)
    assert icc == pytest.approx((10.4 - 2.8) / (10.4 + 1.2 * 2.8))
    assert m == pytest.approx(2.25)
    assert cluster.design_effect(icc, m) == pytest.approx(1 + 1.25 * 7.6 / 13.76)
    # across arms the arm difference counts as clustering and the ICC is larger
    assert cluster.icc_anova(y, g)[0] > icc + 0.3


def test_icc_within_arms_is_the_anova_with_arm_as_fixed_factor():
    rng = np.random.default_rng(4)
    g = np.repeat(np.arange(12), rng.integers(2, 9, 12))
    arm = (g % 2).astype(float)
    y = 2.0 * arm + 0.7 * rng.normal(size=12)[g] + rng.normal(size=len(g))
    rss = lambda X: float(np.sum((y - X @ np.linalg.lstsq(X, y, rcond=None)[0]) ** 2))  # noqa: E731
    D = (g[:, None] == np.arange(12)).astype(float)
    rss_arm, rss_cl = rss(np.column_stack([np.ones_like(y), arm])), rss(D)
    msb, msw = (rss_arm - rss_cl) / (12 - 2), rss_cl / (len(y) - 12)
    sizes = np.bincount(g).astype(float)
    n0 = (len(y) - sum(np.sum(sizes[k::2] ** 2) / sizes[k::2].sum() for k in (0, 1))) / (12 - 2)
    icc, _ = cluster.icc_anova(y, g, arm=arm)
    assert icc == pytest.approx((msb - msw) / (msb + (n0 - 1) * msw), rel=1e-10)


def test_icc_within_arms_equals_reml_with_arm_in_a_balanced_design():
    from analysis.stats import mixed

    rng = np.random.default_rng(12)
    g = np.repeat(np.arange(14), 7)
    arm = (g < 7).astype(float)
    y = 1.5 * arm + 0.6 * rng.normal(size=14)[g] + rng.normal(size=len(g))
    icc, _ = cluster.icc_anova(y, g, arm=arm)
    fit = mixed.random_intercept(np.column_stack([np.ones(len(g)), arm]), y, g)
    assert icc > 0.05
    # balanced one-way layout: REML's variance components are the ANOVA ones
    assert fit.tau2 / (fit.tau2 + fit.sigma2) == pytest.approx(icc, rel=1e-5)


def test_icc_is_truncated_at_zero_and_arm_must_be_constant_in_a_cluster():
    # cluster means equal their arm mean: MSB = 0 < MSW, the raw estimate is negative
    y = np.array([1.0, 3, 0, 4, 10, 12, 9, 13])
    g = np.repeat(np.arange(4), 2)
    assert cluster.icc_anova(y, g, arm=[0, 0, 0, 0, 1, 1, 1, 1])[0] == 0.0
    assert cluster.design_effect(0.0, 2.0) == 1.0
    with pytest.raises(ValueError, match="arm"):
        cluster.icc_anova(y, g, arm=[0, 1, 0, 0, 1, 1, 1, 1])


def test_cluster_ttest_equals_scipy():
    a, b = np.array([1.0, 2, 4, 3]), np.array([0.5, 1, 1.5, 0, 2])
    r = cluster.cluster_ttest(a, b)
    assert r.p == pytest.approx(stats.ttest_ind(a, b).pvalue)
    r2 = cluster.cluster_ttest(a, b, equal_var=False)
    assert r2.p == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)


@pytest.mark.parametrize("tau", [0.0, 0.5, 1.5])
def test_random_intercept_reml_equals_statsmodels_mixedlm(tau):
    import warnings

    from analysis.stats import mixed

    rng = np.random.default_rng(21)
    g = np.repeat(np.arange(18), rng.integers(3, 30, 18))
    N = len(g)
    X = sm.add_constant(np.column_stack([(g % 2).astype(float), rng.normal(size=N)]))
    y = X @ [1.0, 0.4, 0.3] + tau * rng.normal(size=18)[g] + rng.normal(size=N)
    ours = mixed.random_intercept(X, y, g)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sm.MixedLM(y, X, groups=g).fit(reml=True)
    np.testing.assert_allclose(ours.params, ref.fe_params, rtol=1e-4, atol=1e-5)
    # at the boundary (τ² ≈ 0) statsmodels stops just inside it; the SEs then agree to ~1 %
    np.testing.assert_allclose(ours.bse, ref.bse_fe, rtol=1e-3 if tau else 2e-2, atol=1e-5)
    assert ours.sigma2 == pytest.approx(ref.scale, rel=1e-3 if tau else 2e-2)
    assert ours.tau2 == pytest.approx(float(np.asarray(ref.cov_re)[0, 0]), rel=1e-2, abs=1e-4)


def test_random_intercept_se_at_the_boundary_is_ols_with_v():
    from analysis.stats import mixed

    rng = np.random.default_rng(5)
    g = np.repeat(np.arange(18), 6)
    e = rng.normal(size=len(g))
    e -= np.bincount(g, weights=e)[g] / 6          # cluster means exactly 0: office variance estimated as 0
    X = np.column_stack([np.ones(len(g)), (g < 9).astype(float), rng.normal(size=len(g))])
    y = X @ [1.0, 0.3, 0.5] + e
    fit = mixed.random_intercept(X, y, g)
    assert fit.tau2 == 0.0
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    s2 = np.sum((y - X @ beta) ** 2) / (len(y) - 3)  # V = σ²I at the boundary
    np.testing.assert_allclose(fit.params, beta, rtol=1e-10)
    np.testing.assert_allclose(fit.bse, np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X))), rtol=1e-10)


def test_random_intercept_se_is_x_vinv_x_and_p_uses_t_on_between_within_df():
    from analysis.stats import mixed

    rng = np.random.default_rng(8)
    g = np.repeat(np.arange(18), rng.integers(3, 12, 18))
    N = len(g)
    X = np.column_stack([np.ones(N), (g % 2).astype(float), rng.normal(size=N)])
    y = X @ [0.0, 0.4, 0.3] + 0.8 * rng.normal(size=18)[g] + rng.normal(size=N)
    fit = mixed.random_intercept(X, y, g)
    assert fit.tau2 > 0
    Zc = (g[:, None] == np.arange(18)).astype(float)
    V = fit.sigma2 * np.eye(N) + fit.tau2 * Zc @ Zc.T
    cov = np.linalg.inv(X.T @ np.linalg.solve(V, X))
    np.testing.assert_allclose(fit.bse, np.sqrt(np.diag(cov)), rtol=1e-8)
    # intercept and treatment are office-level (G − 2 = 16), the covariate varies within offices
    np.testing.assert_array_equal(fit.df, [16, 16, N - 18 - 1])
    est, lo, hi, p = fit.contrast(1)
    assert p == pytest.approx(2 * stats.t.sf(abs(est / fit.bse[1]), 16), rel=1e-10)
    assert hi - est == pytest.approx(stats.t.ppf(0.975, 16) * fit.bse[1], rel=1e-10)


def test_dist_equals_scipy_stats():
    """analysis.stats.dist (scipy.special) gives what scipy.stats gives."""
    from analysis.stats import dist

    x = np.array([0.0, 0.3, 1.7, 2.5, 6.0])
    for df in (3, 10.667, 16, 611.5):
        np.testing.assert_allclose(dist.t_sf(x, df), stats.t.sf(x, df), rtol=1e-12)
        np.testing.assert_allclose(dist.t_ppf([0.025, 0.5, 0.975], df), stats.t.ppf([0.025, 0.5, 0.975], df), rtol=1e-10)
        np.testing.assert_allclose(dist.chi2_sf(x, df), stats.chi2.sf(x, df), rtol=1e-12)
    np.testing.assert_allclose(dist.norm_sf(x), stats.norm.sf(x), rtol=1e-12)
    np.testing.assert_allclose(dist.norm_ppf([0.025, 0.975]), stats.norm.ppf([0.025, 0.975]), rtol=1e-12)
    rng = np.random.default_rng(9)
    for n1, n0 in ((9, 9), (5, 12), (2, 1)):
        a, b = rng.normal(size=n1), rng.normal(0.5, 2, size=n0)
        assert dist.ttest_ind_p(a, b) == pytest.approx(stats.ttest_ind(a, b).pvalue, rel=1e-10)
    for k1, n1, k0, n0 in ((12, 40, 20, 38), (0, 10, 3, 12), (5, 5, 2, 9)):
        ref = stats.chi2_contingency([[k1, n1 - k1], [k0, n0 - k0]], correction=False)[1]
        assert dist.chi2_2x2_p(k1, n1, k0, n0) == pytest.approx(ref, rel=1e-10)
    assert np.isnan(dist.chi2_2x2_p(0, 10, 0, 12))
