"""The regimes claim (ntklab.experiments.regimes; Luo, Xu, Ma & Zhang 2021): RD against
width by the stated protocol, the phase diagram against direct runs, the step's
convergence, and the helpers against independent computations."""

import math

import numpy as np
import pytest

import ntklab
from ntklab.experiments import regimes as R


@pytest.fixture(scope="module")
def slopes():
    """RD against m = 256, 1024, 4096 (3 seeds) at NTK, mean-field and (γ, γ′) = (1.5, 0)."""
    return {name: R.rd_vs_width(par) for name, par in
            (("ntk", "ntk"), ("mean_field", "mean_field"), ("condensed", (1.5, 0.0)))}


def test_rd_slopes_are_the_three_regimes(slopes):
    """Measured (3 seeds, each seed's own slope): NTK −0.496, −0.509, −0.492; mean-field
    +0.001, −0.001, +0.011; (1.5, 0) +0.263, +0.258, +0.272. The tolerances are several
    times that spread (≤ 0.015): NTK within ±0.1 of −1/2, mean-field within ±0.05 of 0,
    the condensed setting above +0.15."""
    ntk, mf, cond = slopes["ntk"], slopes["mean_field"], slopes["condensed"]
    for res in (ntk, mf, cond):
        assert res.converged.all(), R.summary(res)
        assert np.ptp(res.seed_slopes) < 0.05, res.seed_slopes
    assert ntk.slope == pytest.approx(-0.5, abs=0.1)
    assert mf.slope == pytest.approx(0.0, abs=0.05)
    assert cond.slope > 0.15
    assert [R.measured_regime(r.slope) for r in (ntk, mf, cond)] == [
        "linear", "critical", "condensed"]
    assert (ntk.theory, mf.theory, cond.theory) == ("linear", "critical", "condensed")
    # the kernel grows in the nonlinear regimes (the step-size trap): 1×, ~5×, ~100×
    assert ntk.kernel_growth.max() < 1.2
    assert 3 < mf.kernel_growth.min() and mf.kernel_growth.max() < 10
    assert cond.kernel_growth.min() > 30


def test_map_cells_agree_with_direct_runs():
    """The shipped map (ntklab/experiments/data/phase_diagram.json, seed 0, cap 16 000) at
    three (γ, γ′), one per regime, against direct RD runs by the same protocol now
    (phase_diagram itself runs in tests/test_export.py at its small settings)."""
    shipped = R.load_phase_diagram()
    for g, gp in ((0.25, -0.5), (1.0, 0.0), (1.5, 0.0)):
        direct = R.rd_vs_width((g, gp), shipped.widths, seeds=(shipped.seed,),
                               max_steps=shipped.max_steps)
        assert shipped.at(g, gp) == pytest.approx(direct.slope, abs=0.02)
        i, j = np.flatnonzero(shipped.gammas == g)[0], np.flatnonzero(shipped.gamma_primes == gp)[0]
        np.testing.assert_allclose(shipped.rd[i, j], direct.rd[:, 0], rtol=0.02)
        assert R.measured_regime(direct.slope) == R.theory_regime(g, gp)


def test_the_step_has_converged():
    """RD with the protocol's step and with a 4× smaller one (condensed, where the step
    matters most): measured 0.03–0.15 % apart; the kernel's bound alone (lr_bound='kernel')
    was 10–30 % off."""
    a = R.rd_vs_width((1.5, 0.0), (256, 1024), seeds=(0,))
    b = R.rd_vs_width((1.5, 0.0), (256, 1024), seeds=(0,), lr_factor=R.LR_FACTOR / 4,
                      max_steps=4 * R.MAX_STEPS)
    np.testing.assert_allclose(a.rd, b.rd, rtol=3e-3)


def test_a_condensed_run():
    run = R.regime_run((1.5, 0.0), 256)
    assert run.converged and run.theory == "condensed"
    assert run.concentration[0] < 0.5 and run.concentration[-1] > 0.95
    assert run.rd[-1] == pytest.approx(R.relative_distance(
        ntklab.init_params(0, 256, parameterization=(1.5, 0.0)), run.params), rel=1e-6)
    np.testing.assert_allclose(run.angle[-1], R.neurons(run.params)[0])
    held = {c.name: c.holds for c in R.claims(run)}
    assert held == {"regimes.fits": True, "regimes.follows_lin": False,
                    "regimes.moved_little": False, "regimes.condensed": True,
                    "regimes.kernel_grew": True}


def test_relative_distance_counts_w_and_b_only():
    p = ntklab.init_params(3, 20, parameterization="mean_field")
    q = ntklab.Params(w=(p.w[0] + 0.1,), b=p.b, a=p.a * 5.0, c=None,
                      parameterization=p.parameterization)
    w0, b0 = np.asarray(p.w[0]), np.asarray(p.b[0])
    ref = math.sqrt(20 * 0.01 / (np.sum(w0**2) + np.sum(b0**2)))
    assert R.relative_distance(p, q) == pytest.approx(ref, rel=1e-12)


def _brute_concentration(angle, mass, delta, top):
    mass = mass.copy()
    got = 0.0
    for _ in range(top):
        gap = np.abs((angle[:, None] - angle[None, :] + np.pi) % (2 * np.pi) - np.pi)
        window = (gap <= delta) @ mass
        i = int(np.argmax(window))
        got += window[i]
        mass[gap[i] <= delta] = 0.0
    return got


@pytest.mark.parametrize("seed", range(5))
def test_concentration_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    angle = np.concatenate([rng.uniform(-np.pi, np.pi, 60), np.pi - rng.uniform(0, 0.05, 5),
                            -np.pi + rng.uniform(0, 0.05, 5)])
    mass = rng.exponential(size=angle.size)
    for delta, top in ((0.05, 1), (0.1, 3), (0.3, 4)):
        ref = _brute_concentration(angle, mass, delta, top) / mass.sum()
        assert R.concentration(angle, mass, delta=delta, top=top) == pytest.approx(ref, rel=1e-12)


def test_concentration_of_uniform_and_condensed_orientations():
    rng = np.random.default_rng(0)
    uniform = rng.uniform(-np.pi, np.pi, 20000)
    share = R.TOP * 2 * R.DELTA / (2 * np.pi)  # 11 %; the greedy windows find ~1 % more
    assert share <= R.concentration(uniform, np.ones(20000)) <= share + 0.03
    lumps = np.repeat([0.3, -2.0, 3.1], 50) + rng.normal(0, 0.01, 150)
    assert R.concentration(lumps, np.ones(150)) == pytest.approx(1.0)


def test_theory_regime_and_its_lines():
    assert R.theory_regime(0.9, -5.0) == "linear"
    assert R.theory_regime(1.0, -0.5) == "critical"
    assert R.theory_regime(1.5, 0.5) == "critical"
    assert R.theory_regime(1.5, 0.6) == "linear"
    assert R.theory_regime(1.5, 0.4) == "condensed"
    assert R.theory_regime(1.0, 0.1) == "linear"


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="widths"):
        R.rd_vs_width("ntk", [256])
    with pytest.raises(ValueError, match="parameterization"):
        R.rd_vs_width("xavier")
    with pytest.raises(ValueError, match="gamma must lie"):
        R.regime_run((7.0, 0.0), 64)
    with pytest.raises(ValueError, match="finite"):
        R.phase_diagram([float("nan")], [0.0])
    with pytest.raises(ValueError, match="would take about"):
        R.regime_run("ntk", 100_000, max_steps=1_000_000)
