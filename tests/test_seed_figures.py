"""``ntklab figures`` writes each reproduction with its settings and measurements beside it."""

import json

import numpy as np
import pytest

import ntklab
from ntklab.cli import build_parser
from ntklab.seed_figures import FIGURES, write_seed_figures


def test_cli_knows_figures():
    args = build_parser().parse_args(["figures", "--small", "--only", "fig_1_1", "--out", "x"])
    assert args.small and args.only == ["fig_1_1"] and args.out == "x"


def test_writes_html_and_settings(tmp_path):
    paths = write_seed_figures(tmp_path, small=True, only=["fig_1_1", "fig_1_2"], progress=None)
    stems = {p.stem for p in paths}
    assert {"fig_1_1a_eigenvectors", "fig_1_1b_zero_crossings", "fig_1_2_init_scale"} <= stems
    assert (tmp_path / "plotly.min.js").is_file()  # pages open offline
    for stem in stems:
        assert "<html>" in (tmp_path / f"{stem}.html").read_text()[:2000].lower()
        meta = json.loads((tmp_path / f"{stem}.json").read_text())
        assert meta["small"] is True and meta["settings"] and meta["measured"]
        assert meta["function"].startswith("ntklab.")
    spectrum = json.loads((tmp_path / "fig_1_1b_zero_crossings.json").read_text())
    assert spectrum["settings"] == {"n": 200, "k": 12}
    assert len(spectrum["measured"]["crossings"]) == 12


def test_full_settings_follow_the_seed():
    full = {s.name: s.full for s in FIGURES}
    assert full["fig_1_1"]["n"] == 3000
    assert (full["fig_1_2"]["n_train"], full["fig_1_2"]["n_test"]) == (600, 1200)
    assert full["fig_1_4"]["depth"] == 2 and full["fig_1_4"]["width"] >= 4096
    assert full["fig_1_4"]["init_scale"] == 10.0


def test_unknown_figure_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown figure"):
        write_seed_figures(tmp_path, only=["fig_9"], progress=None)


def test_init_scale_comparison_steps():
    """Fig. 1.2's steps: a net at s ≥ 1 uses 1/λ_max of its own K₀; a small-init net
    uses that of the same seed's s = 1 net (``step_scale_min``), or its own when 0."""
    def step(s, x):
        K = ntklab.empirical_ntk(ntklab.init_params(0, 32, init_scale=s), x)
        return 1.0 / np.linalg.eigvalsh(np.asarray(K))[-1]

    small = dict(scales=(10.0, 0.1), n_train=12, n_test=24, width=32, steps=5, decompose=False)
    r = ntklab.init_scale_comparison(**small)
    assert r.lr[0] == pytest.approx(step(10.0, r.x_train), rel=1e-6)
    assert r.lr[1] == pytest.approx(step(1.0, r.x_train), rel=1e-6)
    own = ntklab.init_scale_comparison(**small, step_scale_min=0.0)
    assert own.lr[1] == pytest.approx(step(0.1, r.x_train), rel=1e-6)
    assert own.lr[1] > 50 * r.lr[1]  # K₀ ∝ s²: the own step is ~100× larger
