import numpy as np
import pytest

import ntklab
from ntklab.analytic.spectrum import leading_basis


def _random_psd(n, rng, decay=1.5):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.arange(1, n + 1, dtype=float) ** -decay
    return (Q * lam) @ Q.T, lam


def test_full_eigenpairs_match_numpy():
    rng = np.random.default_rng(0)
    K, lam_true = _random_psd(50, rng)
    lam, V = ntklab.eigenpairs(K)
    np.testing.assert_allclose(lam, lam_true, rtol=1e-10)
    assert np.all(np.diff(lam) <= 0)
    np.testing.assert_allclose(V.T @ V, np.eye(50), atol=1e-10)
    np.testing.assert_allclose(K @ V, V * lam, atol=1e-12)


@pytest.mark.parametrize("n", [16, 17, 500, 501])
@pytest.mark.parametrize("depth", [1, 3])
def test_centrosymmetric_split_matches_a_full_decomposition(n, depth):
    # the NTK on a symmetric grid is centrosymmetric: eigenpairs() solves two half-size
    # problems (even and odd eigenvectors); scipy's full dsyevd is the reference
    import scipy.linalg as sla

    K = ntklab.ntk(ntklab.sample_points(n), depth=depth)
    assert np.array_equal(K, K[::-1, ::-1])
    lam, V = ntklab.eigenpairs(K)
    ref_lam, ref_V = sla.eigh(K)
    ref_lam, ref_V = ref_lam[::-1], ref_V[:, ::-1]
    np.testing.assert_allclose(lam, ref_lam, rtol=0, atol=1e-13 * ref_lam[0])
    np.testing.assert_allclose(V.T @ V, np.eye(n), atol=1e-12)
    assert np.max(np.linalg.norm(K @ V - V * lam, axis=0)) <= 1e-13 * lam[0]
    # each eigenvector is even or odd under x -> -x ...
    parity = np.sum(V * V[::-1], axis=0)
    np.testing.assert_allclose(np.abs(parity), 1.0, atol=1e-12)
    # ... and the same as the reference's (up to sign) where the eigenvalue is well apart
    gap = np.minimum(np.abs(np.diff(ref_lam, prepend=np.inf)),
                     np.abs(np.diff(ref_lam, append=-np.inf))) / ref_lam[0]
    apart = gap > 1e-6
    assert apart[:20].all()
    np.testing.assert_allclose(np.abs(np.sum(V * ref_V, axis=0))[apart], 1.0, atol=1e-8)


def test_centrosymmetric_split_on_a_general_matrix_and_the_fallback():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((41, 41))
    M = A + A.T
    C = (M + M[::-1, ::-1]) / 2  # symmetric and centrosymmetric, eigenvalues of both signs
    for K in (C, M):  # M is not centrosymmetric: decomposed in full
        lam, V = ntklab.eigenpairs(K)
        np.testing.assert_allclose(lam, np.linalg.eigvalsh(K)[::-1], atol=1e-12)
        np.testing.assert_allclose(K @ V, V * lam, atol=1e-11)
        np.testing.assert_allclose(V.T @ V, np.eye(41), atol=1e-12)


def test_top_k_matches_full_decomposition_on_ntk():
    x = ntklab.sample_points(1500, kind="random", seed=3)
    K = ntklab.ntk(x, depth=2)
    lam, V = ntklab.eigenpairs(K, k=40)
    lam_full, V_full = np.linalg.eigh(K)
    lam_full, V_full = lam_full[::-1][:40], V_full[:, ::-1][:, :40]
    assert lam.shape == (40,) and V.shape == (1500, 40)
    np.testing.assert_allclose(lam, lam_full, rtol=1e-6, atol=1e-10 * lam_full[0])
    overlap = np.abs(np.sum(V * V_full, axis=0))
    assert overlap.min() > 1 - 1e-4
    # residuals within the documented tolerance
    resid = np.linalg.norm(K @ V - V * lam, axis=0)
    assert resid.max() <= 1e-8 * lam[0] * 1.0001


def test_eigenvector_signs_are_deterministic():
    K = ntklab.ntk(np.linspace(-1, 1, 30))
    _, V = ntklab.eigenpairs(K)
    idx = np.argmax(np.abs(V), axis=0)
    assert np.all(V[idx, np.arange(30)] > 0)


