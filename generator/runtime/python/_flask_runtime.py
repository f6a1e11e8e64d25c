"""Flask/Werkzeug adapters over the framework-free server core: parameters, bodies,
credentials and responses. Handlers are the same async contract as for FastAPI; each
request runs its coroutine to completion (Flask is synchronous) on its worker thread's
event loop."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections import deque
from collections.abc import (
    AsyncGenerator,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from functools import cache, partial
from typing import Annotated, Any, TypeVar
from urllib.parse import unquote

import flask
from flask import Flask, Request, Response
from pydantic import Field, TypeAdapter, ValidationError
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import Rule

from . import _server_bodies as bodies
from . import _server_core as core
from ._forms import File, FormField
from ._handlers_runtime import Auth, BaseHandlers, ResponseVariant
from ._problems import HTTPProblem
from ._server_bodies import BodyMedia
from ._server_core import ErrorTable, route_prefix
from ._server_params import WireText
from ._streams import last_event_id

__all__ = [
    "BodyMedia",
    "ErrorTable",
    "FormField",
    "HTTPProblem",
    "Params",
    "WireText",
    "authorize",
    "error_response",
    "last_event_id",
    "operation_id",
    "order_rules",
    "read_body",
    "read_media_body",
    "render",
    "route_prefix",
    "run",
    "unproxied",
]

T = TypeVar("T")


class _ThreadLoop:
    """One thread's event loop. The thread's locals drop it when the thread ends, and
    then it is closed at once (the loop is in reference cycles: otherwise only the
    garbage collector would free its file descriptors, with a ResourceWarning)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        # What `_first_step` and `_busy` read, looked up once: None for a loop other
        # than asyncio's selector loop (uvloop...) or an asyncio without them.
        self.inside = _Inside.of(self.loop)

    def __del__(self) -> None:
        if not self.loop.is_running():
            self.loop.close()


class _Inside:
    """The internals of asyncio's selector loop that `run_forever` reads and sets (none
    of them asyncio's API) that stay the same object for the loop's life, kept (not
    `_scheduled`: the loop makes it anew when most of its timers are cancelled)."""

    def __init__(self, loop: Any) -> None:
        self.loop: Any = loop
        self.ready: deque[Any] = loop._ready
        # The selector's own table of what it watches (its `get_map()` reads it).
        self.watched: Mapping[Any, Any] = loop._selector._fd_to_key
        self.firstiter = loop._asyncgen_firstiter_hook
        self.finalizer = loop._asyncgen_finalizer_hook
        for name in ("_thread_id", "_debug", "_task_factory", "_scheduled"):  # per run
            getattr(loop, name)

    @classmethod
    def of(cls, loop: asyncio.AbstractEventLoop) -> _Inside | None:
        if not isinstance(loop, asyncio.SelectorEventLoop):
            return None
        try:
            return cls(loop)
        except AttributeError:  # another Python's asyncio: the plain pass
            return None


