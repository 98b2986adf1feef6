"""Stratified splits, standardisation and text encoding, against hand-made and sklearn oracles."""

from __future__ import annotations

import numpy as np
import pytest

from neuralscope.data.prepare import (
    Sequences,
    TextOptions,
    encode,
    quotas,
    standardise,
    stratified_pick,
    stratified_split,
    vocabulary,
)


def test_quotas_follow_largest_remainders() -> None:
    assert quotas(np.array([50, 30, 20]), 10).tolist() == [5, 3, 2]
    assert quotas(np.array([5, 5, 5]), 4).tolist() == [2, 1, 1]
    assert quotas(np.array([1, 9]), 100).tolist() == [1, 9]
    assert int(quotas(np.array([7, 3, 11, 2]), 13).sum()) == 13


def test_stratified_pick_keeps_each_class_share() -> None:
    labels = np.repeat([0, 1, 2], [600, 300, 100])
    pick = stratified_pick(labels, 100, np.random.default_rng(0))
    assert len(set(pick.tolist())) == 100
    assert np.bincount(labels[pick]).tolist() == [60, 30, 10]
    again = stratified_pick(labels, 100, np.random.default_rng(0))
    np.testing.assert_array_equal(pick, again)


def test_stratified_split_partitions_the_indices() -> None:
    labels = np.arange(40) % 4
    train, val = stratified_split(labels, 0.25, np.random.default_rng(1))
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(40))
    assert np.bincount(labels[val]).tolist() == [3, 3, 2, 2]
    assert len(val) == 10
    with pytest.raises(ValueError, match="at least 2"):
        stratified_split(np.zeros(1, np.int64), 0.5, np.random.default_rng(0))


def test_standardise_matches_sklearn_fitted_on_train_only() -> None:
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    rng = np.random.default_rng(0)
    x_train = rng.normal(3, 2, (50, 3))
    x_train[:, 2] = 7.0  # a constant column
    x_val = rng.normal(0, 5, (20, 3))
    got_train, got_val = standardise(x_train, x_val)
    scaler = StandardScaler().fit(x_train)
    np.testing.assert_allclose(got_train, scaler.transform(x_train), atol=1e-5)
    np.testing.assert_allclose(got_val, scaler.transform(x_val), rtol=1e-5, atol=1e-5)
    assert got_val.dtype == np.float32


def test_sequences_take_gathers_ragged_rows() -> None:
    seqs = Sequences.from_lists([[1, 2], [], [3, 4, 5], [6]])
    picked = seqs.take(np.array([2, 0, 1]))
    rows = [
        picked.tokens[a:b].tolist()
        for a, b in zip(picked.offsets[:-1], picked.offsets[1:], strict=True)
    ]
    assert rows == [[3, 4, 5], [1, 2], []]
    assert len(seqs.take(np.array([], dtype=np.int64))) == 0


def test_vocabulary_ranks_training_frequency_and_caps() -> None:
    train = Sequences.from_lists([[7, 7, 7, 3, 3, 9], [3, 9, 5]])
    mapping = vocabulary(train, max_words=2)  # 3 (x3) and 7 (x3) tie: the smaller token first
    assert (mapping[3], mapping[7]) == (2, 3)
    assert (mapping[9], mapping[5], mapping[0]) == (1, 1, 1)


def test_encode_front_pads_and_keeps_the_last_tokens() -> None:
    mapping = np.array([1, 1, 2, 3, 4])
    seqs = Sequences.from_lists([[2, 3], [2, 3, 4, 2, 9], []])
    out = encode(seqs, mapping, max_len=3)
    assert out.dtype == np.int64
    # 9 never occurred in training (beyond the mapping) -> OOV (1)
    assert out.tolist() == [[0, 2, 3], [4, 2, 1], [0, 0, 0]]


def test_text_options_vocab_size_counts_pad_and_oov() -> None:
    assert TextOptions(max_len=10, max_words=100).vocab_size == 102
    with pytest.raises(ValueError, match="positive"):
        TextOptions(max_len=0)


def test_encode_matches_a_plain_python_reference_on_random_sequences() -> None:
    rng = np.random.default_rng(4)
    lists = [[int(t) for t in rng.integers(0, 40, rng.integers(0, 15))] for _ in range(200)]
    seqs = Sequences.from_lists(lists)
    mapping = vocabulary(seqs.take(np.arange(100)), max_words=12)
    got = encode(seqs, mapping, max_len=8)
    for row, tokens in zip(got.tolist(), lists, strict=True):
        ids = [int(mapping[t]) if t < len(mapping) else 1 for t in tokens][-8:]
        assert row == [0] * (8 - len(ids)) + ids