@pytest.mark.parametrize("kind", ["grid", "random"])
def test_fig_1_1_claim_larger_eigenvalue_fewer_zero_crossings(kind):
    """Fig. 1.1 of Xu's lecture notes (Understanding deep learning, 2023): on 1000 points,
    eigenvector i of the NTK Gram matrix crosses zero exactly i times for the first 60
    (measured here; stronger than the figure's trend)."""
    x = ntklab.sample_points(1000, kind=kind, seed=7)
    lam, V = ntklab.eigenpairs(ntklab.ntk(x), k=60)
    counts = ntklab.zero_crossings(V, x)
    np.testing.assert_array_equal(counts, np.arange(60))


def test_rtol_resolves_eigenvectors_of_tiny_eigenvalues():
    """Deep net, small s: λ_40 ≈ 1e-7·λ_1, far below tol·λ_1. With the per-eigenvalue
    rtol the vectors match a full decomposition and cross zero exactly i times; with tol
    alone they do not (this is what the spectrum dashboard showed before rtol)."""
    from ntklab.analytic import spectrum

    x = ntklab.sample_points(800, kind="random", seed=3)
    K = ntklab.ntk(x, depth=3, init_scale=0.1)
    assert not spectrum._full_decomposition(800, 40, spectrum._splits(K))  # iterates
    lam_full, V_full = np.linalg.eigh(K)
    lam_full, V_full = lam_full[::-1][:40], V_full[:, ::-1][:, :40]
    assert lam_full[-1] < 1e-6 * lam_full[0]
    lam, V = ntklab.eigenpairs(K, k=40, tol=1e-6, rtol=1e-2)
    resid = np.linalg.norm(K @ V - V * lam, axis=0)
    assert np.all(resid <= 1e-2 * lam * 1.0001)
    np.testing.assert_allclose(lam, lam_full, rtol=1e-3)
    assert np.abs(np.sum(V * V_full, axis=0)).min() > 0.999
    np.testing.assert_array_equal(ntklab.zero_crossings(V, x), np.arange(40))
    _, V_loose = ntklab.eigenpairs(K, k=40, tol=1e-6)
    assert not np.array_equal(ntklab.zero_crossings(V_loose, x), np.arange(40))


def test_a_start_block_from_a_nearby_kernel_saves_iterations(monkeypatch):
    from ntklab.analytic import spectrum

    steps = []
    real = spectrum._orthonormalize
    monkeypatch.setattr(spectrum, "_orthonormalize", lambda Z: steps.append(1) or real(Z))
    x = ntklab.sample_points(1500, kind="grid")
    assert not spectrum._full_decomposition(1500, 40, splits=True)  # iterates
    _, _, basis = spectrum.leading_basis(ntklab.ntk(x, depth=1), 40, tol=1e-6, rtol=1e-2)
    assert basis.shape == (1500, 80)
    np.testing.assert_allclose(basis.T @ basis, np.eye(80), atol=1e-10)
    K2 = ntklab.ntk(x, depth=2)
    steps.clear()
    lam_cold, V_cold = ntklab.eigenpairs(K2, 40, tol=1e-6, rtol=1e-2)
    cold = len(steps)
    steps.clear()
    lam, V = ntklab.eigenpairs(K2, 40, tol=1e-6, rtol=1e-2, start=basis)
    warm = len(steps)
    assert warm < cold
    np.testing.assert_allclose(lam, lam_cold, rtol=1e-4)
    assert np.abs(np.sum(V * V_cold, axis=0)).min() > 0.999
    resid = np.linalg.norm(K2 @ V - V * lam, axis=0)
    assert np.all(resid <= np.minimum(1e-6 * lam[0], 1e-2 * lam) * 1.0001)
    with pytest.raises(ValueError, match="start"):
        ntklab.eigenpairs(K2, 40, start=basis[:100])


def _last_iterated_k(n, splits):
    """The largest k for which the route rule picks block iteration on an (n, n) K."""
    from ntklab.analytic import spectrum

    ks = [k for k in range(1, n + 1) if not spectrum._full_decomposition(n, k, splits)]
    assert ks == list(range(1, len(ks) + 1))  # iteration for small k, then full: one switch
    return ks[-1] if ks else 0


