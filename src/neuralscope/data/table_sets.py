"""An uploaded CSV table (stored by the server, see :mod:`.tables`) as a search dataset.

The search classifies, so only binary and multiclass tables qualify. The table's bytes come in
from whoever holds them (the worker reads the artifact store), keeping this module free of I/O;
the rest is the catalog's own preparation (:func:`.array_set.assemble`): a stratified, seeded
25 % validation part and features standardised with the training statistics.
"""

from __future__ import annotations

import numpy as np

from neuralscope.data.array_set import ArraySet, Subsets, assemble
from neuralscope.data.source import RawSet
from neuralscope.data.tables import TableError, decode_table


def table_array_set(
    raw: bytes,
    *,
    name: str = "csv",
    max_train: int | None = None,
    seed: int = 0,
    max_val: int | None = None,
) -> ArraySet:
    """The stored table ``raw`` (``encode_table``'s bytes) as a tabular :class:`ArraySet`.

    Raises:
        TableError: damaged bytes, a regression table, or fewer than two classes.
    """
    table = decode_table(raw)
    if table.task == "regression":
        raise TableError(f"{name}: a regression table; the search needs class labels")
    if len(table.class_names) < 2:
        raise TableError(f"{name}: needs at least two classes")
    samples = RawSet(
        np.asarray(table.x, dtype=np.float64),
        np.asarray(table.y, dtype=np.int64).reshape(-1),
        None,
        None,
        list(table.class_names),
    )
    return assemble(name, "tabular", samples, Subsets(seed, max_train, max_val))
