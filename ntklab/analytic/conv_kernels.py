"""Infinite-width kernels of the ReLU CNN family on images (docs/science.md, "Kernels on
images").

The network is ``[conv 3×3 (SAME padding) → ReLU] × depth → pooling → dense(1)`` on images
of shape (H, W, C). Every weight and bias ~ N(0, s²) and is trained directly; each layer is
normalized by 1/√fan_in, with fan_in = 9·C_in for a convolution (the zero padding's border
taps still count in the 9) and the pooled width for the dense layer; one bias per channel,
shared across positions; no output bias. Channels are the width. Against neural-tangents::

    stax.serial(*[Conv(C, (3, 3), padding="SAME", W_std=s, b_std=s), Relu()] * depth,
                GlobalAvgPool() or Flatten(), Dense(1, W_std=s, b_std=None))

the NNGP is the same and the NTK is neural-tangents' divided by s² (it trains standard-normal
ω in W = s·ω/√fan_in); they agree at s = 1. This is :mod:`ntklab.analytic.kernels`'
convention, so a 1×1 single-channel image x at depth 1 has exactly the MLP kernels of x/3
(the 3×3 filter's 1/√9 sees one non-zero tap).

For images x, x' with pixel positions p, p' (N = H·W of them) write conv(A)[p, p'] =
(1/9)·Σ_d A[p+d, p'+d], d over the 3×3 offsets, A = 0 outside the image. Then, with
q = Σˡ(x, x)[p, p] and q' = Σˡ(x', x')[p', p']:

    Σ¹[p, p'] = s²·(⟨patch(p), patch'(p')⟩/(9C) + 1),   Θ¹ = Σ¹/s²
    ρ = Σˡ[p, p']/√(qq'),   φ = arccos ρ
    Eˡ = √(qq')·(sin φ + (π − φ)·ρ)/(2π),   Dˡ = (π − φ)/(2π)   (E[relu·relu], E[relu'·relu'])
    Σˡ⁺¹ = s²·(conv(Eˡ) + 1),   Θˡ⁺¹ = conv(Eˡ) + 1 + s²·conv(Dˡ ⊙ Θˡ)
    Σ = s²·pool(Eᴸ),   Θ = pool(Eᴸ) + s²·pool(Dᴸ ⊙ Θᴸ)

with pool(A) = mean over all (p, p') for global average pooling ("gap") and over p = p' only
for "flatten". Flatten needs only same-position covariances (the conv of a diagonal entry
reads diagonal entries): N numbers per image pair and layer. GAP needs all N² of them, which
is the cost: 20-30 ns of one core per position pair and layer, so 500 + 500 digits at depth 3
are 375 250 image pairs × 4096 × 3 ≈ 4.6e9 of those. Measured per position pair and layer
(one core): numpy's float64 arctan 9.3 ns (the arc-cosine; arccos and arcsin take 17 ns,
arctan2 20 ns), the two 3×3 convolutions about 6 ns (eight shifted adds), the other dozen
array passes about 0.5 ns each. Each pass already runs at memory speed, so the remaining
costs are the count of passes and the arctan; the tile works without ρ or square roots of
q (see :func:`_tile`), and a JAX/XLA version of the same tile (fused, float64) measured 2×
slower here (its float64 arctan and the padded shifted sums do not vectorize), so numpy
stays. They are computed over tiles of 8 × 8 image pairs (five working arrays of 2 MB per
thread, one thread per core), so memory stays bounded; the outputs and working arrays are
checked against the memory budget before anything is allocated.

Exactness: the pixel products and the 3×3 sums are formed in a fixed order, the same for an
image against itself (:func:`_self_q`) as inside the tiles, so ρ = 1 exactly between an
image and itself; elsewhere the kernels agree with a plain per-pair evaluation of the
recursion to round-off (1e-12 in the tests).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .kernels import MAX_DEPTH
from .validate import as_int, as_positive, check_memory

__all__ = ["MAX_IMAGE_PIXELS", "MIN_INIT_SCALE", "POOLINGS", "cnngp", "cntk", "cntk_and_cnngp",
           "cntk_and_cnngp_by_depth"]

POOLINGS = ("gap", "flatten")
MAX_IMAGES = 200_000
MAX_IMAGE_PIXELS = 1024  # H·W up to 32×32 (CIFAR): a GAP tile of one pair is then 1 M numbers
MAX_CHANNELS = 4096
MAX_PIXEL = 1e30
# The recursion carries Σˡ/kˡ with kˡ = (s²/9C)·(s²/18π)^(l−1); for s in [1e-3, 1e3] the
# carried numbers stay within about 1e±80 at depth 10 (far smaller s would leave float64).
MIN_INIT_SCALE = 1e-3
_C = 1.0 / (18.0 * np.pi)  # 1/(2π) of the arc-cosine kernel times the 1/9 of the 3×3 filter
# Numbers per working array of one tile (2 MB: 8 × 8 pairs of 8×8 images); five such arrays
# per thread. Measured (two threads, CPU ns per position pair and layer, 120 digits, depth 3,
# machine load 4.5 on 2 cores): 2^16: 33.7, 2^17: 29.8, 2^18: 30.1, 2^19: 33.1.
_GAP_TILE_ENTRIES = 2**18
_FLAT_TILE_ENTRIES = 2**18
_N_BUFFERS = 5


def _as_images(x, name: str) -> np.ndarray:
    """Finite float64 images of shape (n, H, W, C); (n, H, W) gets one channel."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of images (numbers), got "
                         f"{type(x).__name__}") from exc
    if arr.ndim == 3:
        arr = arr[..., None]
    if arr.ndim != 4:
        raise ValueError(f"{name} must be images of shape (n, H, W) or (n, H, W, C), got "
                         f"shape {arr.shape}")
    n, h, w, c = arr.shape
    if not 1 <= n <= MAX_IMAGES:
        raise ValueError(f"{name} must hold between 1 and {MAX_IMAGES} images, got {n}")
    if not (h >= 1 and w >= 1 and h * w <= MAX_IMAGE_PIXELS):
        raise ValueError(f"{name}: images must have between 1 and {MAX_IMAGE_PIXELS} pixels "
                         f"(H·W), got {h}×{w}")
    if not 1 <= c <= MAX_CHANNELS:
        raise ValueError(f"{name}: images must have between 1 and {MAX_CHANNELS} channels, "
                         f"got {c}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    big = float(np.max(np.abs(arr)))
    if big > MAX_PIXEL:  # q·q' ~ x⁴ must stay far inside float64
        raise ValueError(f"{name}: pixel values must be within ±{MAX_PIXEL:g}, got {big:g}")
    return arr


def _shift_sum(a, out, group):
    """out[p] = (a[p] + a[p − 1]) + a[p + 1], the shift taken along all axes of ``group``
    together, with a = 0 beyond the edges. The order of the additions is fixed, so the same
    entries get the same bits whether the array holds all position pairs or only p = p'."""
    full = [slice(None)] * a.ndim

    def at(s):
        ix = list(full)
        for ax in group:
            ix[ax] = s
        return tuple(ix)

    up, down = at(slice(1, None)), at(slice(None, -1))
    np.add(a[up], a[down], out=out[up])
    for ax in group:  # entries with an index 0 in the group have no p − 1 term
        ix = list(full)
        ix[ax] = 0
        out[tuple(ix)] = a[tuple(ix)]
    np.add(out[down], a[up], out=out[down])


def _conv(a, out, tmp, groups, const):
    """out = 9·conv(a) + const (conv of the module docstring; tmp is scratch)."""
    _shift_sum(a, tmp, groups[0])
    _shift_sum(tmp, out, groups[1])
    out += const


def _outer(a, b, out, gap):
    """out = a ⊗ b in the tile layout, for a of shape (H, W, nA) and b of shape (H, W, nB):
    (H, H', W, W', nA, nB) for all position pairs (GAP), (H, W, nA, nB) for p = p' only."""
    if gap:  # a repeated over nB and b tiled over nA: inner runs of nA·nB numbers
        h, w, na = a.shape
        nb = b.shape[2]
        ar = np.repeat(a, nb, axis=2)  # (H, W, nA·nB), tiny
        bt = np.tile(b, (1, 1, na))
        np.multiply(ar[:, None, :, None, :], bt[None, :, None, :, :],
                    out=out.reshape(h, h, w, w, na * nb))
    else:
        np.multiply(a[:, :, :, None], b[:, :, None, :], out=out)


def _pixel_products(xr, xc, out, tmp, gap):
    """out = Σ_c x_c ⊗ x'_c over the channels, for all position pairs (GAP layout) or equal
    positions only; the channel sum is a loop, in the same order on every path."""
    for channel, (a, b) in enumerate(zip(xr, xc, strict=True)):
        _outer(a, b, out if channel == 0 else tmp, gap)
        if channel:
            out += tmp


def _self_q(x, depth, s2):
    """q̃ˡ[p] = Σ̃ˡ(x, x)[p, p] for l = 1..depth: shape (depth, H, W, n), from images x of
    shape (C, H, W, n).

    Σ̃ˡ = Σˡ/kˡ (see :func:`_tile`). These are the very operations the pair tiles apply to
    the p = p' entries of one image: there Σ̃ = q̃ and q̃q̃' = q̃² bit for bit, so
    √(q̃q̃' − Σ̃²) = 0, the angle is exactly 0 (arctan(Σ̃/0) = π/2) and F̃ = π·q̃: the two
    agree bit for bit, and there is no spurious angle φ ≈ √(2·ulp) ≈ 1e-8 between an image
    and itself (or a copy of it)."""
    c, h, w, n = x.shape
    q = np.empty((depth, h, w, n))
    tmp, f = np.empty((h, w, n)), np.empty((h, w, n))
    for channel in range(c):
        prod = np.multiply(x[channel], x[channel], out=f if channel == 0 else tmp)
        if channel:
            f += prod
    _conv(f, q[0], tmp, ((0,), (1,)), 9.0 * c)  # q̃¹ = 9·conv(Σ_c x_c²) + 9C
    k = s2 / (9.0 * c)  # as in _tile, bit for bit
    for layer in range(1, depth):
        np.multiply(q[layer - 1], np.pi, out=f)  # F̃ = (π/2 + π/2)·q̃ + 0
        _conv(f, q[layer], tmp, ((0,), (1,)), 1.0 / (_C * k))
        k *= s2 * _C
    return q


def _tile(xr, xc, q_r, q_c, depth, s2, gap, want_theta, buffers, every=False):
    """[(k, pool(F̃), pool(g ⊙ Θ̃))] of the last layer (of every layer with ``every``) for
    the images ``xr`` (rows) against ``xc`` (columns), each of shape (C, H, W, n).

    Everything is carried divided by a per-layer constant kˡ (k¹ = s²/(9C),
    kˡ⁺¹ = s²kˡ/(18π)): then Σ̃ˡ⁺¹ = 9·conv(F̃ˡ) + 1/(c kˡ) and Θ̃ˡ⁺¹ = 9·conv(F̃ˡ + g ⊙ Θ̃ˡ) +
    1/(c kˡ), with Θ̃ = s²Θ/kˡ and, free of ρ and of square roots of q̃:

        t = √(q̃q̃' − Σ̃²) = √(q̃q̃')·sin φ,   g = π − φ = π/2 + arctan(Σ̃/t),   F̃ = g·Σ̃ + t

    (numpy's arctan is about 30 % faster than its arccos, exact at Σ̃/0 = ±inf; a negative
    q̃q̃' − Σ̃² from rounding, |ρ| a few ulp over 1, is clipped to 0).

    Layer 1 is Σ̃¹ = 9·conv(Σ_c x_c ⊗ x'_c) + 9C (the patches' inner products plus the
    bias), formed with the same shifted sums (and no BLAS, whose threads would compete with
    the tiles'). Layout: GAP tiles are (H, H', W, W', nA, nB), so that both shifted sums
    (along (h, h') and along (w, w')) add runs of at least nA·nB contiguous numbers; flatten
    tiles are (H, W, nA, nB).
    """
    c, h, w, na = xr.shape
    nb = xc.shape[3]
    npix = h * w
    if gap:
        shape, groups = (h, h, w, w, na, nb), ((0, 1), (2, 3))
        size = npix * na * npix * nb
    else:
        shape, groups = (h, w, na, nb), ((0,), (1,))
        size = npix * na * nb
    s, th, t, g, cb = (buf[:size].reshape(shape) for buf in buffers)
    _pixel_products(xr, xc, t, g, gap)
    _conv(t, s, g, groups, 9.0 * c)
    if want_theta:
        np.copyto(th, s)  # Θ̃¹ = Σ̃¹
    k = s2 / (9.0 * c)  # k¹
    pooled = []
    for layer in range(depth):
        _outer(q_r[layer], q_c[layer], cb, gap)  # q̃q̃'
        np.multiply(s, s, out=t)
        np.subtract(cb, t, out=t)
        np.maximum(t, 0.0, out=t)
        np.sqrt(t, out=t)  # t = √(q̃q̃')·sin φ
        np.divide(s, t, out=g)
        np.arctan(g, out=g)
        g += np.pi / 2  # g = π − φ
        f = np.multiply(g, s, out=s)
        f += t  # F̃, in the buffer of s
        if want_theta:
            np.multiply(g, th, out=th)  # g ⊙ Θ̃
        if every or layer == depth - 1:
            pooled.append((k, _pool(f, gap), (_pool(th, gap) if want_theta else None)))
        if layer == depth - 1:
            return pooled
        if want_theta:
            th += f
        const = 1.0 / (_C * k)
        _conv(f, cb, t, groups, const)  # Σ̃ˡ⁺¹ in cb
        if want_theta:
            _conv(th, f, t, groups, const)  # Θ̃ˡ⁺¹ in the buffer of s (F̃ no longer needed)
            s, th, cb = cb, f, th
        else:
            s, cb = cb, f
        k *= s2 * _C
    raise AssertionError("unreachable")


def _pool(a, gap):
    """Mean over positions: all (p, p') pairs for GAP, p only for flatten; shape (nA, nB)."""
    if gap:
        h, _, w, _, na, nb = a.shape
    else:
        h, w, na, nb = a.shape
    npix = h * w
    total = a.reshape(-1, na * nb).sum(axis=0)  # numpy's sum: no BLAS threads
    return total.reshape(na, nb) / (npix * npix if gap else npix)


def _tile_shape(n, n2, per_pair, entries):
    """Rows and columns of a tile: about ``entries`` numbers, at least one image pair."""
    pairs = max(1, entries // per_pair)
    nb = max(1, min(n2, int(np.sqrt(pairs))))
    na = max(1, min(n, pairs // nb))
    return na, nb


def _check(x, x2, depth, pooling, init_scale):
    x = _as_images(x, "x")
    if x2 is not None:
        x2 = _as_images(x2, "x2")
        if x2.shape[1:] != x.shape[1:]:
            raise ValueError("x2 must have the image size and channels of x, (H, W, C) = "
                             f"{x.shape[1:]}, got {x2.shape[1:]}")
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    if not isinstance(pooling, str) or pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}")
    s = as_positive(init_scale, "init_scale", hi=1e3)
    if s < MIN_INIT_SCALE:
        raise ValueError(f"init_scale must be a number in [{MIN_INIT_SCALE:g}, 1000], got {s}")
    return x, x2, depth, s


def _kernels(x, x2, depth, pooling, init_scale, want_theta, every=False):
    x, x2, depth, s = _check(x, x2, depth, pooling, init_scale)
    symmetric = x2 is None
    gap = pooling == "gap"
    n, h, w, c = x.shape
    n2 = n if symmetric else x2.shape[0]
    npix = h * w
    per_pair = npix * npix if gap else npix
    na, nb = _tile_shape(n, n2, per_pair, _GAP_TILE_ENTRIES if gap else _FLAT_TILE_ENTRIES)
    if symmetric:
        na = nb = min(na, nb)  # square tiles along the diagonal
    workers = max(1, min(os.cpu_count() or 1, -(-n // na) * -(-n2 // nb)))
    tile = na * nb * per_pair
    n_all = n + (0 if symmetric else n2)
    n_out = depth if every else 1  # kernels at every depth 1..depth, or the last
    need = ((1 + want_theta) * n_out * n * n2 + workers * _N_BUFFERS * tile
            + n_all * npix * (c + depth + 3))
    check_memory(need, f"the {depth}-layer {pooling} CNN kernels of {n} × {n2} images of "
                       f"{h}×{w}×{c}")
    s2 = s * s
    # (C, H, W, n): a channel's images side by side, a tile's rows a slice of the last axis
    xt = (x if symmetric else np.concatenate([x, x2])).transpose(3, 1, 2, 0)
    q_all = _self_q(xt, depth, s2)
    rows = slice(0, n)
    cols = rows if symmetric else slice(n, n + n2)
    xr, xc = xt[..., rows], xt[..., cols]
    q_r, q_c = q_all[..., rows], q_all[..., cols]
    theta = np.empty((n_out, n, n2)) if want_theta else None
    sigma = np.empty((n_out, n, n2))
    tiles = [(i, j) for i in range(0, n, na) for j in range(0, n2, nb)
             if not symmetric or j >= i]
    lock = threading.Lock()
    queue = iter(tiles)

    def work():
        buffers = [np.empty(tile) for _ in range(_N_BUFFERS)]
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            i, j = item
            ri, cj = slice(i, min(i + na, n)), slice(j, min(j + nb, n2))
            with np.errstate(divide="ignore"):  # Σ̃/t at ρ = ±1 (t = 0)
                pooled = _tile(xr[..., ri], xc[..., cj], q_r[..., ri], q_c[..., cj], depth,
                               s2, gap, want_theta, buffers, every)
            blocks = []
            for d, (k, f_pool, g_pool) in enumerate(pooled):
                blocks.append((sigma[d], s2 * k / (2 * np.pi) * f_pool))
                if want_theta:
                    blocks.append((theta[d], k / (2 * np.pi) * (f_pool + g_pool)))
            for out, block in blocks:
                if symmetric and i == j:  # a square tile on the diagonal: keep its upper half
                    block = np.triu(block) + np.triu(block, 1).T
                out[ri, cj] = block
                if symmetric and i != j:
                    out[cj, ri] = block.T

    if workers > 1:  # numpy's ufuncs release the GIL: tiles run in parallel threads
        with ThreadPoolExecutor(workers) as pool:
            for future in [pool.submit(work) for _ in range(workers)]:
                future.result()
    else:
        work()
    if every:
        return theta, sigma
    return (None if theta is None else theta[0]), sigma[0]


def cntk_and_cnngp(x, x2=None, *, depth=1, pooling="gap", init_scale=1.0):
    """Both infinite-width CNN kernels at once: ``(Θ, Σ)``, each of shape (n, n2).

    Args:
        x: images, shape (n, H, W) or (n, H, W, C).
        x2: second set of images with the same H, W and C; ``None`` means ``x`` (then the
            Gram matrix is computed once per pair and is exactly symmetric).
        depth: number of conv + ReLU layers, 1 to 10.
        pooling: ``"gap"`` (global average pooling) or ``"flatten"``.
        init_scale: s, the standard deviation of every parameter at init.
    """
    return _kernels(x, x2, depth, pooling, init_scale, want_theta=True)


def cntk_and_cnngp_by_depth(x, x2=None, *, depth=1, pooling="gap", init_scale=1.0):
    """``(Θ, Σ)`` of the CNNs of every depth 1, …, ``depth`` at once, each of shape
    (depth, n, n2): entry d − 1 is :func:`cntk_and_cnngp` at depth d, bit for bit. The
    depth-d kernels pool the d-th layer of the same recursion, so all of them cost what the
    deepest alone costs (the table of kernels by depth, :mod:`ntklab.experiments.kernel_table`).

    >>> x = np.random.default_rng(0).uniform(size=(3, 4, 4))
    >>> theta, sigma = cntk_and_cnngp_by_depth(x, depth=3)
    >>> theta.shape, bool(np.array_equal(theta[1], cntk(x, depth=2)))
    ((3, 3, 3), True)
    """
    return _kernels(x, x2, depth, pooling, init_scale, want_theta=True, every=True)


def cntk(x, x2=None, *, depth=1, pooling="gap", init_scale=1.0):
    """Infinite-width neural tangent kernel Θ(x, x2) of the ReLU CNN, shape (n, n2).

    The module docstring has the network and the recursion. A 1×1 single-channel image
    with pixel x has, at depth 1, exactly the MLP kernel of x/3:

    >>> import ntklab
    >>> x = np.array([-1.5, 0.3, 2.0])
    >>> np.allclose(cntk(x.reshape(3, 1, 1)), ntklab.ntk(x / 3), rtol=1e-12)
    True
    """
    return _kernels(x, x2, depth, pooling, init_scale, want_theta=True)[0]


def cnngp(x, x2=None, *, depth=1, pooling="gap", init_scale=1.0):
    """Infinite-width prior covariance Σ(x, x2) of the CNN's output at init (NNGP).

    For a blank image (all zeros) at depth 1 every pre-activation is a bias:
    Σ = s²·E[relu(b)²] = s⁴/2.

    >>> float(cnngp(np.zeros((1, 4, 4)))[0, 0])
    0.5
    """
    return _kernels(x, x2, depth, pooling, init_scale, want_theta=False)[1]
