"""The kernel-limit claim's experiments (ntklab.experiments.kernel_limit), run small."""

import numpy as np
import pytest

import ntklab
from ntklab.experiments import kernel_limit


def test_kernel_convergence_small():
    r = kernel_limit.kernel_convergence(widths=(16, 256, 4096), seeds=3, n=12)
    assert r.rel_error.shape == r.entries.shape == (3, 3)
    assert r.slope_error < -0.3  # about −½: the error shrinks like 1/√m
    assert r.entry_inf == pytest.approx(ntklab.ntk([-0.5], [0.7])[0, 0])
    slope, icpt = np.polyfit(np.log(r.widths), np.log(r.rel_error.mean(1)), 1)
    np.testing.assert_allclose(r.fit_error, np.exp(icpt) * r.widths**slope, rtol=1e-9)
    assert kernel_limit.summary(r)["slope_error"] == r.slope_error


def test_outputs_at_init_small():
    r = kernel_limit.outputs_at_init(width=256, inits=200, x0=0.5)
    assert r.outputs.shape == (200,)
    assert r.var_nngp == pytest.approx(ntklab.nngp([0.5])[0, 0])
    assert 0.6 * r.var_nngp < r.var_measured < 1.5 * r.var_nngp
    with pytest.raises(ValueError, match="widths"):
        kernel_limit.kernel_convergence(widths=(16,))
