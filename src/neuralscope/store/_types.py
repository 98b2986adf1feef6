"""Column types that behave the same on SQLite and PostgreSQL.

* :class:`UTCDateTime` — always returns timezone-aware UTC datetimes (SQLite has no time zones
  and hands back naive values).
* :class:`MetricFloat` — a double that round-trips NaN and +/-Inf. PostgreSQL's ``double
  precision`` stores all three; SQLite stores infinities but silently turns NaN into NULL, so a
  NULL read back means NaN (metric values are never missing, so NULL is otherwise unused).
* :class:`PortableJSON` — JSON that round-trips non-finite floats. JSON has no NaN/Infinity and
  PostgreSQL's ``json`` type rejects them, yet a diverged run's final loss is NaN. Non-finite
  floats are stored as ``{"$float": "NaN" | "Infinity" | "-Infinity"}`` and turned back on read.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Double
from sqlalchemy.types import TypeDecorator

_FLOAT_TAG = "$float"
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that refuses naive input and returns UTC-aware values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class MetricFloat(TypeDecorator[float]):
    """A 64-bit float column where NaN survives SQLite (stored there as NULL)."""

    impl = Double()
    cache_ok = True

    def process_bind_param(self, value: float | None, dialect: Dialect) -> float | None:
        if value is None:
            return None
        value = float(value)
        if math.isnan(value) and dialect.name == "sqlite":
            return None
        return value

    def process_result_value(self, value: float | None, dialect: Dialect) -> float:
        return math.nan if value is None else float(value)


def encode_json(value: Any) -> Any:
    """Replace non-finite floats by tagged objects, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        name = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return {_FLOAT_TAG: name}
    if isinstance(value, dict):
        return {k: encode_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_json(v) for v in value]
    return value


def decode_json(value: Any) -> Any:
    """Undo :func:`encode_json`."""
    if isinstance(value, dict):
        if len(value) == 1 and value.get(_FLOAT_TAG) in _NON_FINITE:
            return _NON_FINITE[value[_FLOAT_TAG]]
        return {k: decode_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_json(v) for v in value]
    return value


class PortableJSON(TypeDecorator[Any]):
    """JSON where NaN and +/-Inf survive PostgreSQL's strict ``json`` type."""

    impl = JSON()
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return encode_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return decode_json(value)
