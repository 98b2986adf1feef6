"""A small health-aware search on scikit-learn's digits, then the best trial's numbers.

    .venv/bin/python examples/search_digits.py [--trials 6] [--epochs 3] [--home DIR]

The same engine as `neuralscope search --dataset digits --objective health`: an Optuna study
on a SQLite file, one local worker that runs each trial in its own process, the balanced
objective (validation accuracy plus six health metrics). It prints every finished trial and
the best one's health breakdown; the trial's files (safetensors, spec, ONNX, TorchScript, the
configuration to re-run it) are under HOME/search/<study>/.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from neuralscope.search import WorkerOptions, create_study, open_storage, run_worker
from neuralscope.search.contract import ATTR_METRICS, StudyConfig, TrialMetrics
from neuralscope.search.study import load_study


def main(argv: list[str] | None = None) -> TrialMetrics:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0, help="sampler seed: the same trials")
    args = parser.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="neuralscope-search-"))
    storage_url = f"sqlite:///{home / 'studies.db'}"

    config = StudyConfig(
        name="digits-example",
        dataset="digits",
        objective="health",
        n_trials=args.trials,
        max_epochs=args.epochs,
        max_train_samples=600,
    )
    create_study(config, storage_url)
    options = WorkerOptions(
        storage_url=storage_url, study_name=config.name, home=home, seed=args.seed
    )
    summary = run_worker(options)
    print(f"worker ran {summary.started} trials ({summary.stop_reason})")

    storage = open_storage(storage_url)
    study, _ = load_study(storage, config.name)
    for trial in study.trials:
        value = f"{trial.values[0]:.1f}" if trial.values else "-"
        print(f"trial {trial.number}: {trial.state.name.lower():9s} health score {value}")
    best = TrialMetrics.model_validate(study.best_trial.user_attrs[ATTR_METRICS])
    print(
        f"\nbest: trial {study.best_trial.number}, validation accuracy {best.val_accuracy:.3f}, "
        f"health {best.health:.1f}, {best.params:,} parameters"
    )
    for name, value in best.components.model_dump().items():
        print(f"  {name:17s} {value:.2f}")
    print(f"files: {home / 'search' / config.name}")
    return best


if __name__ == "__main__":
    main()
