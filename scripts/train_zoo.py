"""Train the Playground's model zoo into a folder (a thin wrapper over :mod:`neuralscope.zoo`).

    python scripts/train_zoo.py OUT_DIR [--scale 1.0]

``neuralscope zoo train`` does the same into the neuralscope home (``<home>/zoo``), with a
progress bar; this script is for writing the zoo somewhere else. ``--scale`` multiplies every
step budget (tests use a tiny one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from neuralscope.zoo import train_zoo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply every step budget")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for card in train_zoo(args.out_dir, args.scale):
        shown = ", ".join(f"{k}={v:.3f}" for k, v in sorted(card.metrics.items()))
        print(f"{card.name}: {shown}")


if __name__ == "__main__":
    main()
