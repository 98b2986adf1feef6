"""The store: one object that opens the database and holds the repositories.

This is the API the rest of neuralscope uses; it hands out frozen records and typed events,
never ORM objects. Every repository call is its own short transaction, so one ``Store`` is safe
to share between threads (the server's request handlers, training threads, the recorder).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from neuralscope.store._session import Database
from neuralscope.store.artifacts import ArtifactRepository
from neuralscope.store.db import create_db_engine, mask_url, migrate
from neuralscope.store.event_log import EventRepository, SnapshotRepository
from neuralscope.store.metrics import MetricRepository
from neuralscope.store.models_repo import ModelRepository
from neuralscope.store.runs import RunRepository
from neuralscope.store.shares import ShareRepository


class Store:
    """Runs, metrics, events, snapshots and artifacts over one database URL.

    Args:
        url: a SQLAlchemy URL: ``sqlite:///path/to/file.db`` (the default backend) or
            ``postgresql+psycopg://user:password@host/db``.
        artifacts_dir: where content-addressed artifact files are kept.

    Raises:
        StoreUnavailable: the database cannot be opened or reached, or its schema cannot be
            brought up to date.
    """

    def __init__(self, url: str, artifacts_dir: Path) -> None:
        self.url = mask_url(url)
        engine = create_db_engine(url)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        self._db = Database(engine)
        self.runs = RunRepository(self._db)
        self.metrics = MetricRepository(self._db)
        self.events = EventRepository(self._db)
        self.snapshots = SnapshotRepository(self._db)
        self.artifacts = ArtifactRepository(self._db, Path(artifacts_dir))
        self.models = ModelRepository(self._db)
        self.shares = ShareRepository(self._db)

    @property
    def database(self) -> Database:
        """Sessions on the store's engine, for the recorder and for tests inside the store."""
        return self._db

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection. The store must not be used afterwards."""
        self._db.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"
