"""``neuralscope decompose MODEL --data DATASET --layer NAME``: a layer's functional modules.

MODEL is any file ``neuralscope.nets.io.load_model`` reads. A file that holds an executable
module (TorchScript, torch.export, a pickled module) runs as is; a weights-only file
(safetensors or a state dict, as the Playground saves) needs ``--spec`` with the NetSpec JSON
it was trained from. The probe samples are the dataset's validation split.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from torch import nn

from neuralscope.cli._common import JsonOpt, err, fail, print_json
from neuralscope.data import DataConfig, Dataset, DatasetName, make_dataset
from neuralscope.decomposition import (
    Clusterer,
    CorrelationComponents,
    DecomposeConfig,
    Decomposition,
    HierarchicalClusterer,
    KMeansClusterer,
    SpectralClustering,
    decompose,
)
from neuralscope.nets import NetSpec, build_model
from neuralscope.nets.io import ModelLoadError, load_model
from neuralscope.training.tasks import output_width

MethodName = Literal["components", "spectral", "kmeans", "hierarchical"]


def _clusterer(method: MethodName, k: int | None, threshold: float | None) -> Clusterer:
    if method == "components":
        return CorrelationComponents(threshold)
    if method == "spectral":
        return SpectralClustering(k)
    if k is None:
        fail(f"--method {method} needs --k")
    return KMeansClusterer(k) if method == "kmeans" else HierarchicalClusterer(k)


def _model(path: Path, spec_path: Path | None, data: DataConfig) -> tuple[nn.Module, Dataset]:
    try:
        loaded = load_model(path)
    except ModelLoadError as exc:
        fail(str(exc))
    dataset = make_dataset(data)
    if loaded.module is not None:
        return loaded.module, dataset
    if spec_path is None:
        fail(
            f"{path} holds weights only ({loaded.format}); pass --spec with the NetSpec JSON "
            "the network was built from, so it can run"
        )
    try:
        raw = json.loads(spec_path.read_text())
        # The Playground's spec export wraps the NetSpec: {"spec": {...}, "data": {...}, ...}.
        spec = NetSpec.model_validate(raw.get("spec", raw) if isinstance(raw, dict) else raw)
    except (OSError, ValueError, TypeError) as exc:
        fail(f"cannot read the spec {spec_path}: {exc}")
    model = build_model(
        spec,
        dataset.input_shape,
        output_width(dataset.task, dataset.n_classes),
        features=data.features,
    )
    try:
        model.load_state_dict(loaded.state)
    except RuntimeError as exc:
        fail(f"the weights in {path} do not fit the spec: {exc}")
    return model, dataset


def _print(result: Decomposition) -> None:
    console = Console()
    for layer in result.layers:
        console.print(
            f"[bold]{layer.layer}[/]: {layer.verdict}  (method {layer.method}, "
            f"k by {layer.k_chosen_by}, dead units {len(layer.dead_units)})"
        )
        if layer.caveat:
            console.print(f"[yellow]caveat:[/] {layer.caveat}")
        table = Table(
            "module",
            "units",
            "importance",
            "percentile",
            "keep-only acc",
            "ablate acc",
            "probe",
            "label",
        )
        for mod in layer.modules:
            m = mod.metrics
            if m is None:
                table.add_row(mod.id, str(len(mod.units)), *["-"] * 6)
                continue
            table.add_row(
                mod.id,
                str(len(mod.units)),
                f"{m.importance.share:.2f}",
                f"{m.importance.percentile:.0f}" if m.importance.random_sets else "-",
                " ".join(f"{s.accuracy:.2f}" for s in m.keep_only),
                " ".join(f"{s.accuracy:.2f}" for s in m.ablate_only),
                " ".join(f"{p:.2f}" for p in m.probe_accuracy),
                m.label,
            )
        console.print(table)
    for finding in result.findings:
        console.print(
            f"[bold]{finding.code}[/] ({finding.severity}): {finding.message}\n"
            f"  -> {finding.recommendation}"
        )


def decompose_command(
    model_path: Annotated[Path, typer.Argument(metavar="MODEL", help="Saved model file")],
    data: Annotated[DatasetName, typer.Option("--data", help="Dataset (registry name)")],
    layer: Annotated[list[str], typer.Option("--layer", help="Layer name (repeatable)")],
    spec: Annotated[
        Path | None, typer.Option("--spec", help="NetSpec JSON, for weights-only files")
    ] = None,
    method: Annotated[MethodName, typer.Option(help="Partition strategy")] = "components",
    k: Annotated[int | None, typer.Option("--k", help="Number of modules (default: auto)")] = None,
    threshold: Annotated[
        float | None, typer.Option(help="|r| threshold for components (default 4/sqrt(n))")
    ] = None,
    samples: Annotated[int, typer.Option(help="Samples drawn from the dataset")] = 2000,
    random_sets: Annotated[int, typer.Option(help="Random unit sets per module size")] = 200,
    permutations: Annotated[int, typer.Option(help="Shuffled baselines for the p-value")] = 20,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Find the functional modules of a layer, score them, and raise alerts."""
    try:
        config = DataConfig(dataset=data, n_samples=samples)
    except ValidationError as exc:
        fail(f"invalid data option: {exc.errors()[0]['msg']}")
    model, dataset = _model(model_path, spec, config)
    clusterer = _clusterer(method, k, threshold)
    x, y = dataset.x_val, dataset.y_val
    if not as_json:
        err.print(f"probing {len(x)} validation samples of {data} ...")
    try:
        result = decompose(
            model,
            x,
            y,
            layer=layer,
            method=clusterer,
            config=DecomposeConfig(permutations=permutations, random_sets=random_sets, seed=seed),
        )
    except (KeyError, ValueError, TypeError) as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
    else:
        _print(result)
