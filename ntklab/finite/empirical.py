"""The exact empirical (finite-width) NTK, layer by layer, without a Jacobian (docs/science.md §2).

K(x, x') = ∇_θ f(x)·∇_θ f(x') splits into one term per layer's incoming parameters. With
per-example activations z^l = relu(h^l) and backpropagated signals δ^l = ∂f/∂h^l
(δ^L = relu'(h^L) ⊙ a/√m_L, δ^l = relu'(h^l) ⊙ (δ^{l+1} W^{l+1})/√m_l), and n × m_l
matrices stacking them over examples:

    layer 1 (w, b):          (δ¹ δ¹ᵀ) ⊙ (x xᵀ + 1)
    layer l+1 (W, b), l ≥ 1: (δ^{l+1} δ^{l+1}ᵀ) ⊙ (z^l z^lᵀ/m_l + 1)
    output (a, and c):       z^L z^Lᵀ/m_L (+ 1)

For the two-layer net (S = z¹, D = √m δ¹) this is the K = (S Sᵀ + (D Dᵀ) ⊙ (x xᵀ + 1))/m of
docs/science.md §2.
A multi-copy net f = Σ_c γ_c f(θ_c) (the ASI trick) adds γ_c² times each copy's kernel,
since the copies share no parameters.

Cost: one forward and one backward pass and two n × n2 Gram products per layer,
O(n n2 Σ m_l + n Σ m_l m_{l+1}) time and O(n Σ m_l + L n n2) memory, never the n × P
Jacobian. The Gram products run in float64 numpy (for K(x, x) they are symmetric rank-k
updates, half the work of a general product), which on CPU is faster than XLA's.
"""

from __future__ import annotations

import numpy as np

from ..analytic.validate import as_points, check_memory
from .model import Params, as_numpy, width_norms

__all__ = ["empirical_ntk", "empirical_ntk_layers"]


def _gram(A, B):
    """A Bᵀ; ``B is None`` means A Aᵀ (numpy then uses a symmetric rank-k update)."""
    return A @ A.T if B is None else A @ B.T


def _preactivations(p, copy, norms, x):
    """Pre-activations h^l, l = 1..L, of one copy on points x: list of (n, m_l)."""
    h = np.multiply.outer(x, p.w[0][copy]) + p.b[0][copy]
    hs = [h]
    for layer in range(1, len(p.w)):
        z = np.maximum(hs[-1], 0.0)
        z *= norms[layer - 1]
        h = z @ p.w[layer][copy].T
        h += p.b[layer][copy]
        hs.append(h)
    return hs


def _layers(p, norms, x, x2, by_layer=True):
    """Per-layer kernel contributions, shape (L + 1, n, n2), input layer first; their sum,
    shape (n, n2), when ``by_layer`` is False (one accumulator: less memory)."""
    depth = len(p.w)
    same = x2 is None
    n, n2 = x.shape[0], (x if same else x2).shape[0]
    out = np.zeros((depth + 1, n, n2) if by_layer else (1, n, n2))
    slot = [i if by_layer else 0 for i in range(depth + 1)]
    for copy, gamma in enumerate(p.coef):
        g2 = gamma * gamma
        hs = _preactivations(p, copy, norms, x)
        hs2 = None if same else _preactivations(p, copy, norms, x2)
        # output layer: z^L z^Lᵀ/m_L (+ 1 for the output bias)
        z = np.maximum(hs[-1], 0.0) * norms[-1]
        z2 = None if same else np.maximum(hs2[-1], 0.0) * norms[-1]
        out[slot[depth]] += g2 * (_gram(z, z2) + (0.0 if p.c is None else 1.0))
        del z, z2
        # backward: δ^L = relu'(h^L) ⊙ a/√m_L, then down the layers
        a = p.a[copy] * norms[-1]
        delta = (hs[-1] > 0) * a
        delta2 = None if same else (hs2[-1] > 0) * a
        for layer in range(depth - 1, -1, -1):
            gd = _gram(delta, delta2)
            if layer == 0:
                xr = x
                xc = x if same else x2
                gd *= np.multiply.outer(xr, xc) + 1.0
            else:
                z = np.maximum(hs[layer - 1], 0.0) * norms[layer - 1]
                z2 = None if same else np.maximum(hs2[layer - 1], 0.0) * norms[layer - 1]
                gz = _gram(z, z2)
                gz += 1.0
                gd *= gz
                del gz
                # δ^{l} = relu'(h^l) ⊙ (δ^{l+1} W^{l+1})/√m_l
                W = p.w[layer][copy]
                delta = (delta @ W) * norms[layer - 1] * (hs[layer - 1] > 0)
                if not same:
                    delta2 = (delta2 @ W) * norms[layer - 1] * (hs2[layer - 1] > 0)
            gd *= g2
            out[slot[layer]] += gd
    return out


