"""Exercise 8's checks (ntklab.checks) as plain functions: the references pass, plausible wrong
answers fail (the full list of wrong answers is in tests/test_graders.py)."""

import numpy as np
import pytest

import ntklab
from ntklab import checks


def test_semicircle_checks():
    checks.check_semicircle(ntklab.semicircle_pdf)
    with pytest.raises(AssertionError, match="integrates"):
        checks.check_semicircle_shape(lambda lam: 2 * ntklab.semicircle_pdf(lam))
    with pytest.raises(AssertionError, match="differs"):
        checks.check_semicircle(lambda lam: 2 / np.pi * np.sqrt(np.clip(1 - np.asarray(lam) ** 2,
                                                                         0, None)))
    with pytest.raises(AssertionError, match="None"):
        checks.check_semicircle_shape(lambda lam: None)


def test_ks_checks():
    from scipy.stats import kstest

    def ref(sample):
        return kstest(sample, ntklab.semicircle_cdf).statistic

    checks.check_ks(ref)
    with pytest.raises(AssertionError, match=r"0\.5"):
        checks.check_ks_shape(lambda sample: 0.0)

    def one_sided(sample):
        e = np.sort(sample)
        return float(np.max(np.arange(1, e.size + 1) / e.size - ntklab.semicircle_cdf(e)))

    with pytest.raises(AssertionError, match="KS distance"):
        checks.check_ks(one_sided)


def test_rnn_variance_checks():
    checks.check_rnn_variance(lambda x, s: float(ntklab.rnn_nngp(np.atleast_2d(x),
                                                                 init_scale=s)[0, 0]))
    with pytest.raises(AssertionError, match="two-layer"):
        checks.check_rnn_variance_shape(lambda x, s: s**2 * (x[-1] ** 2 + 1))
    with pytest.raises(AssertionError, match="expected"):  # right at T = 1, wrong later
        checks.check_rnn_variance(lambda x, s: s**4 * (x[-1] ** 2 + 1) / 2)
