"""The frequency claim's experiments (ntklab.experiments.frequency): the linearized model's
view, a trained finite net on the same grid, residual decay and decay rates."""

from __future__ import annotations

import numpy as np
import pytest

from ntklab import apply, init_params
from ntklab.experiments import frequency as ex
from ntklab.experiments.frequency import frequency_at, frequency_view
from ntklab.figures.frequency import frequency_bands_fig


@pytest.fixture(scope="module")
def view():
    return ex.frequency_view("three_sines", 32)  # sin x + sin 3x + sin 5x on [−π, π]


@pytest.fixture(scope="module")
def net(view):
    return ex.frequency_finite(view, 0.5, width=64)


def test_strongest_freqs_are_the_target_sines(view):
    cols = ex.strongest_freqs(view)
    assert view.freqs[cols].tolist() == [1, 3, 5]


def test_finite_net_records_shapes_and_starts_at_init(view, net):
    R, F = net.t.shape[0], view.freqs.shape[0]
    assert net.f_train.shape == (R, 32) and net.f_test.shape == (R, 400)
    assert net.delta.shape == (R, F) and np.array_equal(net.freqs, view.freqs)
    assert net.t[0] == 0 and np.all(np.diff(net.t) > 0)
    np.testing.assert_allclose(net.t, net.lr * net.steps)
    assert net.completed and not net.capped and not net.diverged
    assert 0.5 <= net.t_reached < 0.5 + net.lr  # steps = ⌈t_end/η⌉
    # the first record is the net at init (f_0 ≠ 0), evaluated by the model itself
    f0 = np.asarray(apply(init_params(0, 64), np.concatenate([view.x, view.x_test])))
    np.testing.assert_allclose(np.r_[net.f_train[0], net.f_test[0]], f0, atol=1e-5)
    assert np.all(np.isfinite(net.f_test)) and np.all(np.isfinite(net.delta))
    # the records sit on the view's time grid, rounded to whole steps
    on_grid = np.round(view.t_grid[view.t_grid <= 0.5] / net.lr)
    assert set(on_grid.astype(int)) <= set(net.steps.tolist())
    assert net.index_at(0.0) == 0 and net.index_at(net.t_end) == R - 1
    assert net.index_at(1e3) == R - 1 and net.t[net.index_at(0.1)] <= 0.1 + net.lr / 2


def test_finite_net_learns_the_lowest_frequency_first(view, net):
    k1, _, k5 = ex.strongest_freqs(view)
    d1, d5 = net.delta[:, k1], net.delta[:, k5]
    assert d1[-1] < 0.5 * d1[1] and d1[-1] < 0.5 * d1[0]  # Δ_1 falls
    assert d1[-1] < 0.5 * d5[-1]  # ... well before Δ_5


def test_finite_net_is_capped_by_the_work_budget(view):
    # 10 steps of width 64 on 32 points: 6 · 32 · 192 multiply-adds each
    net = ex.frequency_finite(view, 100.0, width=64, budget=6.0 * 32 * 192 * 10)
    assert net.capped and net.completed and net.steps[-1] == 10
    assert net.t_reached == pytest.approx(10 * net.lr) and net.t_reached < net.t_end == 100.0
    with pytest.raises(ValueError, match="budget"):  # not even one step: refused
        ex.frequency_finite(view, 1.0, width=64, budget=1.0)
    big = ex.frequency_finite(view, steps=30, width=64, budget=None)  # a notebook: no cap
    assert not big.capped and big.steps[-1] == 30
    assert big.t_end == pytest.approx(30 * big.lr) and big.weight_change.shape == big.t.shape
    with pytest.raises(ValueError, match="exactly one"):
        ex.frequency_finite(view, 1.0, steps=10)


@pytest.mark.parametrize("kwargs, name", [
    (dict(t_end=0.0), "t_end"), (dict(t_end=-1.0), "t_end"), (dict(t_end=np.nan), "t_end"),
    (dict(t_end=1e5), "t_end"), (dict(t_end=1.0, width=0), "width"),
    (dict(t_end=1.0, width=2.5), "width"), (dict(t_end=1.0, seed=-1), "seed"),
])
def test_finite_net_rejects_bad_inputs(view, kwargs, name):
    with pytest.raises(ValueError, match=name):
        ex.frequency_finite(view, **kwargs)


def test_finite_net_needs_a_view():
    with pytest.raises(ValueError, match="view"):
        ex.frequency_finite("three_sines", 1.0)
    with pytest.raises(ValueError, match="view"):
        ex.strongest_freqs(None)


def test_bands_figure_keeps_its_traces(view, net):
    cols = ex.strongest_freqs(view)
    lin = frequency_bands_fig(view.t_grid, view.delta[:, cols], view.freqs[cols], t_now=1.0)
    both = frequency_bands_fig(view.t_grid, view.delta[:, cols], view.freqs[cols],
                               t_net=net.t, delta_net=net.delta[:, cols], t_now=1.0)
    assert len(lin.data) == len(both.data) == 6
    assert [len(tr.x) for tr in lin.data[1::2]] == [0, 0, 0]
    solid = both.data[1::2]
    assert all(tr.line.dash is None and len(tr.x) == net.t.shape[0] - 1 for tr in solid)
    assert all(tr.line.dash == "dash" for tr in both.data[0::2])
    one = frequency_bands_fig(view.t_grid, view.delta[:, :1], view.freqs[:1])
    assert len(one.data) == 6 and [tr.visible for tr in one.data][2:] == [False] * 4


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


