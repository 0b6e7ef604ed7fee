"""The infinite-width CNN kernels (ntklab.cntk, ntklab.cnngp) against wide finite CNNs,
a direct per-pair evaluation of the recursion, the MLP kernels, and bad input.

The finite CNNs here are written independently of ntklab (JAX, in this file): every
weight and bias ~ N(0, s²), a 3×3 SAME convolution divided by √(9·C_in), one bias per
channel, ReLU, global average pooling or flatten, a dense output divided by √(its fan-in),
no output bias. Their empirical NTK is the exact Jacobian product (jax.jacrev).
"""

import numpy as np
import pytest

import ntklab
from ntklab.analytic import conv_kernels
from ntklab.analytic.validate import Refusal

RNG = np.random.default_rng(20240517)
# three 4×4 images with two channels, and two others; pixels in [0, 1] like the digits'
IMAGES = RNG.uniform(0, 1, size=(3, 4, 4, 2))
OTHER = RNG.uniform(0, 1, size=(2, 4, 4, 2))


# ---------------------------------------------------------------- finite CNNs

POOLINGS = ("gap", "flatten")  # the order of the two output heads after each layer


def _net(depth, width, s, channels, npix, rng):
    """A random CNN: ``depth`` conv layers (weights (9 taps, C_in, C_out), tap 3·di + dj
    reads the pixel at offset (di − 1, dj − 1)), and after each layer two output heads, GAP
    (width weights) and flatten (npix·width), so that one net is a depth-d CNN of both kinds
    for every d ≤ depth. Every parameter ~ N(0, s²)."""
    layers, heads, c_in = [], [], channels
    for _ in range(depth):
        layers.append((rng.normal(0, s, (9, c_in, width)), rng.normal(0, s, width)))
        heads += [rng.normal(0, s, width), rng.normal(0, s, npix * width)]
        c_in = width
    return layers, heads


def _patches(u):
    """(n, H, W, C) -> (n, H·W, 9·C): the zero-padded 3×3 neighbourhood of every pixel."""
    n, h, w, c = u.shape
    pad = np.pad(u, ((0, 0), (1, 1), (1, 1), (0, 0)))
    return np.stack([pad[:, i:i + h, j:j + w] for i in range(3) for j in range(3)],
                    axis=3).reshape(n, h * w, 9 * c)


