"""Batched snapshot builds: a burst of callers shares builds, and none gets a stale one."""

from __future__ import annotations

import asyncio

import pytest

from neuralscope.server.batched import BatchedBuilds


class Builder:
    """Counts builds; each build reads the clock when it starts, then takes ``seconds``."""

    def __init__(self, seconds: float = 0.05, fail_first: bool = False) -> None:
        self.seconds = seconds
        self.fail_first = fail_first
        self.started: list[float] = []

    async def build(self) -> str:
        read_at = asyncio.get_running_loop().time()
        self.started.append(read_at)
        await asyncio.sleep(self.seconds)
        if self.fail_first and len(self.started) == 1:
            raise RuntimeError("the store went away")
        return f"{read_at!r}"


def test_a_burst_of_callers_costs_at_most_two_builds_and_none_is_stale() -> None:
    async def main() -> tuple[list[float], list[str], Builder, BatchedBuilds]:
        builds, builder = BatchedBuilds(), Builder()
        loop = asyncio.get_running_loop()
        asked = [0.0] * 30

        async def viewer(i: int) -> str:
            await asyncio.sleep(i * 0.08 / 30)
            asked[i] = loop.time()
            return await builds.get("run", builder.build)

        # 30 viewers arrive over 0.08 s while 0.05 s builds run
        results = await asyncio.gather(*(viewer(i) for i in range(30)))
        return asked, list(results), builder, builds

    asked, results, builder, builds = asyncio.run(main())
    # 0.08 s of arrivals over 0.05 s builds: two or three batches, not 30 builds
    assert 2 <= len(builder.started) <= 3
    # every caller's snapshot was read at or after the moment it asked
    assert all(float(r) >= a for r, a in zip(results, asked, strict=True))
    assert builds.pending_keys() == 0  # nothing kept once idle


def test_callers_of_different_keys_do_not_share() -> None:
    async def main() -> list[str]:
        builds = BatchedBuilds()

        async def make(key: str) -> str:
            await asyncio.sleep(0.01)
            return key

        return list(await asyncio.gather(*(builds.get(k, lambda k=k: make(k)) for k in "abc")))

    assert asyncio.run(main()) == ["a", "b", "c"]


def test_a_failed_build_fails_its_callers_and_the_next_call_builds_again() -> None:
    async def main() -> tuple[list[BaseException | str], str, int]:
        builds, builder = BatchedBuilds(), Builder(fail_first=True)
        first = await asyncio.gather(
            *(builds.get("run", builder.build) for _ in range(5)), return_exceptions=True
        )
        again = await builds.get("run", builder.build)
        return list(first), again, len(builder.started)

    first, again, n_builds = asyncio.run(main())
    assert all(isinstance(r, RuntimeError) for r in first)
    assert float(again) > 0
    assert n_builds == 2


def test_a_caller_that_leaves_does_not_cancel_the_build_for_the_others() -> None:
    async def main() -> str:
        builds, builder = BatchedBuilds(), Builder(seconds=0.05)
        leaver = asyncio.create_task(builds.get("run", builder.build))
        stayer = asyncio.create_task(builds.get("run", builder.build))
        await asyncio.sleep(0.01)
        leaver.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leaver
        return await stayer

    assert float(asyncio.run(main())) >= 0
