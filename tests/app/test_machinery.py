"""Shared dashboard machinery (ntklab.app.controls, .worker, .dashboard's URL presets), the
experiments layer, the CLI, and that importing the app stays light."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from ntklab import eigenpairs, ntk, zero_crossings
from ntklab.app.controls import Param
from ntklab.app.dashboard import read_query_string
from ntklab.app.strings import LANGUAGES, STRINGS, tr
from ntklab.app.worker import Cancelled, Worker
from ntklab.experiments import frequency_at, frequency_view, spectrum_view

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


# --- experiments -------------------------------------------------------------------------


def test_spectrum_view_matches_direct_core_calls_and_scaling_shortcut():
    view = spectrum_view(300, kind="random", seed=3, depth=1, init_scale=2.5)
    x = np.sort(np.random.default_rng(3).uniform(-1, 1, 300))
    np.testing.assert_allclose(view.x, x)
    lam, V = eigenpairs(ntk(x, init_scale=2.5))
    np.testing.assert_allclose(view.lam, lam, rtol=1e-9, atol=1e-9 * lam[0])
    np.testing.assert_allclose(np.abs(view.V[:, :10]), np.abs(V[:, :10]), atol=1e-6)
    np.testing.assert_array_equal(view.crossings[:10], zero_crossings(V[:, :10]))
    assert not view.V.flags.writeable  # cached arrays are shared: read-only


def test_spectrum_view_started_from_a_previous_view_gives_the_same_result():
    """The dashboard passes the view shown before (other depth, s, points or n) as
    ``previous``: the result must not depend on it beyond the solver's tolerances."""
    from ntklab import experiments

    before = spectrum_view(700, depth=1)
    cases = [dict(n=700, depth=2, init_scale=0.5), dict(n=650, kind="random", seed=2),
             dict(n=900, depth=3, init_scale=2.0)]
    for case in cases:
        warm = spectrum_view(**case, previous=before)
        experiments._spectra.clear()
        cold = spectrum_view(**case)
        np.testing.assert_allclose(warm.lam, cold.lam, rtol=1e-3)  # residuals ≤ 1e-2·λ_i
        assert np.abs(np.sum(warm.V * cold.V, axis=0)).min() > 0.999
        np.testing.assert_array_equal(warm.crossings, cold.crossings)
        np.testing.assert_array_equal(warm.crossings, np.arange(40))
        before = warm
    with pytest.raises(ValueError, match="previous"):
        spectrum_view(700, previous="not a view")


def test_spectrum_view_top_k_for_large_n_and_bounds():
    view = spectrum_view(800, depth=2, init_scale=0.5)
    assert view.lam.shape == (40,) and view.V.shape == (800, 40)
    assert np.all(np.diff(view.lam) <= 0)
    np.testing.assert_array_equal(view.crossings[:10], np.arange(10))
    for bad in (dict(n=3001), dict(n=100, depth=0), dict(n=100, init_scale=0.0),
                dict(n=100, kind="sobol")):
        with pytest.raises(ValueError):
            spectrum_view(**{"n": 100, **bad})


def test_frequency_view_and_snapshot_are_consistent():
    view = frequency_view("three_sines", 64)
    assert view.x[0] == pytest.approx(-np.pi) and view.delta.shape == (view.t_grid.size,
                                                                         view.freqs.size)
    assert {1, 3, 5} <= set(view.freqs.tolist())
    early, late = frequency_at(view, 1e-3), frequency_at(view, 1e4)
    assert np.abs(late.train - view.y).max() < 1e-3 * np.abs(view.y).max()
    assert np.abs(early.alpha).sum() > np.abs(late.alpha).sum()
    # α_i(t) = α_i(0) e^{−λ_i t}
    np.testing.assert_allclose(early.alpha, early.alpha0 * np.exp(-np.clip(view.lam, 0, None)
                                                                  * 1e-3), atol=1e-10)
    # the frequency principle on this target: k = 1 converges before k = 5
    k1, k5 = list(view.freqs).index(1), list(view.freqs).index(5)
    first = lambda j: np.argmax(view.delta[:, j] < 0.1)  # noqa: E731
    assert first(k1) < first(k5)
    with pytest.raises(ValueError, match="unknown function"):
        frequency_view("__import__('os')", 32)
    with pytest.raises(ValueError):
        frequency_view("sin(x)", 501)


# --- CLI and import weight ---------------------------------------------------------------


def test_cli_builds_the_voila_command():
    from ntklab.cli import build_parser, voila_command

    argv, cwd = voila_command(9999, open_browser=False, preheat=False)
    assert argv[1:3] == ["-m", "voila"] and argv[3].endswith("notebooks/dashboards")
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
