"""Cheap reads of Optuna's RDB tables for the catalog (a page costs O(page), not O(study)).

Optuna's own ``get_all_trials`` loads every trial with all of its params, values, attributes and
intermediate values; a study page with 1,000 trials would pay for all of them on every request.
These queries read Optuna's documented table layout (``studies``, ``trials``, ``trial_values``,
``trial_params``, ``trial_user_attributes``; see ``optuna/storages/_rdb/models.py``) for exactly
the rows a page shows. Datetimes are stored as naive UTC; states and value types by enum name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from optuna.distributions import json_to_distribution

_INF = {"INF_POS": float("inf"), "INF_NEG": float("-inf")}


def utc(value: Any) -> datetime | None:
    """A stored naive-UTC datetime (SQLite returns text) as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC)


def stored_value(value: float | None, value_type: str) -> float:
    return _INF.get(value_type, float("nan") if value is None else float(value))


@dataclass
class TrialRow:
    """One trial as read from the tables (attributes limited to the keys asked for)."""

    trial_id: int
    number: int
    state: str
    started: datetime | None
    completed: datetime | None
    values: list[float] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)


def _in(name: str, items: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``name IN (:name0, :name1, ...)`` with its bind parameters (portable across dialects)."""
    binds = {f"{name}{i}": item for i, item in enumerate(items)}
    return f"({', '.join(':' + key for key in binds)})", binds


def study_ids(conn: sa.Connection) -> dict[str, int]:
    rows = conn.execute(sa.text("SELECT study_id, study_name FROM studies ORDER BY study_id"))
    return {str(name): int(sid) for sid, name in rows}


def study_attrs(
    conn: sa.Connection, ids: Sequence[int], keys: Sequence[str]
) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    id_sql, id_binds = _in("s", ids)
    key_sql, key_binds = _in("k", keys)
    rows = conn.execute(
        sa.text(
            "SELECT study_id, key, value_json FROM study_user_attributes "
            f"WHERE study_id IN {id_sql} AND key IN {key_sql}"
        ),
        {**id_binds, **key_binds},
    )
    out: dict[int, dict[str, Any]] = {sid: {} for sid in ids}
    for sid, key, value in rows:
        out[int(sid)][str(key)] = json.loads(value)
    return out


def directions(conn: sa.Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    id_sql, binds = _in("s", ids)
    rows = conn.execute(
        sa.text(
            "SELECT study_id, objective, direction FROM study_directions "
            f"WHERE study_id IN {id_sql} ORDER BY study_id, objective"
        ),
        binds,
    )
    out: dict[int, list[str]] = {sid: [] for sid in ids}
    for sid, _, direction in rows:
        out[int(sid)].append(str(direction).lower())
    return out


@dataclass
class StateStats:
    count: int
    first_start: datetime | None
    last_complete: datetime | None


def state_stats(conn: sa.Connection, ids: Sequence[int]) -> dict[int, dict[str, StateStats]]:
    if not ids:
        return {}
    id_sql, binds = _in("s", ids)
    rows = conn.execute(
        sa.text(
            "SELECT study_id, state, COUNT(*), MIN(datetime_start), MAX(datetime_complete) "
            f"FROM trials WHERE study_id IN {id_sql} GROUP BY study_id, state"
        ),
        binds,
    )
    out: dict[int, dict[str, StateStats]] = {sid: {} for sid in ids}
    for sid, state, count, first, last in rows:
        out[int(sid)][str(state)] = StateStats(int(count), utc(first), utc(last))
    return out


def best_number(conn: sa.Connection, study_id: int, objective: int, maximize: bool) -> int | None:
    """The completed trial with the best finite value of one objective (lowest number on ties)."""
    order = "DESC" if maximize else "ASC"
    row = conn.execute(
        sa.text(
            "SELECT t.number FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id "
            "WHERE t.study_id = :s AND t.state = 'COMPLETE' AND v.objective = :o "
            f"AND v.value_type = 'FINITE' ORDER BY v.value {order}, t.number ASC LIMIT 1"
        ),
        {"s": study_id, "o": objective},
    ).first()
    return None if row is None else int(row[0])


def count_trials(conn: sa.Connection, study_id: int, states: Sequence[str] | None) -> int:
    sql, binds = "SELECT COUNT(*) FROM trials WHERE study_id = :s", {"s": study_id}
    if states:
        state_sql, state_binds = _in("st", states)
        sql, binds = f"{sql} AND state IN {state_sql}", {**binds, **state_binds}
    return int(conn.execute(sa.text(sql), binds).scalar_one())


def trial_rows(
    conn: sa.Connection,
    study_id: int,
    *,
    states: Sequence[str] | None = None,
    numbers: Sequence[int] | None = None,
    order: str = "t.number ASC",
    limit: int = -1,
    offset: int = 0,
) -> list[TrialRow]:
    """Trials without their values/params/attrs (fill them with :func:`fill`)."""
    where, binds = ["t.study_id = :s"], {"s": study_id}
    if states:
        state_sql, state_binds = _in("st", states)
        where.append(f"t.state IN {state_sql}")
        binds.update(state_binds)
    if numbers is not None:
        if not numbers:
            return []
        number_sql, number_binds = _in("n", numbers)
        where.append(f"t.number IN {number_sql}")
        binds.update(number_binds)
    join = "LEFT JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0"
    sql = (
        "SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete "
        f"FROM trials t {join} WHERE {' AND '.join(where)} ORDER BY {order}"
    )
    if limit >= 0:
        sql += " LIMIT :limit OFFSET :offset"
        binds.update(limit=limit, offset=offset)
    rows = conn.execute(sa.text(sql), binds)
    return [TrialRow(int(r[0]), int(r[1]), str(r[2]), utc(r[3]), utc(r[4])) for r in rows]


def fill(conn: sa.Connection, trials: Iterable[TrialRow], attr_keys: Sequence[str]) -> None:
    """Load values, params and the named user attributes of these trials (three queries)."""
    by_id = {t.trial_id: t for t in trials}
    if not by_id:
        return
    id_sql, binds = _in("t", list(by_id))
    values = conn.execute(
        sa.text(
            "SELECT trial_id, objective, value, value_type FROM trial_values "
            f"WHERE trial_id IN {id_sql} ORDER BY trial_id, objective"
        ),
        binds,
    )
    for tid, _, value, value_type in values:
        row = by_id[int(tid)]
        row.values = [*(row.values or []), stored_value(value, str(value_type))]
    params = conn.execute(
        sa.text(
            "SELECT trial_id, param_name, param_value, distribution_json FROM trial_params "
            f"WHERE trial_id IN {id_sql} ORDER BY param_id"
        ),
        binds,
    )
    for tid, name, value, dist in params:
        by_id[int(tid)].params[str(name)] = json_to_distribution(dist).to_external_repr(value)
    fill_attrs(conn, by_id.values(), attr_keys)


def fill_attrs(conn: sa.Connection, trials: Iterable[TrialRow], keys: Sequence[str]) -> None:
    """Load only the named user attributes of these trials."""
    by_id = {t.trial_id: t for t in trials}
    if not by_id or not keys:
        return
    id_sql, binds = _in("t", list(by_id))
    key_sql, key_binds = _in("k", keys)
    attrs = conn.execute(
        sa.text(
            "SELECT trial_id, key, value_json FROM trial_user_attributes "
            f"WHERE trial_id IN {id_sql} AND key IN {key_sql}"
        ),
        {**binds, **key_binds},
    )
    for tid, key, value in attrs:
        by_id[int(tid)].attrs[str(key)] = json.loads(value)
