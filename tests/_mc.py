"""A small numpy reference for Monte Carlo kernel tests: random finite ReLU MLPs with
explicit backpropagation, written independently of ntklab's kernels and JAX code."""

import numpy as np


def mc_kernels(x, depth, s, m, n_nets, rng):
    """Empirical NTK and output second moment f(x)f(x') over ``n_nets`` random nets.

    Returns (ntk_samples, ff_samples), each of shape (n_nets, P, P). Parameterization as
    SCIENCE.md §1: every parameter ~ N(0, s²), 1/√m after each hidden layer, no output bias.
    """
    x = np.asarray(x, dtype=np.float64)
    P = x.shape[0]
    ntks = np.empty((n_nets, P, P))
    ffs = np.empty((n_nets, P, P))
    for k in range(n_nets):
        w = rng.normal(0, s, m)
        b1 = rng.normal(0, s, m)
        Ws = [rng.normal(0, s, (m, m)) for _ in range(depth - 1)]
        bs = [rng.normal(0, s, m) for _ in range(depth - 1)]
        a = rng.normal(0, s, m)
        hs = [np.outer(x, w) + b1]  # pre-activations, (P, m)
        for W, b in zip(Ws, bs, strict=True):
            hs.append(np.maximum(hs[-1], 0) @ W.T / np.sqrt(m) + b)
        act_L = np.maximum(hs[-1], 0)
        f = act_L @ a / np.sqrt(m)
        K = act_L @ act_L.T / m  # output weights a
        delta = (hs[-1] > 0) * a / np.sqrt(m)  # ∂f/∂h^L
        for layer in range(depth - 1, 0, -1):
            prev = np.maximum(hs[layer - 1], 0)
            K += (delta @ delta.T) * (prev @ prev.T / m + 1.0)  # W^{layer+1} and its bias
            delta = (delta @ Ws[layer - 1] / np.sqrt(m)) * (hs[layer - 1] > 0)
        K += (delta @ delta.T) * (np.outer(x, x) + 1.0)  # first layer w and b
        ntks[k] = K
        ffs[k] = np.outer(f, f)
    return ntks, ffs
