"""Gradient descent of a net beside its linearization (ntklab.train)."""

import importlib
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import ntklab
from ntklab.finite.model import forward, layer_norms

train_mod = importlib.import_module("ntklab.finite.training")

X = np.linspace(-1, 1, 6)
Y = np.sin(3 * X)
XE = np.linspace(-1.2, 1.2, 9)


def test_bucket_sizes():
    assert [train_mod.bucket_size(m) for m in (1, 8, 9, 12, 13, 100, 2048, 2049, 4096, 5000)] == [
        8, 8, 12, 12, 16, 128, 2048, 2560, 4096, 5120]


def test_linearization_with_small_steps_matches_closed_form_flow():
    p = ntklab.init_params(0, 64, init_scale=1.3)
    lam_max = np.linalg.eigvalsh(ntklab.empirical_ntk(p, X))[-1]
    lr = 0.01 / lam_max
    res = ntklab.train(p, X, Y, x_eval=XE, steps=2000, lr=lr, record=5, dtype="float64")
    flow = ntklab.gradient_flow(
        ntklab.empirical_ntk(p, X), Y, res.t, f0=np.asarray(ntklab.apply(p, X)),
        K_test=ntklab.empirical_ntk(p, XE, X), f0_test=np.asarray(ntklab.apply(p, XE)))
    assert res.lam_max == pytest.approx(lam_max, rel=1e-12)
    # GD vs flow differ by O(η λ): small here
    np.testing.assert_allclose(res.f_lin, flow.test, atol=0.02 * np.abs(flow.test).max())
    loss_flow = 0.5 * np.sum((flow.train - Y) ** 2, axis=1)
    np.testing.assert_allclose(res.loss_lin, loss_flow, rtol=0.03, atol=1e-6)


@pytest.mark.parametrize(("depth", "trick"), [(1, None), (2, "asi"), (2, "doubling")])
def test_function_space_steps_equal_weight_space_gd(depth, trick):
    """The linearization is stepped through K₀; check against GD on θ through linearize."""
    p0 = ntklab.init_params(1, 10, depth=depth, trick=trick)
    lr, steps = 0.02, 40
    res = ntklab.train(p0, X, Y, x_eval=XE, steps=steps, lr=lr, record=[0, steps],
                       dtype="float64")
    f_lin = ntklab.linearize(p0)
    loss = lambda q: 0.5 * jnp.sum((f_lin(q, X) - Y) ** 2)  # noqa: E731
    grad = jax.jit(jax.grad(loss))

    def step(p):
        return jax.tree_util.tree_map(lambda a, b: a - lr * b, p, grad(p))

    p = p0
    for _ in range(steps):
        p = step(p)
    np.testing.assert_allclose(res.f_lin[-1], f_lin(p, XE), rtol=1e-9, atol=1e-11)
    flat = lambda q: jnp.concatenate([a.ravel() for a in jax.tree_util.tree_leaves(q)])  # noqa: E731
    change = float(jnp.linalg.norm(flat(p) - flat(p0)) / jnp.linalg.norm(flat(p0)))
    assert res.weight_change_lin[-1] == pytest.approx(change, rel=1e-8)


@pytest.mark.parametrize(
    ("width", "depth", "trick"), [(10, 2, None), (5, 1, "asi"), (20, 1, "rnd")]
)
def test_padding_to_a_bucket_leaves_the_net_unchanged(width, depth, trick):
    """Zero-padded units are inert: padded training equals plain GD on the unpadded net."""
    p = ntklab.init_params(2, width, depth=depth, trick=trick)
    lr, steps = 0.05, 30
    res = ntklab.train(p, X, Y, x_eval=XE, steps=steps, lr=lr, record=[0, steps],
                       dtype="float64")
    norms, xj = layer_norms(p), jnp.asarray(X)
    grad = jax.jit(jax.grad(lambda q: 0.5 * jnp.sum((forward(q, norms, xj) - Y) ** 2)))
    q = p
    for _ in range(steps):
        q = jax.tree_util.tree_map(lambda a, b: a - lr * b, q, grad(q))
    np.testing.assert_allclose(res.f_net[0], ntklab.apply(p, XE), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res.f_net[-1], ntklab.apply(q, XE), rtol=1e-10, atol=1e-12)


def test_wider_nets_stay_closer_to_their_linearization():
    widths, seeds = (32, 128, 512), range(3)
    rmse = []
    for m in widths:
        res = ntklab.train([ntklab.init_params(s, m) for s in seeds], X, Y, x_eval=XE,
                           steps=300, lr=0.1, record=[0, 300], dtype="float64")
        rmse.append(np.mean(np.sqrt(np.mean((res.f_net[:, -1] - res.f_lin[:, -1]) ** 2, axis=1))))
    assert rmse[0] > rmse[1] > rmse[2], rmse


