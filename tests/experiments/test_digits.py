"""The digits claim module (ntklab.experiments.digits) at small sizes: a run and its claims,
the sign of the width slope, the sweeps' protocol, texts in both languages, refused input."""

import numpy as np
import pytest

from ntklab.analytic.validate import Refusal
from ntklab.app.strings import STRINGS, tr
from ntklab.experiments import digits as D

# (the run, the width sweep's 512 and the size sweep's n = 60 share shapes and the number of
# steps per compiled call, so they share compiled programs)
SMALL = dict(n_train=60, n_test=60, steps=60, record_every=30)


@pytest.fixture(scope="module")
def run():
    return D.digits_run(width=512, **SMALL)


@pytest.fixture(scope="module")
def width_sweep():
    return D.gap_vs_width((16, 512), n_train=60, n_test=60, steps=60)


def test_run_records_and_summary(run):
    r = run.result
    assert r.steps.tolist() == [0, 30, 60] and r.arch == "mlp" and r.width == 512
    assert run.shown_images.shape == (D.SHOWN_DIGITS, 8, 8)
    assert set(run.shown_labels.tolist()) <= {3, 8}
    s = D.summary(run)
    assert s["same_predictions"] == pytest.approx(np.mean(
        np.sign(r.test_outputs_net) == np.sign(r.test_outputs_lin)))
    assert s["relative_gap"] == pytest.approx(
        r.rmse_net_lin[-1] / np.sqrt(np.mean(r.test_outputs_net ** 2)))
    assert 0.45 <= s["chance"] <= 0.55  # 3 against 8: balanced


def test_claims_at_small_sizes(run):
    """A 512-wide MLP on 60 digits for 60 steps learns 3 against 8 and stays as accurate
    as its linearization."""
    got = {c.name: c for c in D.claims(run)}
    assert set(got) == {"digits.agree", "digits.same_accuracy", "digits.learns"}
    assert got["digits.learns"].holds and got["digits.same_accuracy"].holds
    assert got["digits.agree"].values["percent"] < 25


def test_gap_falls_with_width(width_sweep, run):
    """From width 16 to 512 the gap falls (the slope's sign); every width took one step."""
    assert width_sweep.values.tolist() == [16, 512]
    assert width_sweep.slope < 0 and width_sweep.slope_weight_change < 0
    assert np.all(width_sweep.lr == width_sweep.lr[0, 0])
    np.testing.assert_allclose(np.log(width_sweep.fitted), np.log(width_sweep.rmse[0]))
    names = {c.name: c for c in D.claims(run, width_sweep)}
    assert names["digits.gap_falls"].holds


def test_gap_vs_n_protocol(run):
    res = D.gap_vs_n((30, 60), width=512, n_test=60, steps=60)
    assert res.variable == "n_train" and res.values.tolist() == [30, 60]
    assert res.lr[0, 1] < res.lr[0, 0]  # each n its own 1/λ_max, smaller for more digits
    assert np.isfinite(res.slope)
    assert "digits.gap_grows_with_n" in {c.name for c in D.claims(run, None, res)}


def test_texts_in_both_languages(run, width_sweep):
    for claim in D.claims(run, width_sweep):
        for answer in ("yes", "no"):
            key = f"{claim.name.replace('digits.', 'claim.digits.')}.{answer}"
            assert set(STRINGS[key]) == {"en", "zh"}
            for lang in ("en", "zh"):
                assert tr(key, lang, **claim.values)


def test_ten_digits_targets():
    """All ten digits: centred one-hot targets for MSE, the labels for cross-entropy (the
    trainer itself is tested with both in tests/finite/test_images_nets.py)."""
    (xtr, ytr), (xte, yte) = D._split("ten digits", 50, 40)
    assert xtr.shape == (50, 8, 8) and xte.shape == (40, 8, 8)
    t = D._targets("ten digits", "mse", ytr)
    assert t.shape == (50, 10) and np.allclose(t.sum(1), 0.0)
    assert np.array_equal(D._targets("ten digits", "cross_entropy", ytr), ytr)
    assert set(D._targets("3 vs 8", "mse", np.array([3, 8]))) == {-1.0, 1.0}


def test_bad_input():
    with pytest.raises(ValueError, match="task must be one of"):
        D.digits_run(task="letters")
    with pytest.raises(ValueError, match="n_train must be an integer"):
        D.digits_run(n_train=400)  # 357 threes and eights in all
    with pytest.raises(ValueError, match="widths must hold at least 2"):
        D.gap_vs_width((64,))
    with pytest.raises(ValueError, match="arch must be"):
        D.gap_vs_n(arch="rnn")
    with pytest.raises(Refusal, match="sweep"):
        D.gap_vs_width((4096, 8192), steps=5000)
    with pytest.raises(ValueError, match="no summary"):
        D.summary(3)


def test_figures(run, width_sweep):
    from ntklab.figures import digits as F

    assert len(F.accuracy_fig(run).data) == 4 and len(F.loss_fig(run).data) == 4
    assert len(F.gap_over_time_fig(run).data) == 2
    fig = F.digits_fig(run, count=3)
    assert len(fig.data) == 1 and len(fig.layout.annotations) == 3
    sweep = F.gap_sweep_fig(width_sweep)
    assert len(sweep.data) == 3 and f"{width_sweep.slope:+.2f}" in sweep.data[1].name
    assert len(F.gap_sweep_fig(None).data) == 3