def test_route_rule_follows_the_measurements():
    """The table beside _full_decomposition: block iteration for the issue's top-40 at
    n = 3000 (0.23x the time of the full decomposition on the grid), the full decomposition
    for its top-100 at n = 1000 on the grid (iterating took 2.5x as long) but not on random
    points (0.87x); the full decomposition whenever the block would hold all of K."""
    from ntklab.analytic import spectrum

    for splits in (True, False):
        assert not spectrum._full_decomposition(3000, 40, splits)
        assert spectrum._full_decomposition(40, 20, splits)  # block min(n, 2k) = n
        assert spectrum._full_decomposition(1000, 1000, splits)
        assert spectrum._full_decomposition(60_000, 60_000, splits)
    assert spectrum._full_decomposition(1000, 100, splits=True)
    assert not spectrum._full_decomposition(1000, 100, splits=False)
    # the measured break-even k: about n/20 on the grid, n/9 on random points
    assert [_last_iterated_k(n, True) for n in (400, 1000, 2000, 3000)] == [20, 50, 100, 150]
    assert [_last_iterated_k(n, False) for n in (400, 1000, 2000, 3000)] == [44, 111, 222, 333]
    x = ntklab.sample_points(1000)
    assert spectrum._splits(ntklab.ntk(x)) and spectrum._splits(ntklab.ntk(x, depth=3))
    assert not spectrum._splits(ntklab.ntk(ntklab.sample_points(1000, kind="random", seed=0)))
    assert not spectrum._splits(ntklab.ntk(np.linspace(0.0, 1.0, 1000)))


def _reference(K, k):
    """Top-k eigenpairs by scipy's full decomposition (dsyevd), descending."""
    import scipy.linalg as sla

    lam, V = sla.eigh(K)
    return lam[::-1][:k], V[:, ::-1][:, :k]


def _assert_matches(K, lam, V, ref_lam, ref_V, rtol, overlap):
    np.testing.assert_allclose(lam, ref_lam, rtol=rtol, atol=1e-12 * ref_lam[0])
    np.testing.assert_allclose(V.T @ V, np.eye(V.shape[1]), atol=1e-10)
    assert np.abs(np.sum(V * ref_V, axis=0)).min() > 1 - overlap  # each v_i up to sign


@pytest.mark.parametrize("kind", ["grid", "random"])
@pytest.mark.parametrize("depth", [1, 3])
@pytest.mark.parametrize("n", [600, 1000])
def test_both_routes_match_a_full_decomposition_at_the_threshold(monkeypatch, kind, depth, n):
    """The last k that iterates and the first that does not: each through the route the
    rule picks (checked by which solver runs), each against scipy's dsyevd of the same K."""
    from ntklab.analytic import spectrum

    x = ntklab.sample_points(n) if kind == "grid" else ntklab.sample_points(n, kind="random",
                                                                           seed=0)
    K = ntklab.ntk(x, depth=depth)
    last = _last_iterated_k(n, kind == "grid")
    assert 10 <= last < n // 4
    iterated = []
    real = spectrum._top_eigenpairs
    monkeypatch.setattr(spectrum, "_top_eigenpairs",
                        lambda *a, **kw: iterated.append(a[1]) or real(*a, **kw))
    ref_lam, ref_V = _reference(K, last + 1)
    lam, V = ntklab.eigenpairs(K, last)  # iterates: tol = 1e-8 of λ_1 on the residuals
    assert iterated == [last]
    _assert_matches(K, lam, V, ref_lam[:last], ref_V[:, :last], rtol=1e-6, overlap=1e-6)
    assert np.linalg.norm(K @ V - V * lam, axis=0).max() <= 1e-8 * lam[0] * 1.0001
    lam, V = ntklab.eigenpairs(K, last + 1)  # decomposes K fully: exact to round-off
    assert iterated == [last]
    _assert_matches(K, lam, V, ref_lam, ref_V, rtol=1e-9, overlap=1e-9)


@pytest.fixture(scope="module")
def depth_2_kernel_and_interpolated_start():
    """An iterated case (n = 1500, k = 40, block 80) with its scipy reference, and the
    basis of a nearby kernel on other points interpolated to these: a good, inexact start
    (160 columns, as the experiments layer passes a previous view's whole basis)."""
    n = 1500
    x = ntklab.sample_points(n, kind="random", seed=3)
    K = ntklab.ntk(x, depth=2)
    x_prev = ntklab.sample_points(700, kind="random", seed=4)
    _, _, prev = leading_basis(ntklab.ntk(x_prev, depth=3), 80)
    assert prev.shape == (700, 160)
    start = np.column_stack([np.interp(x, x_prev, col) for col in prev.T])
    return K, _reference(K, 40), start


