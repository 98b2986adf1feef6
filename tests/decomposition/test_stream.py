"""Live decomposition as ``modules`` events: Taylor between evaluations, ablation at them,
lifecycle changes, alerts once, and a payload that survives the wire."""

from __future__ import annotations

import pytest
import torch
from tests.decomposition.planted import (
    idle_data,
    idle_module_net,
    planted_two_task,
    two_task_data,
    two_task_loss,
)

from neuralscope.decomposition import DecomposeConfig, LiveConfig, SpectralClustering
from neuralscope.decomposition.stream import ModuleStream
from neuralscope.events import (
    COALESCABLE_KINDS,
    EventKind,
    FindingEvent,
    ModulesEvent,
    parse_event,
)

CONFIG = LiveConfig(
    every_steps=40,
    max_overhead=None,
    evaluate_every=2,
    decompose=DecomposeConfig(metrics=False, random_sets=50),
)


def _train(
    stream: ModuleStream,
    model: torch.nn.Module,
    data_x: torch.Tensor,
    data_y: torch.Tensor,
    steps: int,
) -> list[ModulesEvent | FindingEvent]:
    torch.manual_seed(0)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    out: list[ModulesEvent | FindingEvent] = []
    for step in range(1, steps + 1):
        opt.zero_grad()
        two_task_loss(model(data_x), data_y).backward()
        opt.step()
        for event in stream.after_step(step, model, float(step), final=step == steps):
            assert isinstance(event, ModulesEvent | FindingEvent)
            out.append(event)
    return out


@pytest.mark.slow
def test_ablation_at_evaluations_taylor_between_and_ids_kept() -> None:
    torch.manual_seed(0)
    data = two_task_data(1000, 4, 0)
    model = planted_two_task()
    stream = ModuleStream("run", ["1"], data.test_x, data.test_y, probe_label="test", config=CONFIG)
    events = _train(stream, model, data.train_x, data.train_y, 200)
    snaps = [e for e in events if isinstance(e, ModulesEvent)]
    assert [e.step for e in snaps] == [40, 80, 120, 160, 200]
    # first: identification only; then every 2nd evaluates; the final step always does
    assert [e.payload.evaluated for e in snaps] == [False, True, False, True, True]
    decomposer = stream.live
    for event, snap in zip(snaps, decomposer.snapshots, strict=True):
        payload = event.payload
        assert len(payload.modules) == 2
        by_id = {m.id: m for m in snap.decomposition.modules}
        for mod in payload.modules:
            source = by_id[mod.id]
            assert mod.taylor == source.taylor  # the proxy, at every snapshot
            assert mod.scores is not None or event.step == 40
            if payload.evaluated:  # what is reported as importance is the ablation
                assert source.metrics is not None
                assert mod.scores is not None
                assert mod.scores.step == event.step
                assert mod.scores.importance == source.metrics.importance.share
                assert mod.scores.keep_only == [s.accuracy for s in source.metrics.keep_only]
            elif mod.scores is not None:  # between evaluations: the last ablation, dated
                assert mod.scores.step < event.step
                assert source.metrics is None
            assert mod.class_drive
            assert len(mod.unit_mean) == len(mod.units)
            assert mod.input_pattern is not None
            assert mod.input_pattern.to_numpy().shape == (8,)
            assert mod.smoothed["units"] == len(mod.units)
        assert payload.links == []  # one layer: no connections
        again = parse_event(event.model_dump_json())
        assert again == event
    final = snaps[-1].payload.modules
    ids = {m.id for m in snaps[1].payload.modules}
    assert {m.id for m in final} == ids  # identities kept once formed
    assert [c.type for c in snaps[0].payload.changes] == ["born", "born"]
    assert all(not e.payload.changes for e in snaps[2:])
    # the module that holds task A: keep-only keeps A, ablation takes A to chance
    for mod in final:
        assert mod.scores is not None
        own = int(max(range(2), key=lambda t: mod.scores.probe[t] if mod.scores else 0))
        assert mod.scores.keep_only[own] >= 0.9
        assert mod.scores.ablate_only[own] <= 0.65
    assert EventKind.MODULES not in COALESCABLE_KINDS


@pytest.mark.slow
def test_alerts_are_raised_once_with_previews() -> None:
    torch.manual_seed(0)
    data = idle_data(1000, 4, 0)
    model = idle_module_net()
    stream = ModuleStream("run", ["1"], data.test_x, data.test_y, config=CONFIG)
    events = _train(stream, model, data.train_x, data.train_y, 200)
    findings = [e.payload for e in events if isinstance(e, FindingEvent)]
    redundant = [f for f in findings if f.code == "redundant_module"]
    assert len(redundant) == 1  # raised at the first evaluation, not again
    idle = str(redundant[0].evidence["module"])
    last = [e for e in events if isinstance(e, ModulesEvent)][-1].payload
    assert any(f.code == "redundant_module" for f in last.findings)  # still current
    previews = {p.intervention: p for p in last.previews if p.module == idle}
    assert set(previews) == {"prune", "reinitialize"}
    prune = previews["prune"]
    assert prune.accuracy_after == prune.accuracy_before  # pruning the idle module is free


@pytest.mark.slow
def test_explore_matches_ids_and_leaves_the_stream_alone() -> None:
    torch.manual_seed(0)
    data = two_task_data(1000, 4, 0)
    model = planted_two_task()
    stream = ModuleStream("run", ["1"], data.test_x, data.test_y, config=CONFIG)
    events = _train(stream, model, data.train_x, data.train_y, 120)
    ids = {m.id for m in [e for e in events if isinstance(e, ModulesEvent)][-1].payload.modules}
    seen = len(stream.live.snapshots)
    fork = stream.fork(SpectralClustering(2), evaluate=False)
    explored = fork.now(120, model, 0.0)
    assert {m.id for m in explored.payload.modules} == ids
    assert explored.payload.layers[0].method == "spectral"
    assert not explored.payload.evaluated
    four = stream.fork(SpectralClustering(4), evaluate=True).now(120, model, 0.0)
    assert four.payload.evaluated
    assert len(four.payload.modules) in (1, 4)  # 4 if significant, else one module
    assert len(stream.live.snapshots) == seen
