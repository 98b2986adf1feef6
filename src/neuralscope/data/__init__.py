"""Dataset registry: synthetic 2-D sets, regression, digits/MNIST images, CSV uploads."""

from neuralscope.data.base import BOUNDS, Dataset, DatasetInfo, DatasetKind, Task
from neuralscope.data.csv_upload import CsvError, CsvOptions, ParsedTable, parse_csv
from neuralscope.data.features import FeatureName, derive
from neuralscope.data.idx import IdxError, MnistCache, parse_idx
from neuralscope.data.registry import (
    REGISTRY,
    DataConfig,
    DatasetName,
    DatasetSpec,
    dataset_info,
    make_dataset,
)
from neuralscope.data.tables import (
    TableError,
    TableRef,
    TableSource,
    decode_table,
    encode_table,
    table_ref,
)

Dataset2D = Dataset  # the name before images joined (kept for compatibility)

__all__ = [
    "BOUNDS",
    "REGISTRY",
    "CsvError",
    "CsvOptions",
    "DataConfig",
    "Dataset",
    "Dataset2D",
    "DatasetInfo",
    "DatasetKind",
    "DatasetName",
    "DatasetSpec",
    "FeatureName",
    "IdxError",
    "MnistCache",
    "ParsedTable",
    "TableError",
    "TableRef",
    "TableSource",
    "Task",
    "dataset_info",
    "decode_table",
    "derive",
    "encode_table",
    "make_dataset",
    "parse_csv",
    "parse_idx",
    "table_ref",
]
