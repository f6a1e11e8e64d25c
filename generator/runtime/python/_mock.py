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
import copy
import itertools
import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from pydantic import TypeAdapter, ValidationError

from ._handlers_runtime import Record, ResponseVariant
from ._mock_store import Deletions, MockStore
from ._mock_values import SynthesisError, Synthesizer
from ._problems import HTTPProblem

# What the current request asked of the mock: its `Prefer` preferences and `Accept`
# header, set by the middleware `mock.py` installs (handlers see declared parameters).
_NO_PREFERENCES: Mapping[str, str] = MappingProxyType({})
_PREFER: ContextVar[Mapping[str, str]] = ContextVar(
    "specgen_mock_prefer", default=_NO_PREFERENCES
)
_ACCEPT: ContextVar[str] = ContextVar("specgen_mock_accept", default="")

# Wildcard media types a handler must make concrete; the bytes of a few real formats.
_CONCRETE = {
    "image": "image/png",
    "text": "text/plain",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "application": "application/octet-stream",
    "*": "application/octet-stream",
}
_SAMPLES = {
    "image/png": bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    ),
    "image/gif": bytes.fromhex(
        "47494638396101000100800000000000ffffff21f90401000000002c00000000"
        "010001000002024401003b"
    ),
    "application/pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n",
    "application/json": b"{}",
}


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


@dataclass(frozen=True)
class Answer:
    """One declared response variant of an operation, and where the contract has it."""

    status: str  # the response key: "200", "4XX" or "default"
    response: str  # JSON pointer of the response object in the contract
    content: str  # JSON pointer of its media type object; "" when it has no body
    variant: type[ResponseVariant]


@dataclass(frozen=True)
class MockOperation:
    method: str  # lower case
    path: str  # the path template, as the contract writes it
    answers: tuple[Answer, ...]
    path_params: tuple[tuple[str, str], ...] = ()  # (wire name, request record field)


def parse_prefer(header: str) -> dict[str, str]:
    """`Prefer: code=404, example="bad"` -> {"code": "404", "example": "bad"}."""
    found: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            found[name.strip().lower()] = value.strip().strip('"')
    return found