def _check(params, x, x2, by_layer, norms=None):
    if not isinstance(params, Params):
        raise ValueError(f"params must be ntklab Params from init_params, got {type(params)}")
    x = as_points(x, "x")
    x2 = None if x2 is None else as_points(x2, "x2")
    n, n2 = x.shape[0], (x if x2 is None else x2).shape[0]
    widths = params.widths
    depth = len(widths)
    copies = len(params.coef)
    pts = n + (0 if x2 is None else n2)
    per_layer = depth + 2 if by_layer else 3
    need = copies * pts * (sum(widths) + 2 * max(widths)) + per_layer * n * n2
    check_memory(need, f"the empirical NTK of {n} × {n2} points at widths {widths}")
    if norms is None:
        norms = width_norms(widths, params.parameterization)
    return as_numpy(params), np.asarray(norms, dtype=np.float64), x, x2


def empirical_ntk_layers(params, x, x2=None):
    """Per-layer contributions to the empirical NTK, shape (L + 1, n, n2).

    Entry l (0-based) is the kernel of layer l + 1's incoming weights and biases
    (entry 0: the input layer's w, b), and entry L the output layer's a (and c). Their sum
    is :func:`empirical_ntk`. The doubling trick shows here: entries L − 1 and L double
    and entries < L − 1 vanish at init (Xu's lecture notes "Understanding deep learning"
    (2023), §1.5).

    Args:
        params: θ from :func:`ntklab.init_params` (any depth, any trick).
        x: points, shape (n,).   x2: points, shape (n2,); ``None`` means x (symmetric).
    """
    p, norms, x, x2 = _check(params, x, x2, by_layer=True)
    return _layers(p, norms, x, x2)


def empirical_ntk(params, x, x2=None):
    """Exact empirical NTK K(x, x2) = ∇_θ f(x)·∇_θ f(x2) of a finite net, shape (n, n2).

    Equal to the Jacobian contraction J(x) J(x2)ᵀ to round-off, computed layer by layer from
    activations and backpropagated signals (module docstring; docs/science.md §2), for any depth
    and trick. Requests over the memory budget are refused with the estimate.

    >>> from ntklab import init_params
    >>> K = empirical_ntk(init_params(0, 512), [0.0, 1.0])
    >>> K.shape
    (2, 2)
    """
    p, norms, x, x2 = _check(params, x, x2, by_layer=False)
    return _layers(p, norms, x, x2, by_layer=False)[0].copy()


def empirical_ntk_padded(params, norms, x, x2=None):
    """:func:`empirical_ntk` of a net with explicit normalizations ``norms[l] = 1/√m_{l+1}``,
    for zero-padded nets whose array shapes are not their true widths (as in
    :mod:`ntklab.finite.training`); zero-padded units contribute exactly nothing."""
    p, norms, x, x2 = _check(params, x, x2, by_layer=False, norms=norms)
    return _layers(p, norms, x, x2, by_layer=False)[0].copy()
