"""Where a watched run's events go: the local store (through the background Recorder)."""

from __future__ import annotations

from neuralscope.config import Settings
from neuralscope.events import Event
from neuralscope.store import Recorder, Store
from neuralscope.watching.config import WatchRunConfig

RUN_KIND = "watch"


class LocalSink:
    """Creates a run of kind ``watch`` in the local store and records into it."""

    def __init__(self, settings: Settings, name: str, config: WatchRunConfig) -> None:
        settings.home.mkdir(parents=True, exist_ok=True)
        self._store = Store(settings.db_url, settings.artifacts_dir)
        try:
            record = self._store.runs.create(
                name=name, kind=RUN_KIND, config=config.model_dump(mode="json")
            )
            self._recorder = Recorder(self._store)
        except BaseException:
            self._store.close()
            raise
        self.run_id = record.id

    def emit(self, events: list[Event]) -> None:
        if events:
            self._recorder.record_many(events)

    def close(self) -> None:
        try:
            self._recorder.close()
        finally:
            self._store.close()
