"""Write the web app's component-test fixtures from REAL API responses.

Usage: python scripts/web_fixtures.py OUT_DIR

Trains a short run on a temporary database through the real app (REST + WebSocket), with a
pause, a hyperparameter change and a resume, and saves what the server answered:

    runs.json      GET /api/runs
    run.json       GET /api/runs/{id}
    snapshot.json  GET /api/runs/{id}/snapshot (= the WebSocket's first message)
    messages.json  the WebSocket messages after the snapshot, as received
    data.json      GET /api/runs/{id}/data
    datasets.json  GET /api/datasets
    error.json     the 409 body of an illegal control action
    shared.json    GET /api/shared/{token} for a share link of the run (POST /api/runs/{id}/share)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from fastapi.testclient import TestClient

from neuralscope.config import Settings
from neuralscope.server import create_app

RUN = {
    "name": "fixture run",
    "config": {
        "spec": {
            "layers": [{"units": 6, "activation": "tanh"}, {"units": 4, "activation": "tanh"}]
        },
        "data": {"dataset": "circle", "n_samples": 200, "noise": 0.05},
        "hyperparameters": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10},
        "seed": 7,
        "max_steps": 1500,  # long enough that pausing it is never a race
    },
    "start": False,
}


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"fixture run refused a control action: {response.text}")


def _wait(client: TestClient, run_id: str, status: str) -> None:
    deadline = time.monotonic() + 60
    while client.get(f"/api/runs/{run_id}").json()["status"] != status:
        if time.monotonic() > deadline:
            raise RuntimeError(f"run {run_id} never reached {status}")
        time.sleep(0.05)


def write_fixtures(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    with (
        tempfile.TemporaryDirectory() as home,
        TestClient(create_app(Settings(home=Path(home)))) as client,
    ):
        run_id = client.post("/api/runs", json=RUN).json()["id"]
        messages: list[Any] = []
        with client.websocket_connect(f"/ws/runs/{run_id}") as ws:
            ws.receive_json()  # the snapshot of the not-yet-started run
            control = f"/api/runs/{run_id}/control"
            client.post(control, json={"action": "start"})
            while len(messages) < 3:
                messages.append(ws.receive_json())
            client.post(control, json={"action": "pause"})
            client.post(
                control,
                json={
                    "action": "set",
                    "hyperparameters": {"optimizer": "sgd", "learning_rate": 0.1},
                },
            )
            client.post(control, json={"action": "resume"})
            _wait(client, run_id, "completed")
            while not any(
                e["kind"] == "status" and e["payload"]["status"] == "completed"
                for m in messages
                for e in m["events"]
            ):
                messages.append(ws.receive_json())
        error = client.post(f"/api/runs/{run_id}/control", json={"action": "resume"}).json()
        responses = {
            "runs.json": client.get("/api/runs").json(),
            "run.json": client.get(f"/api/runs/{run_id}").json(),
            "snapshot.json": client.get(f"/api/runs/{run_id}/snapshot").json(),
            "messages.json": messages,
            "data.json": client.get(f"/api/runs/{run_id}/data").json(),
            "datasets.json": client.get("/api/datasets").json(),
            "error.json": error,
        }
        share = client.post(f"/api/runs/{run_id}/share")
        if share.status_code != 201:
            raise RuntimeError(f"fixture run could not be shared: {share.text}")
        responses["shared.json"] = client.get(f"/api/shared/{share.json()['token']}").json()
        responses.update(_playground_fixtures(client))
        responses.update(_analytics_fixtures(client))
        responses.update(_search_fixtures(client, Settings(home=Path(home)).db_url))
        responses.update(_zoo_fixtures(client, Path(home)))
    for name, body in responses.items():
        (out / name).write_text(json.dumps(body, indent=1) + "\n")


# Playground (#3) fixtures: shapes, backprop trace, evaluation, other tasks' boundaries,
# CSV uploads, comparisons. Each comes from one step of a created (not started) run.
PG_SPEC = {"layers": [{"type": "dense", "units": 3, "activation": "tanh"}]}
PG_CNN = {
    "layers": [
        {"type": "conv2d", "filters": 4, "kernel_size": 3},
        {"type": "maxpool2d"},
        {"type": "flatten"},
        {"type": "dense", "units": 8},
    ]
}
PG_CSV = "a,b,c,label\n" + "".join(
    f"{i % 7},{(i * 3) % 5},{i % 2},{'yes' if i % 3 else 'no'}\n" for i in range(40)
)


def _pg_run(client: TestClient, dataset: str, spec: dict[str, Any] = PG_SPEC) -> str:
    config = {"spec": spec, "data": {"dataset": dataset, "n_samples": 60}, "seed": 3}
    run_id = str(client.post("/api/runs", json={"config": config}).json()["id"])
    if dataset == "digits":
        return run_id
    trace = client.post(f"/api/runs/{run_id}/backprop")
    if trace.status_code != 200:
        raise RuntimeError(f"fixture backprop step failed: {trace.text}")
    return run_id


def _stop_all(client: TestClient) -> None:
    """At most 8 runs may be live: stop every fixture run once its answers are saved."""
    for run in client.get("/api/runs?limit=500").json()["items"]:
        if run["live"]:
            client.post(f"/api/runs/{run['id']}/control", json={"action": "stop"})


def _playground_fixtures(client: TestClient) -> dict[str, Any]:
    out: dict[str, Any] = {}
    shapes = "/api/nets/shapes"
    digits = {"dataset": "digits"}
    out["pg_shapes.json"] = client.post(shapes, json={"spec": PG_CNN, "data": digits}).json()
    bad = {"layers": [{"type": "dense", "units": 4}, {"type": "conv2d", "filters": 2}]}
    out["pg_shapes_error.json"] = client.post(shapes, json={"spec": bad, "data": digits}).json()
    binary = _pg_run(client, "xor")
    out["pg_backprop.json"] = client.post(f"/api/runs/{binary}/backprop").json()
    out["pg_evaluation.json"] = client.get(f"/api/runs/{binary}/evaluation").json()
    blobs = _pg_run(client, "blobs")
    out["pg_evaluation_multiclass.json"] = client.get(f"/api/runs/{blobs}/evaluation").json()
    out["pg_snapshot_multiclass.json"] = client.get(f"/api/runs/{blobs}/snapshot").json()
    for name in ("plane", "sine"):
        run_id = _pg_run(client, name)
        out[f"pg_snapshot_{name}.json"] = client.get(f"/api/runs/{run_id}/snapshot").json()
        out[f"pg_data_{name}.json"] = client.get(f"/api/runs/{run_id}/data").json()
    out["pg_evaluation_regression.json"] = client.get(f"/api/runs/{run_id}/evaluation").json()
    _stop_all(client)
    flat = {"layers": [{"type": "flatten"}, {"type": "dense", "units": 8}]}
    image = _pg_run(client, "digits", flat)
    out["pg_samples.json"] = client.get(f"/api/runs/{image}/samples?limit=12").json()
    out["pg_backprop_unsupported.json"] = client.post(f"/api/runs/{image}/backprop").json()
    upload = "/api/datasets/csv?label_column=label"
    headers = {"content-type": "text/csv"}
    out["pg_csv.json"] = client.post(upload, content=PG_CSV, headers=headers).json()
    ragged = "a,b,label\n1,2,0\n3,1\n"
    out["pg_csv_error.json"] = client.post(upload, content=ragged, headers=headers).json()
    config = {"spec": PG_SPEC, "data": {"dataset": "xor", "n_samples": 60}, "seed": 3}
    other = {**config, "hyperparameters": {"optimizer": "adam"}}
    compare = {"configs": [config, other], "start": False}
    out["pg_compare.json"] = client.post("/api/runs/compare", json=compare).json()
    _stop_all(client)
    return out


# Analytics (#4) fixtures: uploads of real saved models (a weights-only MLP, the same with a
# planted dead layer, an executable torch.export CNN), their reports, a comparison, and the
# refusals of an unsafe pickle and a corrupt file.
def _an_mlp(dead: bool) -> torch.nn.Sequential:
    torch.manual_seed(4)
    model = torch.nn.Sequential(
        torch.nn.Linear(16, 32),
        torch.nn.ReLU(),
        torch.nn.Linear(32, 32),
        torch.nn.ReLU(),
        torch.nn.Linear(32, 4),
    )
    with torch.no_grad():
        for m in model:
            if isinstance(m, torch.nn.Linear):
                torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                torch.nn.init.zeros_(m.bias)
        if dead:  # units 1 and 5 of layer "0" can never fire: zero weights, negative bias
            model[0].weight[[1, 5]] = 0.0
            model[0].bias[[1, 5]] = -1.0
    return model


def _an_bytes(save: Any) -> bytes:
    import io

    buf = io.BytesIO()
    save(buf)
    return buf.getvalue()


def _analytics_fixtures(client: TestClient) -> dict[str, Any]:
    import datetime

    from safetensors.torch import save as save_safetensors

    def upload(name: str, data: bytes, **params: str) -> Any:
        r = client.post("/api/models", params={"filename": name, **params}, content=data)
        if r.status_code != 201:
            raise RuntimeError(f"fixture upload {name} failed: {r.text}")
        return r.json()

    healthy = upload("healthy_mlp.safetensors", save_safetensors(_an_mlp(False).state_dict()))
    dead = upload("dead_layer.pt", _an_bytes(lambda b: torch.save(_an_mlp(True).state_dict(), b)))
    torch.manual_seed(5)
    cnn = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(8 * 8 * 8, 10),
    ).eval()
    program = torch.export.export(cnn, (torch.randn(1, 3, 16, 16),))
    exported = upload(
        "small_cnn.pt2", _an_bytes(lambda b: torch.export.save(program, b)), input_shape="1,3,16,16"
    )
    out: dict[str, Any] = {"an_upload.json": dead}
    for label, model in (("healthy", healthy), ("dead", dead), ("cnn", exported)):
        out[f"an_report_{label}.json"] = client.get(f"/api/models/{model['id']}/report").json()
    out["an_models.json"] = client.get("/api/models").json()
    compare = client.post("/api/models/compare", json={"ids": [healthy["id"], dead["id"]]})
    out["an_compare.json"] = compare.json()
    unsafe = {"weight": torch.zeros(2, 2), "when": datetime.date(2020, 1, 1)}
    bad = client.post(
        "/api/models",
        params={"filename": "unsafe.pt"},
        content=_an_bytes(lambda b: torch.save(unsafe, b)),
    )
    out["an_unsafe_error.json"] = bad.json()
    corrupt = client.post("/api/models", params={"filename": "cut.pt"}, content=b"PK\x03\x04oops")
    out["an_corrupt_error.json"] = corrupt.json()
    out.update(_an_graph_fixtures(client, upload))
    return out


class _AnBlock(torch.nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(c, c, 3, padding=1)
        self.relu = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.conv2(self.relu(self.conv1(x))))


def an_resnet() -> torch.nn.Sequential:
    """A ResNet-shaped CNN (stem, 2 residual blocks, head) with dead channels 2 and 5 planted in
    ``1.conv1`` (zero kernels, negative bias); also used by tests/e2e/test_analytics_graph.py."""
    torch.manual_seed(6)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1),
        _AnBlock(8),
        _AnBlock(8),
        torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(),
        torch.nn.Linear(8, 10),
    )
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Conv2d | torch.nn.Linear):
                torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                torch.nn.init.zeros_(m.bias)
        conv = model[1].conv1
        assert isinstance(conv, torch.nn.Conv2d)
        conv.weight[[2, 5]] = 0.0
        conv.bias[[2, 5]] = -1.0
    return model.eval()


def an_resnet_torchscript() -> bytes:
    import warnings

    with warnings.catch_warnings():  # TorchScript is deprecated upstream, still a format
        warnings.simplefilter("ignore", DeprecationWarning)
        traced = torch.jit.trace(an_resnet(), torch.randn(1, 3, 16, 16))
    return _an_bytes(lambda b: torch.jit.save(traced, b))


def _an_graph_fixtures(client: TestClient, upload: Any) -> dict[str, Any]:
    """The graph of a TorchScript ResNet (residual curves, a flagged layer) and a run's model."""
    resnet = upload("resnet.pt", an_resnet_torchscript(), input_shape="1,3,16,16")
    out = {"an_report_resnet.json": client.get(f"/api/models/{resnet['id']}/report").json()}
    runs = client.get("/api/runs").json()
    out["an_runs.json"] = runs
    picked = client.post(f"/api/models/from-run/{runs['items'][0]['id']}")
    if picked.status_code != 201:
        raise RuntimeError(f"fixture model of a run failed: {picked.text}")
    out["an_from_run.json"] = picked.json()
    out["an_from_run_missing.json"] = client.post("/api/models/from-run/nope").json()
    return out


