"""Catalog sources that need no download: scikit-learn's bundled sets and the Playground's 2-D sets.

scikit-learn ships digits (Alpaydin & Kaynak, UCI optdigits test part, 8x8), iris (Fisher,
1936), wine (Forina et al., UCI) and breast cancer Wisconsin (Street, Wolberg & Mangasarian,
1993) inside the package. The 2-D classification sets are drawn by the Playground registry
(:mod:`neuralscope.data.synthetic`) with a fixed size and noise, seeded by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from neuralscope.data.source import RawSet

SklearnName = Literal["digits", "iris", "wine", "breast_cancer"]


@dataclass(frozen=True)
class SklearnSource:
    """One of scikit-learn's bundled sets (tabular, or digits as 1x8x8 images)."""

    name: SklearnName
    kind: Literal["image", "tabular"] = "tabular"
    description: str = ""

    def cached(self, root: Path) -> bool:
        return True

    def load(self, root: Path, seed: int) -> RawSet:
        from sklearn import datasets  # type: ignore[import-untyped]  # heavy: import on use

        bunch = getattr(datasets, f"load_{self.name}")()
        y = np.asarray(bunch.target, dtype=np.int64)
        names = [str(n) for n in bunch.target_names]
        if self.name == "digits":
            x = (np.asarray(bunch.images) / 16.0).astype(np.float32)[:, None]  # 0..16 -> [0, 1]
        else:
            x = np.asarray(bunch.data, dtype=np.float64)
        return RawSet(x, y, None, None, names)


@dataclass(frozen=True)
class PlaygroundSource:
    """A 2-D classification set of the Playground, drawn with ``n_samples`` points."""

    name: str
    n_samples: int = 1000
    noise: float = 0.1
    n_classes: int = 3  # blobs and spirals_multi only
    description: str = ""

    def cached(self, root: Path) -> bool:
        return True

    def load(self, root: Path, seed: int) -> RawSet:
        from neuralscope.data.registry import REGISTRY, DataConfig, dataset_info

        config = DataConfig(
            dataset=self.name,
            n_samples=self.n_samples,
            noise=self.noise,
            n_classes=self.n_classes,
        )
        x, y = REGISTRY[self.name].load(config, np.random.default_rng(seed), None)
        k = dataset_info(config).n_classes
        return RawSet(
            np.asarray(x, dtype=np.float64),
            np.asarray(y, dtype=np.int64),
            None,
            None,
            [str(c) for c in range(k)],
        )
