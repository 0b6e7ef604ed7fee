"""Images at teaching scale, offline: scikit-learn's bundled handwritten digits, a harder
variant generated from them, and the targets for regression on class labels.

* :func:`load_digits`: the 1,797 digits of scikit-learn (8×8, 10 classes, shipped inside
  the package: nothing is downloaded), pixels scaled to [0, 1].
* :func:`shifted_digits`: the same digits, each moved by a random whole-pixel shift
  (zero fill, what leaves the frame is cut) and given Gaussian pixel noise. Why: on the
  clean digits kernel regression reaches 97–99 % with every kernel and depth, so a
  comparison of kernels says little; after a random shift a pixel no longer means the same
  place in every image, which the fixed-position kernels (fully connected, CNN with
  flatten) cannot undo and a CNN with global average pooling partly can (the digits
  analogue of Arora et al.'s observation that pooling helps), and the noise lowers the
  ceiling. Same 8×8 size as the digits, so every kernel costs the same on both.
* :func:`binary_targets` (±1, e.g. 3 against 8, the analogue of Lee et al.'s horse against
  plane) and :func:`onehot_targets` (one-hot, centred as Lee et al. do for the MSE loss:
  1 − 1/k for the true class and −1/k for the others).

Splits are seeded and stratified: each class is split in proportion to its size (largest
remainders), so that even 50 training images hold every class.
"""

from __future__ import annotations

import functools
import numbers
from typing import NamedTuple

import numpy as np

from .validate import as_int

__all__ = [
    "DIGIT_CLASSES",
    "ImageSet",
    "ImageSplit",
    "binary_targets",
    "load_digits",
    "onehot_targets",
    "shifted_digits",
]

DIGIT_CLASSES = tuple(range(10))
MAX_SHIFT = 3
MAX_NOISE = 2.0


class ImageSet(NamedTuple):
    """Images of shape (n, H, W), float64 in [0, 1], and their integer labels (n,)."""

    images: np.ndarray
    labels: np.ndarray


class ImageSplit(NamedTuple):
    """A train/test split: ``(x_train, y_train), (x_test, y_test) = split``."""

    train: ImageSet
    test: ImageSet


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits (read from the CSV inside the package), read-only."""
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    images = bunch.images / 16.0  # pixels are the integers 0..16: exact in binary
    labels = bunch.target.astype(np.int64)
    images.flags.writeable = labels.flags.writeable = False
    return images, labels


def _classes(classes) -> tuple[int, ...]:
    if classes is None:
        return DIGIT_CLASSES
    try:
        values = tuple(classes)
    except TypeError as exc:
        raise ValueError(f"classes must be a sequence of digits 0-9, got {classes!r}") from exc
    if (len(values) < 2 or len(set(values)) != len(values)
            or not all(isinstance(c, numbers.Integral) and not isinstance(c, bool)
                       and 0 <= c <= 9 for c in values)):
        raise ValueError(f"classes must be at least two distinct digits 0-9, got {classes!r}")
    return tuple(int(c) for c in values)


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total`` (ties: the first class)."""
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


def _select(images, labels, classes, n_train, n_test, seed):
    keep = np.isin(labels, classes)
    images, labels = images[keep], labels[keep]
    if n_train is None and n_test is None:
        return ImageSet(images.copy(), labels.copy())
    n = labels.shape[0]
    if n_train is None:
        n_test = as_int(n_test, "n_test", 1, n - 1)
        n_train = n - n_test
    elif n_test is None:
        n_train = as_int(n_train, "n_train", 1, n - 1)
        n_test = n - n_train
    else:
        n_train = as_int(n_train, "n_train", 1, n - 1)
        n_test = as_int(n_test, "n_test", 1, n - 1)
        if n_train + n_test > n:
            raise ValueError(f"n_train + n_test must be at most {n} (the images of classes "
                             f"{classes}), got {n_train} + {n_test}")
    rng = np.random.default_rng(as_int(seed, "seed", 0, 2**63 - 1))
    members = [rng.permutation(np.flatnonzero(labels == c)) for c in classes]
    sizes = np.array([m.shape[0] for m in members])
    per_train = _largest_remainder(n_train, sizes)
    per_test = _largest_remainder(n_test, sizes - per_train)  # ≤ what is left of each class
    train = np.concatenate([m[:a] for m, a in zip(members, per_train, strict=True)])
    test = np.concatenate([m[a:a + b] for m, a, b in zip(members, per_train, per_test,
                                                         strict=True)])
    train, test = rng.permutation(train), rng.permutation(test)
    return ImageSplit(ImageSet(images[train], labels[train]),
                      ImageSet(images[test], labels[test]))


def load_digits(*, classes=None, n_train=None, n_test=None, seed=0):
    """scikit-learn's handwritten digits: images (n, 8, 8) in [0, 1] and integer labels.

    Args:
        classes: the digits to keep, e.g. ``(3, 8)``; ``None`` keeps all ten. Labels stay
            the digits themselves (see :func:`binary_targets`, :func:`onehot_targets`).
        n_train, n_test: sizes of a seeded, stratified train/test split (one of them may
            be ``None``: the rest of the images). Without either, all images of the classes
            are returned in scikit-learn's order, as an :class:`ImageSet`.
        seed: the split's seed.

    Returns:
        ``ImageSet(images, labels)``, or ``ImageSplit(train, test)`` when a size is given:
        ``(x_train, y_train), (x_test, y_test) = load_digits(n_train=500, n_test=500)``.

    >>> x, y = load_digits()
    >>> x.shape, float(x.min()), float(x.max()), y[:5].tolist()
    ((1797, 8, 8), 0.0, 1.0, [0, 1, 2, 3, 4])
    >>> (xtr, ytr), (xte, yte) = load_digits(classes=(3, 8), n_train=100, n_test=50)
    >>> xtr.shape, np.bincount(ytr)[[3, 8]].tolist()  # 183 threes and 174 eights in all
    ((100, 8, 8), [51, 49])
    """
    images, labels = _digits()
    return _select(images, labels, _classes(classes), n_train, n_test, seed)


