"""Figures of the regimes claim: fixed trace counts (a widget updates in place), the map
drawn from the result with the theorem's boundary, neurons subsampled the same way."""

import numpy as np

from ntklab.experiments.regimes import load_phase_diagram
from ntklab.figures import regimes as F


def test_map_has_the_cells_boundary_and_marks():
    d = load_phase_diagram()
    fig = F.map_fig(d, (1.5, 0.0))
    heat, bad, line, named, current = fig.data
    np.testing.assert_array_equal(np.asarray(heat.z), d.slope)
    assert len(bad.x) == int((~d.converged).sum())
    # the boundary: γ = 1 up to γ′ = 0, then γ′ = γ − 1
    assert line.y[0] == line.y[1] == 1.0 and line.x[1] == 0.0
    assert line.x[2] == line.y[2] - 1.0
    assert "NTK" in named.text and (current.x[0], current.y[0]) == (0.0, 1.5)
    assert len(F.map_fig(d).data) == 5 and len(F.map_fig(d).data[4].x) == 0


def test_neurons_are_subsampled_alike():
    rng = np.random.default_rng(0)
    a, m = rng.uniform(-3, 3, 4096), rng.exponential(size=4096)
    fig = F.neurons_fig(a, m, a + 0.1, m * 2)
    init, now = fig.data
    assert len(init.x) == len(now.x) == F.MAX_NEURONS
    np.testing.assert_allclose(np.radians(now.x) - np.radians(init.x), 0.1)
    assert len(F.neurons_fig(a[:10], m[:10]).data[1].x) == 0


def test_other_figures_have_fixed_trace_counts():
    x = np.linspace(-1, 1, 5)
    assert len(F.fit_fig(x, x, x, x, x, x).data) == 4
    assert len(F.fit_fig(x, x, x, x, None, None).data) == 4
    assert len(F.rd_fig([0.0, 1.0], [0.0, 0.1], [0.2, 0.3]).data) == 2
    assert len(F.rd_fig(None, None).data) == 2
    assert len(F.sweep_fig(None).data) == 2