# Search (#6) fixtures: a health study written as workers write it (plain Optuna + the contract's
# user attributes): 5 complete trials, 1 pruned, 1 running; then what every search route answers.
def _search_fixtures(client: TestClient, db_url: str) -> dict[str, Any]:
    import optuna
    from optuna.distributions import FloatDistribution, IntDistribution

    from neuralscope.search import contract as c

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    client.get("/api/studies")  # opens the search side (creates Optuna's tables)
    study = optuna.create_study(storage=db_url, study_name="digits-fixture", direction="maximize")
    config = c.StudyConfig(name="digits-fixture", dataset="digits", n_trials=8, max_epochs=3)
    study.set_user_attr(c.ATTR_CONFIG, config.model_dump(mode="json"))
    dists = {
        "dense_units": IntDistribution(16, 256, log=True),
        "learning_rate": FloatDistribution(1e-4, 0.1, log=True),
    }
    for i, (units, lr) in enumerate(
        [(16, 0.001), (32, 0.01), (64, 0.003), (128, 0.03), (256, 0.1), (24, 0.05), (48, 0.002)]
    ):
        acc, health = 0.8 + 0.15 * i / 6, 90.0 - 8 * i
        live = max(0.0, 1.0 - 0.15 * i)
        layers = [
            c.ArchitectureLayer(kind="input", output_shape=[1, 8, 8]),
            c.ArchitectureLayer(
                kind="conv2d",
                output_shape=[16, 8, 8],
                params=160,
                filters=16,
                kernel_size=3,
                activation="relu",
                health=live,
            ),
            c.ArchitectureLayer(kind="flatten", output_shape=[1024]),
            c.ArchitectureLayer(
                kind="dense",
                output_shape=[units],
                params=1024 * units,
                units=units,
                activation="relu",
                health=live,
            ),
            c.ArchitectureLayer(kind="output", output_shape=[10], params=units * 10 + 10, units=10),
        ]
        curve = [
            c.CurvePoint(epoch=e, train_loss=1.5 / e, val_accuracy=acc * e / 3) for e in range(1, 4)
        ]
        attrs: dict[str, Any] = {
            c.ATTR_ARCHITECTURE: [layer.model_dump(mode="json") for layer in layers],
            c.ATTR_CURVE: [p.model_dump(mode="json") for p in curve[: 1 if i == 5 else 3]],
            c.ATTR_WORKER: "fixture:1",
        }
        state = optuna.trial.TrialState.COMPLETE
        if i == 5:
            state = optuna.trial.TrialState.PRUNED
            attrs[c.ATTR_PRUNED_BY] = "intermediate"
        elif i == 6:
            state = optuna.trial.TrialState.RUNNING
        else:
            metrics = c.TrialMetrics(
                val_accuracy=acc, train_accuracy=acc + 0.02, health=health,
                components=c.HealthComponents(
                    utilization=live, param_efficiency=1 - 0.1 * i, stability=0.9,
                    gradient_health=1.0, convergence=0.8, consistency=1.0 - 0.1 * i,
                ),
                params=sum(layer.params for layer in layers), epochs=3, train_seconds=4.0 + i,
                findings=["dead_units"] if live < 0.5 else [],
            )  # fmt: skip
            attrs[c.ATTR_METRICS] = metrics.model_dump(mode="json")
        study.add_trial(
            optuna.trial.create_trial(
                state=state,
                values=[health] if state == optuna.trial.TrialState.COMPLETE else None,
                params={"dense_units": units, "learning_rate": lr},
                distributions=dists,
                user_attrs=attrs,
            )
        )
    base = "/api/studies/digits-fixture"
    return {
        "search_studies.json": client.get("/api/studies").json(),
        "search_study.json": client.get(base).json(),
        "search_trials.json": client.get(f"{base}/trials", params={"order": "-number"}).json(),
        "search_top.json": client.get(
            f"{base}/trials", params={"order": "best", "state": "complete"}
        ).json(),
        "search_live.json": client.get(f"{base}/live").json(),
        "search_importance.json": client.get(f"{base}/importance").json(),
        "search_compare.json": client.get(f"{base}/compare").json(),
        "search_layout.json": client.get(f"{base}/trials/0/layout").json(),
        "search_files.json": client.get(f"{base}/trials/0/files").json(),
        "search_defaults.json": client.get("/api/search/defaults").json(),
        "search_conflict.json": client.post(
            "/api/studies",
            json={"config": {"name": "digits-fixture", "dataset": "digits"}, "workers": 0},
        ).json(),
    }


# Playground zoo (#3) fixtures: the listing before and after a tiny-scale zoo is installed, a
# fine-tune run, the model registered with Analytics, and the 409 of a missing zoo.
def _zoo_fixtures(client: TestClient, home: Path) -> dict[str, Any]:
    from neuralscope.zoo import train_zoo, zoo_dir

    empty = client.get("/api/zoo").json()
    missing = client.post("/api/zoo/spirals/runs").json()
    train_zoo(zoo_dir(home), 0.05)
    run = client.post("/api/zoo/blobs/runs", json={"start": False}).json()
    model = client.post("/api/zoo/blobs/analyze").json()
    _stop_all(client)
    return {
        "zoo_empty.json": empty,
        "zoo_not_installed.json": missing,
        "zoo_list.json": client.get("/api/zoo").json(),
        "zoo_run.json": run,
        "zoo_model.json": model,
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_fixtures(Path(sys.argv[1]))