def _perturb(images: np.ndarray, shift: int, noise: float, seed) -> np.ndarray:
    """Each image moved by (dy, dx), uniform in [−shift, shift]², zero fill, plus
    N(0, noise²) per pixel, clipped to [0, 1]."""
    rng = np.random.default_rng(seed)
    n, h, w = images.shape
    dy, dx = rng.integers(-shift, shift + 1, size=(2, n))
    padded = np.zeros((n, h + 2 * shift, w + 2 * shift))
    padded[:, shift:shift + h, shift:shift + w] = images
    # out[i, r, c] = images[i, r − dy, c − dx] (zero outside): a window of the padded image
    windows = np.lib.stride_tricks.sliding_window_view(padded, (h, w), axis=(1, 2))
    out = windows[np.arange(n), shift - dy, shift - dx].copy()
    if noise > 0:
        out += noise * rng.standard_normal(out.shape)
        np.clip(out, 0.0, 1.0, out=out)
    return out


def shifted_digits(*, classes=None, n_train=None, n_test=None, seed=0, shift=1, noise=0.25):
    """The harder task: the digits of :func:`load_digits`, each moved by a random whole-pixel
    shift of up to ``shift`` in each direction (zero fill; what leaves the 8×8 frame is cut)
    and given Gaussian pixel noise of standard deviation ``noise``, clipped to [0, 1].

    Generated here from the bundled digits, never downloaded; the same ``seed`` gives the
    same images and the same split (the split is :func:`load_digits`' split of the same
    seed: the same digits, clean there and perturbed here). See the module docstring for
    why this task.

    >>> (xtr, ytr), _ = shifted_digits(n_train=200, n_test=100)
    >>> xtr.shape, bool(0.0 <= xtr.min() and xtr.max() <= 1.0)
    ((200, 8, 8), True)
    """
    shift = as_int(shift, "shift", 0, MAX_SHIFT)
    if (isinstance(noise, bool) or not isinstance(noise, numbers.Real)
            or not 0.0 <= noise <= MAX_NOISE):
        raise ValueError(f"noise must be a number in [0, {MAX_NOISE:g}], got {noise!r}")
    seed = as_int(seed, "seed", 0, 2**63 - 1)
    images, labels = _digits()
    # its own stream, so that every image gets the same perturbation whatever is selected
    moved = _perturb(images, shift, float(noise), [seed, 1])
    return _select(moved, labels, _classes(classes), n_train, n_test, seed)


def _labels(labels) -> np.ndarray:
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.shape[0] == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"labels must be a non-empty 1-D array of integers, got dtype "
                         f"{arr.dtype} and shape {arr.shape}")
    return arr


def binary_targets(labels, classes) -> np.ndarray:
    """±1 targets of a two-class task: ``classes[0]`` ↦ −1, ``classes[1]`` ↦ +1.

    >>> binary_targets([3, 8, 8, 3], (3, 8)).tolist()
    [-1.0, 1.0, 1.0, -1.0]
    """
    labels = _labels(labels)
    try:
        negative, positive = classes
    except (TypeError, ValueError) as exc:
        raise ValueError(f"classes must be a pair (negative, positive), got {classes!r}") from exc
    if negative == positive:
        raise ValueError(f"classes must be two different labels, got {classes!r}")
    other = ~np.isin(labels, (negative, positive))
    if other.any():
        raise ValueError(f"labels must all be {negative} or {positive}, got "
                         f"{sorted(set(labels[other].tolist()))[:5]}")
    return np.where(labels == positive, 1.0, -1.0)


def onehot_targets(labels, classes=None, *, centered=True) -> np.ndarray:
    """One-hot targets, shape (n, k), columns in the order of ``classes`` (default the ten
    digits). Centred (the default) as Lee et al. do for the MSE loss: 1 − 1/k for the true
    class and −1/k for the others, so every row sums to 0.

    >>> onehot_targets([2, 0], classes=(0, 1, 2, 3, 4)).tolist()
    [[-0.2, -0.2, 0.8, -0.2, -0.2], [0.8, -0.2, -0.2, -0.2, -0.2]]
    """
    labels = _labels(labels)
    values = DIGIT_CLASSES if classes is None else tuple(classes)
    if len(values) < 2 or len(set(values)) != len(values):
        raise ValueError(f"classes must be at least two distinct labels, got {classes!r}")
    column = {c: i for i, c in enumerate(values)}
    try:
        idx = np.array([column[v] for v in labels.tolist()], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"label {exc.args[0]} is not one of the classes {values}") from exc
    out = np.zeros((labels.shape[0], len(values)))
    out[np.arange(labels.shape[0]), idx] = 1.0
    if centered:
        out -= 1.0 / len(values)
    return out
