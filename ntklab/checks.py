"""Checks for the course exercises in ``notebooks/exercises/`` (otter-grader calls these).

Every check is a plain function that returns ``None`` when the answer is acceptable and
raises ``AssertionError`` with a message a student can act on otherwise. The ``*_shape``
/ ``*_sane`` checks are the public sanity checks (exists, shape, range); the others compare
against ntklab's own implementation or the student's own data and are used as hidden tests.

Checks never hard-code a source's claim (docs/science.md): a fitted slope is checked for sign,
plausibility and consistency with the student's own measurements, not for a textbook value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .analytic.metrics import fit_power_law

__all__ = [
    "POOLINGS",
    "REGIMES",
    "SLOPE_ZERO",
    "check_asi_forward",
    "check_asi_forward_shape",
    "check_asi_kernel",
    "check_asi_kernel_shape",
    "check_closed_form",
    "check_closed_form_shape",
    "check_cnn_comparison",
    "check_cnn_comparison_shape",
    "check_count_function",
    "check_count_function_shape",
    "check_crossings",
    "check_crossings_shape",
    "check_decay_rates",
    "check_decay_rates_shape",
    "check_doubling_ratio",
    "check_doubling_ratio_shape",
    "check_empirical_formula",
    "check_empirical_formula_shape",
    "check_kernel_accuracies",
    "check_kernel_accuracies_shape",
    "check_kernel_predict",
    "check_kernel_predict_shape",
    "check_ks",
    "check_ks_shape",
    "check_ntk_formula",
    "check_ntk_formula_shape",
    "check_rank_correlation",
    "check_rank_correlation_shape",
    "check_rd_function",
    "check_rd_function_shape",
    "check_regimes",
    "check_regimes_shape",
    "check_rmse_slope",
    "check_rmse_slope_shape",
    "check_rnn_variance",
    "check_rnn_variance_shape",
    "check_semicircle",
    "check_semicircle_shape",
    "check_width_errors",
    "check_width_errors_shape",
]


def _array(value, name, *, ndim=None, length=None, shape=None):
    assert value is not None, f"{name} is None: did you fill in the ... ?"
    if value is Ellipsis:
        raise AssertionError(f"{name} is still ...: replace it with your answer")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AssertionError(f"{name} must be an array of numbers, got {type(value)}") from exc
    if ndim is not None:
        assert arr.ndim == ndim, f"{name} must be {ndim}-D, got shape {arr.shape}"
    if length is not None:
        assert arr.shape[0] == length, f"{name} must have length {length}, got {arr.shape[0]}"
    if shape is not None:
        assert arr.shape == shape, f"{name} must have shape {shape}, got {arr.shape}"
    assert np.all(np.isfinite(arr)), f"{name} contains NaN or inf"
    return arr


def _callable(fn, name):
    assert fn is not None and fn is not Ellipsis, f"{name} is not defined yet"
    assert callable(fn), f"{name} must be a function, got {type(fn)}"


def _close(got, want, name, rtol):
    err = float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), 1e-300))
    assert err <= rtol, f"{name} differs from the reference by {err:.2e} (relative; allowed {rtol})"


# ------------------------------------------------------------------ exercise 1: NTK formula


def check_ntk_formula_shape(fn: Callable) -> None:
    """Public: ``fn(x, x2)`` returns an (n, n2) finite array and K(x, x) = x² + 1."""
    _callable(fn, "ntk_formula")
    x, x2 = np.array([-1.0, -0.3, 0.0, 0.4, 1.0]), np.array([-0.5, 0.2, 0.9])
    _array(fn(x, x2), "ntk_formula(x, x2)", shape=(5, 3))
    K = _array(fn(x, x), "ntk_formula(x, x)", shape=(5, 5))
    assert np.allclose(K, K.T, rtol=1e-10, atol=1e-12), "K(x, x) must be symmetric"
    assert np.allclose(np.diag(K), x**2 + 1, rtol=1e-8), (
        f"the diagonal K(x, x) should equal x² + 1 = {x**2 + 1}, got {np.diag(K)}"
    )


def check_ntk_formula(fn: Callable) -> None:
    """Hidden: ``fn(x, x2)`` equals :func:`ntklab.ntk` (two-layer, s = 1) to 1e-8."""
    from .analytic.kernels import ntk

    _callable(fn, "ntk_formula")
    rng = np.random.default_rng(11)
    x, x2 = rng.uniform(-3, 3, 17), rng.uniform(-3, 3, 9)
    _close(_array(fn(x, x2), "ntk_formula(x, x2)", shape=(17, 9)), ntk(x, x2),
           "ntk_formula", 1e-8)


def _two_layer(seed, m):
    """Plain arrays (a, w, b) of a two-layer net and the Params they came from."""
    from .finite.model import init_params

    p = init_params(seed, m)
    a, w, b = (np.asarray(t[0], dtype=np.float64) for t in (p.a, p.w[0], p.b[0]))
    return p, a, w, b


def check_empirical_formula_shape(fn: Callable) -> None:
    """Public: ``fn(a, w, b, x)`` returns a symmetric, positive semi-definite (n, n) array."""
    _callable(fn, "empirical_formula")
    rng = np.random.default_rng(3)
    a, w, b = rng.standard_normal((3, 32))
    x = np.linspace(-1, 1, 6)
    K = _array(fn(a, w, b, x), "empirical_formula(a, w, b, x)", shape=(6, 6))
    assert np.allclose(K, K.T, rtol=1e-10, atol=1e-12), "the empirical NTK must be symmetric"
    lam_min = float(np.linalg.eigvalsh((K + K.T) / 2)[0])
    assert lam_min >= -1e-8 * float(np.max(np.abs(K))), (
        f"the empirical NTK must be positive semi-definite; smallest eigenvalue {lam_min:.3g}"
    )


def check_empirical_formula(fn: Callable) -> None:
    """Hidden: ``fn(a, w, b, x)`` equals :func:`ntklab.empirical_ntk` of that net to 1e-8."""
    from .finite.empirical import empirical_ntk

    _callable(fn, "empirical_formula")
    p, a, w, b = _two_layer(5, 64)
    x = np.linspace(-2, 2, 9)
    got = _array(fn(a, w, b, x), "empirical_formula(a, w, b, x)", shape=(9, 9))
    _close(got, empirical_ntk(p, x), "empirical_formula", 1e-8)


def check_width_errors_shape(widths, errors) -> None:
    """Public: one positive finite error per width."""
    widths = _array(widths, "widths", ndim=1)
    errors = _array(errors, "errors", ndim=1, length=widths.shape[0])
    assert widths.shape[0] >= 3, "use at least three widths"
    assert np.all(errors > 0), "relative errors must be positive"


def check_width_errors(widths, errors) -> None:
    """Hidden: the error falls with width; the log-log slope is plausible (not a fixed value).

    The slope must lie in [−1, −0.2]; theory (law of large numbers) suggests about −1/2, but
    the check asks only for a clear decrease measured on the student's own data.
    """
    check_width_errors_shape(widths, errors)
    widths, errors = np.asarray(widths, float), np.asarray(errors, float)
    order = np.argsort(widths)
    assert errors[order][-1] < errors[order][0], "the error should be smaller at the largest width"
    slope = fit_power_law(widths, errors)[0]
    assert -1.0 <= slope <= -0.2, f"the fitted log-log slope {slope:.2f} is implausible"


# ------------------------------------------------------------------ exercise 2: zero crossings


def check_count_function_shape(fn: Callable) -> None:
    """Public: ``fn(v)`` returns an integer count on simple examples."""
    _callable(fn, "count_zero_crossings")
    got = fn(np.array([1.0, -1.0, 2.0, 3.0]))
    assert isinstance(got, (int, np.integer)), f"return an int, got {type(got)}"
    assert int(got) == 2, f"[1, -1, 2, 3] crosses zero twice, got {got}"


def check_count_function(fn: Callable) -> None:
    """Hidden: agrees with :func:`ntklab.zero_crossings` on random and smooth vectors and on
    vectors with exact zeros (which the count skips)."""
    from .analytic.spectrum import zero_crossings

    _callable(fn, "count_zero_crossings")
    rng = np.random.default_rng(0)
    tests = [rng.standard_normal(50) for _ in range(5)]
    tests += [np.sin(k * np.linspace(0.1, 3.0, 200)) for k in (1, 4, 9)]
    # exact zeros are skipped: [1, 0, -1] is one crossing, [1, 0, 0, 1] none
    tests += [np.array(v, dtype=float) for v in ([1, 0, -1], [1, 0, 1], [0, 0, 1, -1],
                                                  [1, 0, 0, -1, 0, 1], [-2, 0, 0, 0, -1])]
    tests += [rng.integers(-1, 2, 30).astype(float) for _ in range(5)]
    for v in tests:
        want = zero_crossings(v)
        got = fn(v)
        assert int(got) == want, f"expected {want} crossings, got {got}"


def check_crossings_shape(crossings, k) -> None:
    """Public: k non-negative integer counts."""
    arr = _array(crossings, "crossings", ndim=1, length=int(k))
    assert np.all(arr >= 0) and np.all(arr == np.round(arr)), "counts are non-negative integers"


def check_crossings(crossings, x) -> None:
    """Hidden: each count within 1 of the reference for the top-k eigenvectors of ntk(x)."""
    from .analytic.kernels import ntk
    from .analytic.spectrum import eigenpairs, zero_crossings

    x = _array(x, "x", ndim=1)
    arr = _array(crossings, "crossings", ndim=1)
    _, V = eigenpairs(ntk(x), arr.shape[0])
    want = zero_crossings(V, x)
    worst = int(np.max(np.abs(arr - want)))
    assert worst <= 1, f"some counts differ from the reference by {worst}"


def check_rank_correlation_shape(rho) -> None:
    """Public: a number in [−1, 1]."""
    rho = float(_array(rho, "rho", ndim=0))
    assert -1.0 <= rho <= 1.0, f"a correlation lies in [-1, 1], got {rho}"


def check_rank_correlation(rho, lam, crossings) -> None:
    """Hidden: ρ is the Spearman correlation of the student's (λ, crossings) and is negative."""
    from scipy.stats import spearmanr

    check_rank_correlation_shape(rho)
    lam = _array(lam, "lam", ndim=1)
    crossings = _array(crossings, "crossings", ndim=1, length=lam.shape[0])
    want = float(spearmanr(lam, crossings).statistic)
    assert abs(float(rho) - want) < 1e-6, f"Spearman ρ of your data is {want:.4f}, got {rho}"
    assert want < 0, "larger eigenvalues should come with fewer zero crossings"


