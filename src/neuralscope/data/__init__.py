"""Dataset registry: synthetic 2-D sets, regression, digits/MNIST images, CSV uploads; and the
search's catalog of image, text and tabular sets (downloaded, imported or offline)."""

from neuralscope.data.base import BOUNDS, Dataset, DatasetInfo, DatasetKind, Task
from neuralscope.data.catalog import (
    ArraySet,
    DatasetNotAvailable,
    array_set_names,
    download_set,
    import_set,
    load_array_set,
)
from neuralscope.data.csv_upload import CsvError, CsvOptions, ParsedTable, parse_csv
from neuralscope.data.downloads import DatasetFileError, DownloadError, FetchOptions
from neuralscope.data.features import FeatureName, derive
from neuralscope.data.idx import IdxError, MnistCache, parse_idx
from neuralscope.data.prepare import TextOptions
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
    "ArraySet",
    "CsvError",
    "CsvOptions",
    "DataConfig",
    "Dataset",
    "Dataset2D",
    "DatasetFileError",
    "DatasetInfo",
    "DatasetKind",
    "DatasetName",
    "DatasetNotAvailable",
    "DatasetSpec",
    "DownloadError",
    "FeatureName",
    "FetchOptions",
    "IdxError",
    "MnistCache",
    "ParsedTable",
    "TableError",
    "TableRef",
    "TableSource",
    "Task",
    "TextOptions",
    "array_set_names",
    "dataset_info",
    "decode_table",
    "derive",
    "download_set",
    "encode_table",
    "import_set",
    "load_array_set",
    "make_dataset",
    "parse_csv",
    "parse_idx",
    "table_ref",
]
