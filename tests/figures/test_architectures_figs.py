"""Figures of the every-architecture-has-a-kernel claim: drawn from the results (small runs),
fixed trace counts, the laws' densities on their support."""

import numpy as np
import pytest

from ntklab.experiments import architectures as A
from ntklab.figures import architectures as F


def test_every_figure_draws_its_result():
    gp = A.rnn_gp(width=32, nets=20, fresh_nets=3)
    fig = F.histogram_fig(gp)
    assert len(fig.data) == 2
    np.testing.assert_array_equal(fig.data[0].x, gp.f[:, 0])
    assert np.trapezoid(fig.data[1].y, fig.data[1].x) == pytest.approx(1.0, abs=1e-3)
    fig = F.covariance_fig(gp)
    assert len(fig.data) == 4 and len(fig.data[0].x) == 6  # the 3 × 3 upper triangle
    np.testing.assert_allclose(fig.data[1].y, gp.shared[np.triu_indices(3)])
    w = A.rnn_width_error(widths=(16, 32), seeds=(0, 1))
    assert len(F.width_fig(w).data) == 2
    spreads = [A.ntk_spread(a, (8, 16), seeds=(0, 1)) for a in A.ARCHITECTURES]
    fig = F.ntk_fig(*spreads)
    assert len(fig.data) == 4 and "recurrent" in fig.data[0].name
    laws = A.random_matrix_laws((10, 20), repeats=1)
    assert len(F.ks_fig(laws).data) == 4
    fig = F.spectrum_fig(laws.eig_mp[-1], "marchenko_pastur", ratio=0.5)
    assert len(fig.data) == 2 and max(fig.data[1].x) < (1 + 0.5**0.5) ** 2 * 1.1
    assert F.spectrum_fig(laws.eig_semicircle[-1]).data[1].y.max() == pytest.approx(1 / np.pi,
                                                                                    rel=1e-3)
    gi = A.gradient_independence(16, depth=3, seeds=(0, 1))
    fig = F.independence_fig(gi)
    assert len(fig.data) == 5 and len(fig.data[0].x) == 3
    with pytest.raises(ValueError, match="law"):
        F.spectrum_fig([1.0], "circle")
