"""Eigenpairs of kernel Gram matrices, zero crossings, and the frequency view (docs/science.md
§3, §5).

Fig. 1.1 of Xu's lecture notes (Understanding deep learning, 2023) plots the eigenvectors v_i
of the NTK Gram matrix over x: the larger λ_i, the fewer zero crossings, i.e. the lower the
frequency. Residual components along large-λ directions decay fastest
(α_i(t) = α_i(0)·e^{−λ_i t}), which is the frequency principle.
"""

from __future__ import annotations

import numpy as np

from .validate import as_int, as_matrix, as_points, as_positive

__all__ = ["dft", "eigenpairs", "frequency_error", "leading_basis", "zero_crossings"]


def eigenpairs(K, k=None, *, tol=1e-8, rtol=None, max_iter=40, start=None):
    """Eigenvalues in descending order and matching unit eigenvectors of a symmetric K.

    Args:
        K: symmetric (n, n) matrix, for example ``ntk(x)``.
        k: number of leading eigenpairs, 1 ≤ k ≤ n; ``None`` for all of them.
        tol: for the top-k solver, stop once every residual ‖K v_i − λ_i v_i‖ ≤ tol·λ_1.
            For the n = 3000 NTK this gives eigenvalues to 1e-11·λ_1 and the 100th
            eigenvector to an angle of about 1e-3 (1e-9 halves the speed for 1e-4).
        rtol: for the top-k solver, also require ‖K v_i − λ_i v_i‖ ≤ rtol·λ_i for each i.
            Without it the eigenvectors of eigenvalues far below tol·λ_1 are not resolved
            (deep nets at small s: λ_40 ≈ 2e-7·λ_1 at n = 3000, depth 3, s = 0.1).
            Eigenvalues below 1e-10·λ_1 are only held to rtol·1e-10·λ_1 (round-off).
        max_iter: subspace iterations before falling back to a full decomposition.
        start: for the top-k solver, a block whose columns nearly span the leading
            eigenvectors, e.g. :func:`leading_basis` of a nearby kernel (another depth or
            init scale, or other points, interpolated): shape (n, j) with any j ≥ 1, or
            (n,) for one column. The solver works on b columns (b = min(n, 2k) for
            k ≥ 20, min(n, k + 20) below): extra columns are dropped, missing ones are
            drawn as in the default start. A good start saves most iterations; the result
            meets the same tolerances either way. Ignored (but still checked) when the
            full decomposition is chosen (see below), so a caller may always pass one.

    Returns:
        ``(lam, V)``: ``lam`` of shape (k,), descending; ``V`` of shape (n, k), ``V[:, i]``
        the eigenvector of ``lam[i]``. Signs are fixed so that each eigenvector's entry of
        largest magnitude is positive (deterministic plots).

    With ``k`` well below n, block subspace iteration with Rayleigh-Ritz (Halko et al. 2011,
    Alg. 4.4 with a convergence check) costs a few (n × n)·(n × b) products instead of an
    O(n³) decomposition; kernel spectra decay fast, so few iterations are needed. The start
    block is drawn from a fixed generator: the result does not depend on it beyond ``tol``.
    Otherwise K is decomposed fully (LAPACK; a centrosymmetric K, the NTK on a symmetric
    grid, as two half-size problems), and ``tol``, ``rtol``, ``max_iter`` and ``start`` do
    not matter: the eigenpairs are exact to round-off. The route is the one measured faster
    for (n, k): iteration when k ≤ n/20 for a centrosymmetric K and k ≤ n/9 otherwise (and
    the block b < n), e.g. k ≤ 150 or k ≤ 333 at n = 3000, k ≤ 50 or k ≤ 111 at n = 1000.
    The measurements are beside ``_full_decomposition``, the one place the rule is decided.

    >>> lam, V = eigenpairs([[2.0, 0.0], [0.0, 1.0]])
    >>> lam.tolist()
    [2.0, 1.0]
    """
    lam, V, _ = leading_basis(K, k, tol=tol, rtol=rtol, max_iter=max_iter, start=start)
    return lam, V


