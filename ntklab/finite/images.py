"""Nets on images beside their linearization (docs/science.md §3.14): a fully connected net
on flattened images and a small CNN, their empirical NTK, linearization and training with
the losses and optimizers Lee et al. 2019 vary ("Wide neural networks of any depth evolve as
linear models under gradient descent").

Networks (ntklab's NTK parameterization, the convention of :func:`ntklab.cntk`): every
weight and bias ~ N(0, s²) and trained directly, each layer divided by √fan_in, no output
bias, K outputs (one per class, or one for ±1 targets).

``arch="mlp"`` (width m = hidden units, depth L hidden layers), on x flattened to d = H·W·C::

    h¹ = W¹ x/√d + b¹,   h^{l+1} = W^{l+1} relu(h^l)/√m + b^{l+1},   f = V relu(h^L)/√m

``arch="cnn"`` (width C = channels): ``[conv 3×3 (SAME) → ReLU] × L → pooling → dense(K)``,
the convolution divided by √(9·C_in) (border taps of the zero padding still count in the 9),
one bias per channel, pooling ``"gap"`` (mean over positions: the dense layer's fan_in is
C) or ``"flatten"`` (fan_in H·W·C). As the widths grow, the empirical NTK of each output
converges to :func:`ntklab.cntk` (CNN) and to the fully connected kernel with
Σ¹ = s²(x·x′/d + 1) (MLP; :func:`mlp_ntk`), and different outputs decouple (Θ ⊗ I_K).

Training (:func:`train_images`) runs the net and its linearization
f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)·(θ − θ₀) from the same θ₀, both in weight space with
the same optimizer, the same step sizes and the same minibatches: every step computes the
gradient of the summed loss of the same batch for both and applies the same update rule.
The linearization's outputs and gradients are forward-mode products at θ₀ (``jax.jvp``),
never the Jacobian. Steps run in compiled chunks of ``record_every`` steps (``lax.scan``).

Losses are sums over the training points (or the minibatch), as everywhere in ntklab
(docs/science.md §2): ½Σ_i ‖f(x_i) − y_i‖² for ``"mse"`` and Σ_i −log softmax(f(x_i))_{y_i}
for ``"cross_entropy"``. The recorded losses are means per example (train and test sets of
different sizes are then comparable).

Default step (``lr=None``): η = 1/(h·λ_max), λ_max the largest eigenvalue of the net's
empirical NTK at init on all training outputs (nK × nK), estimated by the Lanczos method
(:data:`LANCZOS_STEPS` products J Jᵀ v, float64) and h the largest curvature of the loss in
one example's outputs: 1 for MSE, ½ for softmax cross-entropy (its Hessian diag(p) − ppᵀ has
norm at most ½). That is half the stability limit 2/(h·λ_max) of gradient descent on the
linearized model, for every optimizer here: a minibatch's kernel is a principal submatrix of
the full one, so its λ_max is no larger (Cauchy interlacing), and heavy-ball momentum μ is
stable up to ηhλ < 2(1 + μ). With minibatches this step is therefore safe but moves about
batch/n as far per step as full-batch GD.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import time
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..analytic.conv_kernels import MAX_IMAGE_PIXELS, POOLINGS
from ..analytic.kernels import MAX_DEPTH
from ..analytic.validate import Refusal, as_int, as_positive, check_memory

jax.config.update("jax_enable_x64", True)  # as ntklab.finite.model: analysis in float64

__all__ = [
    "ARCHS",
    "IMAGE_WORK_BUDGET",
    "LOSSES",
    "OPTIMIZERS",
    "ImageParams",
    "ImageProgress",
    "ImageTrainResult",
    "default_image_lr",
    "image_apply",
    "image_linearize",
    "image_ntk",
    "init_image_params",
    "mlp_ntk",
    "train_images",
]

ARCHS = ("mlp", "cnn")
LOSSES = ("mse", "cross_entropy")
OPTIMIZERS = ("gd", "momentum", "sgd")
MAX_WIDTH = {"mlp": 8192, "cnn": 1024}
MAX_OUTPUTS = 100
MAX_TRAIN = 20_000
MAX_TEST = 20_000
MAX_STEPS = 1_000_000
LANCZOS_STEPS = 12  # products J Jᵀ v for λ_max at init: Ritz value within 1e-8 in the tests
# Work budget of one training run, in multiply-adds (:func:`work`). Measured on the shared
# 2-core CPU (benchmarks/bench_digits.py): the CNN of 64 channels on 500 digits, net and
# linearization for 500 GD steps, is about 9e10 of them (12–25 s under load).
IMAGE_WORK_BUDGET = 4e11
_CURVATURE = {"mse": 1.0, "cross_entropy": 0.5}  # h: the loss's largest output curvature


MAX_CHANNELS = 64  # input channels


# ---------------------------------------------------------------- helpers


def _tree_sub(p, q):
    return jax.tree_util.tree_map(jnp.subtract, p, q)


def _sq_norm(tree):
    return sum(jnp.vdot(leaf, leaf) for leaf in jax.tree_util.tree_leaves(tree))


def _as_images(x, name: str) -> np.ndarray:
    """Finite float64 images (n, H, W, C) from (n, H, W) or (n, H, W, C), or ValueError."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be images of numbers, got {type(x).__name__}") from exc
    arr = arr[..., None] if arr.ndim == 3 else arr
    ok = (arr.ndim == 4 and arr.shape[0] >= 1 and 1 <= arr.shape[1] * arr.shape[2]
          <= MAX_IMAGE_PIXELS and 1 <= arr.shape[3] <= MAX_CHANNELS)
    if not ok:
        raise ValueError(f"{name} must be images of shape (n, H, W) or (n, H, W, C) with n ≥ 1, "
                         f"H·W ≤ {MAX_IMAGE_PIXELS} and C ≤ {MAX_CHANNELS}, got shape "
                         f"{np.shape(x)}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


# ---------------------------------------------------------------- the networks


@dataclasses.dataclass(frozen=True)
class ImageParams:
    """Parameters of an image net; a JAX pytree whose leaves are the arrays.

    Attributes:
        w: hidden-layer weights, a tuple of L arrays: (fan_in, m) for the MLP (fan_in = d
           for the first layer), (3, 3, C_in, C) for the CNN (HWIO).
        b: hidden-layer biases, a tuple of L arrays of shape (m,) or (C,).
        v: output weights, shape (fan_in, K): m (MLP), C (CNN + GAP) or H·W·C (flatten).
        arch: ``"mlp"`` or ``"cnn"``; pooling: ``"gap"``, ``"flatten"`` (CNN) or ``None``;
        in_shape: the images' (H, W, C) (static, not trained).
    """

    w: tuple
    b: tuple
    v: jax.Array
    arch: str = "cnn"
    pooling: str | None = "gap"
    in_shape: tuple = (8, 8, 1)

    @property
    def depth(self) -> int:
        return len(self.w)

    @property
    def width(self) -> int:
        return int(self.b[0].shape[0])

    @property
    def n_outputs(self) -> int:
        return int(self.v.shape[1])

    @property
    def n_params(self) -> int:
        return int(sum(np.prod(leaf.shape) for leaf in jax.tree_util.tree_leaves(self)))


jax.tree_util.register_dataclass(ImageParams, data_fields=["w", "b", "v"],
                                 meta_fields=["arch", "pooling", "in_shape"])


def _choice(value, name, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r:.60}")
    return value


def _arch_args(arch, width, depth, pooling, init_scale):
    arch = _choice(arch, "arch", ARCHS)
    width = as_int(width, "width", 1, MAX_WIDTH[arch])
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    if arch == "cnn":
        pooling = _choice(pooling, "pooling", POOLINGS)
    s = as_positive(init_scale, "init_scale", hi=1e2)
    return arch, width, depth, (pooling if arch == "cnn" else None), s


def _shapes(arch, in_shape, width, depth, pooling, n_outputs):
    """The parameter shapes (w, b, v) of a net."""
    h, w_, c = in_shape
    if arch == "mlp":
        fans = [h * w_ * c] + [width] * (depth - 1)
        ws = [(f, width) for f in fans]
        out_fan = width
    else:
        ws = [(3, 3, c if i == 0 else width, width) for i in range(depth)]
        out_fan = width if pooling == "gap" else h * w_ * width
    return ws, [(width,)] * depth, (out_fan, n_outputs)


def _macs_per_image(arch, in_shape, width, depth, pooling, n_outputs):
    """Multiply-adds of one forward pass on one image."""
    ws, _, v = _shapes(arch, in_shape, width, depth, pooling, n_outputs)
    positions = 1 if arch == "mlp" else in_shape[0] * in_shape[1]
    return positions * sum(math.prod(s) for s in ws) + math.prod(v)


def _activations(params) -> int:
    """Hidden activations of one image: positions × width × depth, plus the input."""
    h, w, c = params.in_shape
    positions = 1 if params.arch == "mlp" else h * w
    return positions * params.width * params.depth + h * w * c


def init_image_params(seed, in_shape, *, arch="cnn", width=64, depth=1, pooling="gap",
                      n_outputs=1, init_scale=1.0) -> ImageParams:
    """Draw θ₀ of an image net: every weight and bias ~ N(0, s²) (module docstring).

    Args:
        seed: integer seed in [0, 2³² − 1] (numpy's PCG64; the only randomness).
        in_shape: the images' (H, W) or (H, W, C).
        arch: ``"mlp"`` (fully connected on the flattened image) or ``"cnn"``.
        width: hidden units (MLP) or channels (CNN) of every hidden layer.
        depth: number of hidden (MLP) or convolutional (CNN) layers.
        pooling: ``"gap"`` or ``"flatten"`` (CNN only; ignored for the MLP).
        n_outputs: K, the number of outputs.
        init_scale: s, the standard deviation of every parameter.

    >>> p = init_image_params(0, (8, 8), width=16)
    >>> image_apply(p, np.zeros((2, 8, 8))).shape
    (2,)
    """
    seed = as_int(seed, "seed", 0, 2**32 - 1)
    try:
        shape = tuple(int(v) for v in in_shape)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"in_shape must be (H, W) or (H, W, C), got {in_shape!r:.60}") from exc
    if len(shape) == 2:
        shape = (*shape, 1)
    if (len(shape) != 3 or min(shape) < 1 or shape[0] * shape[1] > MAX_IMAGE_PIXELS
            or shape[2] > MAX_CHANNELS):
        raise ValueError(f"in_shape must be (H, W) or (H, W, C) with H·W in [1, "
                         f"{MAX_IMAGE_PIXELS}] and C in [1, {MAX_CHANNELS}], got "
                         f"{in_shape!r:.60}")
    arch, width, depth, pooling, s = _arch_args(arch, width, depth, pooling, init_scale)
    k = as_int(n_outputs, "n_outputs", 1, MAX_OUTPUTS)
    ws, bs, v = _shapes(arch, shape, width, depth, pooling, k)
    check_memory(2.0 * sum(math.prod(t) for t in (*ws, *bs, v)),
                 f"a depth-{depth}, width-{width} {arch}'s parameters")
    rng = np.random.default_rng(seed)
    w, b = [], []
    for ws_l, bs_l in zip(ws, bs, strict=True):
        w.append(jnp.asarray(s * rng.standard_normal(ws_l)))
        b.append(jnp.asarray(s * rng.standard_normal(bs_l)))
    return ImageParams(w=tuple(w), b=tuple(b), v=jnp.asarray(s * rng.standard_normal(v)),
                       arch=arch, pooling=pooling, in_shape=shape)