_thread = threading.local()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a handler coroutine to completion from a synchronous view.

    Each worker thread keeps one event loop for all its requests (not one per request),
    so handlers may keep loop-bound resources (async database pools, httpx.AsyncClient)
    across requests; a server with a thread per request still gets a fresh loop per
    request. The coroutine runs as a task of that loop (`asyncio.current_task()`, which
    `asyncio.timeout`, anyio and httpx need). Tasks a handler leaves running only
    progress while a later request on that thread runs the loop.
    """
    current: _ThreadLoop | None = getattr(_thread, "current", None)
    if current is None:
        current = _thread.current = _ThreadLoop()
    loop = current.loop
    if asyncio._get_running_loop() is not None:  # raises as it should, loop untouched
        return loop.run_until_complete(coroutine)
    inside = current.inside
    task = _task(loop, inside, coroutine)
    try:
        # Most handlers are done in their task's first step, run at once; the loop
        # runs a pass where it has anything else to do (other tasks' I/O and timers,
        # what the handler left ready), on for a task that waits, and once more for
        # callbacks a pass made ready (as `run_until_complete`'s last pass would).
        if (
            inside is None
            or not _first_step(inside, task)
            or (task.done() and _busy(inside))
        ):
            _one_pass(loop)
        if not task.done():
            return loop.run_until_complete(task)
        if inside is None or inside.ready:
            _one_pass(loop)
    except BaseException:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" log at collection
        raise
    return task.result()


def _task(
    loop: asyncio.AbstractEventLoop,
    inside: _Inside | None,
    coroutine: Coroutine[Any, Any, T],
) -> asyncio.Task[T]:
    # What `create_task` makes without a task factory or debug mode, without its
    # checks (a closed loop refuses the task's first step all the same).
    if inside is None or inside.loop._task_factory is not None or inside.loop._debug:
        return loop.create_task(coroutine)
    return asyncio.Task(coroutine, loop=loop)


def _one_pass(loop: asyncio.AbstractEventLoop) -> None:
    # `stop` before `run_forever`: poll once, run the callbacks ready, return.
    loop.stop()
    loop.run_forever()


def _first_step(inside: _Inside, task: asyncio.Task[Any]) -> bool:
    """Run the first step of `task`, just created, here and now, as a pass of the loop
    would run it: with the loop running and its async generator hooks set. What Python
    3.12's eager tasks do on a running loop, for a loop that is not running yet; a pass
    (a poll, a callback, the loop's own bookkeeping) costs more than most handlers' own
    work. False, having done nothing, in debug mode, or if the task's step is not the
    last callback ready.
    """
    loop = inside.loop
    ready = inside.ready
    if loop._debug or loop._thread_id is not None or not ready:
        return False
    step = ready[-1]
    if getattr(step._callback, "__self__", None) is not task:
        return False
    ready.pop()
    hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(inside.firstiter, inside.finalizer)
    loop._thread_id = threading.get_ident()
    asyncio._set_running_loop(loop)
    try:
        # The task's step as `Handle._run` calls it: in the task's context; it raises
        # nothing but what a pass would let through (SystemExit, KeyboardInterrupt).
        step._context.run(step._callback, *step._args)
    finally:
        asyncio._set_running_loop(None)
        loop._thread_id = None
        sys.set_asyncgen_hooks(*hooks)
    return True


def _busy(inside: _Inside) -> bool:
    """Whether a pass of the loop would do anything: callbacks ready, timers, or I/O
    watched besides its own self-pipe."""
    return bool(inside.ready or inside.loop._scheduled or len(inside.watched) > 1)


def _response(encoded: core.Encoded) -> Response:
    if encoded.stream is not None:
        return Response(
            _chunks(encoded.stream),
            status=encoded.status,
            headers=encoded.headers,
            content_type=encoded.media_type,
        )
    return Response(
        encoded.content,
        status=encoded.status,
        headers=encoded.headers,
        content_type=encoded.media_type,
    )


def _chunks(stream: AsyncGenerator[bytes, None]) -> Iterator[bytes]:
    """A streamed body for WSGI: each chunk made on this thread's event loop as the
    server asks for it. The WSGI server closes this generator when the client goes
    away, which closes the handler's stream."""

    async def step() -> bytes | None:
        try:
            return await anext(stream)
        except StopAsyncIteration:
            return None

    try:
        while (chunk := run(step())) is not None:
            yield chunk
    finally:
        run(stream.aclose())


def render(result: ResponseVariant) -> Response:
    """Turn a handler's declared response into an HTTP response."""
    return _response(core.encode(result))


def error_response(
    handlers: BaseHandlers,
    request: Request,
    exc: HTTPProblem,
    declared: ErrorTable | None = None,
) -> Response:
    """The response to an error the server found itself (see `core.encode_error`)."""
    found = core.encode_error(handlers, operation_id(request), exc, declared)
    return _response(run(found))


def unproxied(request: Request) -> Request:
    """The request behind Flask's `request` proxy, for a route to read directly (every
    read through the proxy looks the request up again)."""
    resolve = getattr(request, "_get_current_object", None)
    found: Request = request if resolve is None else resolve()
    return found


def operation_id(request: Request) -> str | None:
    """The operationId of the matched route: its endpoint without the blueprint prefix
    and the percent-escaping of `%` and `.` the generated routes apply. None when no
    operation matched."""
    rule = request.url_rule
    if rule is None or isinstance(rule, _MethodNotAllowed) or request.endpoint is None:
        return None
    return unquote(request.endpoint.rpartition(".")[2])


class _MethodNotAllowed(Rule):
    """The last rule of a path, of any method: what its operations lack answers 405."""

    ENDPOINT = "specgen.method_not_allowed"  # a dot: never an operation's endpoint

    def __init__(self, path: str, allowed: Iterable[str]) -> None:
        super().__init__(path, endpoint=self.ENDPOINT)
        self.allowed = sorted(allowed)

    @staticmethod
    def answer(**_path: Any) -> Response:
        rule = flask.request.url_rule
        allowed = rule.allowed if isinstance(rule, _MethodNotAllowed) else None
        raise MethodNotAllowed(valid_methods=allowed)


def order_rules(app: Flask) -> None:
    """End each path with a rule of any method that answers 405 (with Allow). Werkzeug
    tries a path's literal segments before its converters, as OpenAPI does, but a path
    that matches and lacks the method would fall through to a templated sibling."""
    allowed: dict[str, set[str]] = {}
    done: set[str] = set()
    for rule in app.url_map.iter_rules():
        if isinstance(rule, _MethodNotAllowed):
            done.add(rule.rule)
        elif rule.endpoint != "static":
            allowed.setdefault(rule.rule, set()).update(rule.methods or ())
    for path, methods in sorted(allowed.items()):
        if path in done:
            continue
        app.url_map.add(_MethodNotAllowed(path, methods))
    app.view_functions[_MethodNotAllowed.ENDPOINT] = _MethodNotAllowed.answer


def read_body(
    request: Request,
    kind: str,
    body_type: Any,
    required: bool,
    schema: str = "",
    media_types: Sequence[str] = (),
    fields: Sequence[FormField] = (),
) -> Any:
    content_type: str = request.environ.get("CONTENT_TYPE", "")
    if kind in ("multipart", "form"):
        bodies.check_form_type(kind, content_type, media_types)
        # Werkzeug streams the body; files past 500 KiB spool to disk.
        items: list[tuple[str, str | File]] = list(request.form.items(multi=True))
        items.extend(
            (name, File(f.stream, f.filename, f.mimetype or None))
            for name, f in request.files.items(multi=True)
        )
        return bodies.decode_form(items, body_type, required, fields, schema)
    raw = request.get_data(cache=True)
    return bodies.decode_body(
        raw, content_type, kind, body_type, required, schema, media_types
    )


def read_media_body(
    request: Request,
    media: Sequence[bodies.BodyMedia],
    required: bool,
    validate_schemas: bool = True,
) -> Any:
    """A body of several media types, read as the one its Content-Type is (a 415 for
    none of them)."""
    chosen = bodies.choose_media(media, request.headers.get("Content-Type", ""))
    return read_body(
        request,
        chosen.kind,
        chosen.body_type,
        required,
        chosen.schema if validate_schemas else "",
        (chosen.media_type,),
        chosen.fields,
    )


def authorize(
    request: Request,
    handlers: BaseHandlers,
    schemes: Mapping[str, tuple[str, str]],
    requirements: Iterable[tuple[str, ...]],
) -> Coroutine[Any, Any, Auth]:
    """The operation's security alternatives checked against the request (awaited)."""
    # Headers read from the environ, as `request.headers` reads them (without making
    # it); query and cookies are parsed on first use only: most schemes read a header.
    source = core.CredentialSource(
        partial(_header, request.environ),
        lambda name: request.args.get(name),
        lambda name: request.cookies.get(name),
    )
    return core.authorize(source, handlers, schemes, requirements)


def _header(environ: Mapping[str, Any], name: str) -> str | None:
    """A request header by name, from its WSGI environ key (werkzeug's mapping)."""
    key = name.upper().replace("-", "_")
    if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        key = f"HTTP_{key}"
    value: str | None = environ.get(key)
    return value


@cache
def _param_reader(
    annotation: Any, constraints: tuple[tuple[str, Any], ...], delimiter: str | None
) -> Callable[[Any], Any]:
    # As FastAPI's fields are: the text read by the spec's rules, then the constraints;
    # the adapter's validator, called as its `validate_python` calls it.
    adapter = TypeAdapter(
        Annotated[annotation, WireText(delimiter), Field(**dict(constraints))]
    )
    read: Callable[[Any], Any] = adapter.validator.validate_python
    return read


class Params:
    """Parameters of one request, converted and validated like FastAPI does; every
    problem is collected and reported at once (400)."""

    def __init__(self, request: Request, path: Mapping[str, str]) -> None:
        self._request = request
        self._path = path
        self._errors: list[dict[str, Any]] = []

    def _raw(self, location: str, name: str, many: bool) -> Any:
        if location == "path":
            return self._path.get(name)
        if location == "query":
            values = self._request.args.getlist(name)
        elif location == "header":
            values = self._request.headers.getlist(name)
        else:
            cookie = self._request.cookies.get(name)
            values = [] if cookie is None else [cookie]
        if many:
            return values or None
        return values[0] if values else None

    def get(
        self,
        location: str,
        name: str,
        annotation: Any,
        *,
        required: bool,
        default: Any = None,
        many: bool = False,
        delimiter: str | None = None,
        constraints: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = self._raw(location, name, many)
        if raw is None:
            if required:
                self._errors.append({"loc": [location, name], "msg": "Field required"})
            return default
        try:
            fixed = tuple(sorted(constraints.items())) if constraints else ()
            return _param_reader(annotation, fixed, delimiter)(raw)
        except ValidationError as exc:
            for error in json.loads(exc.json(include_url=False, include_input=False)):
                self._errors.append(
                    {"loc": [location, name], "msg": error.get("msg", "")}
                )
            return None

    def check(self) -> None:
        if self._errors:
            raise HTTPProblem(400, "Bad Request", "invalid request", self._errors)