def _net_kernels(net, x):
    """Per head: the outputs f(x), the exact empirical NTK ∇f(x)·∇f(x)ᵀ by explicit
    backpropagation in numpy, and the pooled features' Gram feat·featᵀ/fan_in. Shapes
    (heads, n), (heads, n, n), (heads, n, n)."""
    layers, heads = net
    n, h, w, _ = x.shape
    npix = h * w
    u, pre, pats = x, [], []
    for weight, bias in layers:  # forward
        pats.append(_patches(u))
        fan_in = pats[-1].shape[-1]
        pre.append(pats[-1] @ weight.reshape(fan_in, -1) / np.sqrt(fan_in) + bias)
        u = np.maximum(pre[-1], 0.0).reshape(n, h, w, -1)
    outs, ntks, grams = [], [], []
    for head, v in enumerate(heads):
        depth, gap = head // 2 + 1, head % 2 == 0
        act = np.maximum(pre[depth - 1], 0.0)  # (n, P, C)
        width = act.shape[-1]
        feat = act.mean(axis=1) if gap else act.reshape(n, -1)
        outs.append(feat @ v / np.sqrt(feat.shape[1]))
        grams.append(feat @ feat.T / feat.shape[1])
        ntk = grams[-1].copy()  # the head's own weights
        # δ = ∂f/∂(pre-activation), layer by layer down
        dv = (np.broadcast_to(v / npix, (npix, width)) if gap else v.reshape(npix, width))
        delta = (pre[depth - 1] > 0) * dv / np.sqrt(feat.shape[1])
        for layer in range(depth - 1, -1, -1):
            pat = pats[layer].reshape(n * npix, -1)
            d = delta.reshape(n * npix, -1)
            ntk += ((d @ d.T) * (pat @ pat.T)).reshape(n, npix, n, npix).sum(axis=(1, 3)) \
                / pat.shape[1]  # the weights
            ntk += delta.sum(axis=1) @ delta.sum(axis=1).T  # the biases, shared over positions
            if layer:
                weight = layers[layer][0]
                grad = (delta @ weight.reshape(-1, width).T / np.sqrt(pat.shape[1]))
                grad = grad.reshape(n, h, w, 9, -1)
                acc = np.zeros((n, h + 2, w + 2, grad.shape[-1]))
                for t in range(9):  # col2im: the patch entry t of pixel p is pixel p + off_t
                    acc[:, t // 3:t // 3 + h, t % 3:t % 3 + w] += grad[:, :, :, t]
                delta = (pre[layer - 1] > 0) * acc[:, 1:-1, 1:-1].reshape(n, npix, -1)
        ntks.append(ntk)
    return np.array(outs), np.array(ntks), np.array(grams)


def test_numpy_backprop_is_the_jax_jacobian():
    """The numpy empirical NTK of the Monte Carlo tests equals J Jᵀ with J from
    jax.jacrev of the same net written with jax.lax.conv (SAME padding), every head."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)  # as ntklab.finite does on import
    s, x = 0.9, np.concatenate([IMAGES, OTHER])
    net = _net(2, 5, s, x.shape[-1], 16, np.random.default_rng(0))
    outs, ntks, _ = _net_kernels(net, x)

    def f(params):
        layers, heads = params
        h, feats = jnp.asarray(x), []
        for weight, bias in layers:
            kernel = weight.reshape(3, 3, *weight.shape[1:])  # HWIO
            h = jax.lax.conv_general_dilated(h, kernel, (1, 1), "SAME",
                                             dimension_numbers=("NHWC", "HWIO", "NHWC"))
            h = jnp.maximum(h / np.sqrt(9 * weight.shape[1]) + bias, 0.0)
            feats += [h.mean(axis=(1, 2)), h.reshape(h.shape[0], -1)]
        return jnp.stack([ft @ v / np.sqrt(ft.shape[1]) for ft, v in zip(feats, heads,
                                                                          strict=True)])

    params = jax.tree_util.tree_map(jnp.asarray, net)
    jac = jax.jacrev(f)(params)
    rows = np.concatenate([np.asarray(j).reshape(4, x.shape[0], -1)
                           for j in jax.tree_util.tree_leaves(jac)], axis=2)
    np.testing.assert_allclose(np.asarray(f(params)), outs, rtol=1e-12)
    np.testing.assert_allclose(np.einsum("hik,hjk->hij", rows, rows), ntks, rtol=1e-10)


def _monte_carlo(depth, width, s, n_nets, seed):
    """Over random nets, per head: the empirical NTK and the output covariance given the
    hidden layers, E_v[f(x)f(x')] = s²·feat(x)·feat(x')/fan_in (the expectation over the
    output weights, in closed form); shapes (heads, n_nets, n, n2) for x = IMAGES,
    x' = OTHER."""
    from threadpoolctl import threadpool_limits  # scikit-learn's dependency

    rng = np.random.default_rng(seed)
    x, n = np.concatenate([IMAGES, OTHER]), IMAGES.shape[0]
    ntk, cov = [], []
    # small products: BLAS threads would only wait for each other (10× slower when the
    # machine is busy)
    with threadpool_limits(1, user_api="blas"):
        for _ in range(n_nets):
            _, ntks, grams = _net_kernels(_net(depth, width, s, x.shape[-1], 16, rng), x)
            ntk.append(ntks[:, :n, n:])
            cov.append(s**2 * grams[:, :n, n:])
    return np.moveaxis(np.array(ntk), 0, 1), np.moveaxis(np.array(cov), 0, 1)


def _outputs_depth_one(pooling, s, width, n_nets, rng, chunk=2000):
    """f(IMAGES) and f(OTHER) of many random depth-1 CNNs at once: (n_nets, n), (n_nets, n2)."""
    x = np.concatenate([IMAGES, OTHER])
    pats = _patches(x)
    outs = []
    for start in range(0, n_nets, chunk):
        t = min(chunk, n_nets - start)
        weights = rng.normal(0, s, (t, pats.shape[-1], width))
        bias = rng.normal(0, s, (t, 1, 1, width))
        act = np.maximum(np.einsum("mpk,tkc->tmpc", pats, weights) / np.sqrt(pats.shape[-1])
                         + bias, 0.0)
        feat = act.mean(axis=2) if pooling == "gap" else act.reshape(t, x.shape[0], -1)
        v = rng.normal(0, s, (t, feat.shape[-1]))
        outs.append(np.einsum("tmk,tk->tm", feat, v) / np.sqrt(feat.shape[-1]))
    out = np.concatenate(outs)
    return out[:, : IMAGES.shape[0]], out[:, IMAGES.shape[0]:]


def _agree(samples, exact, rel_bias=0.0, k=5.0):
    """Mean of ``samples`` within k standard errors (plus a relative bias) of ``exact``."""
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0])
    ok = np.abs(mean - exact) <= k * se + rel_bias * np.abs(exact) + 1e-12
    assert np.all(ok), (mean, exact, se)