class PreferMiddleware:
    """ASGI middleware: the mock reads `Prefer` and `Accept` of the current request."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1")
            for k, v in scope["headers"]
        }
        prefer = _PREFER.set(parse_prefer(headers.get("prefer", "")))
        accept = _ACCEPT.set(headers.get("accept", ""))
        try:
            await self.app(scope, receive, send)
        finally:
            _PREFER.reset(prefer)
            _ACCEPT.reset(accept)


class PreferWSGIMiddleware:
    """The same for WSGI (Flask runs each handler on the request thread's event loop,
    whose tasks start from this thread's context)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        _PREFER.set(parse_prefer(environ.get("HTTP_PREFER", "")))
        _ACCEPT.set(environ.get("HTTP_ACCEPT", ""))
        return self.app(environ, start_response)


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


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
        self._checks = _SchemaChecks(document)
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
        prefer = _PREFER.get()
        if self.store is not None and not prefer:
            kept = self.store.answer(self, operation_id, request)
            if kept is not None:
                return kept
        elif self.store is None and not prefer:
            gone = self.deletions.before(self, operation_id, request)
            if gone is not None:
                return gone
        answer, example = self.choose(operation, prefer, _ACCEPT.get())
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
            for answer in sorted(answers, key=_success_first):
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
            return _by_media(chosen, accept), None
        return _by_media(_success(answers), accept), None

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
            values["code"] = _status_code(answer.status, code)
        if "content_type" in fields:
            media = cls.media_type or "*/*"
            values["content_type"] = _concrete(media)
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
            concrete = _concrete(cls.media_type or "*/*")
            return _SAMPLES.get(concrete, f"specgen mock {seed}".encode())
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
        adapter = _adapter(kind)
        tries = [
            *candidates,
            *(lambda i=i: self._synth(schema, f"{seed}:{i}", where) for i in range(3)),
        ]
        problem = ""
        for item in tries:
            value = item() if callable(item) else item
            try:
                return adapter.validate_python(value)
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
        schema, where = _item_schema(self.document, media, answer.content)
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
        node = _lookup(self.document, pointer) if pointer else {}
        return node if isinstance(node, Mapping) else {}

    def _deref(self, node: Any) -> Any:
        for _ in range(32):
            if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
                break
            node = _lookup(self.document, node["$ref"][1:])
        return node


_NONE: Any = object()  # no example
_SYNTHESISE = "\x00synthesise"  # as an example's name: use none, make a value


def _success_first(answer: Answer) -> tuple[int, str]:
    return (0 if answer.status.startswith("2") else 1, answer.status)


def _success(answers: Sequence[Answer]) -> list[Answer]:
    """The answers of the response a mock gives by default: the lowest success status
    with a body, else without one, else `2XX`, else `default`, else the first one."""
    exact = sorted(
        (a for a in answers if a.status.isdigit() and a.status.startswith("2")),
        key=lambda a: a.status,
    )
    with_body = [a for a in exact if a.content]
    for group in (with_body, exact):
        if group:
            return [a for a in group if a.status == group[0].status]
    for key in ("2XX", "default"):
        found = [a for a in answers if a.status == key]
        if found:
            return found
    return [a for a in answers if a.status == answers[0].status]


def _by_media(answers: Sequence[Answer], accept: str) -> Answer:
    """The answer whose media type `Accept` prefers (JSON first if it says nothing)."""
    accepted = [
        a.strip().split(";")[0].strip().lower() for a in accept.split(",") if a.strip()
    ]
    for wanted in accepted:
        if wanted in ("*/*", ""):
            break
        for answer in answers:
            media = (answer.variant.media_type or "").lower()
            if media == wanted or (
                wanted.endswith("/*") and media.startswith(wanted[:-1])
            ):
                return answer
    order = {"json": 0, "text": 1, "empty": 2, "binary": 3, "lines": 4, "events": 5}
    return sorted(answers, key=lambda a: order.get(a.variant.kind, 6))[0]


def _status_code(status: str, preferred: str | None) -> int:
    if preferred and preferred.isdigit():
        if status == "default" or (
            status.endswith("XX") and preferred[:1] == status[:1]
        ):
            return int(preferred)
    if status.endswith("XX"):
        return int(status[0]) * 100
    return 200 if status == "default" else int(status)


def _concrete(media: str) -> str:
    media = media.split(";", 1)[0].strip().lower()
    major, _, minor = media.partition("/")
    if minor != "*" and major != "*":
        return media
    return _CONCRETE.get(major, "application/octet-stream")


def _item_schema(
    document: Mapping[str, Any], media: Mapping[str, Any], pointer: str
) -> tuple[Any, str]:
    """The schema of each item of a stream: an event's `data` (OpenAPI 3.2's
    `itemSchema` of an event object, `contentSchema` of its data) or the item
    (`itemSchema`, or the OpenAI style's `schema` of each event's data); None for
    untyped text events."""
    if "itemSchema" in media:
        item = media["itemSchema"]
        resolved = item
        for _ in range(32):
            if isinstance(resolved, Mapping) and isinstance(resolved.get("$ref"), str):
                resolved = _lookup(document, resolved["$ref"][1:])
        properties = (
            resolved.get("properties") if isinstance(resolved, Mapping) else None
        )
        if isinstance(properties, Mapping) and "data" in properties:
            data = properties["data"]
            if isinstance(data, Mapping) and "contentSchema" in data:
                return data["contentSchema"], f"{pointer}/itemSchema"
            return None, f"{pointer}/itemSchema"
        return item, f"{pointer}/itemSchema"
    return media.get("schema"), f"{pointer}/schema"


def _lookup(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


class _SchemaChecks:
    """Whether an example validates against the schema at a pointer (jsonschema-rs, over
    the contract in JSON Schema form: OpenAPI 3.0's `nullable` and boolean exclusive
    bounds rewritten), one compiled validator per schema."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._validators: dict[str, jsonschema_rs.Validator | None] = {}
        self._root: dict[str, Any] | None = None

    def valid(self, pointer: str, value: Any) -> bool:
        if pointer not in self._validators:
            if self._root is None:
                self._root = _json_schema_form(self._document)
            schema = {**self._root, "$ref": "#" + quote(pointer, safe="/~")}
            try:
                self._validators[pointer] = jsonschema_rs.validator_for(schema)
            except Exception:  # a schema jsonschema-rs cannot compile: trust no example
                self._validators[pointer] = None
        validator = self._validators[pointer]
        return validator is not None and bool(validator.is_valid(value))


_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def _json_schema_form(document: Mapping[str, Any]) -> dict[str, Any]:
    root: dict[str, Any] = copy.deepcopy(dict(document))
    if str(root.get("openapi", "")).startswith("3.0"):
        _rewrite(root)
    return root


def _rewrite(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item)
        return
    if not isinstance(node, dict):
        return
    for bound, limit in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        if isinstance(node.get(bound), bool):
            if node.pop(bound) and limit in node:
                node[bound] = node.pop(limit)
    if node.get("nullable") is True:
        del node["nullable"]
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]
            if isinstance(node.get("enum"), list) and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        elif kind is None:
            rest = dict(node)
            node.clear()
            node["anyOf"] = [rest, {"type": "null"}]
    for key, value in node.items():
        if key not in _DATA_KEYS:
            _rewrite(value)
