"""Each exercise check accepts a correct answer and rejects typical wrong ones."""

import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from ntklab import checks
from ntklab.analytic.dynamics import gradient_flow
from ntklab.analytic.kernels import ntk
from ntklab.analytic.spectrum import eigenpairs, zero_crossings
from ntklab.finite.empirical import empirical_ntk
from ntklab.finite.model import apply, init_params


def _ntk_formula(x, x2):
    """Independent two-layer NTK (SCIENCE.md §2, closed form) written out here."""
    x, x2 = np.asarray(x, float), np.asarray(x2, float)
    dot = np.outer(x, x2) + 1
    norms = np.outer(np.sqrt(x**2 + 1), np.sqrt(x2**2 + 1))
    phi = np.arccos(np.clip(dot / norms, -1, 1))
    return (norms * np.sin(phi) + 2 * dot * (np.pi - phi)) / (2 * np.pi)


def _empirical(a, w, b, x):
    h = np.outer(x, w) + b
    S, D = np.maximum(h, 0), (h > 0) * a
    return (S @ S.T + (D @ D.T) * (np.outer(x, x) + 1)) / a.shape[0]


def test_ntk_formula_checks():
    checks.check_ntk_formula_shape(_ntk_formula)
    checks.check_ntk_formula(_ntk_formula)
    with pytest.raises(AssertionError, match="diagonal"):
        checks.check_ntk_formula_shape(lambda x, x2: 2 * _ntk_formula(x, x2))
    with pytest.raises(AssertionError, match="differs"):  # forgot the factor 2 in one term
        checks.check_ntk_formula(
            lambda x, x2: _ntk_formula(x, x2) + 0.01 * np.outer(x, x2) ** 2)
    with pytest.raises(AssertionError, match="not defined"):
        checks.check_ntk_formula_shape(...)


def test_empirical_formula_checks():
    checks.check_empirical_formula_shape(_empirical)
    checks.check_empirical_formula(_empirical)
    with pytest.raises(AssertionError, match="differs"):  # forgot the bias term (+1)
        checks.check_empirical_formula(
            lambda a, w, b, x: _empirical(a, w, b, x) - (
                ((np.outer(x, w) + b > 0) * a) @ ((np.outer(x, w) + b > 0) * a).T
            ) / a.shape[0])
    with pytest.raises(AssertionError, match="symmetric"):
        checks.check_empirical_formula_shape(lambda a, w, b, x: np.triu(_empirical(a, w, b, x)))


def test_width_error_checks():
    widths = np.array([64, 256, 1024, 4096])
    errors = 2.0 / np.sqrt(widths)
    checks.check_width_errors_shape(widths, errors)
    checks.check_width_errors(widths, errors)
    with pytest.raises(AssertionError, match="length"):
        checks.check_width_errors_shape(widths, errors[:-1])
    with pytest.raises(AssertionError):
        checks.check_width_errors(widths, errors[::-1])
    with pytest.raises(AssertionError, match="still"):
        checks.check_width_errors_shape(widths, ...)


def _count(v):
    s = np.sign(np.asarray(v))
    s = s[s != 0]
    return int(np.count_nonzero(s[1:] != s[:-1]))


def test_zero_crossing_checks():
    checks.check_count_function_shape(_count)
    checks.check_count_function(_count)
    with pytest.raises(AssertionError):
        checks.check_count_function_shape(lambda v: float(_count(v)))
    with pytest.raises(AssertionError):  # counts sign *values*, not changes
        checks.check_count_function(lambda v: int(np.sum(np.asarray(v) < 0)))
    x = np.linspace(-1, 1, 200)
    lam, V = eigenpairs(ntk(x), 12)
    crossings = zero_crossings(V, x)
    checks.check_crossings_shape(crossings, 12)
    checks.check_crossings(crossings, x)
    with pytest.raises(AssertionError):
        checks.check_crossings(crossings[::-1], x)
    with pytest.raises(AssertionError, match="length"):
        checks.check_crossings_shape(crossings, 10)
    rho = spearmanr(lam, crossings).statistic
    checks.check_rank_correlation_shape(rho)
    checks.check_rank_correlation(rho, lam, crossings)
    with pytest.raises(AssertionError):
        checks.check_rank_correlation(-rho, lam, crossings)
    with pytest.raises(AssertionError):
        checks.check_rank_correlation_shape(1.5)


