"""The SQLite store: one connection behind a lock, WAL mode, one transaction per call.

One connection serves every thread (so that `:memory:` is one database, not one per thread);
the lock serialises the calls of this process and `BEGIN IMMEDIATE` those of other processes
sharing the file, so read-merge-write of scores never loses a concurrent write.

Tables (read them directly; every JSON column holds JSON text):

- `braintrust_events(scope, container_id, event_id, scores JSON, updated_at)`: the merged
  scores of each event;
- `braintrust_feedback(id, scope, container_id, event_id, scores, expected, comment,
  metadata, source, tags, created_at)`: every item as sent, in arrival order (`scores`,
  `expected`, `comment`, `metadata`, `tags` are JSON; SQL NULL when not sent);
- `martian_inferences(id)`: the known inference ids;
- `martian_events(id, inference_id, optimize, tags JSON, created_at)`: one row per recorded
  event, empty `feedback` included;
- `martian_feedback(feedback_id, event_row, inference_id, key, value_type, value JSON,
  optimize, tags JSON, metadata JSON, created_at)`: one row per flattened key. `value_type` is
  `boolean`, `number` or `string`; `optimize` is NULL for strings, which it does not apply to.

Text columns hold the string as is, except a string that SQLite cannot store (a lone
surrogate, which a JSON escape can carry) or that begins with `"`: those are stored as their
JSON string literal, which keeps the mapping one-to-one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from .records import BraintrustFeedback, MartianEvent, Scope

SCHEMA_VERSION = 1

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS braintrust_events (
        scope TEXT NOT NULL,
        container_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        scores TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, container_id, event_id)
    )""",
    """CREATE TABLE IF NOT EXISTS braintrust_feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scope TEXT NOT NULL,
        container_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        scores TEXT,
        expected TEXT,
        comment TEXT,
        metadata TEXT,
        source TEXT NOT NULL,
        tags TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE INDEX IF NOT EXISTS braintrust_feedback_event
        ON braintrust_feedback (scope, container_id, event_id)""",
    "CREATE TABLE IF NOT EXISTS martian_inferences (id TEXT PRIMARY KEY)",
    """CREATE TABLE IF NOT EXISTS martian_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        inference_id TEXT NOT NULL REFERENCES martian_inferences (id),
        optimize TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS martian_feedback (
        feedback_id TEXT PRIMARY KEY,
        event_row INTEGER NOT NULL REFERENCES martian_events (id),
        inference_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value_type TEXT NOT NULL,
        value TEXT NOT NULL,
        optimize TEXT,
        tags TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS martian_feedback_inference ON martian_feedback (inference_id)",
)


def to_json(value: Any) -> str:
    """JSON text for a JSON column. Non-finite floats (a JSON `1e400` parses to infinity) are
    kept as `Infinity`, which Python's json reads back; lone surrogates are escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return text if _storable(text) else json.dumps(value)


def to_text(value: str) -> str:
    """A string for a TEXT column (see the module docstring)."""
    return value if _storable(value) and not value.startswith('"') else json.dumps(value)


def from_text(stored: str) -> str:
    """The string `to_text` stored."""
    decoded: str = json.loads(stored) if stored.startswith('"') else stored
    return decoded


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class SQLiteStore:
    """`FeedbackStore` on SQLite. `path` is a file, `:memory:` or a `file:` URI."""

    def __init__(self, path: str | Path = ":memory:", *, timeout: float = 30.0) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        # isolation_level=None: no implicit transactions; every write is in an explicit one.
        self._db = sqlite3.connect(
            self.path,
            timeout=timeout,
            isolation_level=None,
            check_same_thread=False,
            uri=self.path.startswith("file:"),
        )
        self._db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        self._db.execute("PRAGMA foreign_keys=ON")
        with self._transaction() as db:
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            # IMMEDIATE takes the write lock now, so that a read-merge-write cannot interleave
            # with another process's.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- Braintrust ---------------------------------------------------------------------------

    def add_braintrust_feedback(
        self, scope: Scope, container_id: UUID, items: Sequence[BraintrustFeedback]
    ) -> None:
        now = _now()
        with self._transaction() as db:
            for item in items:
                key = (str(scope), str(container_id), to_text(item.event_id))
                row = db.execute(
                    "SELECT scores FROM braintrust_events"
                    " WHERE scope = ? AND container_id = ? AND event_id = ?",
                    key,
                ).fetchone()
                scores: dict[str, float] = json.loads(row[0]) if row else {}
                for name, score in (item.scores or {}).items():
                    if score is None:
                        scores.pop(name, None)
                    else:
                        scores[name] = score
                db.execute(
                    "INSERT INTO braintrust_events VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (scope, container_id, event_id)"
                    " DO UPDATE SET scores = excluded.scores, updated_at = excluded.updated_at",
                    (*key, to_json(scores), now),
                )
                db.execute(
                    "INSERT INTO braintrust_feedback (scope, container_id, event_id, scores,"
                    " expected, comment, metadata, source, tags, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        *key,
                        _optional_json(item.scores),
                        to_json(item.expected) if item.has_expected else None,
                        _optional_json(item.comment),
                        _optional_json(item.metadata),
                        item.source,
                        _optional_json(item.tags),
                        now,
                    ),
                )

    def braintrust_scores(
        self, scope: Scope, container_id: UUID, event_id: str
    ) -> dict[str, float]:
        with self._lock:
            row = self._db.execute(
                "SELECT scores FROM braintrust_events"
                " WHERE scope = ? AND container_id = ? AND event_id = ?",
                (str(scope), str(container_id), to_text(event_id)),
            ).fetchone()
        scores: dict[str, float] = json.loads(row[0]) if row else {}
        return scores

    # --- Martian ------------------------------------------------------------------------------

    def add_inferences(self, inference_ids: Iterable[UUID]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO martian_inferences VALUES (?)",
                [(str(i),) for i in inference_ids],
            )

    def known_inferences(self) -> list[UUID]:
        with self._lock:
            rows = self._db.execute("SELECT id FROM martian_inferences ORDER BY id").fetchall()
        return [UUID(row[0]) for row in rows]

    def add_martian_feedback(self, events: Sequence[MartianEvent]) -> list[bool]:
        now = _now()
        recorded: list[bool] = []
        with self._transaction() as db:
            for event in events:
                inference = str(event.inference_id)
                known = db.execute(
                    "SELECT 1 FROM martian_inferences WHERE id = ?", (inference,)
                ).fetchone()
                recorded.append(known is not None)
                if known is None:
                    continue
                tags = to_json(dict(event.tags))
                cursor = db.execute(
                    "INSERT INTO martian_events (inference_id, optimize, tags, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (inference, event.optimize, tags, now),
                )
                db.executemany(
                    "INSERT INTO martian_feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            str(entry.feedback_id),
                            cursor.lastrowid,
                            inference,
                            to_text(entry.key),
                            _value_type(entry.value),
                            to_json(entry.value),
                            None if isinstance(entry.value, str) else event.optimize,
                            tags,
                            to_json({} if entry.reason is None else {"reason": entry.reason}),
                            now,
                        )
                        for entry in event.entries
                    ],
                )
        return recorded


def _optional_json(value: Any) -> str | None:
    return None if value is None else to_json(value)


def _value_type(value: bool | float | str) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "string" if isinstance(value, str) else "number"
