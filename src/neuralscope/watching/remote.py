"""Sending a watched run to a neuralscope server: batches, retries, a bounded buffer, a spool.

``emit()`` never blocks on the network: it appends to an in-memory buffer that a sender thread
posts in batches (``POST /api/watch/runs/{id}/events``), retrying each batch with exponential
backoff. When the server cannot be reached, or the buffer is full, events are appended to a
spool file in the local neuralscope home (``<home>/spool/<run id>.jsonl``, one event per line,
with ``<run id>.json`` describing the run). Once the server answers again the spool is sent
first, in order, and removed; what is left at exit stays on disk until :func:`sync_spool`
(or the next watched run to that server) sends it. Nothing is dropped.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from pathlib import Path

import httpx

from neuralscope.config import Settings
from neuralscope.events import EVENT_ADAPTER, Event, parse_event
from neuralscope.watching.config import WatchRunConfig

log = logging.getLogger(__name__)

BATCH = 500
MAX_BUFFER = 20_000
RETRIES = 3


class _Client:
    """The two ingest calls, with retries."""

    def __init__(
        self,
        server: str,
        token: str | None,
        timeout: float = 5.0,
        http: httpx.Client | None = None,
    ) -> None:
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._own = http is None
        self._http = http or httpx.Client(base_url=server.rstrip("/"), timeout=timeout)

    def create(self, run_id: str, name: str, config: dict[str, object]) -> None:
        body = {"id": run_id, "name": name, "config": config}
        self._call("/api/watch/runs", body)

    def send(self, run_id: str, events: list[Event]) -> None:
        body = {"events": [EVENT_ADAPTER.dump_python(e, mode="json") for e in events]}
        self._call(f"/api/watch/runs/{run_id}/events", body)

    def _call(self, path: str, body: Mapping[str, object]) -> None:
        delay = 0.1
        for attempt in range(RETRIES):
            try:
                response = self._http.post(path, json=body, headers=self._headers)
                if response.status_code < 500:
                    response.raise_for_status()  # 4xx: our request is wrong, do not retry
                    return
                error: Exception = httpx.HTTPStatusError(
                    f"server error {response.status_code}",
                    request=response.request,
                    response=response,
                )
            except httpx.TransportError as transport:
                error = transport
            if attempt + 1 < RETRIES:
                time.sleep(delay)
                delay *= 2
        raise error

    def close(self) -> None:
        if self._own:
            self._http.close()


class Spool:
    """Append-only JSONL file of one run's events, plus its description."""

    def __init__(self, home: Path, run_id: str) -> None:
        self.dir = home / "spool"
        self.events_path = self.dir / f"{run_id}.jsonl"
        self.header_path = self.dir / f"{run_id}.json"

    def write_header(self, server: str, name: str, config: dict[str, object]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        header = {"server": server, "name": name, "config": config}
        self.header_path.write_text(json.dumps(header))

    def append(self, events: list[Event]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        with self.events_path.open("ab") as f:
            for event in events:
                f.write(EVENT_ADAPTER.dump_json(event) + b"\n")

    def read(self) -> list[Event]:
        if not self.events_path.exists():
            return []
        lines = self.events_path.read_bytes().splitlines()
        return [parse_event(line) for line in lines if line.strip()]

    def remove(self) -> None:
        self.events_path.unlink(missing_ok=True)
        self.header_path.unlink(missing_ok=True)


def _send_spool(client: _Client, run_id: str, spool: Spool) -> int:
    events = spool.read()
    for start in range(0, len(events), BATCH):
        client.send(run_id, events[start : start + BATCH])
    spool.events_path.unlink(missing_ok=True)
    return len(events)


class ServerSink:
    """A watched run that lives on a server; see the module docstring."""

    def __init__(
        self,
        server: str,
        token: str | None,
        name: str,
        config: WatchRunConfig,
        settings: Settings,
        *,
        flush_interval: float = 0.5,
        max_buffer: int = MAX_BUFFER,
        http: httpx.Client | None = None,
    ) -> None:
        self.run_id = uuid.uuid4().hex
        self._name = name
        self._config = config.model_dump(mode="json")
        self._client = _Client(server, token, http=http)
        self._spool = Spool(settings.home, self.run_id)
        self._spool.write_header(server, name, self._config)
        self._max_buffer = max_buffer
        self._interval = flush_interval
        self._buffer: deque[Event] = deque()
        self._lock = threading.Condition()
        self._spool_lock = threading.Lock()
        self._created = False
        self._offline = False
        self._stop = False
        self._thread = threading.Thread(
            target=self._run, name="neuralscope-watch-sender", daemon=True
        )
        self._thread.start()

    @property
    def spooled(self) -> bool:
        """True when events wait in the spool file."""
        return self._spool.events_path.exists()

    def emit(self, events: list[Event]) -> None:
        with self._lock:
            self._buffer.extend(events)
            if len(self._buffer) <= self._max_buffer:
                if len(self._buffer) >= BATCH:
                    self._lock.notify_all()
                return
            spill = list(self._buffer)
            self._buffer.clear()
            self._offline = True
            with self._spool_lock:
                self._spool.append(spill)  # a full buffer spills to disk instead of blocking

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(
                    lambda: self._stop or len(self._buffer) >= BATCH, self._interval
                )
                stop = self._stop
            self._pump()
            if stop:
                return

    def _pump(self) -> None:
        """Send the spool (if any) and then the buffer; spool whatever cannot be sent."""
        try:
            if not self._created:
                self._client.create(self.run_id, self._name, self._config)
                self._created = True
            if self._offline or self.spooled:
                with self._spool_lock:
                    _send_spool(self._client, self.run_id, self._spool)
                self._offline = False
            while True:
                with self._lock:
                    batch = [self._buffer.popleft() for _ in range(min(BATCH, len(self._buffer)))]
                if not batch:
                    return
                try:
                    self._client.send(self.run_id, batch)
                except Exception:
                    with self._spool_lock:
                        self._spool.append(batch)
                    raise
        except Exception as error:
            self._offline = True
            with self._lock:
                batch = list(self._buffer)
                self._buffer.clear()
            with self._spool_lock:
                self._spool.append(batch)
            log.warning(
                "neuralscope server unreachable, spooling to %s: %s", self._spool.dir, error
            )

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._lock.notify_all()
        self._thread.join()
        self._client.close()
        if self.spooled or not self._created:
            log.warning(
                "neuralscope: run %s is spooled in %s; it is sent by sync_spool() "
                "or the next watched run to that server",
                self.run_id,
                self._spool.dir,
            )
        else:
            self._spool.remove()


def sync_spool(
    settings: Settings, token: str | None = None, *, http: httpx.Client | None = None
) -> int:
    """Send every spooled run to its server; return how many events were sent.

    ``http``: a client to send through instead of one per spooled run's server URL.
    """
    spool_dir = settings.home / "spool"
    sent = 0
    for header_path in sorted(spool_dir.glob("*.json")):
        run_id = header_path.stem
        header = json.loads(header_path.read_text())
        spool = Spool(settings.home, run_id)
        client = _Client(str(header["server"]), token, http=http)
        try:
            client.create(run_id, str(header["name"]), dict(header["config"]))
            sent += _send_spool(client, run_id, spool)
            spool.remove()
        except (httpx.HTTPError, OSError) as error:
            log.warning("could not sync spooled run %s: %s", run_id, error)
        finally:
            client.close()
    return sent
