"""OpenAPI runtime expressions (OpenAPI 3.x, "Runtime Expressions"): the URL a callback
is sent to, read from the request (and response) of the operation that declared it, e.g.
`{$request.body#/callbackUrl}` or `https://x.example/cb?id={$request.query.id}`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import quote

_EMBEDDED = re.compile(r"\{(\$[^{}]+)\}")


class ExpressionError(ValueError):
    """A runtime expression that names nothing in the request or response given."""


def _json(value: Any) -> Any:
    """A body as JSON data: pydantic models (and their RootModels) dumped by alias."""
    dump = getattr(value, "model_dump", None)
    return dump(mode="json", by_alias=True) if callable(dump) else value


def _pointer(document: Any, pointer: str, expression: str) -> Any:
    node = _json(document)
    if pointer in ("", "/"):
        return node
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise ExpressionError(f"{expression}: no {token!r} in the body")
    return node


def _lookup(table: Mapping[str, Any], name: str, expression: str) -> Any:
    for key, value in table.items():
        if key.lower() == name.lower():
            return value
    raise ExpressionError(f"{expression}: no {name!r}")


def evaluate(
    expression: str,
    *,
    url: str = "",
    method: str = "",
    status_code: int | None = None,
    request: Mapping[str, Any] | None = None,
    response: Mapping[str, Any] | None = None,
) -> Any:
    """The value of one expression (`$url`, `$method`, `$statusCode`,
    `$request.{header,query,path}.<name>`, `$request.body#<pointer>`, the same of
    `$response`). `request` and `response` map "header", "query", "path" to their
    values by name and "body" to the body (JSON data or a model)."""
    if expression == "$url":
        return url
    if expression == "$method":
        return method
    if expression == "$statusCode":
        return status_code
    source, _, rest = expression.partition(".")
    parts = {"$request": request, "$response": response}
    if source not in parts or not rest:
        raise ExpressionError(f"{expression}: not a runtime expression")
    given = parts[source] or {}
    if rest == "body" or rest.startswith("body#"):
        return _pointer(given.get("body"), rest[5:], expression)
    where, _, name = rest.partition(".")
    if where not in ("header", "query", "path") or not name:
        raise ExpressionError(f"{expression}: not a runtime expression")
    return _lookup(given.get(where) or {}, name, expression)


def callback_url(
    expression: str,
    *,
    url: str = "",
    method: str = "",
    status_code: int | None = None,
    request: Mapping[str, Any] | None = None,
    response: Mapping[str, Any] | None = None,
) -> str:
    """A callback's URL: `expression` as a whole (`$request.body#/callbackUrl`, braces
    or not) or a URL with expressions embedded in braces, each replaced by its value
    (percent-encoded, except where it is the whole URL). See `evaluate`."""
    value = partial(
        evaluate,
        url=url,
        method=method,
        status_code=status_code,
        request=request,
        response=response,
    )
    whole = expression[1:-1] if _EMBEDDED.fullmatch(expression) else expression
    if whole.startswith("$"):
        return str(value(whole))

    def replace(match: re.Match[str]) -> str:
        return quote(str(value(match.group(1))), safe="")

    return _EMBEDDED.sub(replace, expression)