# ------------------------------------------------------------------ exercise 3: residual decay


def _small_problem():
    from .analytic.kernels import ntk

    x = np.linspace(-1, 1, 12)
    return ntk(x), np.sin(3 * x)


def check_closed_form_shape(fn: Callable) -> None:
    """Public: ``fn(K, y, t)`` returns the residual, shape (n,), equal to −y at t = 0."""
    _callable(fn, "residual_at")
    K, y = _small_problem()
    u0 = _array(fn(K, y, 0.0), "residual_at(K, y, 0)", shape=y.shape)
    assert np.allclose(u0, -y, atol=1e-10), "at t = 0 (f_0 = 0) the residual f − y is −y"


def check_closed_form(fn: Callable) -> None:
    """Hidden: ``fn(K, y, t)`` equals f_t(X) − Y of :func:`ntklab.gradient_flow` (f_0 = 0)."""
    from .analytic.dynamics import gradient_flow

    _callable(fn, "residual_at")
    K, y = _small_problem()
    for t in (0.01, 0.3, 5.0):
        want = gradient_flow(K, y, [t]).train[0] - y
        got = _array(fn(K, y, t), f"residual_at(K, y, {t})", shape=y.shape)
        assert np.allclose(got, want, atol=1e-8 * np.max(np.abs(y))), f"wrong residual at t = {t}"


