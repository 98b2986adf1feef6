"""Turning raw arrays into a model-ready :class:`~neuralscope.data.catalog.ArraySet`.

Pure numpy, no I/O. Splits and subsamples are *stratified* (every class keeps its share,
largest-remainder rounding, as scikit-learn's ``train_test_split(stratify=...)``) and seeded:
the same seed always picks the same samples. Tabular inputs are standardised with the
*training* mean and standard deviation only, so no validation statistics leak into training
(Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., sec. 7.10.2).

Text follows the Keras conventions for IMDB/Reuters (Chollet et al., ``keras.datasets``),
with the ids renumbered: the vocabulary is the ``max_words`` tokens most frequent in the
*training* part, numbered 2, 3, ... by falling frequency; 0 pads, 1 stands for every other
token (out of vocabulary). Sequences longer than ``max_len`` keep their *last* tokens and
shorter ones are padded at the front (Keras ``pad_sequences`` defaults, ``"pre"``): a recurrent
net then reads real tokens right before its final state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAD_ID = 0
OOV_ID = 1


@dataclass(frozen=True)
class TextOptions:
    """How token sequences become fixed-size inputs."""

    max_len: int = 200
    max_words: int = 10_000

    def __post_init__(self) -> None:
        if self.max_len < 1 or self.max_words < 1:
            raise ValueError("max_len and max_words must be positive")

    @property
    def vocab_size(self) -> int:
        """Rows an embedding needs: the kept words plus the pad and out-of-vocabulary ids."""
        return self.max_words + 2


def quotas(counts: np.ndarray, total: int) -> np.ndarray:
    """Per-class sample counts summing to ``total`` in proportion to ``counts``.

    Largest-remainder rounding; ties go to the lower class index (deterministic).
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    if total >= n:
        return counts.copy()
    exact = counts * total / n
    base = np.floor(exact).astype(np.int64)
    rest = total - int(base.sum())
    order = np.lexsort((np.arange(len(counts)), -(exact - base)))
    base[order[:rest]] += 1
    return np.asarray(np.minimum(base, counts), dtype=np.int64)


def stratified_pick(labels: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``k`` samples (shuffled) keeping each class's share; all if ``k >= n``."""
    n = len(labels)
    order = rng.permutation(n)
    if k >= n:
        return order
    classes, inverse = np.unique(labels[order], return_inverse=True)
    take = quotas(np.bincount(inverse, minlength=len(classes)), k)
    rank = np.zeros(n, dtype=np.int64)  # position of each shuffled sample within its class
    for c in range(len(classes)):
        members = np.flatnonzero(inverse == c)
        rank[members] = np.arange(len(members))
    return order[rank < take[inverse]]


def stratified_split(
    labels: np.ndarray, val_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, validation indices); both non-empty when there are 2+ samples."""
    n = len(labels)
    if n < 2:
        raise ValueError(f"need at least 2 samples to split, got {n}")
    n_val = min(max(1, round(n * val_fraction)), n - 1)
    val = stratified_pick(labels, n_val, rng)
    mask = np.ones(n, dtype=bool)
    mask[val] = False
    train = np.flatnonzero(mask)
    return train[rng.permutation(len(train))], val


def standardise(x_train: np.ndarray, x_val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both parts scaled with the training mean and std (a constant column keeps scale 1)."""
    mean = x_train.mean(axis=0, dtype=np.float64)
    std = x_train.std(axis=0, dtype=np.float64)
    std[std < 1e-12] = 1.0
    return (
        ((x_train - mean) / std).astype(np.float32),
        ((x_val - mean) / std).astype(np.float32),
    )


def images_unit(x: np.ndarray) -> np.ndarray:
    """Images (N, C, H, W) as float32 in [0, 1]: uint8 is divided by 255, floats kept."""
    if x.dtype == np.uint8:
        out = x.astype(np.float32)
        out *= np.float32(1.0 / 255.0)  # in place: one float copy of a possibly large set
        return out
    return np.asarray(np.clip(x, 0.0, 1.0), dtype=np.float32)


@dataclass(frozen=True)
class Sequences:
    """Ragged token sequences in one flat array: sequence ``i`` is
    ``tokens[offsets[i]:offsets[i + 1]]`` (the layout Arrow and CSR matrices use)."""

    tokens: np.ndarray  # int64 (T,)
    offsets: np.ndarray  # int64 (N + 1,), offsets[0] == 0

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def take(self, index: np.ndarray) -> Sequences:
        lengths = np.diff(self.offsets)[index]
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        if len(index) == 0:
            return Sequences(np.zeros(0, np.int64), offsets)
        starts = self.offsets[index]
        flat = np.repeat(starts - offsets[:-1], lengths) + np.arange(int(offsets[-1]))
        return Sequences(self.tokens[flat], offsets)

    @staticmethod
    def from_lists(seqs: list[list[int]]) -> Sequences:
        lengths = np.array([len(s) for s in seqs], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        tokens = np.fromiter((t for s in seqs for t in s), dtype=np.int64, count=int(offsets[-1]))
        return Sequences(tokens, offsets)


def vocabulary(train: Sequences, max_words: int) -> np.ndarray:
    """Map raw token -> new id: the ``max_words`` most frequent training tokens get 2, 3, ...

    (by falling count; ties to the smaller raw token), every other token 1 (OOV).
    """
    top = int(train.tokens.max()) + 1 if len(train.tokens) else 1
    counts = np.bincount(train.tokens, minlength=top)
    seen = np.flatnonzero(counts)
    ranked = seen[np.lexsort((seen, -counts[seen]))][:max_words]
    mapping = np.full(top, OOV_ID, dtype=np.int64)
    mapping[ranked] = np.arange(2, 2 + len(ranked))
    return mapping


def encode(seqs: Sequences, mapping: np.ndarray, max_len: int) -> np.ndarray:
    """int64 (N, max_len): ids through ``mapping``, last ``max_len`` kept, front-padded with 0."""
    tokens = seqs.tokens
    known = tokens < len(mapping)
    ids = np.where(known, mapping[np.where(known, tokens, 0)], OOV_ID)
    keep = np.minimum(np.diff(seqs.offsets), max_len)  # tokens kept per row
    rows = np.repeat(np.arange(len(seqs)), keep)
    within = np.arange(int(keep.sum())) - np.repeat(np.cumsum(keep) - keep, keep)
    source = np.repeat(seqs.offsets[1:] - keep, keep) + within
    out = np.full((len(seqs), max_len), PAD_ID, dtype=np.int64)
    out[rows, np.repeat(max_len - keep, keep) + within] = ids[source]
    return out
