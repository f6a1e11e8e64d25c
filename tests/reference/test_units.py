"""The small parts: UUID version 7, API keys, settings, the token bucket, flattening."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from martian import models as mm

from reference import uuid7 as uuid7_module
from reference.auth import ApiKeys, load_keys
from reference.martian import flatten
from reference.ratelimit import RateLimit, RateLimiter
from reference.settings import Settings, load_settings
from reference.uuid7 import uuid7

# --- uuid7 -----------------------------------------------------------------------------------


def test_uuid7_layout() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= value.int >> 80 <= after + 1  # 48-bit Unix milliseconds


def test_uuid7_sorts_in_creation_order_and_is_unique() -> None:
    values = [uuid7() for _ in range(10_000)]  # many per millisecond: the counter orders them
    assert values == sorted(values)
    assert len(set(values)) == len(values)


def test_uuid7_keeps_order_when_the_clock_goes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # The generator's state is restored afterwards: later IDs must not live in the future.
    monkeypatch.setattr(uuid7_module, "_last_ms", uuid7_module._last_ms)
    monkeypatch.setattr(uuid7_module, "_counter", uuid7_module._counter)
    later = uuid7(now_ns=(time.time_ns() + 10**9))
    earlier_clock = uuid7(now_ns=time.time_ns())
    assert earlier_clock > later


# --- API keys and settings -------------------------------------------------------------------


def test_keys_compare_exactly() -> None:
    keys = ApiKeys(["k1", "clé-2"])
    assert keys.configured == 2
    assert keys.accepts("k1") and keys.accepts("clé-2")
    for wrong in ["", "k", "k1 ", "K1", "k1k1", "clé", "\udcff", "\x00"]:
        assert not keys.accepts(wrong)
    assert not ApiKeys([]).accepts("anything")


def test_keys_from_variable_and_files(tmp_path: Path) -> None:
    env_file = tmp_path / "env-keys"
    env_file.write_text("# team keys\nf1\n\n  f2  \n", "utf-8")
    cli_file = tmp_path / "cli-keys"
    cli_file.write_text("c1\nk1\n", "utf-8")
    env = {"SPECGEN_API_KEYS": " k1, ,k2,", "SPECGEN_API_KEYS_FILE": str(env_file)}

    assert load_keys(env, cli_file) == ("k1", "k2", "f1", "f2", "c1")
    with pytest.raises(ValueError, match="cannot read API keys file"):
        load_keys({"SPECGEN_API_KEYS_FILE": str(tmp_path / "missing")})


def test_settings_from_environment_and_options() -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    env = {
        "SPECGEN_DB": "env.sqlite3",
        "SPECGEN_API_KEYS": "secret",
        "SPECGEN_RATE_LIMIT": "100/60",
        "SPECGEN_MAX_BODY_BYTES": "2048",
        "SPECGEN_INFERENCE_IDS": f"{ids[0]}, {ids[1]}",
    }

    settings = Settings.from_env(env)

    assert settings == Settings(
        db="env.sqlite3",
        api_keys=("secret",),
        rate_limit=RateLimit(100, 60.0),
        max_body_bytes=2048,
        inference_ids=tuple(ids),
    )
    assert "secret" not in repr(settings)
    explicit = load_settings(env, db="cli.sqlite3", rate_limit="5", inference_ids=ids[:1])
    assert (explicit.db, explicit.rate_limit) == ("cli.sqlite3", RateLimit(5, 1.0))
    assert explicit.inference_ids == tuple(ids)  # both sources, once each
    assert Settings.from_env({}) == Settings()
    assert load_settings({}, default_db="api.sqlite3").db == "api.sqlite3"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SPECGEN_RATE_LIMIT": "fast"}, "invalid rate limit"),
        ({"SPECGEN_RATE_LIMIT": "0/1"}, "invalid rate limit"),
        ({"SPECGEN_RATE_LIMIT": "5/0"}, "invalid rate limit"),
        ({"SPECGEN_MAX_BODY_BYTES": "big"}, "must be an integer"),
        ({"SPECGEN_MAX_BODY_BYTES": "0"}, "positive"),
        ({"SPECGEN_INFERENCE_IDS": "not-a-uuid"}, "comma-separated UUIDs"),
    ],
)
def test_bad_settings_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


# --- rate limiter ----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_bursts_refills_and_separates_callers() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(2, 10.0), clock)  # 2 requests, one token per 5 s

    assert [limiter.acquire("a"), limiter.acquire("a")] == [0, 0]
    assert limiter.acquire("a") == 5  # whole seconds until the next token
    assert limiter.acquire("b") == 0  # another caller has its own bucket
    clock.now += 2.5
    assert limiter.acquire("a") == 3  # ceil(2.5)
    clock.now += 2.5
    assert limiter.acquire("a") == 0
    clock.now += 1000
    assert [limiter.acquire("a") for _ in range(3)] == [0, 0, 5]  # the burst is capped


def test_idle_buckets_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(1, 1.0), clock)
    limiter.MAX_BUCKETS = 10
    for n in range(11):
        limiter.acquire(f"caller{n}")
    clock.now += 5
    limiter.acquire("new")
    assert len(limiter._buckets) == 1


def test_retry_after_is_at_least_one_second() -> None:
    limiter = RateLimiter(RateLimit(100, 1.0), Clock())
    for _ in range(100):
        assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == 1


# --- flattening ------------------------------------------------------------------------------


def feedback(data: dict[str, Any]) -> dict[str, mm.FeedbackValue]:
    event = mm.FeedbackEvent.model_validate({"id": str(uuid.uuid4()), "feedback": data})
    return event.feedback


def test_flatten_joins_keys_in_document_order() -> None:
    flat = flatten(
        feedback(
            {
                "evaluation": {"quality": {"precision": 0.95, "recall": 1}, "empty": {}},
                "helpful": True,
                "accuracy": {"score": 4, "reason": "close"},
                "graded": {"score": "B"},
                "score": 0.5,
                "open": {"score": 1, "other": "x"},
            }
        )
    )

    assert list(flat.items()) == [
        ("evaluation.quality.precision", (0.95, None)),
        ("evaluation.quality.recall", (1.0, None)),
        ("helpful", (True, None)),
        ("accuracy", (4.0, "close")),
        ("graded", ("B", None)),
        ("score", (0.5, None)),
        ("open.score", (1.0, None)),
        ("open.other", ("x", None)),
    ]
    assert type(flat["evaluation.quality.recall"][0]) is float
    assert type(flat["accuracy"][0]) is float
    assert flat["helpful"][0] is True


def test_flatten_colliding_keys_keep_the_last() -> None:
    flat = flatten(feedback({"a.b": 1, "a": {"b": 2}, "c": 3}))
    assert list(flat.items()) == [("a.b", (2.0, None)), ("c", (3.0, None))]


def test_flatten_deep_nesting_without_recursion() -> None:
    data: dict[str, Any] = {"leaf": False}
    for level in range(150):
        data = {f"l{level}": data}
    value = mm.FeedbackValue.model_construct(root=mm.FeedbackObject.model_construct(root={}))
    inner: Any = value
    for _ in range(3000):  # deeper than any parser allows: built by hand
        inner = mm.FeedbackValue.model_construct(
            root=mm.FeedbackObject.model_construct(root={"n": inner})
        )
    flat = flatten({"deep": inner, **feedback(data)})
    assert len(flat) == 1
    [key] = flat
    assert key.count(".") == 150