def test_depth_one_matches_finite_nets_in_expectation():
    """At depth 1 the mean empirical NTK and the output covariance of finite nets equal the
    infinite-width kernels at any width (the first layer's pre-activations are exactly
    Gaussian, the output weights independent): only sampling error, 5 standard errors
    (about 1 % of the kernel here). The output covariance is checked twice: given the
    hidden layer (s²·feat·feat'/fan_in), and as f(x)f(x') over 20 000 narrow nets."""
    s = 0.6
    ntks, covs = _monte_carlo(1, 512, s, 48, seed=1)
    rng = np.random.default_rng(2)
    for head, pooling in enumerate(POOLINGS):
        theta, sigma = ntklab.cntk_and_cnngp(IMAGES, OTHER, pooling=pooling, init_scale=s)
        _agree(ntks[head], theta)
        _agree(covs[head], sigma)
        fx, fx2 = _outputs_depth_one(pooling, s, 8, 20_000, rng)
        _agree(fx[:, :, None] * fx2[:, None, :], sigma)
    # the same nets in neural-tangents' parameterization (ω = W/s trained, W = s·ω) have
    # s² times this NTK: ∂f/∂ω = s·∂f/∂W
    assert not np.allclose(s**2 * ntklab.cntk(IMAGES, OTHER, init_scale=s), ntks[0].mean(0),
                           rtol=0.2)


def test_deeper_kernels_match_wide_finite_nets():
    """Depths 2 and 3 (the heads after layers 2 and 3 of the same nets), both poolings: the
    mean over 48 nets of width 256 within 5 standard errors (about 1.5 % of the kernel)
    plus 3 % for the O(1/width) finite-width bias."""
    s = 1.3
    ntks, covs = _monte_carlo(3, 256, s, 48, seed=4)
    for depth in (2, 3):
        for k, pooling in enumerate(POOLINGS):
            head = 2 * (depth - 1) + k
            theta, sigma = ntklab.cntk_and_cnngp(IMAGES, OTHER, depth=depth, pooling=pooling,
                                                 init_scale=s)
            _agree(ntks[head], theta, rel_bias=0.03)
            _agree(covs[head], sigma, rel_bias=0.03)


# ---------------------------------------------------------------- the recursion itself

