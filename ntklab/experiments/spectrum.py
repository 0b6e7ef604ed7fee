"""Claim: the NTK Gram matrix's leading eigenvectors are its smoothest — v_i has about i − 1
zero crossings, so a larger eigenvalue means a lower frequency (Fig. 1.1 of Xu's lecture
notes, *Understanding deep learning*, 2023; docs/science.md §3).

One question, :func:`spectrum_view`: the top-k eigenpairs of K(X, X) on n points and their
zero crossings. The Spectrum dashboard, notebook 02 and ``ntklab figures`` all ask it, at
n = 50…3000. Results that cost a kernel and an eigendecomposition are kept (a few recent
settings), so moving a control back or picking other eigenvectors is free.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ..analytic.data import sample_points
from ..analytic.kernels import MAX_DEPTH, ntk
from ..analytic.spectrum import eigenpairs, leading_basis, zero_crossings
from ..analytic.validate import as_int, as_positive
from .common import RecentResults, frozen

__all__ = [
    "DECAY_RATIO",
    "PERTURB",
    "SPECTRUM_MAX_N",
    "TOP_K",
    "SpectrumView",
    "claims",
    "forget",
    "perturbed_crossings",
    "spectrum_view",
    "summary",
]

SPECTRUM_MAX_N = 3000
FULL_SPECTRUM_BELOW = 600  # below this every eigenpair is cheap (one eigh): all are kept
TOP_K = 40  # eigenpairs kept for larger n: enough to see the decay and the crossing trend
# Tolerances of the top-k solver: residuals ‖K v − λ v‖ ≤ 1e-4·λ_1 and ≤ 1e-2·λ_i. The
# relative one keeps the small eigenvalues' vectors right (deep nets at small s have
# λ_40 ≈ 1e-7·λ_1); 1e-1 was measured to give a wrong crossing count (39 for v_37, random
# points, depth 2, s = 0.1), 1e-2 the same counts as a full eigh in 24 settings. Started
# from the previous view's basis, one product with K usually meets both.
TOP_K_TOL, TOP_K_RTOL = 1e-4, 1e-2

_recent = RecentResults(6)  # recent views: a control moved back is free


def forget() -> None:
    """Drop the cached views (tests and benchmarks time or compare uncached calls)."""
    _recent.clear()
    _perturbed.clear()


@dataclass(frozen=True)
class SpectrumView:
    """Leading eigenpairs of the infinite-width NTK Gram matrix K(X, X).

    Attributes:
        x: sample points X, sorted, shape (n,).
        lam: eigenvalues λ_1 ≥ … ≥ λ_k, shape (k,).
        V: eigenvectors over the sorted x, ``V[:, i]`` belongs to ``lam[i]``, shape (n, k).
        crossings: number of zero crossings of each eigenvector, shape (k,).
        depth: L, hidden layers.   init_scale: s.
        basis: the solver's final block over x (:func:`ntklab.analytic.spectrum.leading_basis`),
            shape (n, b), b ≥ k; a later view starts from it (``previous=``).
    """

    x: np.ndarray
    lam: np.ndarray
    V: np.ndarray
    crossings: np.ndarray
    depth: int
    init_scale: float
    basis: np.ndarray = field(repr=False, compare=False, default=None)


def _start_block(previous, x, k):
    """The previous view's basis as a start block over the points x (interpolated in x:
    the leading eigenvectors are smooth in x, so this is a good start for any n). Only the
    solver's block, k + max(k, 20) columns, is used (a full spectrum's 600 columns took
    10–17 ms to interpolate to n = 3000)."""
    basis = previous.basis[:, : k + max(k, 20)]
    if previous.x.shape == x.shape and np.array_equal(previous.x, x):
        return basis
    return np.column_stack([np.interp(x, previous.x, col) for col in basis.T])


def spectrum_view(n, *, kind="grid", seed=0, depth=1, init_scale=1.0, k=None,
                  previous=None) -> SpectrumView:
    """Top-k eigenpairs and zero crossings of the NTK Gram matrix on n sample points.

    Args:
        n: sample count, 2 ≤ n ≤ 3000 (Fig. 1.1 of Xu's lecture notes uses n = 3000).
        kind: ``"grid"`` (uniform on [−1, 1]) or ``"random"`` (uniform, seeded).
        seed: seed for ``kind="random"`` (ignored for the grid).
        depth: hidden layers L.   init_scale: s.
        k: eigenpairs to keep; ``None`` means all of them below n = 600, else 40.
        previous: the :class:`SpectrumView` shown before (any settings), or ``None``. Its
            eigenvectors start the solver: a dashboard's next view then costs about one
            product with K instead of five (n = 3000: 0.05 s against 0.2 s). Results meet
            the same tolerances with or without it.

    For depth 1 the kernel is exactly s²·K(s = 1) (:func:`ntklab.ntk`), so eigenvectors do
    not depend on s and λ scales as s²: the decomposition at s = 1 is reused. For deeper
    nets s changes the shape of the kernel and everything is recomputed.

    >>> view = spectrum_view(200, k=10)
    >>> view.crossings.tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    n = as_int(n, "n", 2, SPECTRUM_MAX_N)
    depth = as_int(depth, "depth", 1, MAX_DEPTH)
    s = as_positive(init_scale, "init_scale", hi=1e3)
    if kind not in ("grid", "random"):
        raise ValueError(f"kind must be 'grid' or 'random', got {kind!r}")
    seed = as_int(seed, "seed", 0, 2**32 - 1) if kind == "random" else None
    if k is None:
        k = n if n < FULL_SPECTRUM_BELOW else TOP_K
    k = as_int(k, "k", 1, n)
    if previous is not None and not isinstance(previous, SpectrumView):
        raise ValueError(f"previous must be a SpectrumView or None, got {type(previous)}")
    s_kernel = 1.0 if depth == 1 else s
    key = (n, kind, seed, depth, s_kernel, k)
    base = _recent.get(key)
    if base is None:
        x = sample_points(n, kind=kind, seed=seed)
        K = ntk(x, depth=depth, init_scale=s_kernel)
        start = None
        if previous is not None and previous.basis is not None:
            start = _start_block(previous, x, k)
        lam, V, basis = leading_basis(K, k, tol=TOP_K_TOL, rtol=TOP_K_RTOL, start=start)
        # x is sorted (sample_points), so V is already in order of x
        base = _recent.put(key, frozen(SpectrumView(
            x=x, lam=lam, V=V, crossings=zero_crossings(V), depth=depth, init_scale=s_kernel,
            basis=np.ascontiguousarray(basis))))
    if s_kernel == s:
        return base
    return frozen(SpectrumView(x=base.x, lam=base.lam * s**2, V=base.V,
                               crossings=base.crossings, depth=depth, init_scale=s,
                               basis=base.basis))


def summary(view: SpectrumView) -> dict:
    """The numbers a caption or a notebook quotes: n, k, how many v_i have exactly i − 1
    zero crossings, the crossings, and λ_1, λ_k and their ratio."""
    k = view.crossings.shape[0]
    return {"n": int(view.x.shape[0]), "k": int(k), "depth": view.depth,
            "init_scale": view.init_scale,
            "indices_with_i_minus_1_crossings": int(np.sum(view.crossings == np.arange(k))),
            "crossings": view.crossings.tolist(),
            "lam_first": float(view.lam[0]), "lam_last": float(view.lam[-1]),
            "lam_ratio": float(view.lam[0] / view.lam[-1])}


# --- claims: what the Spectrum captions may say about a SpectrumView, checked ------------
DECAY_RATIO = 100.0  # "λ_i falls by orders of magnitude": λ_1/λ_k ≥ 100 (two or more)
# "round-off": a change of K of spectral norm PERTURB·λ_1 (about 500 ulps of λ_1, a generous
# model of the kernel's float64 round-off). A zero-crossing count is noise if this change
# alters it, or if its λ_i lies within PERTURB·λ_1 of a neighbour (then round-off decides
# which mixture of the two eigenvectors is computed, whatever its count). Measured: on a
# grid every departure from i − 1 is noise (n = 500, depth 5: from v_404 at s = 0.1, the
# counts change; from v_469 at s = 1, they change; n = 200, depth 5, s = 0.1: v_199, its
# λ within 4e-15·λ_1 of the next); on random points the first departure (n = 500: v_49, 47
# crossings, λ 1.3e-6·λ_1 from its neighbours) does not change: that eigenvector really
# crosses zero 47 times (its Nyström extension to 20 001 points too).
PERTURB = 1e-13
PERTURB_SEED = 0

_perturbed = RecentResults(4)  # crossings of the perturbed K, per view: vecs moved is free


def perturbed_crossings(view: SpectrumView, scale=PERTURB, seed=PERTURB_SEED) -> np.ndarray:
    """Zero crossings of the eigenvectors of K + E, E a seeded random symmetric matrix with
    ‖E‖₂ ≈ ``scale``·λ_1: a count that differs from ``view.crossings`` is round-off noise.

    One more eigendecomposition of the same size (n < 600: at most about 0.4 s here)."""
    n, k = view.x.shape[0], view.lam.shape[0]
    key = (view.x.tobytes(), view.depth, view.init_scale, k, float(scale), int(seed))
    hit = _perturbed.get(key)
    if hit is not None:
        return hit
    K = ntk(view.x, depth=view.depth, init_scale=view.init_scale)
    E = np.random.default_rng(seed).standard_normal((n, n))
    E = (E + E.T) * (0.5 * scale * float(view.lam[0]) / np.sqrt(2.0 * n))  # ‖E‖ ≈ 2σ√n
    _, V = eigenpairs(K + E, None if k == n else k)
    counts = zero_crossings(V[:, :k])
    counts.setflags(write=False)
    return _perturbed.put(key, counts)


def _gap(lam, j):
    """Distance of λ_j (0-based) to its nearest neighbour, relative to λ_1."""
    near = [abs(lam[j] - lam[i]) for i in (j - 1, j + 1) if 0 <= i < lam.shape[0]]
    return float(min(near) / lam[0]) if near else float("inf")


def claims(view: SpectrumView, shown=(1, 2, 3, 4)) -> tuple:
    """The checked statements the Spectrum captions make about ``view`` with the
    eigenvectors ``shown`` (1-based indices drawn in the vectors plot).

    - ``decay`` (decay plot): λ_1/λ_k ≥ :data:`DECAY_RATIO` over the k computed;
    - ``smoother_first`` (vectors plot, two or more shown): the zero crossings of the
      shown v_i strictly increase with i;
    - ``crossings_exact`` (crossings plot): every computed v_i crosses zero exactly i − 1
      times (values: up to which i it does);
    - ``crossings_noise`` (crossings plot, only where some count departs from i − 1): the
      first departing count is round-off noise: a change of K by :data:`PERTURB`·λ_1
      changes it (:func:`perturbed_crossings`), or its λ_i lies within
      :data:`PERTURB`·λ_1 of a neighbour.
    """
    from .common import Claim

    lam, c = view.lam, view.crossings
    n, k = view.x.shape[0], lam.shape[0]
    last = int(np.flatnonzero(lam > 0)[-1])  # round-off can make the smallest λ_i ≤ 0
    ratio = float(lam[0] / lam[last])
    out = [Claim("spectrum.decay", "decay", ratio >= DECAY_RATIO,
                 {"k": k, "n": n, "last": last + 1, "lam_first": float(lam[0]),
                  "lam_last": float(lam[last]), "ratio": ratio,
                  "decades": float(np.log10(ratio)), "level": DECAY_RATIO})]
    idx = sorted({int(i) for i in shown if 1 <= int(i) <= k})
    if len(idx) >= 2:
        counts = tuple(int(c[i - 1]) for i in idx)
        out.append(Claim("spectrum.smoother_first", "vectors",
                         all(a < b for a, b in itertools.pairwise(counts)),
                         {"indices": tuple(idx), "crossings": counts,
                          "pairs": ", ".join(f"v_{i}: {n_}" for i, n_ in zip(idx, counts,
                                                                               strict=True))}))
    bad = np.flatnonzero(c != np.arange(k))
    upto = int(bad[0]) if bad.size else k  # v_1 … v_upto have exactly i − 1 crossings
    values = {"k": k, "n": n, "upto": upto, "lam_ratio_last": float(lam[-1] / lam[0])}
    if bad.size:
        j = int(bad[0])
        values.update(first=j + 1, count=int(c[j]), expected=j, departing=int(bad.size),
                      lam_ratio=float(lam[j] / lam[0]), gap=_gap(lam, j))
    out.append(Claim("spectrum.crossings_exact", "crossings", not bad.size, values))
    if bad.size:
        moved = perturbed_crossings(view)
        changed = np.flatnonzero(moved != c)
        noise = moved[j] != c[j] or values["gap"] <= PERTURB
        out.append(Claim("spectrum.crossings_noise", "crossings", noise,
                         {**values, "perturbed": int(moved[j]), "changed": int(changed.size),
                          "first_changed": int(changed[0]) + 1 if changed.size else 0,
                          "scale": PERTURB}))
    return tuple(out)
