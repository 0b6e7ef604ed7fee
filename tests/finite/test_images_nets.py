"""Nets on images (ntklab.finite.images): the empirical NTK against jax.jacobian and, at large
width, against the infinite-width kernels by Monte Carlo; the linearization to first order;
the trainer's optimizers against a hand-written reference; seeded SGD; refused input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.flatten_util import ravel_pytree

import ntklab
from ntklab.analytic.validate import Refusal
from ntklab.finite import images as im

DIGITS = ntklab.load_digits().images
X3 = DIGITS[[0, 3, 8]]  # a 0, a 3 and an 8
RNG = np.random.default_rng(0)
SMALL = RNG.uniform(0.0, 1.0, (4, 5, 4, 2))  # 4 images 5×4 with two channels
SMALL2 = RNG.uniform(0.0, 1.0, (2, 5, 4, 2))


def _jacobian_ntk(p, x, x2):
    """Reference: the full Jacobian of every output from jax.jacobian, contracted."""
    flat, unravel = ravel_pytree(p)
    pts = jnp.asarray(np.concatenate([x, x2]))
    J = np.asarray(jax.jit(jax.jacobian(lambda f: im._forward(unravel(f), pts)))(flat))  # n, K, P
    n = x.shape[0]
    return np.einsum("ikp,jlp->ijkl", J[:n], J[n:])


@pytest.mark.parametrize(("arch", "pooling", "depth", "k"), [
    ("mlp", None, 3, 3), ("cnn", "flatten", 2, 2)])  # GAP and K = 1: the Monte Carlo tests
def test_ntk_equals_jacobian_contraction(arch, pooling, depth, k):
    p = im.init_image_params(3, (5, 4, 2), arch=arch, width=6, depth=depth,
                             pooling=pooling or "gap", n_outputs=k, init_scale=1.3)
    for x2 in (None, SMALL2):
        ref = _jacobian_ntk(p, SMALL, SMALL if x2 is None else x2)
        K = im.image_ntk(p, SMALL, x2, block=2)
        ref = ref[:, :, 0, 0] if k == 1 else ref
        np.testing.assert_allclose(K, ref, rtol=1e-11, atol=1e-12 * np.abs(ref).max())


def test_outputs_shape_and_first_layer_scaling():
    """The MLP's first layer is divided by √d and the CNN's by √(9 C_in) (ntklab.cntk's
    convention), checked on one hidden unit written out by hand."""
    p = im.init_image_params(0, (5, 4, 2), arch="mlp", width=3, depth=1, n_outputs=2)
    x = SMALL[:1]
    h = x.reshape(1, -1) @ np.asarray(p.w[0]) / np.sqrt(40) + np.asarray(p.b[0])
    f = np.maximum(h, 0) @ np.asarray(p.v) / np.sqrt(3)
    np.testing.assert_allclose(im.image_apply(p, x), f, rtol=1e-12)
    q = im.init_image_params(0, (5, 4, 2), arch="cnn", width=3, depth=1, pooling="flatten")
    padded = np.pad(x[0], ((1, 1), (1, 1), (0, 0)))
    w = np.asarray(q.w[0])
    h = np.array([[[np.sum(padded[r:r + 3, c:c + 3, :, None] * w, axis=(0, 1, 2))
                    for c in range(4)] for r in range(5)]]) / np.sqrt(18) + np.asarray(q.b[0])
    f = np.maximum(h, 0).reshape(1, -1) @ np.asarray(q.v) / np.sqrt(60)
    assert im.image_apply(q, x).shape == (1,)
    np.testing.assert_allclose(im.image_apply(q, x), f[:, 0], rtol=1e-12)


def test_mlp_kernel_reference():
    """mlp_ntk at depth 1 equals ntklab.cntk of 1×1 images with d channels holding 3x (an
    independent check of the fully connected reference used below)."""
    x = DIGITS[:4]
    as_pixels = 3.0 * x.reshape(4, 1, 1, 64)
    for s in (0.7, 1.0, 1.6):
        np.testing.assert_allclose(im.mlp_ntk(x, depth=1, init_scale=s),
                                   ntklab.cntk(as_pixels, depth=1, pooling="gap", init_scale=s),
                                   rtol=1e-12)


def _mc(arch, width, depth, pooling, seeds, k=1):
    Ks = np.array([im.image_ntk(im.init_image_params(seed, (8, 8), arch=arch, width=width,
                                                     depth=depth, pooling=pooling or "gap",
                                                     n_outputs=k), X3)
                   for seed in range(seeds)])
    return Ks.mean(0), Ks.std(0, ddof=1) / np.sqrt(seeds)


@pytest.mark.parametrize(("arch", "pooling", "depth", "width", "seeds"), [
    ("cnn", "gap", 1, 512, 24), ("cnn", "flatten", 2, 128, 16), ("mlp", None, 2, 1024, 16)])
def test_ntk_converges_to_the_infinite_width_kernel(arch, pooling, depth, width, seeds):
    """Mean empirical NTK over seeds within 4 standard errors (plus 1 % for the O(1/width)
    bias) of ntklab.cntk (CNN) or the fully connected kernel (MLP), on three digits."""
    mean, se = _mc(arch, width, depth, pooling, seeds)
    ref = (ntklab.cntk(X3, depth=depth, pooling=pooling) if arch == "cnn"
           else im.mlp_ntk(X3, depth=depth))
    assert np.all(np.abs(mean - ref) <= 4 * se + 0.01 * np.abs(ref)), (mean, ref, se)
    assert np.all(se < 0.05 * np.abs(ref))  # the test has power


def test_outputs_decouple_at_width():
    """Θ ⊗ I: with three outputs the diagonal blocks each converge to the kernel, the
    off-diagonal ones to 0 (within Monte Carlo error)."""
    mean, se = _mc("cnn", 256, 1, "gap", 12, k=3)
    ref = ntklab.cntk(X3, depth=1, pooling="gap")
    for a in range(3):
        for b in range(3):
            target = ref if a == b else 0.0 * ref
            assert np.all(np.abs(mean[:, :, a, b] - target)
                          <= 4 * se[:, :, a, b] + 0.01 * np.abs(ref))


def test_lanczos_lam_max():
    p = im.init_image_params(1, (8, 8), arch="cnn", width=16, n_outputs=3)
    x = DIGITS[:12]
    K = im.image_ntk(p, x).transpose(0, 2, 1, 3).reshape(36, 36)
    exact = np.linalg.eigvalsh(K)[-1]
    assert abs(im._lam_max(p, x) - exact) <= 1e-8 * exact
    # the default steps: 1/λ_max for MSE, 1/(½ λ_max) for cross-entropy
    assert im.default_image_lr(p, x) == pytest.approx(1.0 / exact, rel=1e-8)
    assert im.default_image_lr(p, x, loss="cross_entropy") == pytest.approx(2.0 / exact,
                                                                            rel=1e-8)


def test_linearization_first_order():
    """f_lin(θ₀) = f(θ₀), and f(θ₀ + εΔ) − f_lin(θ₀ + εΔ) = O(ε²)."""
    for arch in ("mlp", "cnn"):
        p0 = im.init_image_params(2, (5, 4, 2), arch=arch, width=8, depth=2, n_outputs=2)
        f_lin = im.image_linearize(p0)
        np.testing.assert_allclose(f_lin(p0, SMALL), im.image_apply(p0, SMALL), rtol=1e-13)
        delta = jax.tree_util.tree_map(
            lambda a: jnp.asarray(np.random.default_rng(5).standard_normal(a.shape)), p0)
        gaps = []
        for eps in (1e-3, 5e-4):  # small enough that no ReLU of these images switches
            p = jax.tree_util.tree_map(lambda a, d, e=eps: a + e * d, p0, delta)
            gaps.append(np.abs(im.image_apply(p, SMALL) - f_lin(p, SMALL)).max())
        assert 3.9 < gaps[0] / gaps[1] < 4.1  # halving ε quarters the gap
        # its gradient is the Jacobian at θ₀ everywhere
        p = jax.tree_util.tree_map(lambda a, d: a + d, p0, delta)
        g = jax.grad(lambda q, f=f_lin: jnp.sum(f(q, SMALL)))(p)
        g0 = jax.grad(lambda q: jnp.sum(im.image_apply(q, SMALL)))(p0)
        np.testing.assert_allclose(ravel_pytree(g)[0], ravel_pytree(g0)[0], rtol=1e-10,
                                   atol=1e-12)


def _reference(x, t, xt, loss, optimizer, steps, lr, mu, batch, seed, **net):
    """The documented rules written out: summed loss, θ ← θ − ηg or the heavy ball
    v ← μv + g, θ ← θ − ηv; minibatches from numpy's PCG64 seeded (seed, 1), a fresh
    permutation per epoch; the linearization by its explicit Jacobian at θ₀."""
    p0 = im.init_image_params(seed, x.shape[1:], n_outputs=t.shape[1], **net)
    flat0, unravel = ravel_pytree(p0)
    x, xt = x[..., None], xt[..., None]
    fwd = jax.jit(lambda f, pts: im._forward(unravel(f), pts))

    def lossf(out, tt):
        if loss == "mse":
            return 0.5 * jnp.sum((out - tt) ** 2)
        return -jnp.sum(tt * jax.nn.log_softmax(out, axis=1))

    grad_net = jax.jit(jax.grad(lambda f, xb, tb: lossf(fwd(f, xb), tb)))
    grad_out = jax.jit(jax.grad(lossf))
    jac = jax.jit(jax.jacobian(fwd))
    J0 = np.asarray(jac(flat0, x))  # (n, K, P)
    f00 = np.asarray(fwd(flat0, x))
    rng = np.random.default_rng([seed, 1])
    order = []
    while batch and len(order) < steps:
        perm = rng.permutation(x.shape[0])
        order += [perm[i * batch:(i + 1) * batch] for i in range(x.shape[0] // batch)]
    th, thl = flat0.copy(), np.asarray(flat0).copy()
    v, vl = np.zeros_like(thl), np.zeros_like(thl)
    for k in range(steps):
        idx = order[k] if optimizer == "sgd" else np.arange(x.shape[0])
        g = np.asarray(grad_net(th, x[idx], t[idx]))
        fl = f00[idx] + np.einsum("ikp,p->ik", J0[idx], thl - flat0)
        gf = np.asarray(grad_out(jnp.asarray(fl), t[idx]))
        gl = np.einsum("ikp,ik->p", J0[idx], gf)
        if optimizer != "gd":
            v, vl = mu * v + g, mu * vl + gl
            g, gl = v, vl
        th, thl = th - lr * g, thl - lr * gl
    out_l = np.asarray(fwd(flat0, xt)) + np.einsum("ikp,p->ik", np.asarray(jac(flat0, xt)),
                                                   thl - flat0)
    return np.asarray(fwd(th, xt)), out_l


@pytest.mark.parametrize(("arch", "loss", "optimizer"), [
    ("cnn", "mse", "gd"), ("mlp", "cross_entropy", "momentum"), ("cnn", "cross_entropy", "sgd")])
def test_optimizers_against_reference(arch, loss, optimizer):
    x, xt = DIGITS[:12, 1:6, 2:6], DIGITS[20:25, 1:6, 2:6]
    labels = np.arange(12) % 3
    if loss == "mse":
        y, yt = ntklab.onehot_targets(labels, (0, 1, 2)), ntklab.onehot_targets(
            np.arange(5) % 3, (0, 1, 2))
        t = y
    else:
        y, yt = labels, np.arange(5) % 3
        t = np.eye(3)[labels]
    net = dict(arch=arch, width=7, depth=2, pooling="flatten")
    batch = 5 if optimizer == "sgd" else None
    lr = None if optimizer == "momentum" else 0.05  # the default step once: 1/(½ λ_max)
    res = im.train_images(x, y, xt, yt, loss=loss, optimizer=optimizer, steps=7, lr=lr,
                          momentum=0.8, batch_size=batch, seed=4, record_every=3,
                          dtype="float64", **net)
    assert res.steps.tolist() == [0, 3, 6, 7]
    if lr is None:
        p0 = im.init_image_params(4, (5, 4), n_outputs=3, **net)
        assert res.lr_default and res.lr == im.default_image_lr(p0, x, loss=loss)
    ref_net, ref_lin = _reference(x, t, xt, loss, optimizer, 7, res.lr,
                                  0.0 if optimizer == "gd" else 0.8, batch, 4, **net)
    np.testing.assert_allclose(res.test_outputs_net, ref_net, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(res.test_outputs_lin, ref_lin, rtol=1e-9, atol=1e-11)
    assert res.rmse_net_lin[-1] == pytest.approx(np.sqrt(np.mean((ref_net - ref_lin) ** 2)),
                                                 rel=1e-8)


def _binary(n_train=40, n_test=20):
    (xtr, ytr), (xte, yte) = ntklab.load_digits(classes=(3, 8), n_train=n_train,
                                                n_test=n_test)
    return xtr, ntklab.binary_targets(ytr, (3, 8)), xte, ntklab.binary_targets(yte, (3, 8))


def test_default_step_and_records():
    xtr, ytr, xte, yte = _binary()
    res = im.train_images(xtr, ytr, xte, yte, arch="mlp", width=64, steps=30,
                          record_every=10, dtype="float64")
    p0 = im.init_image_params(0, (8, 8), arch="mlp", width=64)
    lam = np.linalg.eigvalsh(im.image_ntk(p0, xtr))[-1]
    assert res.lr_default and res.lr == pytest.approx(1.0 / lam, rel=1e-8)
    assert res.lam_max == pytest.approx(lam, rel=1e-8)
    assert res.steps.tolist() == [0, 10, 20, 30] and res.completed and not res.diverged
    assert res.rmse_net_lin[0] == 0.0 and res.weight_change[0] == 0.0
    assert res.train_loss_net[-1] < res.train_loss_net[0]
    assert res.test_outputs_net.shape == (20,) and set(res.test_labels.tolist()) == {-1, 1}
    assert res.accuracy_net[-1] == pytest.approx(np.mean(np.sign(res.test_outputs_net) == yte))


def test_without_linearization_and_stopping():
    xtr, ytr, xte, yte = _binary()
    res = im.train_images(xtr, ytr, xte, yte, arch="mlp", width=8, steps=6, record_every=2,
                          linearization=False, lr=0.01, dtype="float64")
    for name in ("loss_lin", "accuracy_lin", "train_loss_lin", "rmse_net_lin",
                 "weight_change_lin", "test_outputs_lin", "params_lin"):
        assert getattr(res, name) is None
    assert res.accuracy_net.shape == (4,)
    seen = []
    stopped = im.train_images(xtr, ytr, xte, yte, arch="mlp", width=8, steps=6,
                              record_every=2, lr=0.01, dtype="float64",
                              on_progress=lambda p: seen.append(p) or p.step < 2)
    assert [p.step for p in seen] == [0, 2] and not stopped.completed
    assert stopped.steps.tolist() == [0, 2] and seen[-1].test_outputs_net.shape == (20,)


def test_sgd_seeded():
    xtr, ytr, xte, yte = _binary()
    runs = [im.train_images(xtr, ytr, xte, yte, arch="mlp", width=16, optimizer="sgd",
                            batch_size=8, steps=12, record_every=4, seed=seed, lr=0.01,
                            dtype="float64")
            for seed in (1, 1, 2)]
    np.testing.assert_array_equal(runs[0].test_outputs_net, runs[1].test_outputs_net)
    np.testing.assert_array_equal(runs[0].rmse_net_lin, runs[1].rmse_net_lin)
    assert not np.array_equal(runs[0].test_outputs_net, runs[2].test_outputs_net)
    assert runs[0].batch_size == 8 and runs[0].momentum == 0.9


@pytest.mark.parametrize(("change", "match"), [
    (dict(arch="resnet"), "arch must be one of"), (dict(pooling="max"), "pooling must be"),
    (dict(loss="hinge"), "loss must be one of"), (dict(optimizer="adam"), "optimizer must"),
    (dict(width=0), "width must be an integer in"), (dict(depth=11), "depth must be"),
    (dict(init_scale=0.0), "init_scale must be"), (dict(momentum=1.0), "momentum must be"),
    (dict(batch_size=4), "batch_size applies only"), (dict(lr=-1.0), "lr must be"),
    (dict(steps=-1), "steps must be"), (dict(record_every=0), "record_every must be"),
    (dict(dtype="float16"), "dtype must be"), (dict(linearization=1), "linearization must"),
    (dict(seed=-1), "seed must be"), (dict(optimizer="sgd", batch_size=100), "batch_size"),
    (dict(on_progress=3), "on_progress must be")])
def test_bad_settings(change, match):
    xtr, ytr, xte, yte = _binary()
    with pytest.raises(ValueError, match=match):
        im.train_images(xtr, ytr, xte, yte, **{"steps": 2, **change})


def test_bad_data():
    xtr, ytr, xte, yte = _binary()
    nan = xtr.copy()
    nan[0, 0, 0] = np.nan
    cases = [
        ((nan, ytr, xte, yte), {}, "X_train must be finite"),
        ((xtr, ytr, xte[:, :7], yte), {}, "X_test must have X_train's image shape"),
        ((xtr, ytr[:5], xte, yte), {}, "Y_train must have one target per image"),
        ((xtr, ytr, xte, yte[:, None]), {}, "Y_test must have Y_train's number of outputs"),
        ((xtr, ytr, xte, yte), dict(loss="cross_entropy"), "integer labels"),
        ((xtr, (ytr > 0).astype(int), xte, np.full(20, 7)), dict(loss="cross_entropy"),
         "not among Y_train's classes"),
        ((xtr[:, 0], ytr, xte[:, 0], yte), {}, "X_train must be images of shape"),
    ]
    for args, kw, match in cases:
        with pytest.raises(ValueError, match=match):
            im.train_images(*args, steps=2, **kw)


def test_work_and_memory_refused_before_allocation():
    xtr, ytr, xte, yte = _binary()
    with pytest.raises(Refusal, match="work") as info:
        im.train_images(xtr, ytr, xte, yte, width=1024, depth=6, steps=100_000)
    assert info.value.key == "work" and info.value.fields["work"] > im.IMAGE_WORK_BUDGET
    with pytest.raises(Refusal):  # 21 564² entries
        im.image_ntk(im.init_image_params(0, (8, 8), arch="mlp", width=4), np.tile(DIGITS,
                                                                                   (12, 1, 1)))
    with pytest.raises(ValueError, match="x must be images of shape"):
        im.image_apply(im.init_image_params(0, (8, 8), width=4), DIGITS[:2, :4])