def _direct(x, x2, depth, pooling, s):
    """docs/science.md's recursion for one pair at a time: full 4-D position-pair arrays,
    explicit zero padding, arctan2 for the angle. Slow and plain."""
    x, x2 = (np.asarray(a, float) for a in (x, x2))
    _, h, w, c = x.shape

    def conv(a):  # (1/9) Σ_d a[p + d, p' + d]
        pad = np.zeros((h + 2, w + 2, h + 2, w + 2))
        pad[1:-1, 1:-1, 1:-1, 1:-1] = a
        return sum(pad[i:i + h, j:j + w, i:i + h, j:j + w]
                   for i in range(3) for j in range(3)) / 9

    def relu(cov, qa, qb):
        norm = np.sqrt(np.multiply.outer(qa, qb))
        sin = np.sqrt(np.maximum(norm**2 - cov**2, 0))
        phi = np.arctan2(sin, cov)
        return (sin + (np.pi - phi) * cov) / (2 * np.pi), (np.pi - phi) / (2 * np.pi)

    def diag(a):
        return np.einsum("ijij->ij", a)

    def pool(a):
        return a.mean() if pooling == "gap" else diag(a).mean()

    def pair(a, b):
        covs = [s**2 * (conv(np.einsum("ijc,klc->ijkl", u, v) / c) + 1)
                for u, v in ((a, a), (b, b), (a, b))]
        theta = covs[2] / s**2
        for layer in range(depth):
            qa, qb = diag(covs[0]), diag(covs[1])
            e, d = relu(covs[2], qa, qb)
            if layer == depth - 1:
                return pool(e) + s**2 * pool(d * theta), s**2 * pool(e)
            theta = conv(e) + 1 + s**2 * conv(d * theta)
            covs = [s**2 * (conv(relu(covs[0], qa, qa)[0]) + 1),
                    s**2 * (conv(relu(covs[1], qb, qb)[0]) + 1), s**2 * (conv(e) + 1)]

    out = np.array([[pair(a, b) for b in x2] for a in x])
    return out[..., 0], out[..., 1]


@pytest.mark.parametrize("pooling", ["gap", "flatten"])
@pytest.mark.parametrize("depth, s", [(1, 1.0), (2, 0.7), (3, 1.6)])
def test_blocked_computation_equals_the_direct_recursion(pooling, depth, s, monkeypatch):
    """Tiles of a few image pairs, both threads, symmetric and general paths: the same
    numbers as the plain per-pair recursion, to round-off. (On the direct side the angle of
    an image with itself is only good to ~1e-8, so the Gram's diagonal is left out.)"""
    monkeypatch.setattr(conv_kernels, "_GAP_TILE_ENTRIES", 3 * 16 * 16)
    monkeypatch.setattr(conv_kernels, "_FLAT_TILE_ENTRIES", 2 * 16)
    x = RNG.normal(size=(5, 4, 4, 2))
    theta, sigma = ntklab.cntk_and_cnngp(x, OTHER, depth=depth, pooling=pooling, init_scale=s)
    ref_theta, ref_sigma = _direct(x, OTHER, depth, pooling, s)
    np.testing.assert_allclose(theta, ref_theta, rtol=1e-12)
    np.testing.assert_allclose(sigma, ref_sigma, rtol=1e-12)
    gram, gram_sigma = ntklab.cntk_and_cnngp(x, depth=depth, pooling=pooling, init_scale=s)
    ref_gram, ref_gram_sigma = _direct(x, x, depth, pooling, s)
    off = ~np.eye(5, dtype=bool)
    np.testing.assert_allclose(gram[off], ref_gram[off], rtol=1e-12)
    np.testing.assert_allclose(gram_sigma[off], ref_gram_sigma[off], rtol=1e-12)
    # the general path on a copy: same numbers, diagonal included
    copy = ntklab.cntk(x, x.copy(), depth=depth, pooling=pooling, init_scale=s)
    np.testing.assert_allclose(copy, gram, rtol=1e-13)


def test_diagonal_is_exact():
    """An image against itself: every position pair p = p' has ρ = 1 exactly, so with
    flatten (only those pairs) K(x, x) follows the closed form E = q/2, D = 1/2."""
    x = RNG.normal(size=(4, 5, 3))
    depth = 3
    theta = ntklab.cntk(x, depth=depth, pooling="flatten")

    def conv(a):
        pad = np.pad(a, 1)
        return sum(pad[i:i + 5, j:j + 3] for i in range(3) for j in range(3)) / 9

    for image, value in zip(x, np.diag(theta), strict=True):
        q = conv(image**2) + 1
        t = q.copy()
        for _ in range(depth - 1):
            t, q = conv(q / 2) + 1 + conv(t / 2), conv(q / 2) + 1
        np.testing.assert_allclose(value, np.mean(q / 2) + np.mean(t / 2), rtol=1e-14)


# ---------------------------------------------------------------- invariants