def check_decay_rates_shape(rates, k) -> None:
    """Public: k positive finite rates."""
    arr = _array(rates, "rates", ndim=1, length=int(k))
    assert np.all(arr > 0), "decay rates are positive"


def check_decay_rates(rates, lam) -> None:
    """Hidden: each measured rate is within 5 % of the eigenvalue λ_i."""
    lam = _array(lam, "lam", ndim=1)
    arr = _array(rates, "rates", ndim=1, length=lam.shape[0])
    rel = np.abs(arr / lam - 1.0)
    assert np.max(rel) < 0.05, f"rate/λ − 1 reaches {np.max(rel):.3f} (allowed 0.05)"


# ------------------------------------------------------------------ exercise 4: ASI


def _pair(m=48):
    from .finite.model import init_params

    return init_params(1, m), init_params(2, m)


def check_asi_forward_shape(fn: Callable) -> None:
    """Public: ``fn(theta, theta_prime, x)`` has shape (n,) and is exactly 0 when θ′ = θ."""
    _callable(fn, "asi_forward")
    p, _ = _pair()
    x = np.linspace(-1, 1, 7)
    out = _array(fn(p, p, x), "asi_forward(theta, theta, x)", shape=(7,))
    assert np.max(np.abs(out)) == 0.0, f"with θ′ = θ the output must be exactly 0, got {out}"


