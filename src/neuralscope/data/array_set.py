"""A dataset as model-ready arrays, and how raw samples become one.

:func:`assemble` turns a source's :class:`~.source.RawSet` into an :class:`ArraySet`: the
official test part (or a stratified 25 % of the samples) becomes the validation part, stratified
seeded subsets are drawn, both parts are shuffled, and inputs are prepared by kind
(:mod:`.prepare`: images to [0, 1], tabular standardised with training statistics, text encoded
with a training-frequency vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from neuralscope.data import prepare
from neuralscope.data.prepare import Sequences, TextOptions
from neuralscope.data.source import RawSet

Kind = Literal["image", "text", "tabular"]
VAL_FRACTION = 0.25


@dataclass(frozen=True)
class ArraySet:
    """A dataset split into training and validation arrays (see the module docstring)."""

    name: str
    kind: Kind
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    n_classes: int
    class_names: list[str]
    vocab_size: int | None = None  # text only


@dataclass(frozen=True)
class Subsets:
    """Which samples to keep and how to encode text (all seeded by ``seed``)."""

    seed: int = 0
    max_train: int | None = None
    max_val: int | None = None
    text: TextOptions = field(default_factory=TextOptions)


def assemble(name: str, kind: Kind, raw: RawSet, subsets: Subsets) -> ArraySet:
    """Split, subsample, shuffle and prepare ``raw`` (see the module docstring)."""
    rng_split, rng_train, rng_val = (np.random.default_rng([subsets.seed, k]) for k in range(3))
    x_train, y_train, x_val, y_val = _split(raw, rng_split)
    # Subsets come shuffled; so do full parts (official files are often sorted by class).
    keep = prepare.stratified_pick(y_train, subsets.max_train or len(y_train), rng_train)
    x_train, y_train = _take(x_train, keep), y_train[keep]
    keep = prepare.stratified_pick(y_val, subsets.max_val or len(y_val), rng_val)
    x_val, y_val = _take(x_val, keep), y_val[keep]
    xt, xv, vocab_size = _features(kind, x_train, x_val, subsets.text)
    return ArraySet(
        name=name,
        kind=kind,
        x_train=xt,
        y_train=y_train.astype(np.int64),
        x_val=xv,
        y_val=y_val.astype(np.int64),
        n_classes=len(raw.class_names),
        class_names=list(raw.class_names),
        vocab_size=vocab_size,
    )


X = np.ndarray | Sequences


def _take(x: X, index: np.ndarray) -> X:
    return x.take(index) if isinstance(x, Sequences) else x[index]


def _features(
    kind: Kind, x_train: X, x_val: X, text: TextOptions
) -> tuple[np.ndarray, np.ndarray, int | None]:
    """Model inputs for both parts, and the vocabulary size for text."""
    if isinstance(x_train, Sequences) and isinstance(x_val, Sequences):
        mapping = prepare.vocabulary(x_train, text.max_words)
        xt = prepare.encode(x_train, mapping, text.max_len)
        return xt, prepare.encode(x_val, mapping, text.max_len), text.vocab_size
    if isinstance(x_train, np.ndarray) and isinstance(x_val, np.ndarray):
        if kind == "image":
            return prepare.images_unit(x_train), prepare.images_unit(x_val), None
        return (*prepare.standardise(x_train, x_val), None)
    raise TypeError(f"mixed sample types: {type(x_train).__name__}, {type(x_val).__name__}")


def _split(raw: RawSet, rng: np.random.Generator) -> tuple[X, np.ndarray, X, np.ndarray]:
    if raw.x_test is not None and raw.y_test is not None:
        return raw.x_train, raw.y_train, raw.x_test, raw.y_test
    train, val = prepare.stratified_split(raw.y_train, VAL_FRACTION, rng)
    return _take(raw.x_train, train), raw.y_train[train], _take(raw.x_train, val), raw.y_train[val]