def _forward(p: ImageParams, x):
    """Outputs (n, K) on images x of shape (n, H, W, C); traceable and unchecked."""
    n = x.shape[0]
    if p.arch == "mlp":
        z = x.reshape(n, -1)
        for w, b in zip(p.w, p.b, strict=True):
            z = jax.nn.relu((z @ w) * (1.0 / math.sqrt(w.shape[0])) + b)
        feats = z
    else:
        z = x
        for w, b in zip(p.w, p.b, strict=True):
            h = jax.lax.conv_general_dilated(z, w, (1, 1), "SAME",
                                             dimension_numbers=("NHWC", "HWIO", "NHWC"))
            z = jax.nn.relu(h * (1.0 / math.sqrt(9 * w.shape[2])) + b)
        feats = jnp.mean(z, axis=(1, 2)) if p.pooling == "gap" else z.reshape(n, -1)
    return (feats @ p.v) * (1.0 / math.sqrt(p.v.shape[0]))


def _check_params(params):
    if not isinstance(params, ImageParams):
        raise ValueError("params must be ImageParams from init_image_params, got "
                         f"{type(params).__name__}")
    return params


def _images_for(params, x, name="x", max_n=200_000):
    """Concrete images as a float array of the parameters' dtype, matching in_shape."""
    if isinstance(x, jax.core.Tracer):
        arr = x if x.ndim == 4 else x[..., None]
    else:
        arr = jnp.asarray(_as_images(x, name), dtype=params.v.dtype)
        if arr.shape[0] > max_n:
            raise ValueError(f"{name} must hold at most {max_n} images, got {arr.shape[0]}")
    if tuple(arr.shape[1:]) != tuple(params.in_shape):
        raise ValueError(f"{name} must be images of shape (H, W, C) = {params.in_shape} (the "
                         f"net's), got {tuple(arr.shape[1:])}")
    return arr.astype(params.v.dtype)