def check_asi_forward(fn: Callable) -> None:
    """Hidden: ``fn`` equals (√2/2)(f(x; θ) − f(x; θ′)) for θ′ ≠ θ."""
    from .finite.model import apply

    _callable(fn, "asi_forward")
    p, q = _pair()
    x = np.linspace(-1, 1, 7)
    want = math.sqrt(0.5) * (np.asarray(apply(p, x)) - np.asarray(apply(q, x)))
    _close(_array(fn(p, q, x), "asi_forward", shape=(7,)), want, "asi_forward", 1e-10)


def check_asi_kernel_shape(fn: Callable) -> None:
    """Public: ``fn(theta, theta_prime, x)`` is a symmetric (n, n) array."""
    _callable(fn, "asi_kernel")
    p, q = _pair()
    x = np.linspace(-1, 1, 5)
    K = _array(fn(p, q, x), "asi_kernel", shape=(5, 5))
    assert np.allclose(K, K.T, rtol=1e-10, atol=1e-12), "the kernel must be symmetric"


def check_asi_kernel(fn: Callable) -> None:
    """Hidden: at θ′ = θ the ASI kernel equals the plain kernel; for θ′ ≠ θ it is ½K(θ) + ½K(θ′)."""
    from .finite.empirical import empirical_ntk

    _callable(fn, "asi_kernel")
    p, q = _pair()
    x = np.linspace(-1, 1, 5)
    Kp, Kq = empirical_ntk(p, x), empirical_ntk(q, x)
    _close(_array(fn(p, p, x), "asi_kernel(θ, θ)", shape=(5, 5)), Kp, "asi_kernel(θ, θ)", 1e-8)
    _close(_array(fn(p, q, x), "asi_kernel(θ, θ′)", shape=(5, 5)), 0.5 * (Kp + Kq),
           "asi_kernel(θ, θ′)", 1e-8)


def check_doubling_ratio_shape(ratio) -> None:
    """Public: a positive finite number."""
    r = float(_array(ratio, "ratio", ndim=0))
    assert r > 0, f"a ratio of kernels is positive, got {r}"


def check_doubling_ratio(ratio) -> None:
    """Hidden: for the two-layer net the doubling trick doubles the whole kernel."""
    check_doubling_ratio_shape(ratio)
    assert abs(float(ratio) - 2.0) < 1e-6, f"expected the kernel to double, got ratio {ratio}"


# ------------------------------------------------------------------ exercise 5: RMSE vs width


def check_rmse_slope_shape(widths, rmse, slope) -> None:
    """Public: one positive RMSE per width and a finite slope."""
    widths = _array(widths, "widths", ndim=1)
    assert widths.shape[0] >= 3, "use at least three widths"
    rmse = _array(rmse, "rmse", ndim=1, length=widths.shape[0])
    assert np.all(rmse > 0), "an RMSE between two different models is positive"
    _array(slope, "slope", ndim=0)


def check_rmse_slope(widths, rmse, slope) -> None:
    """Hidden: the slope is the least-squares fit of log rmse on log width, and negative.

    No value is imposed (Lee et al. say "about 1/N"; for this net and loss the measured slope
    need not be −1): the student reports what they measured.
    """
    check_rmse_slope_shape(widths, rmse, slope)
    want = fit_power_law(np.asarray(widths, float), np.asarray(rmse, float))[0]
    assert abs(float(slope) - want) < 1e-6, f"the least-squares slope of your data is {want:.4f}"
    assert want < 0, f"RMSE(NN, linearized) should fall with width; your slope is {want:.3f}"


# ------------------------------------------------------------------ exercise 6: regimes