def test_ensemble_matches_members_trained_alone_and_drift_starts_at_zero():
    members = [ntklab.init_params(s, 24, trick="asi") for s in range(3)]
    ens = ntklab.train(members, X, Y, x_eval=XE, steps=50, record=3, kernel_drift=True,
                       dtype="float64")
    one = ntklab.train(members[1], X, Y, x_eval=XE, steps=50, lr=ens.lr, record=3,
                       kernel_drift=True, dtype="float64")
    assert ens.f_net.shape == (3, 3, 9) and ens.loss_lin.shape == (3, 3)
    assert ens.kernel_drift.shape == (3, 3) and one.kernel_drift.shape == (3,)
    np.testing.assert_allclose(ens.f_net[1], one.f_net, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ens.kernel_drift[1], one.kernel_drift, rtol=1e-8, atol=1e-14)
    assert one.kernel_drift[0] == 0.0 and one.kernel_drift[-1] > 0
    assert ens.lam_max >= one.lam_max and ens.lr == pytest.approx(1 / ens.lam_max)
    assert np.all(ens.f_net[:, 0] == 0.0)  # ASI: zero output at init, exactly
    assert np.all(np.diff(one.loss_net) < 0) and np.all(np.diff(one.loss_lin) < 0)


def test_early_stop_by_callback_and_by_event():
    p = ntklab.init_params(0, 4096)
    seen = []

    def progress(info):
        seen.append(info)
        return False

    res = ntklab.train(p, X, Y, steps=100_000, record=11, progress=progress)
    assert not res.completed and not res.diverged
    assert len(seen) == 1 and seen[0].step < 100_000 and np.isfinite(seen[0].loss_net)
    assert res.steps.tolist() == [0]
    # the parameters are those after the last completed chunk, past the last record
    assert res.params_step == seen[0].step > 0
    again = ntklab.train(p, X, Y, steps=res.params_step, lr=res.lr, record=2, linear=False)
    for u, v in zip(jax.tree_util.tree_leaves(res.params), jax.tree_util.tree_leaves(again.params),
                    strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-6, atol=1e-6)
    event = threading.Event()
    event.set()
    res = ntklab.train(p, X, Y, steps=100_000, record=11, stop=event)
    assert not res.completed and res.steps.tolist() == [0]
    assert 0 < res.params_step < 100_000 and res.params.widths == p.widths


def test_progress_carries_the_latest_record_for_drawing_while_training():
    p = ntklab.init_params(1, 32)
    seen = []
    res = ntklab.train(p, X, Y, x_eval=XE, steps=300, record=4, progress=seen.append)
    assert seen and seen[-1].step == 300
    shown = {}
    for info in seen:
        if info.record_step is None:  # nothing recorded after step 0 is taken: impossible
            raise AssertionError(info)
        assert info.record_step <= info.step
        shown[info.record_step] = (info.f_net, info.f_lin)
    # every record after step 0 reached the callback, equal to what the result holds
    assert sorted(shown) == res.steps.tolist()[1:]
    for k, (f_net, f_lin) in shown.items():
        j = res.steps.tolist().index(k)
        np.testing.assert_array_equal(f_net, res.f_net[j])
        np.testing.assert_array_equal(f_lin, res.f_lin[j])
    ens = ntklab.train([p, ntklab.init_params(2, 32)], X, Y, steps=50, record=2,
                       linear=False, progress=seen.append)
    assert seen[-1].f_net.shape == (2, X.size) and seen[-1].f_lin is None
    np.testing.assert_array_equal(seen[-1].f_net, ens.f_net[:, -1])


def test_divergence_is_reported():
    res = ntklab.train(ntklab.init_params(0, 64), X, Y, steps=2000, record=3, linear=False,
                       lr=None)
    assert res.completed
    lam = res.lam_max
    res = ntklab.train(ntklab.init_params(0, 64), X, Y, steps=2000, record=3, lr=4.0 / lam)
    assert res.diverged and not res.completed
    # the parameters after the chunk that diverged (here the linearization's loss did)
    assert 0 < res.params_step < 2000 and res.params.widths == (64,)


def _leaves(p):
    return [np.asarray(t) for t in jax.tree_util.tree_leaves(p)]


