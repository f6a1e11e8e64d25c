"""The SQLite store on its own: merging, what is kept, odd but valid values, threads, WAL."""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from reference.storage import (
    BraintrustFeedback,
    FeedbackStore,
    MartianEntry,
    MartianEvent,
    Scope,
    SQLiteStore,
)
from reference.storage.sqlite import from_text, to_text

EXPERIMENT = uuid.UUID("6f1c1c1e-0000-4000-8000-000000000001")
INFERENCE = uuid.UUID("019503a1-b2c3-7d4e-8f01-234567890abc")


@pytest.fixture
def store(db_path: Path) -> Iterator[SQLiteStore]:
    opened = SQLiteStore(db_path)
    yield opened
    opened.close()


def rows(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql, params).fetchall()


def test_sqlite_store_satisfies_the_protocol(store: SQLiteStore) -> None:
    as_protocol: FeedbackStore = store
    assert as_protocol is store


def test_scores_merge_later_wins_and_null_removes(store: SQLiteStore) -> None:
    add = store.add_braintrust_feedback
    add(Scope.experiment, EXPERIMENT, [BraintrustFeedback("e1", scores={"a": 0.1, "b": 0.2})])
    add(
        Scope.experiment,
        EXPERIMENT,
        [
            BraintrustFeedback("e1", scores={"a": 0.9, "c": 0.3}),
            BraintrustFeedback("e1", scores={"b": None, "missing": None}),
            BraintrustFeedback("e1", comment="no scores: nothing changes"),
        ],
    )

    assert store.braintrust_scores(Scope.experiment, EXPERIMENT, "e1") == {"a": 0.9, "c": 0.3}
    # Scopes and containers are separate namespaces for the same event id.
    assert store.braintrust_scores(Scope.project_logs, EXPERIMENT, "e1") == {}
    assert store.braintrust_scores(Scope.experiment, uuid.uuid4(), "e1") == {}


def test_every_field_is_kept_and_absent_differs_from_null(
    store: SQLiteStore, db_path: Path
) -> None:
    full = BraintrustFeedback(
        "e1",
        scores={"a": 1.0},
        expected=None,
        has_expected=True,
        comment="ok",
        metadata={"user_id": 7, "nested": {"list": [1, "two", None]}},
        source="app",
        tags=["x", "y"],
    )
    store.add_braintrust_feedback(Scope.project_logs, EXPERIMENT, [full, BraintrustFeedback("e2")])

    stored = rows(
        db_path,
        "SELECT scope, container_id, event_id, scores, expected, comment, metadata, source,"
        " tags FROM braintrust_feedback ORDER BY id",
    )
    assert stored == [
        (
            "project_logs",
            str(EXPERIMENT),
            "e1",
            '{"a": 1.0}',
            "null",
            '"ok"',
            '{"user_id": 7, "nested": {"list": [1, "two", null]}}',
            "app",
            '["x", "y"]',
        ),
        ("project_logs", str(EXPERIMENT), "e2", None, None, None, None, "external", None),
    ]


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = {f"k{level}": [value, level]} if level % 2 else [value]
    return value


ODD_VALUES = [
    10**4000,  # an integer of 4001 digits: JSON allows it, Python's json reads it
    -(10**300),
    1e308,
    5e-324,
    math.inf,  # what a JSON 1e400 parses to
    -math.inf,
    "żółw 🐢 \u0000 \u202e",
    "\ud800",  # a lone surrogate: a JSON escape can carry one, UTF-8 cannot
    {"\udc00": ["\ud83d"]},
    nested(400),
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=[f"odd{i}" for i in range(len(ODD_VALUES))])
def test_odd_but_valid_values_are_stored_and_read_back(
    store: SQLiteStore, db_path: Path, value: Any
) -> None:
    item = BraintrustFeedback(
        event_id=value if isinstance(value, str) else "e1",
        expected=value,
        has_expected=True,
        metadata={"v": value, "\ud800": 1},
        comment=value if isinstance(value, str) else None,
        tags=[value] if isinstance(value, str) else None,
    )

    store.add_braintrust_feedback(Scope.experiment, EXPERIMENT, [item])

    [(event_id, expected, metadata)] = rows(
        db_path, "SELECT event_id, expected, metadata FROM braintrust_feedback"
    )
    assert from_text(event_id) == item.event_id
    assert json.loads(expected) == value
    assert json.loads(metadata) == {"v": value, "\ud800": 1}