REGIMES = ("linear", "critical", "condensed")
SLOPE_ZERO = 0.1  # exercise 6: a two-width slope within ±0.1 "is" 0 (critical)


def _rd_pair(seed=0, m=40):
    """θ₀ of a mean-field net and a copy whose a, w and b are moved by different amounts."""
    from .finite.model import Params, init_params

    p0 = init_params(seed, m, parameterization="mean_field")
    rng = np.random.default_rng(seed + 1)
    dw, db, da = (rng.standard_normal((1, m)) for _ in range(3))
    p1 = Params(w=(p0.w[0] + 0.3 * dw,), b=(p0.b[0] + 0.7 * db,), a=p0.a + 5.0 * da,
                c=None, parameterization=p0.parameterization)
    return p0, p1


def _rd_reference(p0, p1):
    w0, b0, w1, b1 = (np.asarray(t, dtype=np.float64).ravel()
                      for t in (p0.w[0], p0.b[0], p1.w[0], p1.b[0]))
    return math.sqrt((np.sum((w1 - w0) ** 2) + np.sum((b1 - b0) ** 2))
                     / (np.sum(w0**2) + np.sum(b0**2)))


def check_rd_function_shape(fn: Callable) -> None:
    """Public: ``fn(params0, params)`` is a non-negative number, 0 for equal parameters."""
    _callable(fn, "relative_distance")
    p0, p1 = _rd_pair()
    value = _array(fn(p0, p1), "relative_distance(p0, p1)", ndim=0)
    assert value >= 0, f"a relative distance is never negative, got {float(value)}"
    same = float(_array(fn(p0, p0), "relative_distance(p0, p0)", ndim=0))
    assert same == 0.0, f"relative_distance(p0, p0) should be 0, got {same}"


def check_rd_function(fn: Callable) -> None:
    """Hidden: RD = ‖(w, b) − (w₀, b₀)‖/‖(w₀, b₀)‖ (the output weights a not counted), against
    an independent computation on nets whose a, w and b moved by different amounts."""
    check_rd_function_shape(fn)
    for seed, m in ((0, 40), (3, 7), (5, 300)):
        p0, p1 = _rd_pair(seed, m)
        got, want = float(fn(p0, p1)), _rd_reference(p0, p1)
        assert abs(got / want - 1) < 1e-9, (
            f"width {m}: expected RD {want:.6g} (relative change of w and b together, the "
            f"output weights a not counted), got {got:.6g}")


def check_regimes_shape(settings, widths, rd, slopes, regimes) -> None:
    """Public: one positive RD per width, a finite slope and one of the three regime names
    for every setting."""
    widths = _array(widths, "widths", ndim=1)
    for name in settings:
        for what, store in (("rd", rd), ("slopes", slopes), ("regimes", regimes)):
            assert isinstance(store, dict) and name in store, f"{what} has no entry {name!r}"
        values = _array(rd[name], f"rd[{name!r}]", ndim=1, length=widths.shape[0])
        assert np.all(values > 0), f"rd[{name!r}]: a trained net's weights move, RD > 0"
        _array(slopes[name], f"slopes[{name!r}]", ndim=0)
        assert regimes[name] in REGIMES, (
            f"regimes[{name!r}] must be one of {REGIMES}, got {regimes[name]!r}")


def check_regimes(settings, widths, rd, slopes, regimes) -> None:
    """Hidden: each slope is log(RD₂/RD₁)/log(m₂/m₁) of the student's own RDs, and each
    regime follows from it by the stated rule (within ±:data:`SLOPE_ZERO`: critical)."""
    check_regimes_shape(settings, widths, rd, slopes, regimes)
    widths = np.asarray(widths, dtype=np.float64)
    for name in settings:
        values = np.asarray(rd[name], dtype=np.float64)
        want = math.log(values[-1] / values[0]) / math.log(widths[-1] / widths[0])
        assert abs(float(slopes[name]) - want) < 1e-6, (
            f"slopes[{name!r}] should be log(RD at {widths[-1]:g} / RD at {widths[0]:g}) / "
            f"log({widths[-1]:g}/{widths[0]:g}) = {want:.4f}, got {slopes[name]}")
        said = ("linear" if want < -SLOPE_ZERO else
                "condensed" if want > SLOPE_ZERO else "critical")
        assert regimes[name] == said, (
            f"a slope of {want:+.3f} says {said!r} by the rule, not {regimes[name]!r}")