def test_residual_checks():
    def residual_at(K, y, t):
        lam, V = np.linalg.eigh(K)
        return -V @ (np.exp(-lam * t) * (V.T @ y))

    checks.check_closed_form_shape(residual_at)
    checks.check_closed_form(residual_at)
    with pytest.raises(AssertionError):  # e^{+Kt}
        checks.check_closed_form(lambda K, y, t: residual_at(K, y, -t))
    with pytest.raises(AssertionError):
        checks.check_closed_form_shape(lambda K, y, t: y)
    lam = np.array([3.0, 1.0, 0.2])
    checks.check_decay_rates_shape(lam * 1.01, 3)
    checks.check_decay_rates(lam * 1.01, lam)
    with pytest.raises(AssertionError):
        checks.check_decay_rates(lam * 1.2, lam)
    with pytest.raises(AssertionError):
        checks.check_decay_rates_shape(-lam, 3)


def test_asi_checks():
    def asi_forward(p, q, x):
        return math.sqrt(0.5) * (np.asarray(apply(p, x)) - np.asarray(apply(q, x)))

    def asi_kernel(p, q, x):
        return 0.5 * (empirical_ntk(p, x) + empirical_ntk(q, x))

    checks.check_asi_forward_shape(asi_forward)
    checks.check_asi_forward(asi_forward)
    checks.check_asi_kernel_shape(asi_kernel)
    checks.check_asi_kernel(asi_kernel)
    with pytest.raises(AssertionError, match="exactly 0"):
        checks.check_asi_forward_shape(lambda p, q, x: np.asarray(apply(p, x)))
    with pytest.raises(AssertionError):  # sum instead of average: kernel doubles
        checks.check_asi_kernel(lambda p, q, x: empirical_ntk(p, x) + empirical_ntk(q, x))
    x = np.linspace(-1, 1, 9)
    ratio = np.mean(empirical_ntk(init_params(0, 32, trick="doubling"), x)
                    / empirical_ntk(init_params(0, 32), x))
    checks.check_doubling_ratio_shape(ratio)
    checks.check_doubling_ratio(ratio)
    with pytest.raises(AssertionError):
        checks.check_doubling_ratio(1.0)


def test_rmse_slope_checks():
    widths = np.array([64, 256, 1024])
    rmse = np.array([0.1, 0.04, 0.015])
    slope = np.polyfit(np.log(widths), np.log(rmse), 1)[0]
    checks.check_rmse_slope_shape(widths, rmse, slope)
    checks.check_rmse_slope(widths, rmse, slope)
    with pytest.raises(AssertionError, match="least-squares"):
        checks.check_rmse_slope(widths, rmse, -1.0)  # a hard-coded textbook value
    with pytest.raises(AssertionError, match="fall"):
        rising = rmse[::-1]
        checks.check_rmse_slope(widths, rising, np.polyfit(np.log(widths), np.log(rising), 1)[0])


def test_reference_residual_matches_flow():
    # the residual convention used by the exercise: u(t) = f_t(X) − Y with f_0 = 0
    x = np.linspace(-1, 1, 5)
    flow = gradient_flow(ntk(x), np.sin(x), [0.0])
    assert np.allclose(flow.train[0], 0.0)


def test_regimes_checks():
    """Exercise 6: RD of (w, b) against an independent formula; the regime from the slope."""
    def rd(p0, p):
        w0, b0, w, b = (np.asarray(t).ravel() for t in (p0.w[0], p0.b[0], p.w[0], p.b[0]))
        return float(np.linalg.norm(np.concatenate([w - w0, b - b0]))
                     / np.linalg.norm(np.concatenate([w0, b0])))

    checks.check_rd_function_shape(rd)
    checks.check_rd_function(rd)
    with pytest.raises(AssertionError, match="not counted"):
        checks.check_rd_function(lambda p0, p: rd(p0, p) * 1.01)
    with pytest.raises(AssertionError, match="should be 0"):
        checks.check_rd_function_shape(lambda p0, p: 1.0)
    settings = {"A": (0.5, 0.0), "B": (1.5, 0.0), "C": (1.0, 0.0)}
    widths = np.array([256, 4096])
    rds = {"A": np.array([0.22, 0.057]), "B": np.array([8.7, 18.0]), "C": np.array([1.8, 1.81])}
    slopes = {k: math.log(v[1] / v[0]) / math.log(16) for k, v in rds.items()}
    regimes = {"A": "linear", "B": "condensed", "C": "critical"}
    checks.check_regimes_shape(settings, widths, rds, slopes, regimes)
    checks.check_regimes(settings, widths, rds, slopes, regimes)
    with pytest.raises(AssertionError, match="says 'critical'"):
        checks.check_regimes(settings, widths, rds, slopes, {**regimes, "C": "condensed"})
    with pytest.raises(AssertionError, match="should be log"):
        checks.check_regimes(settings, widths, rds, {**slopes, "B": 0.5}, regimes)
    with pytest.raises(AssertionError, match="one of"):
        checks.check_regimes_shape(settings, widths, rds, slopes, {**regimes, "A": 1})
