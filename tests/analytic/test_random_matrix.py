"""The semicircle and Marchenko–Pastur laws (docs/science.md §3.13): densities against
numerical integrals and the closed-form moments, CDFs against the integrated densities,
both against sampled eigenvalues, shapes and bad input."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import kstest

import ntklab
from ntklab.analytic.random_matrix import marchenko_pastur_cdf, semicircle_cdf

RATIOS = (0.05, 0.3, 0.5, 1.0)


def _edges(c):
    return (1 - np.sqrt(c)) ** 2, (1 + np.sqrt(c)) ** 2


def test_semicircle_integrates_to_one_with_unit_variance():
    moments = [quad(lambda v, k=k: v**k * ntklab.semicircle_pdf(v), -2, 2)[0] for k in range(5)]
    np.testing.assert_allclose(moments, [1.0, 0.0, 1.0, 0.0, 2.0], atol=1e-9)  # Catalan 1, 2


@pytest.mark.parametrize("c", RATIOS)
def test_marchenko_pastur_moments(c):
    lo, hi = _edges(c)
    # λ = r² (dλ = 2r dr) removes the 1/√λ edge at c = 1
    moments = [quad(lambda r, k=k: 2 * r * r ** (2 * k) * ntklab.marchenko_pastur_pdf(r * r, c),
                    np.sqrt(lo), np.sqrt(hi), limit=200)[0] for k in range(4)]
    # E λ = 1, E λ² = 1 + c, E λ³ = 1 + 3c + c²
    np.testing.assert_allclose(moments, [1.0, 1.0, 1 + c, 1 + 3 * c + c * c], rtol=1e-7)


@pytest.mark.parametrize("c", RATIOS)
def test_cdfs_are_the_integrated_densities(c):
    lo, hi = _edges(c)
    for v in np.linspace(lo, hi, 7)[1:]:
        want = quad(lambda t: ntklab.marchenko_pastur_pdf(t, c), lo, v, limit=200)[0]
        assert marchenko_pastur_cdf(v, c) == pytest.approx(want, abs=1e-8)
    for v in np.linspace(-2, 2, 9):
        want = quad(ntklab.semicircle_pdf, -2, v)[0]
        assert semicircle_cdf(v) == pytest.approx(want, abs=1e-10)
    assert marchenko_pastur_cdf(lo - 0.01, c) == 0.0 and marchenko_pastur_cdf(hi + 1, c) == 1.0


def test_zero_outside_and_shape_kept():
    lam = np.array([[-3.0, -2.0, 0.0], [2.0, 2.5, np.inf]])
    out = ntklab.semicircle_pdf(lam)
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out[[0, 1, 1, 1], [0, 0, 1, 2]], 0.0)
    assert out[0, 1] == 0.0 and out[0, 2] == pytest.approx(1 / np.pi)
    mp = ntklab.marchenko_pastur_pdf(lam, 0.25)
    assert mp.shape == (2, 3) and mp[0, 2] == 0.0 and mp[1, 2] == 0.0 and mp[0, 0] == 0.0
    assert np.ndim(ntklab.semicircle_pdf(0.3)) == 0
    assert np.ndim(ntklab.marchenko_pastur_pdf(1.0, 0.5)) == 0
    assert ntklab.marchenko_pastur_pdf(0.0, 1.0) == 0.0  # the support is (λ₋, λ₊]


def test_sampled_eigenvalues_follow_the_laws():
    """n = 400: KS distances of one sample (measured 0.005-0.01; the tests allow 0.03)."""
    rng = np.random.default_rng(0)
    n = 400
    G = rng.standard_normal((n, n))
    eig = np.linalg.eigvalsh((G + G.T) / np.sqrt(2 * n))
    assert kstest(eig, semicircle_cdf).statistic < 0.03
    assert np.mean(eig**2) == pytest.approx(1.0, abs=0.02)
    for c in (0.25, 1.0):
        X = rng.standard_normal((n, int(c * n)))
        eig = np.linalg.eigvalsh(X.T @ X / n)
        assert kstest(eig, lambda v, c=c: marchenko_pastur_cdf(v, c)).statistic < 0.03
        assert eig.mean() == pytest.approx(1.0, abs=0.02)
        assert np.mean(eig**2) == pytest.approx(1 + c, abs=0.05)


@pytest.mark.parametrize("ratio", [0.0, -0.5, 1.5, np.nan, np.inf, "half", True])
def test_bad_ratio_is_refused(ratio):
    with pytest.raises(ValueError, match="ratio"):
        ntklab.marchenko_pastur_pdf(1.0, ratio)


def test_nan_is_refused():
    with pytest.raises(ValueError, match="lam"):
        ntklab.semicircle_pdf([0.1, np.nan])
    with pytest.raises(ValueError, match="lam"):
        ntklab.marchenko_pastur_pdf([np.nan], 0.5)
    with pytest.raises(ValueError, match="lam"):
        ntklab.semicircle_pdf("x")