# ------------------------------------------------------------------ exercise 8: architectures


def check_semicircle_shape(fn: Callable) -> None:
    """Public: ``fn(lam)`` keeps the shape of ``lam``, is 0 outside [−2, 2], non-negative and
    integrates to 1."""
    _callable(fn, "semicircle")
    lam = np.array([[-3.0, -2.5, 0.0], [1.0, 2.5, 7.0]])
    out = _array(fn(lam), "semicircle(lam)", shape=(2, 3))
    assert np.all(out >= 0), "a density is never negative"
    outside = out[[0, 0, 1, 1], [0, 1, 1, 2]]
    assert np.all(outside == 0), f"the density must be 0 outside [-2, 2], got {outside}"
    grid = np.linspace(-3.0, 3.0, 60_001)
    total = float(np.sum(_array(fn(grid), "semicircle(grid)", shape=grid.shape))
                  * (grid[1] - grid[0]))
    assert abs(total - 1.0) < 1e-3, f"a density integrates to 1; yours to {total:.4f}"


def check_semicircle(fn: Callable) -> None:
    """Hidden: ``fn`` equals :func:`ntklab.semicircle_pdf` to 1e-10 (inside and outside)."""
    from .analytic.random_matrix import semicircle_pdf

    check_semicircle_shape(fn)
    lam = np.linspace(-2.6, 2.6, 53)
    _close(_array(fn(lam), "semicircle(lam)", shape=lam.shape), semicircle_pdf(lam),
           "semicircle", 1e-10)


def _ks_reference(sample, cdf):
    e = np.sort(np.asarray(sample, dtype=np.float64))
    n = e.size
    F = cdf(e)
    return float(max(np.max(np.arange(1, n + 1) / n - F), np.max(F - np.arange(n) / n)))


def check_ks_shape(fn: Callable) -> None:
    """Public: ``fn(sample)`` is a number in [0, 1]; a sample all at 0 is at distance 1/2."""
    _callable(fn, "ks_distance")
    value = float(_array(fn(np.linspace(-1.9, 1.9, 50)), "ks_distance(sample)", ndim=0))
    assert 0 <= value <= 1, f"a Kolmogorov–Smirnov distance lies in [0, 1], got {value}"
    zeros = float(_array(fn(np.zeros(40)), "ks_distance(zeros)", ndim=0))
    assert abs(zeros - 0.5) < 1e-9, (
        f"40 eigenvalues all at 0: the empirical CDF jumps from 0 to 1 where the semicircle's "
        f"is 1/2, so the distance is 0.5; got {zeros}")


def check_ks(fn: Callable) -> None:
    """Hidden: ``fn(sample)`` is the two-sided KS distance sup|F_n − F| to the semicircle law
    (as ``scipy.stats.kstest``), on unsorted samples of several sizes and shapes."""
    from .analytic.random_matrix import semicircle_cdf

    check_ks_shape(fn)
    rng = np.random.default_rng(8)
    samples = [rng.uniform(-2, 2, 31), rng.standard_normal(200), 1.5 + rng.random(17),
               -1.9 + 0.1 * rng.random(9)]
    G = rng.standard_normal((60, 60))
    samples.append(np.linalg.eigvalsh((G + G.T) / np.sqrt(120))[rng.permutation(60)])
    for sample in samples:
        got, want = float(fn(sample.copy())), _ks_reference(sample, semicircle_cdf)
        assert abs(got - want) < 1e-9, (
            f"for a sample of {sample.size} values the KS distance is {want:.6f}, got "
            f"{got:.6f} (sort the sample; compare the CDF with both i/n and (i − 1)/n)")


def check_rnn_variance_shape(fn: Callable) -> None:
    """Public: ``fn(x, s)`` is a positive number; for T = 1 it is the two-layer net's
    s⁴(x₁² + 1)/2."""
    _callable(fn, "rnn_variance")
    value = float(_array(fn(np.array([0.7, -0.2, 1.0]), 1.0), "rnn_variance(x, s)", ndim=0))
    assert value > 0, f"a variance is positive, got {value}"
    one = float(_array(fn(np.array([0.7]), 1.3), "rnn_variance([0.7], 1.3)", ndim=0))
    want = 1.3**4 * (0.7**2 + 1) / 2
    assert abs(one / want - 1) < 1e-9, (
        f"for T = 1 the net is the two-layer MLP: Σ(x, x) = s⁴(x² + 1)/2 = {want:.6f}, got {one}")


