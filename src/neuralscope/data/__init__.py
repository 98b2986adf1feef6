"""Dataset registry: synthetic 2-D sets (more loaders join here)."""

from neuralscope.data.synthetic import (
    BOUNDS,
    GENERATORS,
    DataConfig,
    Dataset2D,
    DatasetName,
    make_dataset,
)

__all__ = ["BOUNDS", "GENERATORS", "DataConfig", "Dataset2D", "DatasetName", "make_dataset"]
