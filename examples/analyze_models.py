"""Analyze two saved models and compare them: one healthy, one with 16 dead ReLU units.

    .venv/bin/python examples/analyze_models.py [--out DIR]

Trains a 64-64-10 MLP on scikit-learn's digits, saves it as safetensors, then saves a copy in
which 16 hidden units can never fire (zero weights, negative bias: provably dead from the
weights alone, SCIENCE.md section 1.1). `neuralscope.analyze` reads each file the way
`neuralscope analyze FILE` and the web Analytics page do; `neuralscope.compare` ranks them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from safetensors.torch import save_file
from sklearn.datasets import load_digits
from torch import nn

import neuralscope


def train_digits_mlp(steps: int = 300) -> nn.Sequential:
    torch.manual_seed(0)
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target)
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"trained a 64-64-10 MLP on digits: training accuracy {accuracy:.3f}")
    return model


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("analyze-example"))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)

    model = train_digits_mlp()
    healthy, broken = args.out / "healthy.safetensors", args.out / "dead16.safetensors"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(healthy))
    with torch.no_grad():
        model[0].weight[:16] = 0.0
        model[0].bias[:16] = -1.0
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(broken))

    codes: list[str] = []
    for path in (healthy, broken):
        report = neuralscope.analyze(path)
        print(f"\n{path.name}: health {report.health.score}/100 ({report.architecture.primary})")
        for finding in report.findings:
            print(f"  [{finding.severity}] {finding.code} {finding.layer or ''}: {finding.message}")
            codes.append(f"{path.stem}:{finding.code}:{finding.layer}")
    comparison = neuralscope.compare([healthy, broken], names=["healthy", "dead16"])
    print(f"\nrecommended: {comparison.recommended} ({comparison.reason})")
    return codes


if __name__ == "__main__":
    main()
