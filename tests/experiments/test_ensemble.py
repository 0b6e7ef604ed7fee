"""The ensemble claim's experiment (ntklab.experiments.ensemble), run small."""

import numpy as np
import pytest

import ntklab
from ntklab.experiments import ensemble


def test_closed_forms_and_nets():
    starts = []
    r = ensemble.ensemble_comparison(256, 8, n_train=6, n_test=50, steps=200,
                                     on_start=starts.append)
    st = starts[0]
    assert r.start is st and r.completed and r.f0.shape == r.f_end.shape == (8, 50)
    # the prior band is the NNGP's diagonal, the step 1/λ_max of Θ(X, X)
    np.testing.assert_allclose(st.prior_std**2, np.diag(ntklab.nngp(st.x_test)), rtol=1e-12)
    assert st.lr == pytest.approx(1.0 / np.linalg.eigvalsh(ntklab.ntk(st.x_train))[-1])
    # the closed form at t_end (Lee et al.): ensemble_moments, recomputed here
    K, S = ntklab.ntk_and_nngp(st.x_train)
    Kt, Stx = ntklab.ntk_and_nngp(st.x_test, st.x_train)
    mom = ntklab.ensemble_moments(K, S, st.y_train, [st.t_end], K_test=Kt,
                                  Sigma_test=np.diag(ntklab.nngp(st.x_test)),
                                  Sigma_test_train=Stx)
    np.testing.assert_allclose(st.mean, mom.mean[0], atol=1e-10)
    # the nets' outputs at init are those of init_params(seed + i)
    f0 = np.asarray(ntklab.apply(ntklab.init_params(3, 256), st.x_test))
    np.testing.assert_allclose(r.f0[3], f0, atol=1e-5)
    num = ensemble.summary(r)
    assert num["members"] == 8 and num["max_mean_gap"] >= 0


def test_budget():
    with pytest.raises(ValueError, match="would take about"):
        ensemble.ensemble_comparison(1024, 32, n_train=16, steps=2000, budget=1.5e10)
