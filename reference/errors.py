"""Wording of the errors the generated servers find themselves (shared by both APIs)."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, Protocol

MAX_MESSAGE = 500


class ServerError(Protocol):
    """The fields of a generated `RequestError` (each API has its own class)."""

    @property
    def status(self) -> int: ...
    @property
    def detail(self) -> str: ...
    @property
    def errors(self) -> list[dict[str, Any]] | None: ...


def title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(error: ServerError) -> dict[str, Any]:
    """A JSON problem body: status, title, detail and the validation errors, if any."""
    body: dict[str, Any] = {"status": error.status, "title": title(error.status)}
    body["detail"] = error.detail
    if error.errors is not None:
        body["errors"] = error.errors
    return body


def message(error: ServerError) -> str:
    """One line: the detail and the first validation error, with where it is in the body."""
    text = error.detail
    if error.errors:
        first = error.errors[0]
        where = _location(first.get("loc", ()))
        text += f": {where}: {first.get('msg', '')}" if where else f": {first.get('msg', '')}"
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _location(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)
