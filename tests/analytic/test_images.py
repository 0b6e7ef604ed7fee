"""The offline image data (ntklab.load_digits, ntklab.shifted_digits) and the class targets."""

import numpy as np
import pytest

import ntklab


def test_load_digits_is_scikit_learns_bundled_set():
    from sklearn.datasets import load_digits

    x, y = ntklab.load_digits()
    ref = load_digits()
    assert x.shape == (1797, 8, 8) and x.dtype == np.float64
    assert y.shape == (1797,) and np.issubdtype(y.dtype, np.integer)
    np.testing.assert_array_equal(x, ref.images / 16)  # scikit-learn's order
    np.testing.assert_array_equal(y, ref.target)
    assert x.min() == 0.0 and x.max() == 1.0
    x[0, 0, 0] = 5.0  # a copy: the cached data stay as they were
    assert ntklab.load_digits().images[0, 0, 0] == 0.0


def test_classes_keep_scikit_learns_order():
    x, y = ntklab.load_digits(classes=(8, 3))
    full_x, full_y = ntklab.load_digits()
    keep = (full_y == 3) | (full_y == 8)
    np.testing.assert_array_equal(x, full_x[keep])
    np.testing.assert_array_equal(y, full_y[keep])


def test_split_is_seeded_stratified_and_disjoint():
    (xtr, ytr), (xte, yte) = split = ntklab.load_digits(n_train=200, n_test=100, seed=5)
    assert isinstance(split, ntklab.ImageSplit) and isinstance(split.train, ntklab.ImageSet)
    assert xtr.shape == (200, 8, 8) and xte.shape == (100, 8, 8)
    sizes = np.bincount(ntklab.load_digits().labels)
    # each class in proportion: the training set to ±1, the test set (in proportion to what
    # is left of each class) to ±1.5
    for labels, n, tol in ((ytr, 200, 1.0), (yte, 100, 1.5)):
        assert np.all(np.abs(np.bincount(labels, minlength=10) - n * sizes / sizes.sum()) < tol)
    again = ntklab.load_digits(n_train=200, n_test=100, seed=5)
    np.testing.assert_array_equal(again.train.images, xtr)
    np.testing.assert_array_equal(again.test.labels, yte)
    other = ntklab.load_digits(n_train=200, n_test=100, seed=6)
    assert not np.array_equal(other.train.labels, ytr)
    # the same split of noisy copies (every image unique): train and test never share one
    (ntr, _), (nte, _) = ntklab.shifted_digits(n_train=200, n_test=100, seed=5, noise=0.1)
    rows_tr = {row.tobytes() for row in ntr.reshape(200, -1)}
    assert len(rows_tr) == 200
    assert not rows_tr & {row.tobytes() for row in nte.reshape(100, -1)}


def test_one_size_takes_the_rest_and_tiny_splits_work():
    (xtr, _), (xte, _) = ntklab.load_digits(classes=(3, 8), n_train=100)
    assert xtr.shape[0] == 100 and xte.shape[0] == 183 + 174 - 100
    (xtr, _), (xte, _) = ntklab.load_digits(n_test=97)
    assert xtr.shape[0] == 1797 - 97 and xte.shape[0] == 97
    (_, ytr), _ = ntklab.load_digits(n_train=5, n_test=3)  # fewer images than classes
    assert len(set(ytr.tolist())) == 5