@pytest.mark.parametrize("width", [1, 3, 7, 79, 81, 161])
def test_a_start_block_of_any_width(depth_2_kernel_and_interpolated_start, width):
    """The experiments layer interpolates a previous view's basis to new points and passes
    all of its columns: any width works (truncated to the block of 80 columns or filled
    up), and the result meets the tolerances as without a start."""
    from ntklab.analytic import spectrum

    K, (ref_lam, ref_V), start = depth_2_kernel_and_interpolated_start
    n, k = K.shape[0], 40
    assert not spectrum._full_decomposition(n, k, spectrum._splits(K))  # iterates, b = 80
    start = np.column_stack([start, start])[:, :width]  # 161: a repeated column as well
    lam, V, basis = leading_basis(K, k, start=start)
    assert basis.shape == (n, 80)
    np.testing.assert_allclose(basis.T @ basis, np.eye(80), atol=1e-10)
    _assert_matches(K, lam, V, ref_lam, ref_V, rtol=1e-6, overlap=1e-6)
    assert np.linalg.norm(K @ V - V * lam, axis=0).max() <= 1e-8 * lam[0] * 1.0001
    if width == 1:  # one column may also come as a 1-D array
        lam_1d, V_1d = ntklab.eigenpairs(K, k, start=start[:, 0])
        np.testing.assert_array_equal(lam_1d, lam)
        np.testing.assert_array_equal(V_1d, V)


def test_degenerate_start_blocks_still_give_the_eigenpairs():
    """Zero, identical or rank-deficient columns (a coarse previous view interpolated to
    many points) fall back to Householder QR inside the solver."""
    n, k = 1200, 30
    K = ntklab.ntk(ntklab.sample_points(n, kind="random", seed=5))
    ref_lam, ref_V = _reference(K, k)
    coarse = ntklab.sample_points(n)[::100]  # 12 points: 12 independent columns at most
    _, _, prev = leading_basis(ntklab.ntk(coarse), 12)
    interp = np.column_stack([np.interp(ntklab.sample_points(n), coarse, c) for c in prev.T])
    for start in (np.zeros((n, 60)), np.ones((n, 60)), np.tile(interp, 5), interp[:, :5]):
        lam, V = ntklab.eigenpairs(K, k, start=start)
        _assert_matches(K, lam, V, ref_lam, ref_V, rtol=1e-6, overlap=1e-6)


@pytest.mark.parametrize("kind", ["grid", "random"])
def test_a_start_block_is_ignored_by_the_full_decomposition(kind):
    """When the rule picks the full decomposition (here k = 100 at n = 800) any start block
    of the right length is accepted and changes nothing; one of another length is an
    error on both routes."""
    from ntklab.analytic import spectrum

    n, k = 800, 100
    x = ntklab.sample_points(n) if kind == "grid" else ntklab.sample_points(n, kind="random",
                                                                           seed=0)
    K = ntklab.ntk(x)
    assert spectrum._full_decomposition(n, k, spectrum._splits(K))
    plain = leading_basis(K, k)
    rng = np.random.default_rng(0)
    for start in (rng.standard_normal((n, 3)), rng.standard_normal(n), np.zeros((n, 500))):
        for got, want in zip(leading_basis(K, k, start=start), plain, strict=True):
            np.testing.assert_array_equal(got, want)
    for kk in (k, 5):  # the full route and the iterative one
        with pytest.raises(ValueError, match="start"):
            leading_basis(K, kk, start=np.ones((n - 1, 3)))
        with pytest.raises(ValueError, match="start"):
            leading_basis(K, kk, start=np.ones((n, 0)))


@pytest.mark.parametrize(
    "v,expected",
    [
        ([1.0, 2.0, 3.0], 0),
        ([1.0, -1.0, 1.0, -1.0], 3),
        ([1.0, 0.0, -1.0], 1),  # through an exact zero: one crossing
        ([1.0, 0.0, 0.0, 1.0], 0),  # touching zero: none
        ([0.0, 0.0, 0.0], 0),
        ([-2.0], 0),
        ([1.0, 1e-14, -1.0, -1e-14, 1.0], 2),  # round-off values count as zeros
    ],
)
def test_zero_crossings_known_cases(v, expected):
    assert ntklab.zero_crossings(v) == expected


