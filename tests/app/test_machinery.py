"""Shared dashboard machinery (ntklab.app.controls, .worker, .dashboard's URL presets), the
experiments layer, the CLI, and that importing the app stays light."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from ntklab.app.controls import Param
from ntklab.app.dashboard import read_query_string
from ntklab.app.strings import LANGUAGES, STRINGS, tr
from ntklab.app.worker import Cancelled, Worker

# --- Param: server-side bounds -------------------------------------------------------------


def test_param_validates_bounds_and_kinds():
    n = Param("n", 100, "int", "spectrum.n", lo=10, hi=3000)
    assert n.validate(3000) == 3000 and n.validate(50.0) == 50
    for bad in (3001, 9, 2.5, "100", True, float("nan"), None):
        with pytest.raises(ValueError, match="n must be an integer"):
            n.validate(bad)
    s = Param("s", 1.0, "float", "spectrum.s", lo=0.1, hi=10.0, widget="log_slider")
    assert s.validate(10) == 10.0
    for bad in (0.0, 11.0, float("inf"), float("nan"), "1"):
        with pytest.raises(ValueError, match=r"s must be a number in \[0.1, 10\]"):
            s.validate(bad)
    vecs = Param("vecs", (1, 2), "ints", "spectrum.vecs", lo=1, hi=40, widget="ints")
    assert vecs.validate([3, 3, 1]) == [3, 1]
    for bad in ([], [0], [41], list(range(1, 9)), "1,2"):
        with pytest.raises(ValueError):
            vecs.validate(bad)
    kind = Param("kind", "grid", "choice", "spectrum.kind", choices=("grid", "random"),
                 widget="toggle")
    with pytest.raises(ValueError, match="one of grid, random"):
        kind.validate("sobol")


def test_param_parse_format_round_trip():
    vecs = Param("vecs", (1, 2), "ints", "spectrum.vecs", lo=1, hi=40, widget="ints")
    assert vecs.parse(" 1, 5;7 ") == [1, 5, 7]
    assert vecs.parse(vecs.format([4, 2])) == [4, 2]
    with pytest.raises(ValueError, match="integers like"):
        vecs.parse("a,b")
    with pytest.raises(ValueError, match="does not suit"):
        Param("x", 1, "int", "spectrum.n", lo=0, hi=2, widget="text")
    with pytest.raises(ValueError):  # an invalid default is a programming error
        Param("x", 5, "int", "spectrum.n", lo=0, hi=2)


def test_int_box_reads_an_integer_written_as_a_float():
    """ipywidgets' BoundedIntText dropped the "e" of a typed 1e3 (seed 13); the seed box is a
    text box read here: 1e3 is 1000 (and shown so), other text is refused with a message."""
    from ntklab.app import SpectrumDashboard

    seed = Param("seed", 0, "int", "spectrum.seed", lo=0, hi=99_999, widget="int_text")
    assert seed.parse("1e3") == 1000 and seed.parse(" 1000.0 ") == 1000  # URL text too
    box = seed.make_widget("en")
    box.set_state({"value": "1e3"})  # what the browser sends when 1e3 is typed
    assert box.value == "1000" and seed.validate(seed.widget_value(box)) == 1000
    for bad in ("1.5", "abc", "1e9", "-1"):
        box.set_state({"value": bad})
        with pytest.raises(ValueError, match=r"seed must be an integer in \[0, 99999\]"):
            seed.validate(seed.widget_value(box))
    dash = SpectrumDashboard(threaded=False, autostart=False)
    dash.set(seed=7)
    assert dash.controls["seed"].value == "7" and dash.values()["seed"] == 7
    dash.controls["seed"].set_state({"value": "1e3"})
    assert dash.values()["seed"] == 1000 and dash.error is None
    dash.controls["seed"].set_state({"value": "1.5"})
    assert "seed must be an integer" in dash.error and "'1.5'" in dash.error


def test_log_slider_keeps_a_preset_exactly():
    """The browser's log slider snaps to its grid and sends the grid value back (?s=0.3 was
    0.316): the grid now goes through the preset, and a copy off by round-off is ignored."""
    import math

    from ntklab.app import SpectrumDashboard

    dash = SpectrumDashboard(threaded=False, autostart=False)
    dash.apply_query("s=0.3", refresh=False)
    slider = dash.controls["s"]
    steps = (math.log10(0.3) - slider.min) / slider.step
    assert abs(steps - round(steps)) < 1e-9 and abs(slider.step - 0.05) < 0.01
    seen = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    # what noUiSlider sends back when it draws the handle: the grid value, in floats
    slider.set_state({"value": 10 ** (slider.min + round(steps) * slider.step)})
    assert dash.values()["s"] == 0.3 and seen == []
    # a key press moves to the next grid point, which is taken as it is
    up = 10 ** (slider.min + (round(steps) + 1) * slider.step)
    slider.set_state({"value": up})
    assert dash.values()["s"] == pytest.approx(up, rel=1e-12) and seen
    assert abs(slider.step - (math.log10(0.3) - slider.min) / round(steps)) < 1e-12
    # a width on a log slider: the integer preset is the integer used
    m = Param("m", 256, "int", "init.m", lo=16, hi=1024, widget="log_int", step=0.0753)
    widget = m.make_widget("en")
    widget.value = 100
    steps = (math.log10(100) - widget.min) / widget.step
    assert abs(steps - round(steps)) < 1e-9 and m.widget_value(widget) == 100


def test_ints_box_shows_its_label():
    """ipywidgets' IntsInput draws no description: the "show v_i" tags had no label."""
    from ntklab.app import SpectrumDashboard

    dash = SpectrumDashboard(threaded=False, autostart=False)
    box = dash.controls["vecs"]
    assert box.label.value == tr("spectrum.vecs", "en") and box.label in box.children
    dash.set(lang="zh", vecs=[2, 5])
    assert box.label.value == tr("spectrum.vecs", "zh") and box.tags.value == [2, 5]
    box.tags.set_state({"value": [1, 3]})  # typed in the browser
    assert dash.values()["vecs"] == [1, 3]