def test_shifted_digits_are_shifted_noisy_copies():
    x, y = ntklab.load_digits()
    moved, labels = ntklab.shifted_digits(shift=1, noise=0.0, seed=3)
    np.testing.assert_array_equal(labels, y)
    pad = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    candidates = np.stack([pad[:, 1 - dy:9 - dy, 1 - dx:9 - dx]
                           for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=1)
    matches = np.all(candidates == moved[:, None], axis=(2, 3))
    assert matches.any(axis=1).all()  # each one of the nine shifts of its digit
    assert matches[:, 4].mean() < 0.3  # (dy, dx) = (0, 0) for about 1 in 9, or equal shifts
    noisy, _ = ntklab.shifted_digits(seed=3)  # the defaults: shift 1, noise 0.25
    assert 0.0 <= noisy.min() and noisy.max() <= 1.0
    assert 0.15 < np.std(noisy - moved) < 0.3  # the same shifts, plus (clipped) noise
    np.testing.assert_array_equal(ntklab.shifted_digits(seed=3).images, noisy)
    np.testing.assert_array_equal(ntklab.shifted_digits(shift=0, noise=0.0).images, x)
    # an image's perturbation does not depend on what else is selected
    sub, sub_labels = ntklab.shifted_digits(classes=(1, 7), seed=3)
    np.testing.assert_array_equal(sub, noisy[(y == 1) | (y == 7)])
    # and a split picks the same digits as load_digits' split of the same seed
    split = ntklab.shifted_digits(n_train=50, n_test=50, seed=9)
    np.testing.assert_array_equal(split.train.labels,
                                  ntklab.load_digits(n_train=50, n_test=50, seed=9).train.labels)


def _accuracy(data, **kw):
    (xtr, ytr), (xte, yte) = data
    k = ntklab.cntk(xtr, **kw)
    alpha = np.linalg.solve(k + 1e-6 * np.trace(k) / len(k) * np.eye(len(k)),
                            ntklab.onehot_targets(ytr))
    return np.mean(np.argmax(ntklab.cntk(xte, xtr, **kw) @ alpha, axis=1) == yte)


def test_the_harder_task_is_harder_where_the_module_says():
    """The reason for shifted_digits, at a small size (80 + 80, depth 1): clean digits are
    easy for a fixed-position kernel; after the shifts that kernel falls far, and global
    average pooling keeps clearly more."""
    clean = ntklab.load_digits(n_train=80, n_test=80)
    hard = ntklab.shifted_digits(n_train=80, n_test=80)
    flat_clean = _accuracy(clean, pooling="flatten")
    flat_hard = _accuracy(hard, pooling="flatten")
    gap_hard = _accuracy(hard, pooling="gap")
    assert flat_clean >= 0.8
    assert flat_hard <= flat_clean - 0.3
    assert gap_hard >= flat_hard + 0.1


def test_targets():
    np.testing.assert_array_equal(ntklab.binary_targets(np.array([3, 8, 8]), (3, 8)),
                                  [-1.0, 1.0, 1.0])
    np.testing.assert_array_equal(ntklab.binary_targets([3, 8], (8, 3)), [1.0, -1.0])
    _, y = ntklab.load_digits()
    t = ntklab.onehot_targets(y[:50])
    assert t.shape == (50, 10)
    np.testing.assert_allclose(t.sum(axis=1), 0.0, atol=1e-15)  # centred
    np.testing.assert_allclose(t[np.arange(50), y[:50]], 0.9)  # Lee et al.'s 0.9 / −0.1
    assert np.sum(np.isclose(t, -0.1)) == 50 * 9
    plain = ntklab.onehot_targets(y[:50], centered=False)
    np.testing.assert_array_equal(plain.argmax(axis=1), y[:50])
    np.testing.assert_array_equal(plain.sum(axis=1), 1.0)
    np.testing.assert_array_equal(ntklab.onehot_targets([8, 3], classes=(3, 8)),
                                  [[-0.5, 0.5], [0.5, -0.5]])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ntklab.binary_targets([3, 5], (3, 8)), "labels must all be"),
        (lambda: ntklab.binary_targets([3, 8], (3, 3)), "different"),
        (lambda: ntklab.binary_targets([3, 8], 3), "pair"),
        (lambda: ntklab.binary_targets([3.0, 8.0], (3, 8)), "integers"),
        (lambda: ntklab.onehot_targets([[1, 2]]), "1-D"),
        (lambda: ntklab.onehot_targets([], classes=(0, 1)), "non-empty"),
        (lambda: ntklab.onehot_targets([4], classes=(0, 1)), "not one of"),
        (lambda: ntklab.onehot_targets([0], classes=(0,)), "at least two"),
        (lambda: ntklab.load_digits(classes=(3,)), "classes"),
        (lambda: ntklab.load_digits(classes=(3, 3)), "classes"),
        (lambda: ntklab.load_digits(classes=(3, 10)), "classes"),
        (lambda: ntklab.load_digits(classes=(True, 3)), "classes"),
        (lambda: ntklab.load_digits(classes=3), "classes"),
        (lambda: ntklab.load_digits(n_train=0), "n_train"),
        (lambda: ntklab.load_digits(n_train=1797), "n_train"),
        (lambda: ntklab.load_digits(n_train=1.5), "n_train"),
        (lambda: ntklab.load_digits(n_train=1000, n_test=900), "at most 1797"),
        (lambda: ntklab.load_digits(n_test=-1), "n_test"),
        (lambda: ntklab.load_digits(n_train=10, seed=-1), "seed"),
        (lambda: ntklab.shifted_digits(shift=4), "shift"),
        (lambda: ntklab.shifted_digits(shift=-1), "shift"),
        (lambda: ntklab.shifted_digits(noise=-0.1), "noise"),
        (lambda: ntklab.shifted_digits(noise=3.0), "noise"),
        (lambda: ntklab.shifted_digits(noise="a"), "noise"),
        (lambda: ntklab.shifted_digits(noise=float("nan")), "noise"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