@pytest.mark.parametrize("pooling", ["gap", "flatten"])
def test_symmetric_and_positive_semidefinite(pooling):
    x, _ = ntklab.load_digits()
    x = x[:24]
    for depth in (1, 3):
        theta, sigma = ntklab.cntk_and_cnngp(x, depth=depth, pooling=pooling)
        for m in (theta, sigma):
            assert np.array_equal(m, m.T)
            lam = np.linalg.eigvalsh(m)
            assert lam.min() > -1e-12 * lam.max()
        np.testing.assert_array_equal(sigma, ntklab.cnngp(x, depth=depth, pooling=pooling))


@pytest.mark.parametrize("s", [0.5, 1.0, 2.0])
def test_one_pixel_images_are_the_mlp(s):
    """A 1×1 single-channel image x at depth 1: exactly the MLP kernels of x/3 (the 3×3
    filter is normalized by √9 and sees one non-zero tap), whatever the pooling."""
    x = np.array([-2.0, -0.7, 0.0, 0.4, 1.3, 3.0])
    images = x.reshape(-1, 1, 1)
    for pooling in ("gap", "flatten"):
        theta, sigma = ntklab.cntk_and_cnngp(images, depth=1, pooling=pooling, init_scale=s)
        np.testing.assert_allclose(theta, ntklab.ntk(x / 3, init_scale=s), rtol=1e-13)
        np.testing.assert_allclose(sigma, ntklab.nngp(x / 3, init_scale=s), rtol=1e-13)
    for depth in (2, 4):  # deeper, GAP and flatten still coincide on one pixel
        np.testing.assert_allclose(ntklab.cntk(images, depth=depth, init_scale=s),
                                   ntklab.cntk(images, depth=depth, pooling="flatten",
                                               init_scale=s), rtol=1e-13)


def test_init_scale_laws():
    """Depth 1: Θ scales as s² and Σ as s⁴ (as for the MLP); deeper, not a plain power."""
    for pooling in ("gap", "flatten"):
        theta, sigma = ntklab.cntk_and_cnngp(IMAGES, depth=1, pooling=pooling)
        for s in (0.3, 2.5):
            t, g = ntklab.cntk_and_cnngp(IMAGES, depth=1, pooling=pooling, init_scale=s)
            np.testing.assert_allclose(t, s**2 * theta, rtol=1e-13)
            np.testing.assert_allclose(g, s**4 * sigma, rtol=1e-13)
    ratio = ntklab.cntk(IMAGES, depth=2, init_scale=2.0) / ntklab.cntk(IMAGES, depth=2)
    assert np.ptp(ratio) > 1e-3


def test_blank_images_flips_and_pooling():
    """All-zero images: every pre-activation is the bias, so Σ = s⁴/2 at depth 1. Flipping
    or transposing both images changes nothing (the weights' law has those symmetries, and
    so has SAME padding). GAP and flatten are different kernels."""
    blank = np.zeros((2, 3, 3))
    np.testing.assert_allclose(ntklab.cnngp(blank, init_scale=1.5), 1.5**4 / 2, rtol=1e-14)
    x, _ = ntklab.load_digits()
    x = x[:6]
    for pooling in ("gap", "flatten"):
        k = ntklab.cntk(x[:4], x[4:], depth=2, pooling=pooling)
        for move in (lambda a: a[:, ::-1], lambda a: a[:, :, ::-1],
                     lambda a: a.transpose(0, 2, 1)):
            np.testing.assert_allclose(ntklab.cntk(move(x[:4]), move(x[4:]), depth=2,
                                                   pooling=pooling), k, rtol=1e-13)
    gap, flat = ntklab.cntk(x, depth=2), ntklab.cntk(x, depth=2, pooling="flatten")
    assert np.abs(gap - flat).max() > 0.05 * np.abs(flat).max()


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x=np.zeros((3, 4))), "shape"),
        (dict(x=np.zeros((2, 3, 3, 1, 1))), "shape"),
        (dict(x=np.zeros(5)), "shape"),
        (dict(x=np.zeros((0, 3, 3))), "between"),
        (dict(x=np.zeros((2, 0, 3))), "pixels"),
        (dict(x=np.zeros((2, 3, 3, 0))), "channels"),
        (dict(x=np.full((2, 3, 3), np.nan)), "finite"),
        (dict(x=np.array([[[np.inf]]])), "finite"),
        (dict(x=[[["a"]]]), "numbers"),
        (dict(x=np.full((2, 3, 3), -2e30)), "within"),
        (dict(x2=np.full((1, 3, 3), 1e31)), "within"),
        (dict(pooling="max"), "pooling"),
        (dict(pooling=None), "pooling"),
        (dict(pooling="GAP"), "pooling"),
        (dict(depth=0), "depth"),
        (dict(depth=11), "depth"),
        (dict(depth=1.5), "depth"),
        (dict(depth=True), "depth"),
        (dict(init_scale=0.0), "init_scale"),
        (dict(init_scale=-1.0), "init_scale"),
        (dict(init_scale=float("inf")), "init_scale"),
        (dict(init_scale=1e-5), "init_scale"),
        (dict(init_scale="1"), "init_scale"),
        (dict(x2=np.zeros((2, 4, 3))), "image size"),
        (dict(x2=np.zeros((2, 3, 3, 2))), "channels"),
        (dict(x2=np.zeros((2, 3))), "shape"),
        (dict(x2=np.full((1, 3, 3), np.nan)), "finite"),
    ],
)
@pytest.mark.parametrize("fn", [ntklab.cntk, ntklab.cnngp])
def test_bad_input(fn, kwargs, match):
    kwargs = dict(kwargs)
    x = kwargs.pop("x", np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match=match):
        fn(x, **kwargs)