def _squeeze(out, k):
    return out[:, 0] if k == 1 else out


_apply = jax.jit(_forward)


def image_apply(params, x):
    """Outputs of an image net on images x of shape (n, H, W) or (n, H, W, C): shape (n,)
    for one output, (n, K) otherwise. Works inside ``jax.jit``, ``jax.grad`` (in the
    parameters, a pytree), ``jax.jacobian`` and ``jax.vmap``."""
    params = _check_params(params)
    return _squeeze(_apply(params, _images_for(params, x)), params.n_outputs)


def _f_lin_traced(params0, params, x):
    """f(x; θ₀) + J₀(x)·(θ − θ₀), shape (n, K), by one ``jax.jvp``; traceable."""
    delta = _tree_sub(params, params0)
    f0, df = jax.jvp(lambda p: _forward(p, x), (params0,), (delta,))
    return f0 + df


_f_lin = jax.jit(_f_lin_traced)


def image_linearize(params0):
    """The linearized net around θ₀ as ``f_lin(params, x)`` (Lee et al. 2019)::

        f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)·(θ − θ₀)

    one forward-mode product (``jax.jvp``), never the Jacobian; outputs shaped as
    :func:`image_apply`'s. ``params`` must have the structure and shapes of ``params0``.
    """
    params0 = _check_params(params0)
    shapes0 = [leaf.shape for leaf in jax.tree_util.tree_leaves(params0)]
    struct0 = jax.tree_util.tree_structure(params0)

    def f_lin(params, x):
        params = _check_params(params)
        if (jax.tree_util.tree_structure(params) != struct0
                or [leaf.shape for leaf in jax.tree_util.tree_leaves(params)] != shapes0):
            raise ValueError("params must have the architecture and shapes of params0")
        out = _f_lin(params0, params, _images_for(params0, x))
        return _squeeze(out, params0.n_outputs)

    return f_lin


# ---------------------------------------------------------------- empirical NTK


@jax.jit
def _jacobian_rows(p, x):
    """Rows of the Jacobian of every output on a block of images, flattened: (n·K, P)."""
    f, pull = jax.vjp(lambda q: _forward(q, x), p)
    eye = jnp.eye(f.size, dtype=f.dtype).reshape(f.size, *f.shape)
    rows = jax.vmap(pull)(eye)[0]
    return jnp.concatenate([leaf.reshape(f.size, -1)
                            for leaf in jax.tree_util.tree_leaves(rows)], axis=1)


def _jacobian(p, x, block):
    """The Jacobian (n·K, P) in blocks of ``block`` images (the last block zero-padded, so
    that one compiled program serves every block)."""
    n, k = x.shape[0], p.n_outputs
    out = np.empty((n * k, p.n_params))
    for start in range(0, n, block):
        part = x[start:start + block]
        m = part.shape[0]
        if m < block:
            part = jnp.concatenate([part, jnp.zeros((block - m, *part.shape[1:]), part.dtype)])
        out[start * k:(start + m) * k] = np.asarray(_jacobian_rows(p, part))[: m * k]
    return out


