"""Events to and from their stored form.

Discrete events keep their payload as JSON (``PortableJSON`` carries NaN/Inf); snapshots keep it
as zlib-compressed JSON bytes, because boundary grids and per-layer lists are large and only ever
read whole. Either way the stored payload is ``payload.model_dump(mode="json")`` and reading it
back validates through :func:`neuralscope.events.parse_event`, so callers get typed events.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from neuralscope.events import Event, parse_event

# Level 1: the recorder shares the GIL with a live training thread; higher levels cost
# several times the CPU for a few percent smaller snapshots (mostly base64 arrays).
_COMPRESSION_LEVEL = 1


def payload_of(event: Event) -> dict[str, Any]:
    """The event's payload as JSON-ready values (non-finite floats kept as floats)."""
    return event.payload.model_dump(mode="json")


def compress_payload(event: Event) -> bytes:
    # allow_nan: Python's json writes and reads NaN/Infinity, which this private format needs.
    text = json.dumps(payload_of(event), separators=(",", ":"), allow_nan=True)
    return zlib.compress(text.encode(), _COMPRESSION_LEVEL)


def decompress_payload(blob: bytes) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(zlib.decompress(blob))
    return payload


def rebuild(run_id: str, step: int, time: float, kind: str, payload: dict[str, Any]) -> Event:
    """The typed event from its stored parts."""
    return parse_event(
        {"run_id": run_id, "step": step, "time": time, "kind": kind, "payload": payload}
    )


def event_row(event: Event) -> dict[str, Any]:
    """Values for an ``events`` row."""
    return {
        "run_id": event.run_id,
        "step": event.step,
        "kind": event.kind.value,
        "payload": payload_of(event),
        "time": event.time,
    }


def snapshot_row(event: Event) -> dict[str, Any]:
    """Values for a ``snapshots`` row."""
    return {
        "run_id": event.run_id,
        "step": event.step,
        "kind": event.kind.value,
        "payload": compress_payload(event),
        "time": event.time,
    }
