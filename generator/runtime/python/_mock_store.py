"""The stateful mock (`MockSettings(stateful=True)`): resources created through the API
are kept, in SQLite `:memory:`, where the paths make the collection and id inferable.

A collection is a path `P` with a `POST P` and an item path `P/{id}` (one trailing
parameter). Then:

- `POST P` answers its usual success response with the request body's properties written
  over it, and keeps that body under its id (the response property named like the item
  path's parameter, or `id`);
- `GET P/{id}` answers the kept body, `PUT`/`PATCH P/{id}` write the request body over
  it, `DELETE P/{id}` forgets it; an id never seen answers the declared 404, else the
  usual answer (the resource may predate the mock); a deleted id answers 404 (the
  declared one, else the server's own);
- `GET P` lists what is kept: a body that is an array, or the one array property of an
  object body, holds the kept bodies (while none is kept, the usual answer).

Anything else (other paths, bodies the response type refuses) answers as the stateless
mock does.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ._handlers_runtime import Record, ResponseVariant
from ._problems import HTTPProblem
from ._server_bodies import adapter

if TYPE_CHECKING:
    from ._mock import MockEngine
    from ._mock_contract import MockOperation


_DELETED: Any = object()  # what `_get` says of an id deleted through the API


@dataclass(frozen=True)
class _Route:
    collection: str  # the collection's path template
    action: str  # create, list, read, replace, delete
    id_param: str  # the item path's parameter (wire name); "" for create and list


class MockStore:
    def __init__(self, operations: Mapping[str, MockOperation]) -> None:
        self._routes = _routes(operations)
        self._created = itertools.count(
            1
        )  # each created resource gets a value of its own
        self._lock = threading.Lock()  # Flask's threads share one connection
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE resources (collection TEXT, id TEXT, body TEXT, "
            "seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (collection, id))"
        )

    def answer(
        self, engine: MockEngine, operation_id: str, request: Record
    ) -> ResponseVariant | None:
        """The answer from what is kept, or None: answer as the stateless mock does."""
        route = self._routes.get(operation_id)
        if route is None:
            return None
        operation = engine.operations[operation_id]
        if route.action == "create":
            return self._create(engine, operation_id, operation, route, request)
        if route.action == "list":
            return self._list(engine, operation_id, operation, route, request)
        attr = dict(operation.path_params).get(route.id_param, "")
        key = str(getattr(request, attr, ""))
        kept = self._get(route.collection, key)
        if kept is None or kept is _DELETED:
            missing = [a for a in operation.answers if a.status == "404"]
            if missing:
                return engine.build(missing[0], f"{operation_id}:404")
            if kept is _DELETED:  # gone, whether or not the spec says so
                raise HTTPProblem(404, "Not Found", f"{key} was deleted")
            return None  # never seen here: it may predate the mock
        if route.action == "delete":
            self._put(route.collection, key, None)  # a tombstone
            return None
        if route.action == "replace":
            kept = {**kept, **_json_of(getattr(request, "body", None))}
            self._put(route.collection, key, kept)
        return _with_body(engine, operation_id, operation, kept)

    def _create(
        self,
        engine: MockEngine,
        operation_id: str,
        operation: MockOperation,
        route: _Route,
        request: Record,
    ) -> ResponseVariant | None:
        answer, _ = engine.choose(operation, {}, "")
        built = engine.build(
            answer, f"{engine.settings.seed}:{operation_id}:{next(self._created)}"
        )
        body = _json_of(getattr(built, "body", None))
        if not body:
            return None
        sent = _json_of(getattr(request, "body", None))
        merged = {**body, **{k: v for k, v in sent.items() if k in body}}
        key = merged.get(route.id_param) or merged.get("id")
        if not isinstance(key, str | int):
            return built
        variant = _with_body(engine, operation_id, operation, merged) or built
        self._put(route.collection, str(key), _json_of(getattr(variant, "body", None)))
        return variant

    def _list(
        self,
        engine: MockEngine,
        operation_id: str,
        operation: MockOperation,
        route: _Route,
        request: Record,
    ) -> ResponseVariant | None:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, body FROM resources WHERE collection = ? "
                "AND body IS NOT NULL ORDER BY seq",
                (route.collection,),
            ).fetchall()
        if not rows:
            return None
        items = _page([(key, json.loads(body)) for key, body in rows], request)
        answer, _ = engine.choose(operation, {}, "")
        built = engine.build(answer, f"{engine.settings.seed}:{operation_id}")
        body = getattr(built, "body", None)
        data = _json_value(body)
        if isinstance(data, list):
            listed: Any = items
        elif isinstance(data, dict):
            arrays = [k for k, v in data.items() if isinstance(v, list)]
            if len(arrays) != 1:
                return None
            listed = {**data, arrays[0]: items}
        else:
            return None
        return _typed(answer.variant, listed, built)

    def _get(self, collection: str, key: str) -> Any:
        """The kept body, `_DELETED`, or None when the id was never seen."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM resources WHERE collection = ? AND id = ?",
                (collection, key),
            ).fetchone()
        if row is None:
            return None
        return _DELETED if row[0] is None else json.loads(row[0])

    def _put(self, collection: str, key: str, body: Mapping[str, Any] | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO resources (collection, id, body) VALUES (?, ?, ?) "
                "ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body",
                (collection, key, None if body is None else json.dumps(body)),
            )


