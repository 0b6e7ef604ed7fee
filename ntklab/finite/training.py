"""Full-batch gradient descent of a net and of its linearization, side by side (docs/science.md §2).

Both start from the same θ₀ and minimize L(θ) = ½ Σ_i (f(x_i; θ) − y_i)² (a sum) with
θ ← θ − η ∇L(θ); time is t = η·steps. The linearized model is
f_lin(x; θ) = f(x; θ₀) + J₀(x)·(θ − θ₀), J₀ = ∇_θ f(·; θ₀) (Lee et al. 2019, "Wide neural
networks of any depth evolve as linear models under gradient descent").

The net steps in weight space with reverse-mode autodiff. The linearization steps in
function space: its GD step θ ← θ − η J₀(X)ᵀ r (r = f_lin(X) − Y) changes its outputs by
exactly −η K₀(·, X) r with K₀ the empirical NTK at θ₀ (:mod:`ntklab.finite.empirical`), so the
iterates are those of weight-space GD to round-off (``tests/finite/test_train.py`` checks this
against GD through :func:`ntklab.linearize`) at O(n²) per step instead of O(nP);
‖θ_t − θ₀‖ = η √(Rᵀ K₀ R) with R the sum of past residuals.

Design choices:

* Compiled chunks: ``jit`` + ``lax.scan`` over a fixed number of steps per call (a power of
  two sized from the work per step, so that a chunk takes a fraction of a second); a
  ``lax.cond`` skips the tail of a chunk, so the number of steps and the recording steps
  never trigger a recompile. Between chunks the progress callback runs and early stop is
  checked.
* Width buckets: each hidden layer is zero-padded to the next size in
  {8, 12, 16, 24, 32, 48, ..., 2048} (powers of two and 1.5× powers of two; at most 50 %
  extra work), and above 2048 to the next multiple of 512 (at most 25 %); the 1/√m
  normalizations are passed as traced numbers with the true widths.
  Zero-padded units have zero pre-activation, relu(0) = 0 and relu'(0) = 0, so they stay
  exactly zero and inert under GD for the net and its linearization alike: no mask is
  needed. Training and evaluation points are padded the same way, with a 0/1 mask in the
  loss. A slider over widths thus compiles once per bucket, not once per position.
* Precision: training runs in float32 by default, because float64 missed the issue's
  speed targets on the shared 2-core CPU (m = 4096, n = 20, 4000 steps: about 3.7 s in
  float64 against 1.5 s in float32; ``benchmarks/bench_finite.py``). ``dtype="float64"``
  is available and is what the scaling experiments in :mod:`ntklab.lazy` and the exact
  tests use. The analysis is always float64: the empirical NTK K₀, λ_max and the default
  η; results are returned as float64 arrays.
* Ensembles: a list of parameter sets (for example one per seed) trains together under
  ``vmap``, with one shared learning rate.
* Default learning rate: η = 1/λ_max, where λ_max is the largest eigenvalue of the
  empirical NTK K₀(X, X) at init (largest over an ensemble): half the stability bound
  η < 2/λ_max, leaving room for the kernel's drift during training. It is reported back.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..analytic.dynamics import default_lr
from ..analytic.validate import as_int, as_points, as_positive, as_vector, check_memory
from .empirical import empirical_ntk, empirical_ntk_padded
from .model import Params, forward, n_params

__all__ = ["Progress", "TrainResult", "bucket_size", "shared_lr", "train"]

_MIN_BUCKET = 8
_COARSE_UNTIL, _FINE_STEP = 2048, 512  # wide nets: pad by at most 512 units (≤ 25 %)
_CHUNK_FLOPS = 3e8  # work per compiled chunk: about 0.05–0.2 s on one CPU core
_MAX_CHUNK = 1024
_RECORD_FLOATS = 6  # floats kept per record, evaluation point and net (with slack)


def bucket_size(m: int) -> int:
    """Smallest size ≥ m in {8, 12, 16, 24, 32, 48, ..., 2048} (2^k and 3·2^(k−1)), and
    above 2048 the next multiple of 512 (so the m = 5000 of Fig. 1.4 in Xu's lecture notes
    pads to 5120, not 6144)."""
    m = max(int(m), _MIN_BUCKET)
    if m > _COARSE_UNTIL:
        return -(-m // _FINE_STEP) * _FINE_STEP
    p = 1 << (m - 1).bit_length()  # next power of two ≥ m
    return 3 * p // 4 if 3 * p // 4 >= m else p


class Progress(NamedTuple):
    """What the progress callback receives between chunks.

    ``loss_net`` and ``loss_lin`` are ½Σ(f − y)² at the last step taken (mean over an
    ensemble); ``loss_lin`` is NaN when the linearization is not trained.

    ``record_step``, ``f_net`` and ``f_lin`` are the latest *recorded* state (the step and
    the outputs on ``x_eval``, float64, shape (n_eval,) or (E, n_eval) for an ensemble), so
    that a caller can draw the outputs while training runs; ``None`` before the first record
    (``f_lin`` also without the linearization). The arrays are the ones the result will
    hold: read them, don't change them.
    """

    step: int
    steps: int
    loss_net: float
    loss_lin: float
    record_step: int | None = None
    f_net: np.ndarray | None = None
    f_lin: np.ndarray | None = None


@dataclasses.dataclass(frozen=True)
class TrainResult:
    """Recorded training history (numpy arrays). With an ensemble of E nets every
    per-net array gains a leading axis of length E.

    Attributes:
        steps: GD steps at which records were taken, shape (R,); ``t = lr·steps``.
        t: times η·k, shape (R,).
        lr: the step η used.   lam_max: λ_max of K₀(X, X) at init (max over the ensemble).
        x_eval: evaluation points, shape (n_eval,).
        f_net, f_lin: outputs on x_eval of the net and of its linearization, (R, n_eval).
        loss_net, loss_lin: ½Σ_i (f(x_i) − y_i)² on the training points, shape (R,).
        weight_change_net, weight_change_lin: ‖θ_t − θ₀‖/‖θ₀‖ (all parameters), (R,).
        kernel_drift: ‖K_t − K₀‖_F/‖K₀‖_F of the net's empirical NTK on the training
            points, shape (R,), or ``None`` when not asked for.
        completed: False when stopped early (callback, event or divergence).
        diverged: True when a loss became non-finite (η too large).
        dtype: training precision, ``"float64"`` or ``"float32"``.
        params: the trained parameters, to inspect or to train on from (``train(res.params,
            ...)`` with the same ``lr`` continues the run): :class:`Params` of the true
            (unpadded) widths, as float64 JAX arrays like :func:`ntklab.init_params` gives
            (after float32 training they hold float32 values); for an ensemble a list of
            them, one per member in the order given. They are θ after ``params_step`` steps.
        params_step: GD steps taken by ``params``: ``steps`` when completed; when stopped
            early, the steps of the last completed chunk (at or after the last record);
            when diverged, those of the chunk in which a loss became non-finite (``params``
            may then hold inf or NaN).
    """

    steps: np.ndarray
    t: np.ndarray
    lr: float
    lam_max: float
    x_eval: np.ndarray
    f_net: np.ndarray
    f_lin: np.ndarray | None
    loss_net: np.ndarray
    loss_lin: np.ndarray | None
    weight_change_net: np.ndarray
    weight_change_lin: np.ndarray | None
    kernel_drift: np.ndarray | None
    completed: bool
    diverged: bool
    dtype: str
    params: Params | list[Params]
    params_step: int


# ---------------------------------------------------------------- padding to width buckets


def _pad_params(p: Params, widths) -> Params:
    """Zero-pad every hidden layer of ``p`` to ``widths`` units."""
    def pad(arr, axes):
        cfg = [(0, 0)] * arr.ndim
        for axis, target in axes:
            cfg[axis] = (0, target - arr.shape[axis])
        return jnp.pad(arr, cfg)

    w = [pad(p.w[0], [(1, widths[0])])]
    w += [pad(p.w[i], [(1, widths[i]), (2, widths[i - 1])]) for i in range(1, len(p.w))]
    b = [pad(bl, [(1, m)]) for bl, m in zip(p.b, widths, strict=True)]
    return Params(w=tuple(w), b=tuple(b), a=pad(p.a, [(1, widths[-1])]), c=p.c, trick=p.trick)


def _pad_points(v, size):
    return np.concatenate([v, np.zeros(size - v.shape[0])])


# ---------------------------------------------------------------- compiled pieces


def _tree_sub(p, q):
    return jax.tree_util.tree_map(jnp.subtract, p, q)


def _sq_norm(tree):
    return sum(jnp.sum(leaf * leaf) for leaf in jax.tree_util.tree_leaves(tree))


def _chunk_one(tn, lin, norms, X, Y, mask, K0, KE, lr, k, length, linear):
    """Up to ``length`` GD steps (the first ``k`` taken) of the net and its linearization.

    The net steps in weight space, θ ← θ − η J(θ)ᵀ r. The linearization steps in function
    space: f_lin is linear in θ with Jacobian J₀, so θ ← θ − η J₀ᵀ r moves its outputs by
    −η K₀(·, X) r, K₀ = J₀ J₀ᵀ. These are the same GD iterates (to round-off) at O(n²)
    instead of O(nP) per step; ``lin`` = (f_lin(X), f_lin(x_eval), Σ_s r_s).
    """
    fwd = lambda th: forward(th, norms, X)  # noqa: E731

    def step(carry):
        tn, (fX, fE, R), _, _ = carry
        f, pull = jax.vjp(fwd, tn)
        r = (f - Y) * mask
        (g,) = pull(r)
        tn = jax.tree_util.tree_map(lambda p, d: p - lr * d, tn, g)
        loss_n = 0.5 * jnp.sum(r * r)
        loss_l = jnp.asarray(jnp.nan, r.dtype)
        if linear:
            rl = (fX - Y) * mask
            fX, fE, R = fX - lr * (K0 @ rl), fE - lr * (KE @ rl), R + rl
            loss_l = 0.5 * jnp.sum(rl * rl)
        return tn, (fX, fE, R), loss_n, loss_l

    def body(carry, i):
        return jax.lax.cond(i < k, step, lambda c: c, carry), None

    nan = jnp.asarray(jnp.nan, Y.dtype)
    carry, _ = jax.lax.scan(body, (tn, lin, nan, nan), jnp.arange(length))
    return carry


def _record_one(tn, lin, th0, norms, X, Y, mask, Xe, K0, lr):
    """Outputs on the evaluation points, losses and relative weight changes of both models.

    For the linearization θ_t − θ₀ = −η J₀ᵀ Σ_s r_s, so ‖θ_t − θ₀‖ = η √(Rᵀ K₀ R).
    """
    fX, fE, R = lin
    rn = (forward(tn, norms, X) - Y) * mask
    rl = (fX - Y) * mask
    norm0 = jnp.sqrt(_sq_norm(th0))
    change_net = jnp.sqrt(_sq_norm(_tree_sub(tn, th0))) / norm0
    change_lin = lr * jnp.sqrt(jnp.maximum(R @ (K0 @ R), 0.0)) / norm0
    return (forward(tn, norms, Xe), 0.5 * jnp.sum(rn * rn), change_net,
            fE, 0.5 * jnp.sum(rl * rl), change_lin)


@functools.partial(jax.jit, static_argnames=("length", "linear"))
def _chunk(tn, lin, norms, X, Y, mask, K0, KE, lr, k, *, length, linear):
    f = lambda *a: _chunk_one(*a, length, linear)  # noqa: E731
    if K0.shape[0] == 1:  # a single net: unbatched products compile to faster code
        first = lambda t: jax.tree_util.tree_map(lambda a: a[0], t)  # noqa: E731
        out = f(first(tn), first(lin), norms, X, Y, mask, K0[0], KE[0], lr, k)
        return jax.tree_util.tree_map(lambda a: a[None], out)
    axes = (0, 0, None, None, None, None, 0, 0, None, None)
    return jax.vmap(f, in_axes=axes)(tn, lin, norms, X, Y, mask, K0, KE, lr, k)


@jax.jit
def _record(tn, lin, th0, norms, X, Y, mask, Xe, K0, lr):
    axes = (0, 0, 0, None, None, None, None, None, 0, None)
    return jax.vmap(_record_one, in_axes=axes)(tn, lin, th0, norms, X, Y, mask, Xe, K0, lr)


# ---------------------------------------------------------------- driver


def _check_ensemble(params):
    members = [params] if isinstance(params, Params) else list(params)
    if not members or not all(isinstance(p, Params) for p in members):
        raise ValueError("params must be Params from init_params or a non-empty list of them")
    shapes = [[leaf.shape for leaf in jax.tree_util.tree_leaves(p)] for p in members]
    if any(s != shapes[0] for s in shapes) or any(p.trick != members[0].trick for p in members):
        raise ValueError("every member of an ensemble must have the same widths, depth and trick")
    return members


def _record_steps(record, steps):
    if isinstance(record, numbers.Integral) and not isinstance(record, bool):
        count = as_int(record, "record", 2, 100_000)
        return np.unique(np.round(np.linspace(0, steps, count)).astype(np.int64))
    try:
        arr = np.asarray(record)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"record must be a count or a list of steps, got {record!r:.60}") from exc
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"record must be a count or a 1-D list of integer steps, got {arr!r:.60}")
    if arr.min() < 0 or arr.max() > steps:
        raise ValueError(f"record steps must lie in [0, {steps}], got {arr.min()}..{arr.max()}")
    return np.unique(arr.astype(np.int64))


def _chunk_length(n_b, widths, copies):
    """Steps per compiled chunk: a power of two with about _CHUNK_FLOPS of work."""
    flops = 6.0 * n_b * n_params(widths, copies)
    k = max(1, int(_CHUNK_FLOPS / max(flops, 1.0)))
    return min(_MAX_CHUNK, 1 << (k.bit_length() - 1))


def train(
    params,
    x,
    y,
    *,
    x_eval=None,
    steps: int = 1000,
    lr: float | None = None,
    record=101,
    linear: bool = True,
    kernel_drift: bool = False,
    progress: Callable[[Progress], object] | None = None,
    stop=None,
    dtype: str = "float32",
) -> TrainResult:
    """Train a net and its linearization from the same θ₀ by full-batch GD.

    Args:
        params: θ₀ from :func:`ntklab.init_params`, or a list of them (an ensemble, e.g.
            one per seed, trained together with ``vmap``; same widths and trick).
        x, y: training points X and targets Y, shape (n,).
        x_eval: points where outputs are recorded, shape (n_eval,); ``None`` means x.
        steps: number of GD steps k (time t = lr·k).
        lr: the step η; ``None`` means 1/λ_max(K₀(X, X)) (stable: η < 2/λ_max).
        record: number of evenly spaced recording steps (0 and ``steps`` included), or
            the list of steps at which to record.
        linear: also train the linearized model (``False`` skips it and K₀(x_eval, X)).
        kernel_drift: record ‖K_t − K₀‖_F/‖K₀‖_F of the net on the training points.
        progress: called as ``progress(Progress(...))`` after every compiled chunk, from
            the calling thread; returning ``False`` stops training early.
        stop: an object with ``is_set()`` (e.g. ``threading.Event``); training stops at the
            next chunk boundary once it is set.
        dtype: ``"float32"`` (default, for speed) or ``"float64"`` for training.

    Returns:
        :class:`TrainResult`, truncated to the records taken when stopped early.
    """
    members = _check_ensemble(params)
    ensemble = not isinstance(params, Params)
    x = as_points(x, "x", max_len=20_000)
    n = x.shape[0]
    y = as_vector(y, "y", n)
    x_eval = x if x_eval is None else as_points(x_eval, "x_eval", max_len=200_000)
    steps = as_int(steps, "steps", 0, 100_000_000)
    rec = _record_steps(record, steps)
    if dtype not in ("float64", "float32"):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r:.60}")
    for name, flag in (("linear", linear), ("kernel_drift", kernel_drift)):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} must be True or False, got {flag!r:.60}")

    p0 = members[0]
    widths = p0.widths
    copies = len(p0.coef)
    E = len(members)
    padded = tuple(bucket_size(m) for m in widths)
    n_b, ne_b = bucket_size(n), bucket_size(x_eval.shape[0])
    n_par = n_params(padded, copies)
    check_memory(
        E * (4 * n_par + 4 * copies * (n_b + ne_b) * sum(padded)
             + _RECORD_FLOATS * rec.size * ne_b + ne_b * n_b),
        f"training {E} net(s) of widths {widths} on {n} points",
    )

    # float64 analysis: the empirical NTK at init, its λ_max, and K₀(x_eval, X)
    norms64 = np.array([1.0 / math.sqrt(m) for m in widths])
    K0 = [empirical_ntk_padded(p, norms64, x) for p in members]
    own_lr = default_lr(*K0)  # 1/λ_max over the ensemble's kernels at init
    lam_max = 1.0 / own_lr
    lr = own_lr if lr is None else as_positive(lr, "lr", hi=1e6)

    dt = jnp.float64 if dtype == "float64" else jnp.float32
    stacked = jax.tree_util.tree_map(
        lambda *leaves: jnp.stack(leaves).astype(dt), *[_pad_params(p, padded) for p in members]
    )
    th0 = tn = stacked
    norms = jnp.asarray(norms64, dt)
    X = jnp.asarray(_pad_points(x, n_b), dt)
    Y = jnp.asarray(_pad_points(y, n_b), dt)
    mask = jnp.asarray(np.arange(n_b) < n, dt)
    Xe = jnp.asarray(_pad_points(x_eval, ne_b), dt)
    if linear:
        K0_j = jnp.asarray(np.stack([_pad_kernel(K, n_b, n_b) for K in K0]), dt)
        KE_j = jnp.asarray(np.stack([
            _pad_kernel(empirical_ntk_padded(p, norms64, x_eval, x), ne_b, n_b) for p in members
        ]), dt)
    else:  # unused placeholders keep one code path
        K0_j, KE_j = jnp.zeros((E, n_b, n_b), dt), jnp.zeros((E, ne_b, n_b), dt)
    f0X = _forward_stacked(th0, norms, X)
    lin = (f0X, _forward_stacked(th0, norms, Xe), jnp.zeros_like(f0X))
    lr_j = jnp.asarray(lr, dt)
    length = _chunk_length(n_b, padded, copies)
    rows, drift_rows = [], []
    done, completed, diverged = 0, True, False

    def take_record():
        out = [np.asarray(o, dtype=np.float64)
               for o in _record(tn, lin, th0, norms, X, Y, mask, Xe, K0_j, lr_j)]
        out[0], out[3] = out[0][:, : x_eval.shape[0]], out[3][:, : x_eval.shape[0]]
        rows.append(out)
        if kernel_drift:
            drift_rows.append([
                np.linalg.norm(empirical_ntk_padded(_member(tn, i), norms64, x) - K0[i])
                / np.linalg.norm(K0[i]) for i in range(E)
            ])

    def latest():  # the newest record, as the progress callback sees it
        if not rows:
            return None, None, None
        pick = (lambda a: a) if ensemble else (lambda a: a[0])
        return (int(rec[len(rows) - 1]), pick(rows[-1][0]),
                pick(rows[-1][3]) if linear else None)

    for i, target in enumerate(rec):
        while done < target:
            k = min(length, int(target - done))
            tn, lin, loss_n, loss_l = _chunk(
                tn, lin, norms, X, Y, mask, K0_j, KE_j, lr_j, jnp.asarray(k),
                length=length, linear=linear,
            )
            done += k
            ln, ll = float(jnp.mean(loss_n)), float(jnp.mean(loss_l))
            if not np.isfinite(ln) or (linear and not np.isfinite(ll)):
                diverged = True
                break
            if done == target:  # before the callback, so that it can show this record
                take_record()
            if progress is not None and progress(
                    Progress(done, steps, ln, ll, *latest())) is False:
                completed = False
            if stop is not None and stop.is_set():
                completed = False
            if not completed:
                break
        if diverged:
            break
        if len(rows) == i:  # this record is not taken yet
            if done < target:  # stopped between records
                break
            take_record()  # step 0, which no chunk reaches
        if not completed:
            break
    completed = completed and not diverged
    trained = _unpad(tn, widths, E)
    return _result(rows, drift_rows, rec[: len(rows)], lr, lam_max, x_eval, linear,
                   kernel_drift, completed, diverged, dtype, ensemble, E,
                   params=trained if ensemble else trained[0], params_step=done)


def shared_lr(nets, x, *, factor=1.0) -> float:
    """η = factor/λ_max over the empirical NTKs at init of all ``nets`` on the points x
    (:func:`ntklab.default_lr`): the one step with which several nets reach the same time
    t = η·steps, each stable for factor < 2. With one net it is :func:`train`'s default.
    """
    if isinstance(nets, Params):
        nets = [nets]
    return default_lr(*(empirical_ntk(p, x) for p in nets), factor=factor)


def _pad_kernel(K, rows, cols):
    return np.pad(K, [(0, rows - K.shape[0]), (0, cols - K.shape[1])])


@jax.jit
def _forward_stacked(th, norms, X):
    return jax.vmap(lambda t: forward(t, norms, X))(th)


def _unpad(tree, widths, E):
    """Every member of a stacked, zero-padded ensemble as float64 Params of ``widths``."""
    def cut(arr, i, *sizes):  # member i, its axes after the copy axis cut to ``sizes``
        idx = (i, slice(None), *(slice(0, m) for m in sizes))
        return jnp.asarray(np.asarray(arr[idx], dtype=np.float64))

    out = []
    for i in range(E):
        w = [cut(tree.w[0], i, widths[0])]
        w += [cut(tree.w[k], i, widths[k], widths[k - 1]) for k in range(1, len(widths))]
        out.append(Params(
            w=tuple(w), b=tuple(cut(bl, i, m) for bl, m in zip(tree.b, widths, strict=True)),
            a=cut(tree.a, i, widths[-1]), c=None if tree.c is None else cut(tree.c, i),
            trick=tree.trick))
    return out


def _member(tree, i):
    """Member i of a stacked ensemble, as float64 Params (padded)."""
    return jax.tree_util.tree_map(lambda a: np.asarray(a[i], dtype=np.float64), tree)


def _result(rows, drift_rows, rec, lr, lam_max, x_eval, linear, kernel_drift, completed,
            diverged, dtype, ensemble, E, *, params, params_step):
    ne = x_eval.shape[0]

    def col(i, tail):  # (E, R, *tail)
        if not rows:
            return np.empty((E, 0, *tail))
        return np.stack([r[i] for r in rows], axis=1)

    fields = dict(f_net=col(0, (ne,)), loss_net=col(1, ()), weight_change_net=col(2, ()))
    fields.update(
        f_lin=col(3, (ne,)) if linear else None,
        loss_lin=col(4, ()) if linear else None,
        weight_change_lin=col(5, ()) if linear else None,
    )
    if kernel_drift:
        fields["kernel_drift"] = np.asarray(drift_rows, dtype=np.float64).reshape(-1, E).T
    else:
        fields["kernel_drift"] = None
    if not ensemble:
        fields = {k: None if v is None else v[0] for k, v in fields.items()}
    rec = np.asarray(rec, dtype=np.int64)
    return TrainResult(steps=rec, t=lr * rec.astype(np.float64), lr=float(lr),
                       lam_max=lam_max, x_eval=x_eval, completed=completed,
                       diverged=diverged, dtype=dtype, params=params,
                       params_step=int(params_step), **fields)
