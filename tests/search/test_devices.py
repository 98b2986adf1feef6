"""One trial per GPU: the pure device assignment of a worker's trial slots."""

from __future__ import annotations

import pytest

from neuralscope.search.devices import assign_devices


def test_auto_runs_one_trial_per_gpu_or_one_on_cpu() -> None:
    assert assign_devices("auto", 0) == ["cpu"]
    assert assign_devices("auto", 1) == ["cuda:0"]
    assert assign_devices("auto", 4) == ["cuda:0", "cuda:1", "cuda:2", "cuda:3"]
    assert assign_devices("cuda", 2) == ["cuda:0", "cuda:1"]
    assert assign_devices("cpu", 8) == ["cpu"]


def test_explicit_lists_are_checked_and_deduplicated() -> None:
    assert assign_devices("cuda:1, cuda:3,cuda:1", 4) == ["cuda:1", "cuda:3"]
    with pytest.raises(ValueError, match="sees 2 GPU"):
        assign_devices("cuda:2", 2)
    with pytest.raises(ValueError, match="no GPU"):
        assign_devices("cuda", 0)
    with pytest.raises(ValueError, match="use auto, cpu"):
        assign_devices("tpu:0", 1)