def test_zero_crossings_orders_by_x_and_handles_columns():
    x = np.array([0.3, -1.0, 2.0, 0.0])
    v = np.array([1.0, 1.0, -1.0, 1.0])  # in x order: 1, 1, 1, -1
    assert ntklab.zero_crossings(v, x) == 1
    grid = np.linspace(0, 1, 200, endpoint=False)
    cols = np.stack([np.cos(2 * np.pi * k * grid + 0.3) for k in range(1, 5)], axis=1)
    np.testing.assert_array_equal(ntklab.zero_crossings(cols), [2, 4, 6, 8])


def test_dft_and_frequency_error():
    n = 256
    x = np.linspace(-np.pi, np.pi, n, endpoint=False)
    y = np.sin(x) + np.sin(3 * x) + np.sin(5 * x)
    freqs, delta = ntklab.frequency_error(y, y)
    np.testing.assert_array_equal(freqs, [1, 3, 5])
    np.testing.assert_allclose(delta, 0, atol=1e-12)
    h = np.stack([np.zeros(n), np.sin(x), y + 0.5 * np.sin(3 * x)])
    _, delta = ntklab.frequency_error(h, y)
    np.testing.assert_allclose(delta, [[1, 1, 1], [0, 1, 1], [0, 0.5, 0]], atol=1e-12)
    # magnitudes ignore phase: a sign-flipped output has zero magnitude error
    _, mag = ntklab.frequency_error(-y, y, mode="magnitude")
    np.testing.assert_allclose(mag, 0, atol=1e-12)
    _, cplx = ntklab.frequency_error(-y, y)
    np.testing.assert_allclose(cplx, 2, atol=1e-12)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: ntklab.eigenpairs(np.ones((2, 3))), "square"),
        (lambda: ntklab.eigenpairs([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
        (lambda: ntklab.eigenpairs(np.eye(3), k=4), "k"),
        (lambda: ntklab.eigenpairs(np.eye(3), k=0), "k"),
        (lambda: ntklab.eigenpairs([[np.nan]]), "finite"),
        (lambda: ntklab.zero_crossings([]), "shape"),
        (lambda: ntklab.zero_crossings([1.0, np.inf]), "finite"),
        (lambda: ntklab.zero_crossings([1.0, 2.0], [0.0]), "length"),
        (lambda: ntklab.frequency_error(np.zeros(5), np.ones(4)), "length"),
        (lambda: ntklab.frequency_error(np.zeros(4), np.ones(4), mode="x"), "mode"),
        (lambda: ntklab.frequency_error(np.zeros(8), np.ones(8), freqs=[3]), "~0"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_zero_crossings_of_columns_match_a_loop_over_each_column():
    """The vectorized count (signs carried over exact zeros) against the plain definition:
    drop the zeros, count sign changes."""

    def by_hand(v):
        s = np.sign(v)[v != 0]
        return int(np.count_nonzero(s[1:] != s[:-1]))

    rng = np.random.default_rng(0)
    for _ in range(500):
        v = rng.choice([-2.0, -1.0, 0.0, 0.0, 1.0, 3.0], size=(int(rng.integers(1, 12)), 4))
        expected = [by_hand(v[:, j]) for j in range(4)]
        np.testing.assert_array_equal(ntklab.zero_crossings(v), expected)
        assert ntklab.zero_crossings(v[:, 0]) == expected[0]


def test_top_k_falls_back_to_a_full_decomposition_when_it_does_not_converge(monkeypatch):
    import ntklab.analytic.spectrum as sp

    calls = []
    full = sp._eigh
    monkeypatch.setattr(sp, "_eigh", lambda K: calls.append(K.shape) or full(K))
    rng = np.random.default_rng(2)
    K, lam_true = _random_psd(700, rng, decay=0.1)  # flat: one iteration cannot converge
    assert not sp._full_decomposition(700, 20, sp._splits(K))  # the rule picks iteration
    lam, V = ntklab.eigenpairs(K, k=20, max_iter=1)
    assert calls == [(700, 700)]
    np.testing.assert_allclose(lam, lam_true[:20], rtol=1e-10)
    np.testing.assert_allclose(K @ V, V * lam, atol=1e-12)
