"""How the mock reads a request's preferences (`Prefer`, `Accept`: the middleware that
`mock.py` installs puts them where the engine finds them, since handlers see declared
parameters only) and which declared answer they choose, the way Prism chooses."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

from ._mock_contract import Answer

# What the current request asked of the mock: its `Prefer` preferences and `Accept`
# header, set by the middleware `mock.py` installs (handlers see declared parameters).
_NO_PREFERENCES: Mapping[str, str] = MappingProxyType({})
PREFER: ContextVar[Mapping[str, str]] = ContextVar(
    "specgen_mock_prefer", default=_NO_PREFERENCES
)
ACCEPT: ContextVar[str] = ContextVar("specgen_mock_accept", default="")


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
        prefer = PREFER.set(parse_prefer(headers.get("prefer", "")))
        accept = ACCEPT.set(headers.get("accept", ""))
        try:
            await self.app(scope, receive, send)
        finally:
            PREFER.reset(prefer)
            ACCEPT.reset(accept)


class PreferWSGIMiddleware:
    """The same for WSGI (Flask runs each handler on the request thread's event loop,
    whose tasks start from this thread's context)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        PREFER.set(parse_prefer(environ.get("HTTP_PREFER", "")))
        ACCEPT.set(environ.get("HTTP_ACCEPT", ""))
        return self.app(environ, start_response)


def success_first(answer: Answer) -> tuple[int, str]:
    return (0 if answer.status.startswith("2") else 1, answer.status)


def default_answers(answers: Sequence[Answer]) -> list[Answer]:
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


def by_media(answers: Sequence[Answer], accept: str) -> Answer:
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
    return min(answers, key=lambda a: order.get(a.variant.kind, 6))


def status_code(status: str, preferred: str | None) -> int:
    ranged = status.endswith("XX") and (preferred or "")[:1] == status[:1]
    if preferred and preferred.isdigit() and (status == "default" or ranged):
        return int(preferred)
    if status.endswith("XX"):
        return int(status[0]) * 100
    return 200 if status == "default" else int(status)
