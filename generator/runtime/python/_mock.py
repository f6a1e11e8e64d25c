"""The mock implementation of a handler contract (`mock.py`'s `MockHandlers`): every
operation answers one of its declared responses, chosen the way Prism chooses.

- The response: `Prefer: code=404` names one by status; `Prefer: example=NAME` one by
  the name of an example; else the lowest success status with a body (then without
  one, then `2XX`, then `default`). Its media type follows `Accept`, JSON first.
- The body: the media type's named examples, then its `example`, when they validate
  against the schema; else a value synthesised from the schema (`_mock_values`),
  deterministic for a seed (`--dynamic`, or `Prefer: dynamic=true`, gives a new one per
  request). Event and JSON-lines streams send a few items; binary bodies bytes of the
  declared type. Declared headers are filled the same way.
- Credentials: any non-empty one, or only the configured API keys.
- Without `stateful`, an id `DELETE /things/{id}` removed still answers the declared
  404 until `POST /things` answers it again (`_mock_store.Deletions`).
- `stateful`: a JSON body created by `POST /things` is kept (SQLite `:memory:`) and read
  back by `GET /things/{id}`, listed by `GET /things`, replaced by `PUT`/`PATCH` and
  forgotten by `DELETE` (`_mock_store`).

Whatever the mock answers is built as the contract's typed response variant, so the
generated server encodes (and checks) it like any handler's answer.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ._handlers_runtime import Record, ResponseVariant
from ._mock_contract import (
    SAMPLES,
    Answer,
    MockOperation,
    SchemaChecks,
    concrete,
    item_schema,
    lookup,
)
from ._mock_http import (
    ACCEPT,
    PREFER,
    PreferMiddleware,
    PreferWSGIMiddleware,
    by_media,
    default_answers,
    status_code,
    success_first,
)
from ._mock_store import Deletions, MockStore
from ._mock_values import SynthesisError, Synthesizer
from ._problems import HTTPProblem
from ._server_bodies import adapter

# What the generated mock.py reads from here (as `mk`).
__all__ = [
    "Answer",
    "MockEngine",
    "MockOperation",
    "MockSettings",
    "PreferMiddleware",
    "PreferWSGIMiddleware",
]


@dataclass(frozen=True)
class MockSettings:
    """How the mock answers."""

    seed: int = 0  # the same seed, the same answers
    dynamic: bool = False  # a new synthesised value for every request
    latency_ms: int = 0  # a delay before every answer
    api_keys: frozenset[str] = (
        frozenset()
    )  # empty: any non-empty credential is accepted
    stateful: bool = False  # keep what POST creates (see `_mock_store`)
    stream_items: int = 3  # items an event or JSON-lines stream sends


class MockEngine:
    """Answers the operations of one contract (`document`: its openapi.json)."""

    def __init__(
        self,
        document: Mapping[str, Any],
        operations: Mapping[str, MockOperation],
        settings: MockSettings,
    ) -> None:
        self.document = document
        self.operations = operations
        self.settings = settings
        self.values = Synthesizer(document)
        self._checks = SchemaChecks(document)
        self._calls = itertools.count()
        self._built: dict[tuple[str, str | None, str | None], ResponseVariant] = {}
        self.store: MockStore | None = None
        self.deletions = Deletions(operations)
        if settings.stateful:
            self.store = MockStore(operations)

    def authenticate(self, scheme: str, credential: str) -> bool:
        if not credential:
            return False
        return not self.settings.api_keys or credential in self.settings.api_keys

    async def respond(self, operation_id: str, request: Record) -> ResponseVariant:
        """The declared response `operation_id` answers `request` with."""
        if self.settings.latency_ms:
            await asyncio.sleep(self.settings.latency_ms / 1000)
        operation = self.operations[operation_id]
        prefer = PREFER.get()
        if self.store is not None and not prefer:
            kept = self.store.answer(self, operation_id, request)
            if kept is not None:
                return kept
        elif self.store is None and not prefer:
            gone = self.deletions.before(self, operation_id, request)
            if gone is not None:
                return gone
        answer, example = self.choose(operation, prefer, ACCEPT.get())
        dynamic = self.settings.dynamic or prefer.get("dynamic", "").lower() == "true"
        seed = f"{self.settings.seed}:{operation_id}:{answer.status}:{answer.content}"
        if dynamic:  # values made anew, as Prism's dynamic mode: examples only by name
            seed += f":{next(self._calls)}"
            example = example if example is not None else _SYNTHESISE
            built = self.build(answer, seed, example, prefer.get("code"))
        else:
            # Static answers are the same every time: built once (records are frozen);
            # streams are iterators, built per request.
            key = (seed, example, prefer.get("code"))
            cached = self._built.get(key)
            if cached is None:
                cached = self.build(answer, seed, example, prefer.get("code"))
                if cached.kind not in ("events", "lines"):
                    self._built[key] = cached
            built = cached
        self.deletions.after(operation_id, built)
        return built

    def choose(
        self, operation: MockOperation, prefer: Mapping[str, str], accept: str
    ) -> tuple[Answer, str | None]:
        """The answer for the request's preferences, and the name of the example it
        asked for (None: any)."""
        answers = operation.answers
        name = prefer.get("example")
        if name:
            for answer in sorted(answers, key=success_first):
                if name in self._named_examples(answer):
                    return answer, name
        code = prefer.get("code", "")
        if code:
            chosen = [a for a in answers if a.status == code]
            chosen = chosen or [a for a in answers if a.status == f"{code[:1]}XX"]
            chosen = chosen or [a for a in answers if a.status == "default"]
            if not chosen:
                raise HTTPProblem(
                    422,
                    "Unprocessable Content",
                    f"no response is declared for code {code}",
                )
            return by_media(chosen, accept), None
        return by_media(default_answers(answers), accept), None

    def build(
        self,
        answer: Answer,
        seed: str,
        example: str | None = None,
        code: str | None = None,
    ) -> ResponseVariant:
        cls = answer.variant
        values: dict[str, Any] = {}
        fields = cls._fields
        if "code" in fields:
            values["code"] = status_code(answer.status, code)
        if "content_type" in fields:
            media = cls.media_type or "*/*"
            values["content_type"] = concrete(media)
        if "headers" in fields and cls.headers_type is not None:
            values["headers"] = self._headers(answer, cls, seed)
        if "body" in fields:
            values["body"] = self._body(answer, cls, seed, example)
        return cls(**values)

    def _body(
        self, answer: Answer, cls: type[ResponseVariant], seed: str, name: str | None
    ) -> Any:
        kind = cls.kind
        media = self._node(answer.content)
        if kind in ("events", "lines"):
            return self._stream(answer, cls, seed, media)
        if kind == "binary":
            example = self._example(answer, name)
            if isinstance(example, str):
                return example.encode("utf-8")
            media_type = concrete(cls.media_type or "*/*")
            return SAMPLES.get(media_type, f"specgen mock {seed}".encode())
        schema_pointer = f"{answer.content}/schema" if "schema" in media else ""
        example = self._example(answer, name)
        candidates = [] if example is _NONE else [example]
        if kind == "text":
            if not candidates:
                schema = media.get("schema", {"type": "string"})
                candidates.append(self._synth(schema, seed, schema_pointer))
            return (
                str(candidates[0])
                if not isinstance(candidates[0], str)
                else candidates[0]
            )
        return self._typed(
            cls.body_type, media.get("schema", {}), seed, candidates, answer.content
        )

    def _typed(
        self,
        kind: Any,
        schema: Any,
        seed: str,
        candidates: list[Any],
        where: str,
    ) -> Any:
        """The first candidate (then a synthesised value) the body's type accepts."""
        typed = adapter(kind)
        tries = [
            *candidates,
            *(lambda i=i: self._synth(schema, f"{seed}:{i}", where) for i in range(3)),
        ]
        problem = ""
        for item in tries:
            value = item() if callable(item) else item
            try:
                return typed.validate_python(value)
            except ValidationError as exc:
                problem = str(exc).splitlines()[0]
        raise HTTPProblem(
            500, "Internal Server Error", f"the mock could not build {where}: {problem}"
        )

    def _synth(self, schema: Any, seed: str, where: str) -> Any:
        try:
            return self.values.value(schema, seed=seed, response=True)
        except SynthesisError as exc:
            raise HTTPProblem(
                500,
                "Internal Server Error",
                f"the mock cannot make a value for {where}: {exc}",
            ) from None

    def _stream(
        self,
        answer: Answer,
        cls: type[ResponseVariant],
        seed: str,
        media: Mapping[str, Any],
    ) -> AsyncIterator[Any]:
        schema, where = item_schema(self.document, media, answer.content)
        items = []
        for index in range(self.settings.stream_items):
            item_seed = f"{seed}:item{index}"
            if cls.body_type is str and schema is None:
                items.append(f"mock event {index}")
                continue
            items.append(self._typed(cls.body_type, schema or {}, item_seed, [], where))

        async def stream() -> AsyncIterator[Any]:
            for item in items:
                yield item

        return stream()

    def _headers(self, answer: Answer, cls: type[ResponseVariant], seed: str) -> Record:
        declared = self._node(answer.response).get("headers") or {}
        values: dict[str, Any] = {}
        by_wire = {wire.lower(): attr for attr, wire in cls.header_names.items()}
        for wire, node in declared.items():
            attr = by_wire.get(str(wire).lower())
            if attr is None:
                continue
            node = self._deref(node)
            example = node.get("example", _NONE)
            schema = self._deref(node.get("schema") or {"type": "string"})
            value = (
                example
                if example is not _NONE
                else self._synth(schema, f"{seed}:{wire}", wire)
            )
            if isinstance(value, bool):
                value = "true" if value else "false"
            values[attr] = (
                value if isinstance(value, int | float | str) else json.dumps(value)
            )
        headers: Record = cls.headers_type(**values)
        return headers

    def _named_examples(self, answer: Answer) -> dict[str, Any]:
        if not answer.content:
            return {}
        examples = self._node(answer.content).get("examples")
        if not isinstance(examples, Mapping):
            return {}
        found = {}
        for name, node in examples.items():
            node = self._deref(node)
            if isinstance(node, Mapping) and "value" in node:
                found[str(name)] = node["value"]
        return found

    def _example(self, answer: Answer, name: str | None) -> Any:
        """The example of the media type to answer with (`name`'s, else the first that
        validates), or `_NONE`."""
        if not answer.content or name == _SYNTHESISE:
            return _NONE
        media = self._node(answer.content)
        named = self._named_examples(answer)
        candidates = [named[name]] if name in named else list(named.values())
        if name is None and "example" in media:
            candidates.append(media["example"])
        schema_pointer = f"{answer.content}/schema" if "schema" in media else ""
        for value in candidates:
            if not schema_pointer or self._checks.valid(schema_pointer, value):
                return value
        return _NONE

    def _node(self, pointer: str) -> Mapping[str, Any]:
        node = lookup(self.document, pointer) if pointer else {}
        return node if isinstance(node, Mapping) else {}

    def _deref(self, node: Any) -> Any:
        for _ in range(32):
            if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
                break
            node = lookup(self.document, node["$ref"][1:])
        return node


_NONE: Any = object()  # no example
_SYNTHESISE = "\x00synthesise"  # as an example's name: use none, make a value