def image_ntk(params, x, x2=None, *, block=8):
    """The empirical NTK K(x, x2) = ∇_θ f(x)·∇_θ f(x2) of an image net (float64).

    Shape (n, n2) for one output; (n, n2, K, K) for K outputs, entry [i, j, k, k′] the
    product of output k at x_i with output k′ at x2_j. Computed from the Jacobian's rows
    (reverse mode over ``block`` images at a time) and one matrix product; the whole
    Jacobian of x and x2 is held, (n + n2)·K·P numbers, so requests over the memory budget
    are refused before any work (:class:`ntklab.analytic.validate.Refusal`).
    """
    params = _check_params(params)
    block = as_int(block, "block", 1, 1024)
    p = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), params)
    xa = _images_for(p, x)
    xb = None if x2 is None else _images_for(p, x2, "x2")
    n, k = xa.shape[0], params.n_outputs
    n2 = n if xb is None else xb.shape[0]
    b = min(block, max(n, n2))
    check_memory((n + (0 if xb is None else n2)) * k * params.n_params
                 + 2.0 * b * k * (params.n_params + b * _activations(params)) + n * n2 * k * k,
                 f"the empirical NTK of {n} × {n2} images")
    J = _jacobian(p, xa, b)
    J2 = J if xb is None else _jacobian(p, xb, b)
    out = (J @ J2.T).reshape(n, k, n2, k).transpose(0, 2, 1, 3)
    return out[:, :, 0, 0].copy() if k == 1 else out


def mlp_ntk(x, x2=None, *, depth=1, init_scale=1.0):
    """The infinite-width NTK of the fully connected net on flattened images (``arch="mlp"``):
    the recursion of docs/science.md §2 started from Σ¹ = s²(x·x′/d + 1), Θ¹ = x·x′/d + 1,
    d = H·W·C, with no output bias. Shape (n, n2), float64; images as for
    :func:`ntklab.cntk`.

    At depth 1 it equals :func:`ntklab.cntk` of 1×1 images with d channels holding 3x (a
    3×3 filter of a 1×1 image sees one tap, docs/science.md §3.12).
    """
    xa = _as_images(x, "x").reshape(np.shape(x)[0], -1)
    xb = xa if x2 is None else _as_images(x2, "x2").reshape(np.shape(x2)[0], -1)
    if xb.shape[1] != xa.shape[1]:
        raise ValueError(f"x2 must have {xa.shape[1]} pixels·channels like x, got {xb.shape[1]}")
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    s2 = as_positive(init_scale, "init_scale", hi=1e2) ** 2
    check_memory(6.0 * xa.shape[0] * xb.shape[0], f"a {xa.shape[0]} × {xb.shape[0]} kernel")
    d = xa.shape[1]
    theta = xa @ xb.T / d + 1.0
    sigma, qa, qb = s2 * theta, s2 * (np.sum(xa * xa, 1) / d + 1.0), s2 * (
        np.sum(xb * xb, 1) / d + 1.0)
    for layer in range(depth):
        root = np.sqrt(np.multiply.outer(qa, qb))
        rho = np.clip(sigma / root, -1.0, 1.0)
        phi = np.arccos(rho)
        e_relu = root * (np.sqrt(1.0 - rho * rho) + (np.pi - phi) * rho) / (2 * np.pi)
        beta = 1.0 if layer < depth - 1 else 0.0
        theta = e_relu + beta + s2 * (np.pi - phi) / (2 * np.pi) * theta
        sigma, qa, qb = s2 * (e_relu + beta), s2 * (qa / 2 + beta), s2 * (qb / 2 + beta)
    return theta


def _kv(p, x, v):
    """K v = J (Jᵀ v) for v of the outputs' shape (n, K)."""
    _, pull = jax.vjp(lambda q: _forward(q, x), p)
    (u,) = pull(v)
    return jax.jvp(lambda q: _forward(q, x), (p,), (u,))[1]


_kv_jit = jax.jit(_kv)


def _lam_max(p, x, steps=LANCZOS_STEPS):
    """λ_max of the empirical NTK on all outputs of x (float64), by the Lanczos method with
    full reorthogonalization from the vector of ones (the kernel's top eigenvector is close
    to constant on images)."""
    p = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), p)
    x = _images_for(p, x)
    shape = (x.shape[0], p.n_outputs)
    size = math.prod(shape)
    steps = min(steps, size)
    rng = np.random.default_rng(12345)
    q = np.ones(size) + 0.01 * rng.standard_normal(size)
    Q = [q / np.linalg.norm(q)]
    KQ = []
    for i in range(steps):
        w = np.asarray(_kv_jit(p, x, jnp.asarray(Q[i].reshape(shape)))).ravel()
        KQ.append(w)
        B = np.array(Q)
        for _ in range(2):
            w = w - B.T @ (B @ w)
        norm = np.linalg.norm(w)
        if norm < 1e-12 * np.linalg.norm(KQ[-1]) or i == steps - 1:
            break
        Q.append(w / norm)
    B, KB = np.array(Q[: len(KQ)]), np.array(KQ)
    T = B @ KB.T
    return float(np.linalg.eigvalsh(0.5 * (T + T.T))[-1])


def default_image_lr(params, x, *, loss="mse") -> float:
    """:func:`train_images`' default step η = 1/(h·λ_max) for this θ₀ on the training
    images x: λ_max of the empirical NTK on all outputs of x (Lanczos, float64), h = 1 for
    ``"mse"`` and ½ for ``"cross_entropy"`` (module docstring)."""
    params = _check_params(params)
    loss = _choice(loss, "loss", LOSSES)
    return 1.0 / (_CURVATURE[loss] * _lam_max(params, x))


# ---------------------------------------------------------------- training


class ImageProgress(NamedTuple):
    """What ``on_progress`` receives after every record: the step, the steps asked, the
    test accuracies and mean test losses of the net and of its linearization (NaN without
    it), RMSE(f_NN, f_lin) on the test outputs (NaN without it) and the test outputs now,
    (n_test,) or (n_test, K) (``test_outputs_lin`` None without the linearization)."""

    step: int
    steps: int
    accuracy_net: float
    accuracy_lin: float
    loss_net: float
    loss_lin: float
    rmse_net_lin: float
    test_outputs_net: np.ndarray
    test_outputs_lin: np.ndarray | None