class Deletions:
    """The stateless mock's one memory: an id `DELETE P/{id}` removed answers the
    declared 404 on that item path until `POST P` answers it again (a client, and
    schemathesis's use-after-free check, expects a deleted resource to be gone)."""

    def __init__(self, operations: Mapping[str, MockOperation]) -> None:
        self._routes = _routes(operations)
        self._gone: set[tuple[str, str]] = set()
        self._lock = threading.Lock()  # Flask answers on several threads

    def before(
        self, engine: MockEngine, operation_id: str, request: Record
    ) -> ResponseVariant | None:
        """The declared 404 for a deleted id, else None (the usual answer)."""
        route = self._routes.get(operation_id)
        if route is None or route.action in ("create", "list"):
            return None
        operation = engine.operations[operation_id]
        attr = dict(operation.path_params).get(route.id_param, "")
        key = (route.collection, str(getattr(request, attr, "")))
        with self._lock:
            gone = key in self._gone
            if route.action == "delete":
                self._gone.add(key)
        missing = [a for a in operation.answers if a.status == "404"]
        if gone and missing:
            return engine.build(missing[0], f"{operation_id}:404")
        return None

    def after(self, operation_id: str, answer: ResponseVariant) -> None:
        """A created resource is there again."""
        route = self._routes.get(operation_id)
        if route is None or route.action != "create":
            return
        body = _json_of(getattr(answer, "body", None))
        key = body.get(route.id_param) or body.get("id")
        if isinstance(key, str | int):
            with self._lock:
                self._gone.discard((route.collection, str(key)))


def _routes(operations: Mapping[str, MockOperation]) -> dict[str, _Route]:
    by_path: dict[tuple[str, str], str] = {
        (op.method.lower(), op.path.rstrip("/")): op_id
        for op_id, op in operations.items()
    }
    routes: dict[str, _Route] = {}
    for (method, path), op_id in by_path.items():
        if method != "post":
            continue
        items = sorted(
            p
            for (_, p) in by_path
            if p.startswith(path + "/{")
            and p.endswith("}")
            and p.count("/") == path.count("/") + 1
        )
        if not items:
            continue
        item = items[0]
        param = item.rsplit("/", 1)[1][1:-1]
        routes[op_id] = _Route(path, "create", param)
        for action, method_ in (
            ("list", "get"),
            ("read", "get"),
            ("replace", "put"),
            ("replace", "patch"),
            ("delete", "delete"),
        ):
            target = path if action == "list" else item
            found = by_path.get((method_, target))
            if found is not None:
                routes[found] = _Route(path, action, param)
    return routes


def _page(items: list[tuple[str, Any]], request: Record) -> list[Any]:
    """The kept bodies a list request asks for, where its parameters say so by name: a
    cursor holding a kept id (`starting_after`, `after`: the items after it;
    `ending_before`, `before`: those before it) and a `limit`; else all, oldest first.
    """
    ids = [key for key, _ in items]
    start, end = 0, len(items)
    limit: int | None = None
    for name in type(request)._fields:
        value = getattr(request, name, None)
        if "limit" in name and isinstance(value, int) and value > 0:
            limit = value
        elif value is not None and str(value) in ids:  # ids may be typed (UUID)
            index = ids.index(str(value))
            if "before" in name:
                end = min(end, index)
            elif "after" in name or "cursor" in name:
                start = max(start, index + 1)
    page = [body for _, body in items[start:end]]
    return page[:limit] if limit is not None else page


def _with_body(
    engine: MockEngine, operation_id: str, operation: MockOperation, body: Any
) -> ResponseVariant | None:
    answer, _ = engine.choose(operation, {}, "")
    if answer.variant.kind != "json":
        return None
    built = engine.build(answer, f"{engine.settings.seed}:{operation_id}")
    return _typed(answer.variant, body, built)


def _typed(
    cls: type[ResponseVariant], body: Any, built: ResponseVariant
) -> ResponseVariant | None:
    try:
        value = adapter(cls.body_type).validate_python(body)
    except ValidationError:
        return None
    values = {name: getattr(built, name) for name in cls._fields}
    values["body"] = value
    return cls(**values)


def _json_value(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    return value


def _json_of(value: Any) -> dict[str, Any]:
    data = _json_value(value)
    return data if isinstance(data, dict) else {}
