import numpy as np
import pytest

import ntklab


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
def test_seed_claim_larger_eigenvalue_fewer_zero_crossings(kind):
    """Seed 003, Fig. 1.1: on 1000 points, eigenvector i of the NTK Gram matrix crosses
    zero exactly i times for the first 60 (measured here; stronger than the seed's trend)."""
    x = ntklab.sample_points(1000, kind=kind, seed=7)
    lam, V = ntklab.eigenpairs(ntklab.ntk(x), k=60)
    counts = ntklab.zero_crossings(V, x)
    np.testing.assert_array_equal(counts, np.arange(60))


def test_rtol_resolves_eigenvectors_of_tiny_eigenvalues():
    """Deep net, small s: λ_40 ≈ 1e-7·λ_1, far below tol·λ_1. With the per-eigenvalue
    rtol the vectors match a full decomposition and cross zero exactly i times; with tol
    alone they do not (this is what the spectrum dashboard showed before rtol)."""
    x = ntklab.sample_points(800, kind="random", seed=3)
    K = ntklab.ntk(x, depth=3, init_scale=0.1)
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
    lam, V = ntklab.eigenpairs(K, k=40, max_iter=1)
    assert calls == [(700, 700)]
    np.testing.assert_allclose(lam, lam_true[:40], rtol=1e-10)
    np.testing.assert_allclose(K @ V, V * lam, atol=1e-12)
