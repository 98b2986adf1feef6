"""The event bus: scalars in order and never dropped; frames coalesced for slow viewers."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from neuralscope.bus import EventBus, SubscriptionClosed
from neuralscope.events import (
    BoundaryEvent,
    BoundaryPayload,
    CompactArray,
    Event,
    MetricsEvent,
    MetricsPayload,
)


def metrics(step: int, run_id: str = "r") -> MetricsEvent:
    return MetricsEvent(
        run_id=run_id,
        step=step,
        time=0.0,
        payload=MetricsPayload(values={"train/loss": 1.0 / (step + 1)}),
    )


def boundary(step: int) -> BoundaryEvent:
    grid = CompactArray.from_numpy(np.full((2, 2), step % 256, dtype=np.uint8))
    return BoundaryEvent(
        run_id="r",
        step=step,
        time=0.0,
        payload=BoundaryPayload(resolution=2, x_range=(-6, 6), y_range=(-6, 6), values=grid),
    )


def test_slow_viewer_gets_every_scalar_but_only_the_newest_frame() -> None:
    async def scenario() -> list[Event]:
        bus = EventBus()
        sub = bus.subscribe("r")

        def train() -> None:
            for step in range(1000):
                bus.publish(metrics(step))
                bus.publish(boundary(step))

        thread = threading.Thread(target=train)
        thread.start()
        thread.join()
        return await sub.next_batch()

    batch = asyncio.run(scenario())
    scalar_steps = [e.step for e in batch if e.kind == "metrics"]
    frames = [e for e in batch if e.kind == "boundary"]
    assert scalar_steps == list(range(1000))
    assert [f.step for f in frames] == [999]


def test_viewers_of_other_runs_see_nothing() -> None:
    async def scenario() -> tuple[int, int]:
        bus = EventBus()
        mine, other = bus.subscribe("r"), bus.subscribe("other")
        bus.publish(metrics(1))
        return len(mine.drain()), len(other.drain())

    assert asyncio.run(scenario()) == (1, 0)


def test_viewer_too_far_behind_is_disconnected_not_silently_dropping() -> None:
    async def scenario() -> None:
        bus = EventBus(max_pending=10)
        sub = bus.subscribe("r")
        for step in range(11):
            bus.publish(metrics(step))
        await sub.next_batch()

    with pytest.raises(SubscriptionClosed, match="behind"):
        asyncio.run(scenario())


def test_waiting_viewer_wakes_on_publish_from_another_thread() -> None:
    async def scenario() -> int:
        bus = EventBus()
        sub = bus.subscribe("r")
        loop = asyncio.get_running_loop()
        loop.call_later(
            0.05, lambda: threading.Thread(target=bus.publish, args=(metrics(7),)).start()
        )
        batch = await asyncio.wait_for(sub.next_batch(), timeout=5)
        bus.unsubscribe(sub)
        assert bus.subscriber_count("r") == 0
        return batch[0].step

    assert asyncio.run(scenario()) == 7
