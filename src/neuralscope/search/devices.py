"""Which device each of a worker's concurrent trial slots uses: one trial per GPU."""

from __future__ import annotations


def assign_devices(requested: str, gpu_count: int) -> list[str]:
    """The device of each slot, from ``--device`` (auto | cpu | cuda | cuda:N,...) and the GPUs
    this worker sees.

    ``auto`` runs one trial per visible GPU (``cuda:0``, ``cuda:1``, ...), or one on the CPU when
    there is none; ``cuda`` the same but refusing a machine without GPUs; an explicit list
    (``cuda:0,cuda:2``) one trial on each listed device; ``cpu`` one trial on the CPU.

    Raises:
        ValueError: CUDA asked for but not available, or a GPU index this worker cannot see.
    """
    if gpu_count < 0:
        raise ValueError("gpu_count must not be negative")
    requested = requested.strip().lower()
    if requested == "cpu":
        return ["cpu"]
    if requested in ("auto", "cuda"):
        if gpu_count == 0:
            if requested == "cuda":
                raise ValueError("device cuda: no GPU is visible to this worker")
            return ["cpu"]
        return [f"cuda:{i}" for i in range(gpu_count)]
    slots = []
    for part in requested.split(","):
        name, _, index = part.strip().partition(":")
        if name != "cuda" or not index.isdigit():
            raise ValueError(f"device {part.strip()!r}: use auto, cpu, cuda or cuda:N[,cuda:M]")
        if int(index) >= gpu_count:
            raise ValueError(f"device {part.strip()!r}: this worker sees {gpu_count} GPU(s)")
        slots.append(f"cuda:{int(index)}")
    return list(dict.fromkeys(slots))