@dataclasses.dataclass(frozen=True)
class ImageTrainResult:
    """A net and its linearization trained on images (:func:`train_images`); numpy arrays.

    Per record (R = len(steps)); the ``*_lin`` fields and ``rmse_net_lin`` are ``None``
    with ``linearization=False``:
        steps: the recorded step indices, (R,) (0 and the last step included).
        loss_net, loss_lin: mean loss per test example (½‖f − y‖² or cross-entropy).
        accuracy_net, accuracy_lin: test accuracy (sign of the output for 1-D targets,
            arg max over outputs otherwise).
        train_loss_net, train_loss_lin: mean loss per training example.
        train_accuracy_net: training accuracy of the net.
        rmse_net_lin: RMSE(f_NN, f_lin) over all test outputs (logits for cross-entropy).
        weight_change: ‖θ − θ₀‖/‖θ₀‖ of the net; weight_change_lin: of the linearization.
    Final:
        test_outputs_net, test_outputs_lin: (n_test,) or (n_test, K), at the last record.
        test_labels: the test targets' classes (what accuracy compares with): signs ±1 for
            1-D targets, class indices otherwise.
        params, params_lin: the trained parameters (float64 ImageParams).
    Settings and bookkeeping: arch, width, depth, pooling, init_scale, loss, optimizer, lr
    (the step used), lr_default (True when chosen from λ_max), lam_max (λ_max of the
    empirical NTK at init on the training outputs, or NaN when a step was given), momentum
    (0 for ``"gd"``), batch_size (None for full batch), seed, record_every, n_train,
    n_test, n_outputs, classes (cross-entropy: the labels in output order), dtype,
    n_params, completed (False when stopped early), diverged, seconds (wall time of the
    whole call), compile_seconds (compiling the step and record programs, included in
    seconds), train_seconds (the steps and records after compilation).
    """

    steps: np.ndarray
    loss_net: np.ndarray
    loss_lin: np.ndarray | None
    accuracy_net: np.ndarray
    accuracy_lin: np.ndarray | None
    train_loss_net: np.ndarray
    train_loss_lin: np.ndarray | None
    train_accuracy_net: np.ndarray
    rmse_net_lin: np.ndarray | None
    weight_change: np.ndarray
    weight_change_lin: np.ndarray | None
    test_outputs_net: np.ndarray
    test_outputs_lin: np.ndarray | None
    test_labels: np.ndarray
    params: ImageParams
    params_lin: ImageParams | None
    arch: str
    width: int
    depth: int
    pooling: str | None
    init_scale: float
    loss: str
    optimizer: str
    lr: float
    lr_default: bool
    lam_max: float
    momentum: float
    batch_size: int | None
    seed: int
    record_every: int
    n_train: int
    n_test: int
    n_outputs: int
    classes: tuple | None
    dtype: str
    n_params: int
    completed: bool
    diverged: bool
    seconds: float
    compile_seconds: float
    train_seconds: float


def _targets(y_train, y_test, loss):
    """(T_train, T_test, K, classes, labels_test): targets as (n, K) float arrays (one-hot
    for cross-entropy), and the test classes accuracy compares with."""
    if loss == "cross_entropy":
        arrs = []
        for name, y in (("Y_train", y_train), ("Y_test", y_test)):
            a = np.asarray(y)
            if a.ndim != 1 or a.size == 0 or not np.issubdtype(a.dtype, np.integer):
                raise ValueError(f"{name} must be 1-D integer labels for loss='cross_entropy', "
                                 f"got dtype {a.dtype} and shape {a.shape}")
            arrs.append(a.astype(np.int64))
        classes = np.unique(arrs[0])
        if not 2 <= classes.size <= MAX_OUTPUTS:
            raise ValueError(f"Y_train must hold between 2 and {MAX_OUTPUTS} classes, got "
                             f"{classes.size}")
        unknown = np.setdiff1d(arrs[1], classes)
        if unknown.size:
            raise ValueError(f"Y_test has labels {unknown[:5].tolist()} not among Y_train's "
                             f"classes {classes.tolist()[:12]}")
        idx = [np.searchsorted(classes, a) for a in arrs]
        eye = np.eye(classes.size)
        return eye[idx[0]], eye[idx[1]], classes.size, tuple(classes.tolist()), idx[1]
    arrs = []
    for name, y in (("Y_train", y_train), ("Y_test", y_test)):
        try:
            a = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be float targets (n,) or (n, K) for loss='mse'") \
                from exc
        if a.ndim not in (1, 2) or a.shape[0] == 0 or (a.ndim == 2 and not
                                                       1 <= a.shape[1] <= MAX_OUTPUTS):
            raise ValueError(f"{name} must have shape (n,) or (n, K) with K in [1, "
                             f"{MAX_OUTPUTS}] for loss='mse', got shape {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must be finite (no NaN or inf)")
        arrs.append(a)
    if arrs[0].ndim != arrs[1].ndim or arrs[0].shape[1:] != arrs[1].shape[1:]:
        raise ValueError(f"Y_test must have Y_train's number of outputs, got shapes "
                         f"{arrs[0].shape} and {arrs[1].shape}")
    if arrs[0].ndim == 1:
        return arrs[0][:, None], arrs[1][:, None], 1, None, np.sign(arrs[1])
    return arrs[0], arrs[1], arrs[0].shape[1], None, np.argmax(arrs[1], axis=1)


def _loss_sum(out, t, loss):
    """The summed loss of outputs (n, K) against targets (n, K)."""
    if loss == "mse":
        r = out - t
        return 0.5 * jnp.sum(r * r)
    return -jnp.sum(t * jax.nn.log_softmax(out, axis=1))


