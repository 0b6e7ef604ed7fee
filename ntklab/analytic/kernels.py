"""Infinite-width kernels of the ReLU MLP family (docs/science.md §1-2).

The network is f(x) = a·relu(h^L)/√m_L with h¹ = w x + b and
h^{l+1} = W relu(h^l)/√m_l + b, every parameter ~ N(0, s²) and trained directly
(NTK parameterization; at s = 1 this is neural-tangents'
``stax.serial(Dense(m, W_std=1, b_std=1), Relu(), ..., Dense(1, W_std=1, b_std=None))``).

For Gaussians with variances q, q' and covariance c, cos φ = c/√(qq'):

    E[relu·relu]   = √(qq')·(sin φ + (π − φ) cos φ) / (2π)
    E[relu'·relu'] = (π − φ) / (2π)

    Σ¹ = s²(x x' + 1),                Θ¹ = x x' + 1
    Σ^{l+1} = s²(E[relu·relu] + β),   Θ^{l+1} = E[relu·relu] + β + s²·E[relu'·relu']·Θ^l

β = 1 for hidden layers; for the output layer β = 1 only with an output bias.
The empirical (finite-width) kernel lives in :mod:`ntklab.finite.empirical`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .validate import as_int, as_points, as_positive, check_memory

__all__ = ["MAX_DEPTH", "nngp", "ntk", "ntk_and_nngp"]

MAX_DEPTH = 10
_TWO_PI = 2.0 * np.pi
# Entries per row block (1 MB temporaries). Measured at n = 3000 with two threads, medians
# of 5 (ms, depth 1 / 2 / 5): 288 000 entries 125 / 208 / 422, 131 072: 80 / 156 / 326,
# 65 536: 122 / 162 / 329; smaller blocks lose to Python overhead under the GIL.
_BLOCK_ENTRIES = 131_072


def _kernel_block(xr, xc, depth, s2, out_bias, want_sigma, doubling=False):
    """Θ and (optionally) Σ of the output layer, rows ``xr`` against columns ``xc``.

    Written with in-place operations: the cost is a dozen passes over the block.
    ``doubling``: Θ of the doubling trick (see :func:`ntk`); Σ is then not computed.
    """
    theta = np.multiply.outer(xr, xc)
    theta += 1.0  # Θ¹ = x x' + 1, and Σ¹ = s²·Θ¹
    # √(q q' − c²) for layer 1 is exactly s²·|x − x'| (the cross product of (x, 1), (x', 1)):
    # computed this way, φ stays accurate near the diagonal. φ is scale-free, so the s²
    # factors cancel in arctan2 and are applied afterwards.
    sin_part = np.subtract.outer(xr, xc)
    np.abs(sin_part, out=sin_part)
    c, scale = theta, s2  # Σ¹ = scale · c, with c aliasing Θ¹ in layer 1
    qr, qc = s2 * (xr * xr + 1.0), s2 * (xc * xc + 1.0)
    sigma = None
    for layer in range(1, depth + 1):
        last = layer == depth
        beta = 1.0 if (not last or out_bias) else 0.0
        phi = np.arctan2(sin_part, c)  # φ ∈ [0, π]
        np.subtract(np.pi, phi, out=phi)  # now π − φ
        # E[relu·relu] = scale·(sin_part + (π − φ)·c)/(2π)
        e_relu = phi * c
        e_relu += sin_part
        e_relu *= scale / _TWO_PI
        if last and doubling:
            # only the last hidden layer's own parameters count (Θ^L → Σ^L/s² = c·scale/s²)
            # and both kept terms double: Θ = 2·(E[relu·relu] + E[relu'·relu']·Σ^L) + β
            phi *= c
            phi *= scale / _TWO_PI
            phi += e_relu
            phi *= 2.0
            phi += beta
            return phi, None
        # Θ ← E[relu·relu] + β + s²·(π − φ)/(2π)·Θ
        phi *= s2 / _TWO_PI
        phi *= theta
        phi += beta
        phi += e_relu
        theta = phi
        if last and not want_sigma:
            break
        e_relu += beta
        e_relu *= s2  # Σ^{layer+1}
        sigma = e_relu
        if not last:
            qr, qc = s2 * (qr / 2.0 + 1.0), s2 * (qc / 2.0 + 1.0)
            sin_part = np.multiply.outer(qr, qc)
            sin_part -= sigma * sigma
            np.clip(sin_part, 0.0, None, out=sin_part)
            np.sqrt(sin_part, out=sin_part)
            c, scale = sigma, 1.0
    return theta, sigma


def _check(x, x2, depth, init_scale):
    x = as_points(x, "x")
    x2 = x if x2 is None else as_points(x2, "x2")
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    check_memory(2.0 * x.shape[0] * x2.shape[0], f"a {x.shape[0]} × {x2.shape[0]} kernel")
    return x, x2, depth, s


def _kernels(x, x2, depth, init_scale, out_bias, want_sigma, doubling=False):
    symmetric = x2 is None
    x, x2, depth, s = _check(x, x2, depth, init_scale)
    s2 = s * s
    n, n2 = x.shape[0], x2.shape[0]
    theta = np.empty((n, n2))
    sigma = np.empty((n, n2)) if want_sigma else None
    outs = [out for out in (theta, sigma) if out is not None]
    # Every kernel here depends on (x, x') only through x x', |x − x'|, x² and x'², so
    # K(−x, −x') = K(x, x'), bit for bit (negation is exact). On points with x = −x[::−1]
    # (the symmetric grid) that is K[i, j] = K[n−1−j, n−1−i]: rows i < n/2 up to column
    # n−1−i suffice, a quarter of the matrix (measured at n = 3000: 129 against 180 ms at
    # depth 2, 224 against 330 ms at depth 5).
    reflect = symmetric and n > 2 and np.array_equal(x, -x[::-1])
    rows = max(1, _BLOCK_ENTRIES // n2)
    last_row = (n + 1) // 2 if reflect else n

    def fill(start):
        stop = min(start + rows, last_row)
        # For K(x, x) compute only the blocks on and above the diagonal (and left of the
        # anti-diagonal when reflecting), then copy them to their images. Images written
        # by two blocks get the same bits, so the threads never disagree.
        col0 = start if symmetric else 0
        col1 = n - start if reflect else n2
        th, sg = _kernel_block(x[start:stop], x2[col0:col1], depth, s2, out_bias, want_sigma,
                               doubling)
        for out, block in zip(outs, (th, sg)[: len(outs)], strict=True):
            out[start:stop, col0:col1] = block
            if reflect:
                out[start:col1, start:stop] = block.T
                mirrored = out[::-1, ::-1]  # mirrored[p, q] = out[n−1−p, n−1−q]
                mirrored[start:stop, col0:col1] = block
                mirrored[start:col1, start:stop] = block.T
            elif symmetric:
                out[stop:, start:stop] = block[:, stop - start :].T

    starts = range(0, last_row, rows)
    workers = min(os.cpu_count() or 1, len(starts))
    if workers > 1:  # numpy's ufuncs release the GIL: row blocks run in parallel threads
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(fill, starts))
    else:
        for start in starts:
            fill(start)
    return theta, sigma


def ntk_and_nngp(x, x2=None, *, depth=1, init_scale=1.0, out_bias=False):
    """Both infinite-width kernels at once: ``(Θ, Σ)``, each of shape (n, n2).

    Args:
        x: sample points, shape (n,).
        x2: second set of points, shape (n2,); ``None`` means ``x``.
        depth: number of hidden layers L (1 = the two-layer net of eq. 1.8 of Xu's lecture notes).
        init_scale: s, the standard deviation of every parameter at init.
        out_bias: whether the output layer has a (trained) bias.
    """
    return _kernels(x, x2, depth, init_scale, out_bias, want_sigma=True)


def ntk(x, x2=None, *, depth=1, init_scale=1.0, out_bias=False, trick=None):
    """Infinite-width neural tangent kernel Θ(x, x2), shape (n, n2).

    For depth 1 and s = 1, with z = (x, 1) and cos φ = (x x' + 1)/(|z||z'|)::

        K(x, x') = (|z||z'| sin φ + 2 (x x' + 1)(π − φ)) / (2π),   K(x, x) = x² + 1

    and for depth 1, K scales as s².

    ``trick`` (:func:`ntklab.init_params`): ``None``, ``"asi"`` and ``"rnd"`` have this
    same kernel at infinite width (ASI's is the plain net's at any width). ``"doubling"``
    copies the last hidden layer with negated output weights: the earlier layers'
    gradients cancel and the last two layers' terms double,
    Θ = 2·(E[relu·relu] + E[relu'·relu']·Σ^L) + β (β = 1 with an output bias); for
    depth 1 that is exactly 2·K.

    >>> float(ntk([0.5])[0, 0])
    1.25
    """
    if trick not in (None, "asi", "doubling", "rnd"):
        raise ValueError(f"trick must be None, 'asi', 'doubling' or 'rnd', got {trick!r}")
    return _kernels(x, x2, depth, init_scale, out_bias, want_sigma=False,
                    doubling=trick == "doubling")[0]


def nngp(x, x2=None, *, depth=1, init_scale=1.0, out_bias=False):
    """Infinite-width prior covariance Σ(x, x2) of the output at init (NNGP), shape (n, n2).

    For depth 1, Σ(x, x) = s⁴ (x² + 1) / 2, so the prior covariance scales as s⁴.

    >>> float(nngp([1.0])[0, 0])
    1.0
    """
    return ntk_and_nngp(x, x2, depth=depth, init_scale=init_scale, out_bias=out_bias)[1]