def check_rnn_variance(fn: Callable) -> None:
    """Hidden: ``fn(x, s)`` equals the diagonal of :func:`ntklab.rnn_nngp` to 1e-10."""
    from .analytic.rnn import rnn_nngp

    check_rnn_variance_shape(fn)
    rng = np.random.default_rng(18)
    for T, s in ((2, 1.0), (5, 0.6), (7, 1.4), (3, 2.0)):
        x = rng.uniform(-2, 2, T)
        got, want = float(fn(x.copy(), s)), float(rnn_nngp(x[None, :], init_scale=s)[0, 0])
        assert abs(got / want - 1) < 1e-10, (
            f"sequence {np.round(x, 3).tolist()} with s = {s}: expected Σ(x, x) = {want:.6g}, "
            f"got {got:.6g}")


# ------------------------------------------------------------------ exercise 7: digits


def _psd_problem(seed, n, m, k):
    """A positive-definite kernel on n training points, its (m, n) test block and (n, k)
    targets: the Gram matrix of random features."""
    rng = np.random.default_rng(seed)
    feats = rng.standard_normal((n + m, n + 3))
    gram = feats @ feats.T / feats.shape[1]
    return gram[:n, :n], gram[n:, :n], rng.standard_normal((n, k))


def check_kernel_predict_shape(fn: Callable) -> None:
    """Public: ``fn(k_train, k_test, y_train)`` gives one row per test point and one column
    per output, and reproduces the training targets at the training points."""
    _callable(fn, "kernel_predict")
    k_train, k_test, y = _psd_problem(0, 6, 4, 3)
    out = _array(fn(k_train, k_test, y), "kernel_predict(k_train, k_test, y_train)",
                 shape=(4, 3))
    assert np.all(np.isfinite(out)), "kernel_predict gave values that are not finite"
    back = _array(fn(k_train, k_train, y), "kernel_predict(k_train, k_train, y_train)",
                  shape=(6, 3))
    assert np.allclose(back, y, atol=1e-6), (
        "kernel regression interpolates: predicting at the training points (k_test = "
        "k_train) must give the training targets back")


def check_kernel_predict(fn: Callable) -> None:
    """Hidden: K(X*, X)·K(X, X)⁻¹·Y against an independent solve, for several sizes, one and
    several outputs (a 1-D Y keeps its shape)."""
    check_kernel_predict_shape(fn)
    for seed, n, m, k in ((1, 20, 7, 10), (2, 5, 9, 1), (3, 40, 3, 2)):
        k_train, k_test, y = _psd_problem(seed, n, m, k)
        want = k_test @ np.linalg.solve(k_train, y)
        got = np.asarray(fn(k_train, k_test, y), dtype=np.float64)
        assert got.shape == want.shape, (
            f"{n} training and {m} test points, {k} outputs: expected shape {want.shape}, "
            f"got {got.shape}")
        assert np.allclose(got, want, rtol=1e-6, atol=1e-8), (
            f"{n} training and {m} test points, {k} outputs: expected K(X*, X) K(X, X)^-1 Y, "
            f"got values off by up to {np.max(np.abs(got - want)):.3g}")
    k_train, k_test, y = _psd_problem(4, 8, 5, 1)
    got = np.asarray(fn(k_train, k_test, y[:, 0]))
    assert got.shape == (5,), f"a 1-D y_train should give a 1-D answer, got shape {got.shape}"


POOLINGS = ("gap", "flatten")


def _cntk_accuracy(x_train, y_train, x_test, y_test, pooling, depth=1):
    from .analytic.conv_kernels import cntk
    from .analytic.images import onehot_targets

    classes = np.unique(y_train)
    k_train = cntk(x_train, depth=depth, pooling=pooling)
    k_test = cntk(x_test, x_train, depth=depth, pooling=pooling)
    out = k_test @ np.linalg.solve(k_train, onehot_targets(y_train, classes))
    return float(np.mean(classes[np.argmax(out, axis=1)] == np.asarray(y_test)))