def _correct(out, t, loss):
    """1 where the predicted class is the target's: sign for one output, arg max else."""
    if out.shape[1] == 1:
        return (jnp.sign(out[:, 0]) == jnp.sign(t[:, 0])).astype(out.dtype)
    return (jnp.argmax(out, 1) == jnp.argmax(t, 1)).astype(out.dtype)


def _update(theta, vel, grad, lr, mu, heavy):
    """One step of the optimizer: θ ← θ − η g, or with heavy-ball momentum
    v ← μ v + g, θ ← θ − η v."""
    if heavy:
        vel = jax.tree_util.tree_map(lambda v, g: mu * v + g, vel, grad)
        grad = vel
    return jax.tree_util.tree_map(lambda t, g: t - lr * g, theta, grad), vel


@functools.lru_cache(maxsize=32)
def _make_steps(loss, heavy, batched, part, unroll):
    """The compiled program of ``unroll`` steps of the net (``part="net"``) or of its
    linearization (``"lin"``), as straight code. Measured on a 64-channel CNN on 500
    digits: XLA's CPU backend ran the convolutions 10–20× slower inside a ``lax.scan`` or
    ``while_loop``, and 2× slower with the net's and the linearization's steps in one
    program (39 ms against 7.5 + 11 ms), so the loop over steps is in Python, one model
    and a few steps per call."""

    def grad(th, th0, xb, tb):
        if part == "net":
            return jax.grad(lambda q: _loss_sum(_forward(q, xb), tb, loss))(th)
        # ∇_θ L(f_lin(θ)) = J₀ᵀ ∂L/∂f at f_lin: a reverse-mode product at θ₀ after a
        # forward-mode one (3× faster than differentiating through jax.jvp, measured)
        f0, pull = jax.vjp(lambda q: _forward(q, xb), th0)
        fl = f0 + jax.jvp(lambda q: _forward(q, xb), (th0,), (_tree_sub(th, th0),))[1]
        return pull(jax.grad(lambda f: _loss_sum(f, tb, loss))(fl))[0]

    def steps(state, th0, x, t, batches, lr, mu):
        th, vel = state
        for i in range(unroll):
            xb, tb = (x[batches[i]], t[batches[i]]) if batched else (x, t)
            th, vel = _update(th, vel, grad(th, th0, xb, tb), lr, mu, heavy)
        return th, vel

    return jax.jit(steps)


@functools.lru_cache(maxsize=8)
def _make_measure(loss, linear):
    def measure(th, thl, th0, x, t, xt, tt):
        norm0 = jnp.sqrt(_sq_norm(th0))

        def stats(f_train, f_test):
            return (_loss_sum(f_train, t, loss) / t.shape[0],
                    _loss_sum(f_test, tt, loss) / tt.shape[0],
                    jnp.mean(_correct(f_test, tt, loss)), jnp.mean(_correct(f_train, t, loss)))

        fn, fnt = _forward(th, x), _forward(th, xt)
        out = {"net": stats(fn, fnt), "f_net": fnt,
               "change": jnp.sqrt(_sq_norm(_tree_sub(th, th0))) / norm0}
        if linear:
            fl, flt = _f_lin_traced(th0, thl, x), _f_lin_traced(th0, thl, xt)
            out.update(lin=stats(fl, flt), f_lin=flt,
                       change_lin=jnp.sqrt(_sq_norm(_tree_sub(thl, th0))) / norm0,
                       rmse=jnp.sqrt(jnp.mean((fnt - flt) ** 2)))
        return out

    return jax.jit(measure)


def _batches(n, batch_size, steps, seed):
    """Minibatch indices (steps, batch_size): each epoch a fresh permutation of the n
    training points from numpy's PCG64 seeded with (seed, 1), cut into n // batch_size
    batches (the last ``n mod batch_size`` points of an epoch's order wait for the next)."""
    rng = np.random.default_rng([seed, 1])
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    order = [rng.permutation(n)[: per_epoch * batch_size].reshape(per_epoch, batch_size)
             for _ in range(max(epochs, 1))]
    return np.concatenate(order)[:steps].astype(np.int32)


def work(arch, in_shape, width, depth, pooling, n_outputs, n_batch, n_eval, steps, records,
         linearization=True) -> float:
    """Multiply-adds of a :func:`train_images` run: a net step is about 3 forward passes
    over the batch, its linearization's about 6 (a forward-mode product and its
    transpose), a record 1 (net) and 2 (linearization) passes over train and test images."""
    macs = _macs_per_image(arch, in_shape, width, depth, pooling, n_outputs)
    per_step, per_record = (9.0, 3.0) if linearization else (3.0, 1.0)
    return macs * (per_step * n_batch * steps + per_record * n_eval * records)


def _record_list(steps, record_every):
    rec = [*range(0, steps, record_every), steps]
    return np.array(sorted(set(rec)), dtype=np.int64)