def test_text_columns_map_one_to_one() -> None:
    for text in ["plain", '"quoted"', "\ud800", '"\\ud800"', "", '"']:
        assert from_text(to_text(text)) == text
    assert len({to_text(t) for t in ["\ud800", '"\\ud800"', "\\ud800"]}) == 3
    assert to_text("plain") == "plain"


def test_martian_events_of_unknown_inferences_are_not_recorded(
    store: SQLiteStore, db_path: Path
) -> None:
    store.add_inferences([INFERENCE, INFERENCE])
    entry = MartianEntry(uuid.uuid4(), "quality.accuracy", 0.5, reason="why")
    events = [
        MartianEvent(INFERENCE, "min", {"t": "v"}, [entry]),
        MartianEvent(uuid.uuid4(), "max", {}, [MartianEntry(uuid.uuid4(), "x", True)]),
        MartianEvent(INFERENCE, "max", {}, []),
    ]

    assert store.add_martian_feedback(events) == [True, False, True]
    assert store.known_inferences() == [INFERENCE]
    assert rows(db_path, "SELECT inference_id, optimize, tags FROM martian_events") == [
        (str(INFERENCE), "min", '{"t": "v"}'),
        (str(INFERENCE), "max", "{}"),
    ]
    assert rows(
        db_path,
        "SELECT feedback_id, key, value_type, value, optimize, metadata FROM martian_feedback",
    ) == [(str(entry.feedback_id), "quality.accuracy", "number", "0.5", "min", '{"reason": "why"}')]


def test_memory_database_is_one_database_across_threads() -> None:
    store = SQLiteStore(":memory:")
    try:
        threads = [
            threading.Thread(target=store.add_inferences, args=([uuid.UUID(int=i)],))
            for i in range(20)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.known_inferences() == sorted(uuid.UUID(int=i) for i in range(20))
    finally:
        store.close()


def test_file_database_uses_wal_and_survives_reopening(db_path: Path) -> None:
    first = SQLiteStore(db_path)
    first.add_braintrust_feedback(
        Scope.experiment, EXPERIMENT, [BraintrustFeedback("e", scores={"s": 0.5})]
    )
    first.close()
    second = SQLiteStore(db_path)
    try:
        assert second.braintrust_scores(Scope.experiment, EXPERIMENT, "e") == {"s": 0.5}
    finally:
        second.close()
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db_path, "PRAGMA user_version") == [(1,)]


def test_two_stores_on_one_file_lose_no_merge(db_path: Path) -> None:
    """Two connections (as two server processes would have): BEGIN IMMEDIATE serialises
    their read-merge-write, so every key written survives."""
    stores = [SQLiteStore(db_path), SQLiteStore(db_path)]

    def write(index: int) -> None:
        for n in range(25):
            item = BraintrustFeedback("shared", scores={f"s{index}-{n}": 0.5})
            stores[index].add_braintrust_feedback(Scope.experiment, EXPERIMENT, [item])

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        merged = stores[0].braintrust_scores(Scope.experiment, EXPERIMENT, "shared")
        assert len(merged) == 50
    finally:
        for opened in stores:
            opened.close()


def test_a_failed_call_stores_nothing(store: SQLiteStore, db_path: Path) -> None:
    good = BraintrustFeedback("e1", scores={"a": 0.5})
    bad = BraintrustFeedback("e2", metadata={"not json": object()})

    with pytest.raises(TypeError):
        store.add_braintrust_feedback(Scope.experiment, EXPERIMENT, [good, bad])

    assert rows(db_path, "SELECT count(*) FROM braintrust_feedback") == [(0,)]
    assert store.braintrust_scores(Scope.experiment, EXPERIMENT, "e1") == {}
