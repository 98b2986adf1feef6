"""IMDB and Reuters as Keras publishes them: pre-tokenised word ids in an ``.npz``.

IMDB (Maas et al., "Learning Word Vectors for Sentiment Analysis", ACL 2011): 25,000 training
and 25,000 test reviews, positive/negative. Reuters-21578 newswires as preprocessed for Keras:
11,228 newswires over 46 topics, no official split. Each review/newswire is a list of word ids
(1 = the corpus' most frequent word), stored as object arrays (a pickle inside the ``.npz``),
which :mod:`.safe_pickle` reads without running code. The catalog later renumbers the ids by
*training* frequency and caps the vocabulary (:mod:`.prepare`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuralscope.data.downloads import DatasetFileError, Remote
from neuralscope.data.prepare import Sequences
from neuralscope.data.safe_pickle import load_npz

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# SHA-256 as Keras checks them (keras/src/datasets/imdb.py, reuters.py)
IMDB = Remote(
    f"{_BASE}imdb.npz",
    "imdb.npz",
    "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    "sha256",
)
REUTERS = Remote(
    f"{_BASE}reuters.npz",
    "reuters.npz",
    "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    "sha256",
)
IMDB_CLASSES = ["negative", "positive"]
# Topic names in label order (Keras' reuters.get_label_names)
REUTERS_CLASSES = [
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
]  # fmt: skip


def _sequences(array: np.ndarray, source: str) -> Sequences:
    """An object array of int lists (or a 2-D int array) as flat tokens + offsets."""
    if array.dtype != object:
        if array.ndim != 2 or array.dtype.kind not in "iu":
            raise DatasetFileError(f"{source}: expected sequences of word ids")
        rows = [list(map(int, r)) for r in array]
    else:
        rows = []
        for row in array.reshape(-1):
            if not isinstance(row, list | tuple | np.ndarray):
                raise DatasetFileError(f"{source}: a sequence is a {type(row).__name__}")
            rows.append([int(t) for t in row])
    seqs = Sequences.from_lists(rows)
    if len(seqs.tokens) and int(seqs.tokens.min()) < 0:
        raise DatasetFileError(f"{source}: negative word ids")
    return seqs


def _labels(array: np.ndarray, n: int, n_classes: int, source: str) -> np.ndarray:
    labels = np.asarray(array).reshape(-1)
    if labels.dtype.kind not in "iu" or len(labels) != n:
        raise DatasetFileError(f"{source}: expected {n} integer labels")
    if n and (labels.min() < 0 or labels.max() >= n_classes):
        raise DatasetFileError(f"{source}: labels outside 0..{n_classes - 1}")
    return labels.astype(np.int64)


def _flat(prefix: str, seqs: Sequences) -> dict[str, np.ndarray]:
    return {f"{prefix}_tokens": seqs.tokens, f"{prefix}_offsets": seqs.offsets}


def parse_imdb(path: Path) -> dict[str, np.ndarray]:
    """``imdb.npz`` -> train/test token arrays (flat + offsets), labels and class names."""
    arrays = load_npz(path.read_bytes(), source=str(path))
    out: dict[str, np.ndarray] = {"class_names": np.array(IMDB_CLASSES)}
    for part in ("train", "test"):
        if f"x_{part}" not in arrays or f"y_{part}" not in arrays:
            raise DatasetFileError(f"{path}: not the IMDB archive (no x_{part}/y_{part})")
        seqs = _sequences(arrays[f"x_{part}"], f"{path}:x_{part}")
        out |= _flat(f"x_{part}", seqs)
        out[f"y_{part}"] = _labels(arrays[f"y_{part}"], len(seqs), 2, f"{path}:y_{part}")
    return out


def parse_reuters(path: Path) -> dict[str, np.ndarray]:
    """``reuters.npz`` (``x``, ``y``, no split) -> all newswires as the training part."""
    arrays = load_npz(path.read_bytes(), source=str(path))
    if "x" not in arrays or "y" not in arrays:
        raise DatasetFileError(f"{path}: not the Reuters archive (no x/y)")
    seqs = _sequences(arrays["x"], f"{path}:x")
    y = _labels(arrays["y"], len(seqs), len(REUTERS_CLASSES), f"{path}:y")
    return {**_flat("x_train", seqs), "y_train": y, "class_names": np.array(REUTERS_CLASSES)}


def sequences(arrays: dict[str, np.ndarray], prefix: str) -> Sequences:
    """The cached flat form back as :class:`Sequences`."""
    tokens, offsets = arrays[f"{prefix}_tokens"], arrays[f"{prefix}_offsets"]
    return Sequences(tokens.astype(np.int64, copy=False), offsets.astype(np.int64, copy=False))
