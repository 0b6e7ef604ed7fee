"""``ntklab figures`` writes each reproduction with its settings and measurements beside it."""

import json

import pytest

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