def leading_basis(K, k=None, *, tol=1e-8, rtol=None, max_iter=40, start=None):
    """:func:`eigenpairs` plus the solver's whole final block, to start a later call from.

    Returns ``(lam, V, basis)``: ``lam`` and ``V`` as :func:`eigenpairs`; ``basis`` is an
    (n, b) array with orthonormal columns, b = min(n, 2k) for k ≥ 20 and min(n, k + 20)
    below: the leading Ritz vectors including the oversampling ones (eigenvectors when K
    was decomposed fully). Pass it, or its columns interpolated to new points, as
    ``start`` (of any width: see :func:`eigenpairs`; it is not used when K is decomposed
    fully, so there is no need to know the route beforehand).
    """
    K = as_matrix(K, "K", square=True, symmetric=True)
    n = K.shape[0]
    k = n if k is None else as_int(k, "k", 1, n)
    tol = as_positive(tol, "tol", hi=1.0)
    rtol = None if rtol is None else as_positive(rtol, "rtol", hi=1.0)
    max_iter = as_int(max_iter, "max_iter", 1, 1000)
    if start is not None:
        if np.ndim(start) == 1:
            start = np.reshape(start, (-1, 1))
        start = as_matrix(start, "start")
        if start.shape[0] != n:
            raise ValueError(f"start must have shape ({n}, j) or ({n},), got {start.shape}")
    return _leading_basis(K, k, tol, rtol, max_iter, start)


# The route. Block iteration costs about (4 to 6 iterations) × (an (n × n)·(n × b) product,
# b ≈ 2k): ~n²·k, all in matrix products. A full decomposition costs ~n³, in LAPACK's less
# efficient dsyevd, and 2-2.5x less when K is centrosymmetric (two half-size problems, see
# _eigh). So the break-even k grows like n, with a smaller slope for a centrosymmetric K;
# measured (table below): k ≈ n/20 on the grid, ≈ n/9 on random points, at every n from
# 200 to 3000 and at depth 1 and 3 alike. Hence the rule: decompose fully when
#     k > n/20 (K centrosymmetric)  or  k > n/9 (otherwise),
# or when the block would hold all of K's columns. Against always picking the faster route
# it loses at most 1.2x in the table below (grid, n = 3000, k = 200, depth 3: 0.89 s in
# full against 0.75 s iterating), 1.1 % in the sum over its 116 cases; in CPU seconds with one
# BLAS thread (the same sweep, immune to the host's other jobs) at most 1.08x, 0.1 %. One
# slope for both kinds of K loses up to 1.4x at best (n/14), a break-even in n² 3.7x, and
# the rule before (full below n = 600 or for k > n/5) 5.7x, 17 % summed.
#
# Measured on this host (2 cores, shared with other jobs; numpy 2.4 and its OpenBLAS,
# 2 threads), ntk(sample_points(n)) ("grid") and ntk(sample_points(n, kind="random",
# seed=0)): medians of 7 interleaved repetitions; "full" is this module's full route
# (_eigh: the split for the grid), "eigh" numpy.linalg.eigh of the same K, the iterative
# route is at tol = 1e-8, and its ratio to the full route is the median of the 7 ratios
# measured side by side. Depth 3 gives ratios within 0.79-1.37x of these (the spread is
# run-to-run noise at n ≤ 800; at n ≥ 1000 within 0.83-1.2x).
#          full   eigh   iterative ms (ratio to full) for k =                    rule:
#     n      ms     ms   10           40            100           200           full if
#  grid points, depth 1 (K centrosymmetric: the full route splits it)
#    200    1.6    2.6     1.5 (0.96)    7.6 (4.72)  -             -             k > 10
#    400    6.4   10.8     2.8 (0.43)     11 (1.79)     41 (6.29)  -             k > 20
#    600     14     25     4.4 (0.30)     15 (1.01)     45 (3.12)    151 (10.39) k > 30
#    800     34     70     8.3 (0.25)     35 (1.02)    108 (3.20)    260 (7.60)  k > 40
#   1000     47    106      13 (0.27)     47 (1.00)    117 (2.50)    262 (5.34)  k > 50
#   1500    131    263      22 (0.18)     74 (0.52)    180 (1.25)    365 (2.66)  k > 75
#   2000    323    682      42 (0.13)    119 (0.38)    271 (0.82)    537 (1.63)  k > 100
#   3000    875   2451      85 (0.10)    216 (0.23)    468 (0.51)    897 (1.02)  k > 150
#  random points, depth 1
#    200    2.7    2.6     1.6 (0.62)    6.7 (2.51)  -             -             k > 22
#    400     12     11     3.1 (0.27)     11 (0.93)     35 (3.07)  -             k > 44
#    600     28     27     4.8 (0.18)     15 (0.56)     47 (1.72)    123 (4.42)  k > 67
#    800     59     58     8.4 (0.14)     36 (0.61)     93 (1.59)    206 (3.50)  k > 89
#   1000    110     88      11 (0.11)     34 (0.33)     92 (0.87)    198 (1.88)  k > 111
#   1500    331    319      25 (0.08)     81 (0.27)    187 (0.59)    391 (1.22)  k > 167
#   2000    625    621      39 (0.06)     92 (0.16)    210 (0.35)    437 (0.73)  k > 222
#   3000   2462   2393      80 (0.03)    182 (0.07)    388 (0.16)    722 (0.30)  k > 333
_FULL_ABOVE_SPLIT = 20  # decompose fully when k·20 > n, K centrosymmetric
_FULL_ABOVE = 9  # ... and when k·9 > n otherwise