def train_images(X_train, Y_train, X_test, Y_test, *, arch="cnn", width=64, depth=1,
                 pooling="gap", init_scale=1.0, loss="mse", optimizer="gd", steps=500,
                 lr=None, momentum=0.9, batch_size=None, seed=0, record_every=10,
                 linearization=True, on_progress: Callable[[ImageProgress], object] | None
                 = None, dtype="float32", work_budget=IMAGE_WORK_BUDGET) -> ImageTrainResult:
    """Train an image net and its linearization from the same θ₀, side by side.

    Args:
        X_train, X_test: images (n, H, W) or (n, H, W, C), the same H, W, C.
        Y_train, Y_test: for ``loss="mse"`` float targets (n,) (±1 for two classes:
            :func:`ntklab.binary_targets`) or (n, K) (one-hot, centred as Lee et al. do:
            :func:`ntklab.onehot_targets`); for ``"cross_entropy"`` integer labels (n,),
            softmax over the K classes present in Y_train (in increasing order).
        arch, width, depth, pooling, init_scale: the net (module docstring;
            :func:`init_image_params`).
        loss: ``"mse"`` or ``"cross_entropy"`` (summed over the batch, module docstring).
        optimizer: ``"gd"`` (full-batch gradient descent), ``"momentum"`` (full-batch,
            heavy ball v ← μv + g, θ ← θ − ηv) or ``"sgd"`` (minibatches of ``batch_size``
            drawn by ``seed``, with the same heavy-ball momentum, Lee et al.'s "SGD with
            momentum"; ``momentum=0`` for plain SGD). The net and its linearization take
            the same steps on the same batches.
        steps: number of optimizer steps.
        lr: the step η; ``None`` for 1/(h·λ_max) at init (module docstring).
        momentum: μ in [0, 1) (``"momentum"`` and ``"sgd"``; ignored by ``"gd"``).
        batch_size: minibatch size for ``"sgd"`` (default max(1, n/10)); only for sgd.
        seed: θ₀ (:func:`init_image_params`) and the minibatch order.
        record_every: steps between records (step 0 and the last step are recorded too).
        linearization: also train the linearization (``False``: its fields are ``None``).
        on_progress: called with :class:`ImageProgress` after every record; returning
            ``False`` stops training (the result then says ``completed=False``).
        dtype: ``"float32"`` (default, for speed) or ``"float64"`` for the training;
            λ_max is always float64 and results are float64 numpy.
        work_budget: the largest :func:`work` accepted, in multiply-adds (default
            :data:`IMAGE_WORK_BUDGET`, about a minute here); ``None`` for no limit. Larger
            runs are refused before any work with :class:`ntklab.analytic.validate.Refusal`.
    """
    t_start = time.perf_counter()
    x_tr = _as_images(X_train, "X_train")
    x_te = _as_images(X_test, "X_test")
    if x_tr.shape[0] > MAX_TRAIN or x_te.shape[0] > MAX_TEST:
        raise ValueError(f"X_train and X_test must hold at most {MAX_TRAIN} and {MAX_TEST} "
                         f"images, got {x_tr.shape[0]} and {x_te.shape[0]}")
    if x_te.shape[1:] != x_tr.shape[1:]:
        raise ValueError(f"X_test must have X_train's image shape {x_tr.shape[1:]}, got "
                         f"{x_te.shape[1:]}")
    loss = _choice(loss, "loss", LOSSES)
    t_tr, t_te, k, classes, labels_te = _targets(Y_train, Y_test, loss)
    for name, t, x in (("Y_train", t_tr, x_tr), ("Y_test", t_te, x_te)):
        if t.shape[0] != x.shape[0]:
            raise ValueError(f"{name} must have one target per image ({x.shape[0]}), got "
                             f"{t.shape[0]}")
    arch, width, depth, pooling, s = _arch_args(arch, width, depth, pooling, init_scale)
    optimizer = _choice(optimizer, "optimizer", OPTIMIZERS)
    steps = as_int(steps, "steps", 0, MAX_STEPS)
    record_every = as_int(record_every, "record_every", 1, MAX_STEPS)
    seed = as_int(seed, "seed", 0, 2**32 - 1)
    n, n_te = x_tr.shape[0], x_te.shape[0]
    if (isinstance(momentum, bool) or not isinstance(momentum, numbers.Real)
            or not 0.0 <= momentum < 1.0):
        raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r:.60}")
    mu = 0.0 if optimizer == "gd" else float(momentum)
    if optimizer == "sgd":
        batch_size = max(1, n // 10) if batch_size is None else as_int(
            batch_size, "batch_size", 1, n)
    elif batch_size is not None:
        raise ValueError(f"batch_size applies only to optimizer='sgd', got batch_size="
                         f"{batch_size!r:.60} with optimizer={optimizer!r}")
    if lr is not None:
        lr = as_positive(lr, "lr", hi=1e6)
    if dtype not in ("float32", "float64"):
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r:.60}")
    for name, flag in (("linearization", linearization),):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} must be True or False, got {flag!r:.60}")
    if on_progress is not None and not callable(on_progress):
        raise ValueError(f"on_progress must be callable or None, got {on_progress!r:.60}")

    in_shape = tuple(x_tr.shape[1:])
    rec = _record_list(steps, record_every)
    n_batch = n if batch_size is None else batch_size
    cost = work(arch, in_shape, width, depth, pooling, k, n_batch, n + n_te, steps, rec.size,
                linearization) + (LANCZOS_STEPS * 3.0 * n * _macs_per_image(
                    arch, in_shape, width, depth, pooling, k) if lr is None else 0.0)
    what = (f"training a width-{width}, depth-{depth} {arch} on {n} images for {steps} steps"
            + (" with its linearization" if linearization else ""))
    if work_budget is not None:
        budget = as_positive(work_budget, "work_budget", hi=1e18)
        if cost > budget:
            seconds = cost / IMAGE_WORK_BUDGET * 60.0
            raise Refusal(f"{what} would take about {seconds:.0f} s here (work {cost:.2g} "
                          f"over the budget {budget:.2g}); use fewer steps, images or a "
                          "smaller width", "work", seconds=seconds, work=cost, budget=budget)
    p_count = sum(math.prod(t) for group in _shapes(arch, in_shape, width, depth, pooling, k)[:2]
                  for t in group) + math.prod(_shapes(arch, in_shape, width, depth, pooling,
                                                      k)[2])
    # hidden activations of one image in one layer (positions × width): the forward pass and
    # its backward keep a few such arrays per layer and image
    act = (1 if arch == "mlp" else in_shape[0] * in_shape[1]) * width
    check_memory(12.0 * p_count + 8.0 * (n_batch + n + n_te) * act * depth
                 + (0 if batch_size is None else steps * batch_size / 2.0),
                 what)

    p0 = init_image_params(seed, in_shape, arch=arch, width=width, depth=depth,
                           pooling=pooling if arch == "cnn" else "gap", n_outputs=k,
                           init_scale=s)
    lam_max = float("nan")
    lr_default = lr is None
    if lr is None:
        lam_max = _lam_max(p0, x_tr)
        lr = 1.0 / (_CURVATURE[loss] * lam_max)

    dt = jnp.float32 if dtype == "float32" else jnp.float64
    th0 = jax.tree_util.tree_map(lambda a: jnp.asarray(a, dt), p0)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, th0)
    state = ((th0, zeros), (th0, zeros))
    X, T = jnp.asarray(x_tr, dt), jnp.asarray(t_tr, dt)
    Xt, Tt = jnp.asarray(x_te, dt), jnp.asarray(t_te, dt)
    heavy, batched = mu > 0.0, batch_size is not None
    order = _batches(n, batch_size, steps, seed) if batched else None
    # a few steps per compiled call when a step is cheap (Python's dispatch then counts)
    # (MLP only: unrolled convolutions cost seconds of compilation for microseconds saved),
    # the largest count ≤ 8 dividing every gap between records: then one program per model
    cheap = _macs_per_image(arch, in_shape, width, depth, pooling, k) * n_batch < 5e6
    gaps = np.diff(rec)
    common = int(np.gcd.reduce(gaps)) if gaps.size else 1
    unroll = max(u for u in range(1, 9) if common % u == 0) if cheap and arch == "mlp" else 1
    counts = {unroll} if np.any(gaps >= unroll) else set()
    if np.any(gaps % unroll):
        counts.add(1)
    measure = _make_measure(loss, linearization)
    lr_j, mu_j = jnp.asarray(lr, dt), jnp.asarray(mu, dt)
    dummy = jnp.zeros((unroll, 1), jnp.int32)

    parts = ("net", "lin") if linearization else ("net",)

    def run(state, done, count):  # ``count`` steps from step ``done``, count ≤ unroll
        idx = jnp.asarray(order[done:done + count]) if batched else dummy[:count]
        moved = tuple(_make_steps(loss, heavy, batched, part, count)(
            st, th0, X, T, idx, lr_j, mu_j) for part, st in zip(parts, state, strict=False))
        return moved + state[len(moved):]

    # compile (or find in JAX's cache) the programs first, by calls whose results are
    # dropped: compile_seconds is compilation and one call of each
    t_compile = time.perf_counter()
    for count in counts:
        jax.block_until_ready(run(state, 0, count))
    jax.block_until_ready(measure(th0, th0, th0, X, T, Xt, Tt))
    compile_seconds = time.perf_counter() - t_compile

    rows, done, completed, diverged = [], 0, True, False
    t_train = time.perf_counter()
    for target in rec:
        while done < target:
            count = unroll if target - done >= unroll else 1
            state = run(state, done, count)
            done += count
        m = measure(state[0][0], state[1][0], th0, X, T, Xt, Tt)
        m = jax.tree_util.tree_map(lambda a: np.asarray(a, dtype=np.float64), m)
        rows.append(m)
        losses = [m["net"][0]] + ([m["lin"][0]] if linearization else [])
        if not all(np.isfinite(v) for v in losses):
            diverged, completed = True, False
            break
        if on_progress is not None:
            lin = m.get("lin")
            nan = float("nan")
            msg = ImageProgress(
                int(target), steps, float(m["net"][2]), nan if lin is None else float(lin[2]),
                float(m["net"][1]), nan if lin is None else float(lin[1]),
                float(m["rmse"]) if linearization else nan, _squeeze(m["f_net"], k),
                _squeeze(m["f_lin"], k) if linearization else None)
            if on_progress(msg) is False:
                completed = target == rec[-1]
                break
    train_seconds = time.perf_counter() - t_train

    def col(key, i=None):
        vals = [r[key] if i is None else r[key][i] for r in rows]
        return np.asarray(vals, dtype=np.float64)

    as64 = lambda th: jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), th)  # noqa: E731
    lin_fields = dict(loss_lin=None, accuracy_lin=None, train_loss_lin=None, rmse_net_lin=None,
                      weight_change_lin=None, test_outputs_lin=None, params_lin=None)
    if linearization:
        lin_fields = dict(loss_lin=col("lin", 1), accuracy_lin=col("lin", 2),
                          train_loss_lin=col("lin", 0), rmse_net_lin=col("rmse"),
                          weight_change_lin=col("change_lin"),
                          test_outputs_lin=_squeeze(rows[-1]["f_lin"], k),
                          params_lin=as64(state[1][0]))
    result = ImageTrainResult(
        steps=rec[: len(rows)], loss_net=col("net", 1), accuracy_net=col("net", 2),
        train_loss_net=col("net", 0), train_accuracy_net=col("net", 3),
        weight_change=col("change"), test_outputs_net=_squeeze(rows[-1]["f_net"], k),
        test_labels=np.asarray(labels_te), params=as64(state[0][0]), arch=arch, width=width,
        depth=depth, pooling=pooling, init_scale=s, loss=loss, optimizer=optimizer,
        lr=float(lr), lr_default=lr_default, lam_max=lam_max, momentum=mu,
        batch_size=batch_size, seed=seed, record_every=record_every, n_train=n, n_test=n_te,
        n_outputs=k, classes=classes, dtype=dtype, n_params=int(p_count), completed=completed,
        diverged=diverged, seconds=time.perf_counter() - t_start,
        compile_seconds=compile_seconds, train_seconds=train_seconds, **lin_fields)
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return result
