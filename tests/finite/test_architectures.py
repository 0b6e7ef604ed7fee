"""ntklab.finite.architectures: the recurrent and residual nets against numpy forward passes
and hand-written backpropagation (through time), the empirical NTK by jax.jacobian against
those gradients, the backward kernels against JAX's gradients, and refused input."""

import jax
import numpy as np
import pytest

import ntklab
from ntklab.finite import architectures as A


def _np(params):
    return {k: np.asarray(v) for k, v in params.items()}


def _rnn_grads(p, X):
    """Per-sequence gradients of f by backpropagation through time, flattened (n, P), in the
    order a, W, b, u; and f."""
    W, u, b, a = p["W"], p["u"], p["b"], p["a"]
    m = a.shape[0]
    n, T = X.shape
    shared = W.ndim == 2
    Ws = [W if shared else W[t] for t in range(T)]
    rows, f = [], []
    for x in X:
        hs = [np.zeros(m)]
        for t in range(T):
            hs.append(Ws[t] @ np.maximum(hs[-1], 0) / np.sqrt(m) + u * x[t] + b)
        z = np.maximum(hs[-1], 0)
        f.append(a @ z / np.sqrt(m))
        gW = np.zeros_like(W)
        gu, gb = np.zeros(m), np.zeros(m)
        delta = (hs[-1] > 0) * a / np.sqrt(m)  # ∂f/∂h_T
        for t in range(T, 0, -1):
            prev = np.maximum(hs[t - 1], 0)
            if shared:
                gW += np.outer(delta, prev) / np.sqrt(m)
            else:
                gW[t - 1] += np.outer(delta, prev) / np.sqrt(m)
            gu += delta * x[t - 1]
            gb += delta
            delta = (Ws[t - 1].T @ delta / np.sqrt(m)) * (hs[t - 1] > 0)
        rows.append(np.concatenate([z / np.sqrt(m), gW.ravel(), gb, gu]))
    return np.array(rows), np.array(f)


X = np.array([[0.5, -1.0, 0.3, 1.1], [1.2, 0.4, -0.7, 0.0], [-0.6, -0.2, 0.9, 0.4]])


@pytest.mark.parametrize("length", [None, 4], ids=["shared", "fresh"])
def test_rnn_forward_and_ntk_against_backprop_through_time(length):
    p = A.init_rnn(3, 24, init_scale=0.8, length=length)
    G, f = _rnn_grads(_np(p), X)
    np.testing.assert_allclose(np.asarray(A.rnn_apply(p, X)), f, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(A.jacobian_ntk(A.rnn_apply, p, X), G @ G.T, rtol=1e-10)
    K12 = A.jacobian_ntk(A.rnn_apply, p, X[:2], X[1:])
    np.testing.assert_allclose(K12, G[:2] @ G[1:].T, rtol=1e-10)


def test_residual_forward_and_ntk_against_backprop():
    p = A.init_residual(1, 16, depth=3, init_scale=0.7)
    q = _np(p)
    x = np.array([-1.0, 0.2, 0.8])
    m = 16
    rows, outs = [], []
    for xi in x:
        hs = [q["w"] * xi + q["b"]]
        for W in q["W"]:
            hs.append(hs[-1] + W @ np.maximum(hs[-1], 0) / np.sqrt(m))
        z = np.maximum(hs[-1], 0)
        outs.append(q["a"] @ z / np.sqrt(m))
        delta = (hs[-1] > 0) * q["a"] / np.sqrt(m)
        gW = []
        for layer in range(len(q["W"]) - 1, -1, -1):
            prev = np.maximum(hs[layer], 0)
            gW.append(np.outer(delta, prev) / np.sqrt(m))
            delta = delta + (q["W"][layer].T @ delta / np.sqrt(m)) * (hs[layer] > 0)
        rows.append(np.concatenate([z / np.sqrt(m), np.concatenate([g.ravel() for g in gW[::-1]]),
                                    delta, delta * xi]))  # a, W, b, w (jax's leaf order)
    G = np.array(rows)
    np.testing.assert_allclose(np.asarray(A.residual_apply(p, x)), outs, rtol=1e-12)
    np.testing.assert_allclose(A.jacobian_ntk(A.residual_apply, p, x), G @ G.T, rtol=1e-10)


def test_backward_kernels_are_the_bias_gradients():
    """With the true backward pass B^l(x, x′) = ∂f(x)/∂b^l·∂f(x′)/∂b^l, from JAX's Jacobian
    of ntklab.apply; the independent copies change B^l for l < L only."""
    x = np.array([-1.0, 0.5, 1.0])
    p = ntklab.init_params(4, 32, depth=3, init_scale=0.9)
    J = jax.jacobian(ntklab.apply)(p, x)
    want = np.array([np.asarray(jb)[:, 0] @ np.asarray(jb)[:, 0].T for jb in J.b])
    got = A.backward_kernels(x, 32, depth=3, init_scale=0.9, seed=4)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    indep = A.backward_kernels(x, 32, depth=3, init_scale=0.9, seed=4, independent=True)
    np.testing.assert_allclose(indep[-1], got[-1], rtol=1e-14)
    assert not np.allclose(indep[0], got[0])
    const = A.backward_kernels(x, 32, depth=3, init_scale=0.9, seed=4, output="constant")
    active = np.mean(np.asarray(J.b[-1])[:, 0] != 0, axis=-1)  # relu′(h^L) = 1, per point
    np.testing.assert_allclose(np.diag(const[-1]), 0.81 * active, rtol=1e-12)  # a_j = s


def test_shared_and_fresh_weights_differ_only_in_w():
    a, b = A.init_rnn(0, 8), A.init_rnn(0, 8, length=3)
    assert a["W"].shape == (8, 8) and b["W"].shape == (3, 8, 8)
    with pytest.raises(ValueError, match="length 3"):
        A.rnn_apply(b, X)


@pytest.mark.parametrize(("call", "word"), [
    (lambda: A.init_rnn(0, 0), "width"),
    (lambda: A.init_rnn(-1, 8), "seed"),
    (lambda: A.init_rnn(0, 8, init_scale=0.0), "init_scale"),
    (lambda: A.rnn_apply(A.init_rnn(0, 4), [0.1, 0.2]), "X"),
    (lambda: A.rnn_apply(A.init_rnn(0, 4), [[0.1, np.nan]]), "X"),
    (lambda: A.init_residual(0, 8, depth=0), "depth"),
    (lambda: A.residual_apply(A.init_residual(0, 4), [[0.1]]), "x"),
    (lambda: A.backward_kernels([0.1], 8, output="mean"), "output"),
])
def test_bad_input_is_refused(call, word):
    with pytest.raises(ValueError, match=word):
        call()