@pytest.mark.parametrize("s", [1e-3, 1.0, 1e3])
def test_extreme_pixels_and_scales_stay_finite(s):
    """Pixels at the allowed ±1e30 and the extreme init scales at depth 10: the carried
    products q·q' stay inside float64 (finite, positive diagonal, ρ ≤ 1)."""
    x = np.stack([np.full((3, 3), 1e30), np.full((3, 3), -1e30), np.eye(3)])
    for pooling in POOLINGS:
        theta, sigma = ntklab.cntk_and_cnngp(x, depth=10, pooling=pooling, init_scale=s)
        for m in (theta, sigma):
            assert np.all(np.isfinite(m)) and np.all(np.diag(m) > 0)
            d = np.sqrt(np.diag(m))
            assert np.all(np.abs(m) <= np.outer(d, d) * (1 + 1e-12))


def test_memory_budget_refused_before_allocation():
    """Refused at once, before any work: 12 000 digits need two 12 000² outputs (2.1 GiB),
    17 000 digits one 17 000² output for the NNGP alone (2.2 GiB)."""
    with pytest.raises(Refusal, match="GiB") as info:
        ntklab.cntk(np.zeros((12_000, 8, 8)), pooling="flatten")
    assert info.value.key == "memory"
    with pytest.raises(Refusal, match="GiB"):
        ntklab.cnngp(np.zeros((17_000, 8, 8)))
    with pytest.raises(ValueError, match="pixels"):
        ntklab.cntk(np.zeros((1, 64, 64)))


@pytest.mark.parametrize("pooling", POOLINGS)
def test_every_depth_at_once_is_each_depth(pooling, monkeypatch):
    """cntk_and_cnngp_by_depth: entry d − 1 is the depth-d kernel bit for bit, symmetric
    and general paths, over several tiles."""
    monkeypatch.setattr(conv_kernels, "_GAP_TILE_ENTRIES", 3 * 16 * 16)
    monkeypatch.setattr(conv_kernels, "_FLAT_TILE_ENTRIES", 2 * 16)
    x = RNG.normal(size=(5, 4, 4, 2))
    for x2 in (None, OTHER):
        theta, sigma = conv_kernels.cntk_and_cnngp_by_depth(x, x2, depth=3, pooling=pooling,
                                                            init_scale=1.3)
        assert theta.shape == sigma.shape == (3, 5, 5 if x2 is None else 2)
        for d in (1, 2, 3):
            t, s = ntklab.cntk_and_cnngp(x, x2, depth=d, pooling=pooling, init_scale=1.3)
            assert np.array_equal(theta[d - 1], t) and np.array_equal(sigma[d - 1], s)