def test_strings_have_both_languages():
    for key, entry in STRINGS.items():
        assert set(LANGUAGES) <= set(entry), key
    assert tr("common.ready", "zh", seconds=1.5) == "完成（1.50 秒）。"


# --- Worker: latest wins, cancellation, errors ---------------------------------------------


def test_worker_runs_only_the_latest_job_and_cancels_the_running_one():
    worker = Worker()
    started, done, cancelled = threading.Event(), [], []

    def slow(token):
        started.set()
        for _ in range(200):
            time.sleep(0.01)
            try:
                token.check()
            except Cancelled:
                cancelled.append("slow")
                raise
        done.append("slow")

    worker.submit(slow)
    assert started.wait(5)
    for i in range(20):  # a burst: only the last one may run
        worker.submit(lambda token, i=i: done.append(i))
    assert worker.wait(10)
    assert cancelled == ["slow"] and done == [19]


def test_worker_survives_a_failing_job():
    worker = Worker()
    worker.submit(lambda token: 1 / 0)
    worker.submit(lambda token: None)
    assert worker.wait(5) and worker.idle
    inline = Worker(threaded=False)
    out = []
    inline.submit(lambda token: out.append(token.cancelled))
    assert out == [False]


def test_read_query_string_outside_voila(monkeypatch):
    import ntklab.app.dashboard as dashboard

    monkeypatch.setattr(dashboard, "_QUERY", None)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "n=3000&lang=zh")
    assert read_query_string() == "n=3000&lang=zh"
    monkeypatch.setenv("QUERY_STRING", "n=5")
    assert read_query_string() == "n=3000&lang=zh"  # cached for the kernel's lifetime


# --- CLI and import weight ---------------------------------------------------------------


def test_cli_builds_the_voila_command():
    from ntklab.app.serving.voila import voila_command
    from ntklab.cli import build_parser

    argv, cwd = voila_command(9999, open_browser=False, preheat=False)
    # Voila, with its root redirected to index.ipynb (tests/app/test_serving.py)
    assert argv[1:3] == ["-m", "ntklab.app.serving.server"]
    assert argv[3].endswith("notebooks/dashboards")
    assert "--port=9999" in argv and "--no-browser" in argv
    assert "--VoilaConfiguration.preheat_kernel=False" in argv
    assert (cwd / "voila.json").is_file()
    args = build_parser().parse_args(["app", "--port", "8000", "--no-browser"])
    assert args.port == 8000 and args.no_browser
    with pytest.raises(SystemExit):
        build_parser().parse_args(["app", "--port", "70000"])


def test_importing_the_app_adds_nothing_heavy():
    """``import ntklab.app`` adds neither plotly nor JAX to what ``import ntklab`` loads, and
    the dashboard modules add plotly/ipywidgets but never JAX."""
    code = ("import sys; import ntklab; base = 'jax' in sys.modules; import ntklab.app; "
            "a = [m for m in ('jax', 'plotly', 'ipywidgets') if m in sys.modules]; "
            "from ntklab.app import SpectrumDashboard, FrequencyDashboard; "
            "print(base, a, 'jax' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split(maxsplit=1)
    jax_from_core = out[0] == "True"
    expected = "['jax'] True" if jax_from_core else "[] False"
    assert out[1].strip() == expected, out
