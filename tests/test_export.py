"""``ntklab figures`` writes each reproduction with its settings and measurements beside it."""

import json

import pytest

from ntklab.cli import build_parser
from ntklab.export import FIGURES, write_figures


def test_cli_knows_figures():
    args = build_parser().parse_args(["figures", "--small", "--only", "fig_1_1", "--out", "x"])
    assert args.small and args.only == ["fig_1_1"] and args.out == "x"


def test_writes_html_and_settings(tmp_path):
    paths = write_figures(tmp_path, small=True, only=["fig_1_1", "fig_1_2"], progress=None)
    stems = {p.stem for p in paths}
    assert {"fig_1_1a_eigenvectors", "fig_1_1b_zero_crossings", "fig_1_2_init_scale"} <= stems
    assert (tmp_path / "plotly.min.js").is_file()  # pages open offline
    for stem in stems:
        assert "<html>" in (tmp_path / f"{stem}.html").read_text()[:2000].lower()
        meta = json.loads((tmp_path / f"{stem}.json").read_text())
        assert meta["small"] is True and meta["settings"] and meta["measured"]
        assert meta["function"].startswith("ntklab.experiments.")
        assert "Xu, Understanding deep learning (2023)" in meta["reproduces"]
    spectrum = json.loads((tmp_path / "fig_1_1b_zero_crossings.json").read_text())
    assert spectrum["settings"] == {"n": 200, "k": 12}
    assert len(spectrum["measured"]["crossings"]) == 12


def test_full_settings_follow_the_lecture_notes():
    full = {s.name: s.full for s in FIGURES}
    assert full["fig_1_1"]["n"] == 3000
    assert (full["fig_1_2"]["n_train"], full["fig_1_2"]["n_test"]) == (600, 1200)
    assert full["fig_1_4"]["depth"] == 2 and full["fig_1_4"]["width"] >= 4096
    assert full["fig_1_4"]["init_scale"] == 10.0


def test_unknown_figure_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown figure"):
        write_figures(tmp_path, only=["fig_9"], progress=None)


def test_frequency_and_tricks_small(tmp_path):
    """The two reproductions that train: the same experiment and figure functions as the
    dashboards and notebooks, and the summary numbers beside each figure."""
    paths = write_figures(tmp_path, small=True, only=["frequency_principle", "fig_1_4"],
                          progress=None)
    stems = {p.stem for p in paths}
    assert {"frequency_principle", "fig_1_4a_outputs", "fig_1_4b_prior_term",
            "fig_1_4c_loss"} <= stems
    freq = json.loads((tmp_path / "frequency_principle.json").read_text())
    assert freq["function"] == "ntklab.experiments.frequency.frequency_view, frequency_finite"
    assert freq["measured"]["net"]["width"] == 32 and not freq["measured"]["net"]["capped"]
    assert freq["measured"]["linearized"]["strongest"] == [1, 3, 5]
    tricks = json.loads((tmp_path / "fig_1_4a_outputs.json").read_text())
    assert tricks["measured"]["tricks"] == ["plain", "asi", "doubling", "rnd"]
    assert tricks["measured"]["max_abs_output_at_init"][1] == 0.0  # ASI: exactly zero


def test_phase_diagram_small(tmp_path):
    """The measured phase diagram (Luo, Xu, Ma & Zhang 2021) at its small settings: the map
    figure and the slopes, converged cells and agreement with the theorem beside it."""
    write_figures(tmp_path, small=True, only=["phase_diagram"], progress=None)
    meta = json.loads((tmp_path / "phase_diagram.json").read_text())
    assert meta["function"] == "ntklab.experiments.regimes.phase_diagram"
    slope = meta["measured"]["slope"]
    assert slope[0][0] < -0.1 < 0.1 < slope[1][0]  # (0.5, 0) linear, (1.5, 0) condensed
    assert meta["measured"]["agree"] == meta["measured"]["off_boundary"] == 2