_KERNEL_RUNS: dict = {}


def check_kernel_accuracies_shape(acc) -> None:
    """Public: ``acc`` maps "gap" and "flatten" to a test accuracy in [0, 1]."""
    assert isinstance(acc, dict), f"acc must be a dict, got {type(acc).__name__}"
    for pooling in POOLINGS:
        assert pooling in acc, f"acc has no entry {pooling!r}"
        value = float(_array(acc[pooling], f"acc[{pooling!r}]", ndim=0))
        assert 0.0 <= value <= 1.0, (
            f"acc[{pooling!r}] is an accuracy, a share between 0 and 1, got {value}")


def check_kernel_accuracies(acc, x_train, y_train, x_test, y_test) -> None:
    """Hidden: each accuracy is that of exact kernel regression with the depth-1 CNTK of
    that pooling (ntklab.cntk), centred one-hot targets, the class of the largest output."""
    check_kernel_accuracies_shape(acc)
    n = len(y_test)
    arrays = tuple(np.ascontiguousarray(a) for a in (x_train, y_train, x_test, y_test))
    data = tuple(hash(a.tobytes()) for a in arrays)
    for pooling in POOLINGS:
        if (data, pooling) not in _KERNEL_RUNS:  # once per data (a grader asks often)
            if len(_KERNEL_RUNS) >= 2 * len(POOLINGS):
                _KERNEL_RUNS.clear()
            _KERNEL_RUNS[data, pooling] = _cntk_accuracy(*arrays, pooling)
        want = _KERNEL_RUNS[data, pooling]
        got = float(acc[pooling])
        assert abs(got - want) < 0.5 / n, (
            f"acc[{pooling!r}]: kernel regression with the depth-1 CNTK ({pooling}) gets "
            f"{want:.1%} of the {n} test digits right here, you have {got:.1%}")


def check_cnn_comparison_shape(acc_cnn, kernel_wins) -> None:
    """Public: an accuracy in [0, 1] and a True/False answer."""
    value = float(_array(acc_cnn, "acc_cnn", ndim=0))
    assert 0.0 <= value <= 1.0, f"acc_cnn is an accuracy between 0 and 1, got {value}"
    assert isinstance(kernel_wins, bool | np.bool_), (
        f"kernel_wins must be True or False, got {kernel_wins!r}")


_CNN_RUNS: dict = {}


def _cnn_accuracy(x_train, y_train, x_test, y_test, width, steps):
    from .finite.images import train_images

    res = train_images(x_train, y_train, x_test, y_test, arch="cnn", width=width,
                       pooling="flatten", loss="cross_entropy", optimizer="momentum",
                       steps=steps, seed=0, record_every=steps, linearization=False)
    return float(res.accuracy_net[-1])


def check_cnn_comparison(acc_cnn, kernel_wins, acc, x_train, y_train, x_test, y_test,
                         width, steps) -> None:
    """Hidden: ``acc_cnn`` is the final test accuracy of the CNN the question asks for
    (trained again here with the same arguments, once per data and settings), and
    ``kernel_wins`` says whether the CNTK-flatten's accuracy in ``acc`` is above it."""
    check_cnn_comparison_shape(acc_cnn, kernel_wins)
    arrays = tuple(np.ascontiguousarray(a) for a in (x_train, y_train, x_test, y_test))
    key = (tuple(hash(a.tobytes()) for a in arrays), int(width), int(steps))
    if key not in _CNN_RUNS:  # one training per data and settings (a grader asks often)
        _CNN_RUNS.clear()
        _CNN_RUNS[key] = _cnn_accuracy(*arrays, int(width), int(steps))
    want = _CNN_RUNS[key]
    n = len(y_test)
    assert abs(float(acc_cnn) - want) < 0.5 / n + 1e-6, (
        f"the CNN (width {int(width)}, flatten, cross-entropy, momentum, {int(steps)} steps, "
        f"seed 0) gets {want:.1%} of the test digits right, you have {float(acc_cnn):.1%}")
    said = float(acc["flatten"]) > float(acc_cnn)
    assert bool(kernel_wins) == said, (
        f"the CNTK-flatten gets {float(acc['flatten']):.1%} and the CNN "
        f"{float(acc_cnn):.1%}: "
        f"kernel_wins should be {said}")
