"""Exercise 7's checks (ntklab.checks): they accept right answers and refuse wrong ones,
against references written here (numpy solves, ntklab.cntk, ntklab.train_images)."""

import numpy as np
import pytest

import ntklab
from ntklab import checks


def _right_predict(k_train, k_test, y_train):
    return np.asarray(k_test) @ np.linalg.solve(np.asarray(k_train), np.asarray(y_train))


def test_kernel_predict_checks():
    checks.check_kernel_predict_shape(_right_predict)
    checks.check_kernel_predict(_right_predict)
    # the inverse, formed explicitly, is right too (only less stable)
    checks.check_kernel_predict(lambda a, b, y: np.asarray(b) @ np.linalg.inv(a) @ y)
    with pytest.raises(AssertionError, match="interpolates"):
        checks.check_kernel_predict_shape(lambda a, b, y: np.asarray(b) @ np.asarray(y))
    with pytest.raises(AssertionError):
        checks.check_kernel_predict_shape(lambda a, b, y: _right_predict(a, b, y).T)
    with pytest.raises(AssertionError, match="1-D"):
        checks.check_kernel_predict(
            lambda a, b, y: _right_predict(a, b, np.asarray(y).reshape(len(y), -1)))
    with pytest.raises(AssertionError, match="must be a function"):
        checks.check_kernel_predict_shape(3.0)


@pytest.fixture(scope="module")
def digits():
    (xtr, ytr), (xte, yte) = ntklab.shifted_digits(n_train=30, n_test=30, seed=0)
    return xtr, ytr, xte, yte


def _kernel_acc(digits, pooling):
    xtr, ytr, xte, yte = digits
    out = _right_predict(ntklab.cntk(xtr, pooling=pooling), ntklab.cntk(xte, xtr, pooling=pooling),
                         ntklab.onehot_targets(ytr))
    return float(np.mean(np.argmax(out, axis=1) == yte))


def test_kernel_accuracy_checks(digits):
    acc = {p: _kernel_acc(digits, p) for p in ("gap", "flatten")}
    checks.check_kernel_accuracies(acc, *digits)
    with pytest.raises(AssertionError, match="between 0 and 1"):
        checks.check_kernel_accuracies_shape({p: 100 * v for p, v in acc.items()})
    with pytest.raises(AssertionError, match="no entry 'flatten'"):
        checks.check_kernel_accuracies_shape({"gap": acc["gap"]})
    one_more = {**acc, "gap": acc["gap"] + 1 / 30 if acc["gap"] < 0.9 else acc["gap"] - 1 / 30}
    with pytest.raises(AssertionError, match="depth-1 CNTK"):
        checks.check_kernel_accuracies(one_more, *digits)


def test_cnn_comparison_checks(digits):
    xtr, ytr, xte, yte = digits
    res = ntklab.train_images(xtr, ytr, xte, yte, arch="cnn", width=8, pooling="flatten",
                              loss="cross_entropy", optimizer="momentum", steps=20, seed=0,
                              linearization=False)
    acc_cnn = float(res.accuracy_net[-1])
    acc = {"gap": 0.5, "flatten": acc_cnn + 0.1}
    checks.check_cnn_comparison(acc_cnn, True, acc, xtr, ytr, xte, yte, 8, 20)
    with pytest.raises(AssertionError, match="should be True"):
        checks.check_cnn_comparison(acc_cnn, False, acc, xtr, ytr, xte, yte, 8, 20)
    with pytest.raises(AssertionError, match="gets"):
        checks.check_cnn_comparison(acc_cnn + 0.2, True, acc, xtr, ytr, xte, yte, 8, 20)
    with pytest.raises(AssertionError, match="True or False"):
        checks.check_cnn_comparison_shape(acc_cnn, "yes")
    with pytest.raises(AssertionError, match="between 0 and 1"):
        checks.check_cnn_comparison_shape(100 * acc_cnn, True)