@pytest.mark.parametrize(("width", "depth", "trick", "out_bias"),
                         [(20, 1, None, False), (10, 2, "asi", True), (13, 2, "doubling", False)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_result_params_continue_training(width, depth, trick, out_bias, dtype):
    """res.params: the trained θ (unpadded, float64 arrays), from which training continues."""
    p = ntklab.init_params(4, width, depth=depth, trick=trick, out_bias=out_bias)
    lr, steps, more = 0.05, 30, 17
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == "float64" else dict(rtol=2e-4, atol=2e-5)
    res = ntklab.train(p, X, Y, x_eval=XE, steps=steps, lr=lr, record=3, dtype=dtype)
    q = res.params
    assert isinstance(q, ntklab.Params) and res.params_step == steps and q.trick == trick
    assert [t.shape for t in _leaves(q)] == [t.shape for t in _leaves(p)]
    assert all(isinstance(t, jax.Array) and t.dtype == jnp.float64
               for t in jax.tree_util.tree_leaves(q))
    assert not np.array_equal(q.a, p.a)
    if trick == "asi":  # exactly zero output at init, in float32 training too
        assert np.all(res.f_net[0] == 0.0)
    np.testing.assert_allclose(ntklab.apply(q, XE), res.f_net[-1], **tol)
    # continuing from res.params for `more` steps = training steps + more at once
    cont = ntklab.train(q, X, Y, x_eval=XE, steps=more, lr=lr, record=2, linear=False,
                        dtype=dtype)
    once = ntklab.train(p, X, Y, x_eval=XE, steps=steps + more, lr=lr, record=2, dtype=dtype)
    np.testing.assert_allclose(cont.f_net[-1], once.f_net[-1], **tol)
    for u, v in zip(_leaves(cont.params), _leaves(once.params), strict=True):
        np.testing.assert_allclose(u, v, **tol)


def test_ensemble_result_params_are_one_per_member():
    members = [ntklab.init_params(s, 12, depth=2) for s in (5, 1, 3)]
    ens = ntklab.train(members, X, Y, x_eval=XE, steps=20, lr=0.05, record=2, dtype="float64")
    assert isinstance(ens.params, list) and len(ens.params) == 3
    for i, q in enumerate(ens.params):
        np.testing.assert_allclose(ntklab.apply(q, XE), ens.f_net[i, -1], rtol=1e-10,
                                   atol=1e-12)
    one = ntklab.train(members[2], X, Y, steps=20, lr=0.05, record=2, dtype="float64")
    for u, v in zip(_leaves(ens.params[2]), _leaves(one.params), strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12)


def test_no_recompile_within_a_width_bucket():
    x = np.linspace(-1, 1, 7)
    ntklab.train(ntklab.init_params(0, 100), x, np.cos(x), steps=10, record=2)
    before = train_mod._chunk._cache_size()
    for m, n in ((97, 7), (120, 6), (128, 8)):
        xs = np.linspace(-1, 1, n)
        ntklab.train(ntklab.init_params(1, m), xs, np.cos(xs), steps=37, record=[0, 5, 37])
    assert train_mod._chunk._cache_size() == before


def test_float32_training():
    p = ntklab.init_params(0, 128)
    r64 = ntklab.train(p, X, Y, x_eval=XE, steps=100, record=2, dtype="float64")
    r32 = ntklab.train(p, X, Y, x_eval=XE, steps=100, record=2)
    assert r32.dtype == "float32" and r32.f_net.dtype == np.float64
    np.testing.assert_allclose(r32.f_net, r64.f_net, atol=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(steps=-1), "steps"),
        (dict(steps=1.5), "steps"),
        (dict(lr=0.0), "lr"),
        (dict(lr=float("nan")), "lr"),
        (dict(record=[0, 50]), "record"),
        (dict(record=1), "record"),
        (dict(record=[0.5]), "record"),
        (dict(dtype="float16"), "dtype"),
        (dict(linear="yes"), "linear"),
        (dict(x_eval=[[0.0]]), "x_eval"),
    ],
)
def test_bad_arguments(kwargs, match):
    kw = dict(steps=10) | kwargs
    with pytest.raises(ValueError, match=match):
        ntklab.train(ntklab.init_params(0, 8), X, Y, **kw)


def test_bad_data_and_ensembles():
    p = ntklab.init_params(0, 8)
    with pytest.raises(ValueError, match="y"):
        ntklab.train(p, X, Y[:-1])
    with pytest.raises(ValueError, match="same widths"):
        ntklab.train([p, ntklab.init_params(0, 9)], X, Y)
    with pytest.raises(ValueError, match="params"):
        ntklab.train([], X, Y)
