"""Train a Playground network headless on the two spirals and export it.

    .venv/bin/python examples/playground_spirals.py [--steps 1500] [--out DIR]

The same engine the web Playground drives: a seeded Session on real PyTorch, stepped by hand
here. It prints the validation accuracy and writes the trained weights (safetensors) and the
network spec (JSON), the files the Playground's export buttons give and `neuralscope decompose`
and `neuralscope analyze` read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from neuralscope import DataConfig, Hyperparameters, NetSpec, Session, SessionConfig
from neuralscope.training.export import export_spec, to_safetensors


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--out", type=Path, default=Path("spirals-export"))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # tiny nets: one thread is fastest

    config = SessionConfig(
        data=DataConfig(dataset="spirals", noise=0.1),
        spec=NetSpec.mlp([16, 16], activation="tanh"),
        hyperparameters=Hyperparameters(optimizer="adam", learning_rate=0.02, batch_size=16),
        max_steps=args.steps,
        seed=1,
    )
    session = Session(config)
    session.start()
    while session.status.value == "running":
        step = session.step().step
        if step % 500 == 0:
            print(f"step {step:5d}  val loss {session.evaluate('val').loss:.4f}")
    result = session.evaluate("val")
    print(f"validation accuracy {result.accuracy:.3f}")

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "model.safetensors").write_bytes(to_safetensors(session.model))
    spec = export_spec(config.spec, config.data)
    (args.out / "spec.json").write_text(spec.model_dump_json(indent=2))
    print(f"wrote {args.out}/model.safetensors and {args.out}/spec.json")
    return result.accuracy


if __name__ == "__main__":
    main()