def _full_decomposition(n, k, splits):
    """The route rule, the one place it is decided: whether the top k eigenpairs of an
    (n, n) K are taken from a full decomposition (LAPACK) rather than block iteration
    (which alone uses a start block). ``splits``: K is centrosymmetric (:func:`_splits`),
    so a full decomposition costs two half-size ones."""
    if _block_size(n, k) >= n:  # the block would be all of K's columns
        return True
    return k * (_FULL_ABOVE_SPLIT if splits else _FULL_ABOVE) > n


def _splits(K):
    """Whether K looks centrosymmetric (K[i, j] = K[n−1−i, n−1−j]) for the route rule: a few
    rows compared exactly, O(n). :func:`_eigh` checks every entry before it splits."""
    n = K.shape[0]
    m = n // 2
    if m < 8:
        return False
    return all(np.array_equal(K[i], K[n - 1 - i, ::-1]) for i in (0, m // 2, m - 1))


def _leading_basis(K, k, tol, rtol, max_iter=40, start=None):
    """:func:`leading_basis` for arguments known to be valid (K finite and symmetric)."""
    n = K.shape[0]
    if _full_decomposition(n, k, _splits(K)):
        lam, V = _eigh(K)
        basis = V[:, ::-1][:, :_block_size(n, k)]
        lam, V = lam[::-1][:k], basis[:, :k]
    else:
        lam, V, basis = _top_eigenpairs(K, k, tol, rtol, max_iter, start)
    return lam.copy(), _fix_signs(V), basis


# numpy's LAPACK and BLAS only, never scipy's: numpy's and scipy's wheels each bundle their
# own OpenBLAS, whose idle threads keep spinning for a while after a call, so alternating
# between the two makes each wait for the other's threads. Measured on this host (2 cores):
# a 30 × 30 scipy triangular solve after numpy products took 8 ms instead of 0.01 ms, and
# the top-10 solver at n = 200 31 ms instead of 1.6 ms (n = 600: 37 → 11 ms); numpy's and
# scipy's dsyevd alone take the same time (n = 3000: 2.24 s against 2.37 s).


def _eigh(K):
    """All eigenpairs of a finite symmetric K, ascending, by LAPACK's divide and conquer
    (dsyevd, through numpy). A centrosymmetric K (K[i, j] = K[n−1−i, n−1−j] exactly: the NTK on a
    symmetric grid, see :func:`ntklab.sample_points`) commutes with the reversal J, so its
    eigenvectors can be taken even (Jv = v) or odd (Jv = −v): two half-size problems
    (Cantoni & Butler 1976). n = 500 on this host: ~19 ms against ~33 ms (a quarter of the
    flops, but dsyevd at n = 250 is not yet in its cubic regime: ~8.5 ms each)."""
    n = K.shape[0]
    m = n // 2
    if m < 8 or not np.array_equal(K[:m], K[::-1][:m, ::-1]):
        return np.linalg.eigh(K)
    # orthonormal bases of the even and odd vectors: (e_j ± e_{n−1−j})/√2 for j < m, plus
    # the middle e_m (even) when n is odd. In them K is K[:m, :m] ± K[:m, n−1−j], and the
    # even block has the middle row and column as well.
    top, across = K[:m, :m], K[:m, ::-1][:, :m]
    odd_block = top - across
    if n % 2:
        even_block = np.empty((m + 1, m + 1))
        even_block[:m, :m] = top + across
        even_block[:m, m] = even_block[m, :m] = np.sqrt(2.0) * K[:m, m]
        even_block[m, m] = K[m, m]
    else:
        even_block = top + across
    lam_e, U_e = np.linalg.eigh(even_block)
    lam_o, U_o = np.linalg.eigh(odd_block)
    V = np.zeros((n, n))
    h = np.sqrt(0.5)
    ne = U_e.shape[1]
    V[:m, :ne] = h * U_e[:m]
    V[n - m:, :ne] = h * U_e[:m][::-1]
    if n % 2:
        V[m, :ne] = U_e[m]
    V[:m, ne:] = h * U_o
    V[n - m:, ne:] = -h * U_o[::-1]
    lam = np.concatenate([lam_e, lam_o])
    order = np.argsort(lam, kind="stable")
    return lam[order], V[:, order]


_ROUND_OFF = 1e-10  # eigenvalues below this fraction of λ_1 get its accuracy only


def _block_size(n, k):
    return min(n, k + max(20, k))  # k columns plus oversampling


def _top_eigenpairs(K, k, tol, rtol, max_iter, start=None):
    n = K.shape[0]
    b = _block_size(n, k)
    Q = np.empty((n, b))
    j = 0 if start is None else min(b, start.shape[1])
    if j:
        Q[:, :j] = start[:, :j]
    if j < b:
        Q[:, j:] = K @ np.random.default_rng(0).standard_normal((n, b - j))
    try:  # a full start block is well conditioned: Cholesky-QR (2 ms, Householder 24 ms);
        # K·(random block) is not (its columns all lean towards v_1)
        Q = _orthonormalize(Q) if j == b else np.linalg.qr(Q)[0]
    except np.linalg.LinAlgError:  # a start block after all too ill-conditioned for it
        Q = np.linalg.qr(Q)[0]
    for _ in range(max_iter):
        Z = K @ Q
        B = Q.T @ Z  # Rayleigh-Ritz on span(Q)
        lam, U = np.linalg.eigh((B + B.T) / 2)
        # descending, as contiguous copies: a reversed view would make every later
        # product skip BLAS (measured: Qᵀ Z 19 ms → 2 ms at n = 3000, b = 80)
        lam, U = lam[::-1].copy(), np.ascontiguousarray(U[:, ::-1])
        V, KV = Q @ U, Z @ U
        resid = np.linalg.norm(KV[:, :k] - V[:, :k] * lam[:k], axis=0)
        lam1 = max(abs(lam[0]), 1e-300)
        need = np.full(k, tol * lam1)
        if rtol is not None:
            need = np.minimum(need, rtol * np.maximum(lam[:k], _ROUND_OFF * lam1))
        if np.all(resid <= need):
            return lam[:k], V[:, :k], V
        # K·(Ritz vectors) ≈ λ_i v_i are nearly orthogonal already: normalize them and
        # restore orthonormality with one cheap Cholesky-QR step
        Q = _orthonormalize(KV)
    lam, V = _eigh(K)  # did not converge (very flat spectrum): decompose K fully
    V = V[:, ::-1][:, :b]
    return lam[::-1][:k], V[:, :k], V


def _orthonormalize(Z):
    """Orthonormal columns spanning those of a well-conditioned Z (Cholesky-QR)."""
    Z = Z / np.maximum(np.linalg.norm(Z, axis=0), 1e-300)
    R = np.linalg.cholesky(Z.T @ Z).T  # Z = Q R
    # Q = Z R⁻¹ as one product with the small (b × b) inverse: a triangular solve with the
    # tall Zᵀ took 7 ms against 1 ms at n = 3000, b = 80 (and scipy's solve_triangular
    # would bring in the second OpenBLAS, see above)
    return Z @ np.linalg.inv(R)


def _fix_signs(V):
    idx = np.argmax(np.abs(V), axis=0)
    signs = np.sign(V[idx, np.arange(V.shape[1])])
    signs[signs == 0] = 1.0
    V = np.ascontiguousarray(V)  # a copy of the reversed view; then flip signs in place
    V *= signs
    return V


def zero_crossings(v, x=None, *, rtol=1e-10):
    """Number of sign changes of v ordered by x (of each column, for a 2-D v).

    Args:
        v: values, shape (n,) or (n, k) (then one count per column).
        x: positions to order by, shape (n,); ``None`` means v is already in order.
        rtol: entries with |v| ≤ rtol·max|v| count as exact zeros.

    Exact zeros are skipped: a run + 0 0 − counts one crossing, + 0 + counts none. This keeps
    round-off noise around a true zero from adding crossings.

    >>> zero_crossings([1.0, -1.0, 2.0, 0.0, 3.0])
    2
    """
    arr = np.asarray(v, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[0] == 0:
        raise ValueError(f"v must have shape (n,) or (n, k), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("v must be finite (no NaN or inf)")
    if not (np.isfinite(rtol) and 0 <= rtol < 1):
        raise ValueError(f"rtol must be in [0, 1), got {rtol}")
    if x is not None:
        x = as_points(x, "x")
        if x.shape[0] != arr.shape[0]:
            raise ValueError(f"x must have length {arr.shape[0]} like v, got {x.shape[0]}")
        arr = arr[np.argsort(x, kind="stable")]
    cols = arr.reshape(arr.shape[0], -1)
    scale = np.max(np.abs(cols), axis=0)
    signs = (np.sign(cols) * (np.abs(cols) > rtol * scale)).astype(np.int8)
    # carry the last nonzero sign over exact zeros (per column), then count the changes
    # between nonzero neighbours; zeros before a column's first nonzero entry stay 0
    rows = np.arange(signs.shape[0])[:, None]
    last = np.maximum.accumulate(np.where(signs != 0, rows, 0), axis=0)
    held = np.take_along_axis(signs, last, axis=0)
    changes = (held[1:] != held[:-1]) & (held[1:] != 0) & (held[:-1] != 0)
    counts = np.count_nonzero(changes, axis=0).astype(np.int64)
    return int(counts[0]) if arr.ndim == 1 else counts


def dft(y):
    """Discrete Fourier coefficients ŷ_k, k = 0 … n//2, of samples on a uniform grid.

    ``y`` has shape (n,) or (T, n) (one row per time). Uses the real FFT: frequency index k
    means k oscillations over the sampled interval.
    """
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[-1] < 2:
        raise ValueError(f"y must have shape (n,) or (T, n) with n ≥ 2, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("y must be finite (no NaN or inf)")
    return np.fft.rfft(arr, axis=-1)


def frequency_error(h, y, freqs=None, *, mode="complex"):
    """Relative error per frequency, Δ(k) = |ĥ_k − ŷ_k| / |ŷ_k| (docs/science.md §5).

    Args:
        h: outputs on a uniform grid, shape (n,) or (T, n) (e.g. one row per time).
        y: target on the same grid, shape (n,).
        freqs: frequency indices k to report; ``None`` for every k with |ŷ_k| above
            1e-8·max|ŷ| (others would divide by round-off).
        mode: ``"complex"`` (the papers' definition) or ``"magnitude"``
            (||ĥ_k| − |ŷ_k|| / |ŷ_k|, as in the authors' scripts).

    Returns:
        ``(freqs, delta)`` with ``delta`` of shape (len(freqs),) or (T, len(freqs)).
    """
    y = as_points(y, "y", min_len=2)
    h_arr = np.asarray(h, dtype=np.float64)
    if h_arr.shape[-1] != y.shape[0]:
        raise ValueError(f"h must end in a dimension of length {y.shape[0]}, got {h_arr.shape}")
    if mode not in ("complex", "magnitude"):
        raise ValueError(f"mode must be 'complex' or 'magnitude', got {mode!r}")
    y_hat, h_hat = dft(y), dft(h_arr)
    if freqs is None:
        freqs = np.flatnonzero(np.abs(y_hat) > 1e-8 * np.max(np.abs(y_hat)))
    else:
        freqs = np.asarray(freqs)
        if freqs.ndim != 1 or not np.issubdtype(freqs.dtype, np.integer):
            raise ValueError("freqs must be a 1-D array of integer frequency indices")
        if freqs.size and (freqs.min() < 0 or freqs.max() >= y_hat.shape[0]):
            raise ValueError(f"freqs must lie in [0, {y_hat.shape[0] - 1}]")
        if np.any(np.abs(y_hat[freqs]) <= 1e-12 * np.max(np.abs(y_hat))):
            raise ValueError("freqs include a frequency where the target's coefficient is ~0")
    ref = np.abs(y_hat[freqs])
    if mode == "complex":
        delta = np.abs(h_hat[..., freqs] - y_hat[freqs]) / ref
    else:
        delta = np.abs(np.abs(h_hat[..., freqs]) - ref) / ref
    return freqs, delta