def test_residual_decay_rates_approach_the_eigenvalues():
    r = ex.residual_decay(n=100, steps=200)
    # GD multiplies α_i by (1 − ηλ_i) per step: the measured rate is −log(1 − ηλ_i)/η
    np.testing.assert_allclose(r.rates, -np.log1p(-r.lr * r.lam) / r.lr, rtol=1e-6)
    np.testing.assert_allclose(r.measured[:, 2], r.predicted[:, 2], rtol=2e-2)
    num = ex.summary(r)
    assert num["indices"] == [1, 2, 3, 4, 5] and min(num["rate_over_lam"]) >= 1.0


def test_decay_rates_fall_with_frequency_and_fit_the_theory():
    d = ex.frequency_decay_rates(xi=(1, 2, 3, 4, 6, 8), n=101)
    assert np.all(np.diff(d.rate) < 0) and d.slope < -1.5 and d.c1 >= 0 and d.c2 >= 0
    # the fitted power law is the least-squares line through the measured rates
    slope, icpt = np.polyfit(np.log(d.xi), np.log(d.rate), 1)
    np.testing.assert_allclose(d.fit, np.exp(icpt) * d.xi**slope, rtol=1e-9)
    assert d.slope == pytest.approx(slope)


def test_time_below():
    t = np.array([1.0, 2.0, 3.0])
    delta = np.array([[1.0, 0.5], [0.05, 0.5], [0.01, 0.5]])
    out = ex.time_below(t, delta, 0.1)
    assert out[0] == 2.0 and np.isnan(out[1])


# --- Δ_k over one period, and the claims the Frequency captions make ---------------------
def _names(claims):
    return {c.name.split(".", 1)[1]: c for c in claims}


@pytest.mark.parametrize("target, n, rows", [
    ("three_sines", 200, [1, 3, 5]),
    ("three_sines_weighted", 208, [1, 3, 5]),  # reported: a leaked k = 2 stayed yellow
    ("sin(2*pi*x) + 0.5*sin(7*pi*x)", 200, [2, 7]),  # the old typed default: k = 6 rose to 3
    ("step", 128, list(range(1, 32, 2))),  # odd harmonics only
])
def test_rows_are_the_targets_frequencies(target, n, rows):
    """The DFT over one period (the two ends of the grid merged) puts a sine with k periods
    in bin k: no leaked rows, no relative error far above 1. Over all n points the sines
    leaked 1–4 % of the largest into their neighbours, whose Δ_k rose to 3–20."""
    view = frequency_view(target, n)
    assert view.freqs.tolist() == rows
    assert view.delta.max() < 1.1


def test_passage_times_interpolate_between_records():
    t = np.array([0.0, 1.0, 100.0, 1e4])
    delta = np.array([[1.0, 1.0, 1.0], [1.0, 0.5, 1.0], [0.01, 0.05, 1.0], [0.0, 0.0, 0.5]])
    got = ex.passage_times(t, delta, 0.1)
    assert got[0] == pytest.approx(10.0)  # Δ = 1/t between t = 1 and 100: log-log exact
    assert 1.0 < got[1] < 100.0 and got[2] == np.inf
    assert ex.passage_times(t, np.array([[0.2], [0.0], [0.0], [0.0]]))[0] == pytest.approx(0.5)


def test_claims_hold_for_the_classic_demo():
    view = frequency_view("three_sines", 200)
    got = _names(ex.claims(view, frequency_at(view, 2.0)))
    assert all(c.holds for c in got.values()) and "net_low_first" not in got
    times = got["low_first"].values["times"]
    assert got["low_first"].values["freqs"] == (1, 3, 5) and times[0] < times[1] < times[2]
    assert times == pytest.approx(tuple(ex.passage_times(view.t_grid, view.delta)))
    assert got["outline_first"].values["learnt"] == (1, 3)
    assert got["outline_first"].values["pending"] == (5,)
    assert got["small_i_first"].values["last_gone"] < got["small_i_first"].values["first_kept"]


def test_claims_fail_where_the_page_does_not_show_them():
    view = frequency_view("three_sines", 200)
    for t, state in [(1e-4, "early"), (1e4, "done")]:
        got = _names(ex.claims(view, frequency_at(view, t)))
        assert not got["outline_first"].holds and got["outline_first"].values["state"] == state
        assert not got["small_i_first"].holds and got["small_i_first"].values["state"] == state
    # a step on 64 points: aliasing puts a weak k = 16 (1 % of |ŷ_1|) among the rows, and
    # it is learnt after k = 17
    step = frequency_view("step", 64)
    got = _names(ex.claims(step, frequency_at(step, 2.0)))
    low = got["low_first"]
    assert not low.holds and (low.values["k_low"], low.values["k_high"]) == (16, 17)
    assert low.values["weak"] and low.values["weight"] < ex.WEAK
    with pytest.raises(ValueError, match="snapshot"):
        ex.claims(step, frequency_at(view, 2.0))


def test_net_claim_orders_unlearnt_frequencies_by_their_final_error(view, net):
    got = _names(ex.claims(view, frequency_at(view, 0.5), net))["net_low_first"]
    times, final = got.values["times"], got.values["final"]
    assert got.values["freqs"] == (1, 3, 5) and got.values["width"] == 64
    assert got.holds == (np.isfinite(times[0]) and final[1] < final[2])
    assert ex._in_order([1, 3], [np.inf, 1.0], [0.5, 0.0]) == (False, (0, 1))
    assert ex._in_order([1, 3], [1.0, np.inf], [0.0, 0.5])[0]
    assert not ex._in_order([1, 3], [np.inf, np.inf], [0.5, 0.3])[0]
