"""The contract checks of one exchange, as `Problem`s: the request (parameters, Content-Type,
JSON body), the response's head (status, Content-Type, headers) and its JSON body."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.proxy.contract import Media, Operation, Parameter, Response
from generator.proxy.media import declared_for, is_json, listed
from generator.proxy.params import (
    UNCHECKED,
    cookie_values,
    has_object_keys,
    is_object,
    parameter_value,
    query_values,
)
from generator.proxy.schemas import SchemaChecker

# Statuses whose responses carry no body whatever the spec declares.
NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(frozen=True)
class Problem:
    part: str  # what broke the contract: "request body", "query parameter 'limit'", ...
    detail: str  # how


@dataclass(frozen=True)
class Request:
    method: str
    path_values: Mapping[str, str]
    query: bytes
    headers: Mapping[str, list[str]]  # lower-case names
    body: bytes


class Checker:
    def __init__(self, schemas: SchemaChecker, document: Any) -> None:
        self.schemas = schemas
        self.document = document

    # -- request ---------------------------------------------------------------------------

    def request(self, op: Operation, request: Request) -> list[Problem]:
        problems = self._parameters(op, request)
        problems += self._request_body(op, request)
        return problems

    def _parameters(self, op: Operation, request: Request) -> list[Problem]:
        sent = {
            "path": {k: [v] for k, v in request.path_values.items()},
            "query": query_values(request.query),
            "header": request.headers,
            "cookie": cookie_values(request.headers),
        }
        problems = []
        for parameter in op.parameters:
            values = sent[parameter.location]
            key = parameter.name.lower() if parameter.location == "header" else parameter.name
            part = f"{parameter.location} parameter {parameter.name!r}"
            if key not in values:
                deep = parameter.style == "deepObject" and has_object_keys(values, key)
                if parameter.required and not deep and not self._exploded_object(parameter):
                    problems.append(Problem(part, "required, but missing"))
                continue
            problems += [Problem(part, e) for e in self._parameter(parameter, values[key])]
        return problems

    def _exploded_object(self, parameter: Parameter) -> bool:
        # An exploded form object sends its properties as keys of their own, not its name.
        exploded = parameter.style == "form" and parameter.explode
        return exploded and is_object(self.document, parameter.schema)

    def _parameter(self, parameter: Parameter, raws: list[str]) -> list[str]:
        if parameter.schema is None:
            return []
        try:
            value = parameter_value(parameter, raws, self.document)
        except ValueError as exc:
            return [f"not JSON: {exc}"]
        if value is UNCHECKED:
            return []
        return self.schemas.errors(parameter.schema, value)

    def _request_body(self, op: Operation, request: Request) -> list[Problem]:
        content_type = _first(request.headers, "content-type")
        if op.body is None:
            if request.body:
                return [Problem("request body", "sent, but the operation declares none")]
            return []
        if not request.body:
            return [Problem("request body", "required, but missing")] if op.body_required else []
        if content_type is None:
            return [Problem("request Content-Type", f"missing (declared: {listed(op.body)})")]
        media = declared_for(content_type, op.body)
        if media is None:
            detail = f"{content_type!r} is not declared (declared: {listed(op.body)})"
            return [Problem("request Content-Type", detail)]
        errors = self._json(media, content_type, request.body, "readOnly")
        return [Problem("request body", e) for e in errors]

    # -- response --------------------------------------------------------------------------

    def response_head(
        self, op: Operation, status: int, headers: Mapping[str, list[str]]
    ) -> tuple[list[Problem], Response | None]:
        """Problems of the status and headers, and the declared response (None: undeclared
        status, nothing more to check)."""
        response = op.response_for(status)
        if response is None:
            declared = ", ".join(r.status for r in op.responses)
            return [Problem("status", f"{status} is not declared (declared: {declared})")], None
        problems = []
        content_type = _first(headers, "content-type")
        if content_type is not None and response.content:
            if declared_for(content_type, response.content) is None:
                detail = f"{content_type!r} is not declared (declared: {listed(response.content)})"
                problems.append(Problem("response Content-Type", detail))
        for header in response.headers:
            part = f"response header {header.name!r}"
            values = headers.get(header.name.lower())
            if values is None:
                if header.required:
                    problems.append(Problem(part, "required, but missing"))
                continue
            if header.schema is not None:
                as_parameter = Parameter(
                    header.name, "header", header.required, header.schema, "simple", False, False
                )
                problems += [Problem(part, e) for e in self._parameter(as_parameter, values)]
        return problems, response

    def collects_body(self, response: Response, headers: Mapping[str, list[str]]) -> bool:
        """Whether the response body is to be kept (as it streams by) for the JSON check."""
        content_type = _first(headers, "content-type")
        if content_type is None or not is_json(content_type):
            return False
        media = declared_for(content_type, response.content)
        return media is not None and media.schema is not None

    def response_body(
        self,
        response: Response,
        status: int,
        headers: Mapping[str, list[str]],
        body: bytes | None,
        size: int,
    ) -> list[Problem]:
        """Problems of the body, once it has passed (`body`: kept by `collects_body`;
        `size`: its length in bytes)."""
        content_type = _first(headers, "content-type")
        if size == 0 or status in NO_BODY_STATUSES:
            return []
        if not response.content:
            detail = f"{size} byte(s) sent, but {response.status} declares no content"
            return [Problem("response body", detail)]
        if content_type is None:
            detail = f"missing (declared: {listed(response.content)})"
            return [Problem("response Content-Type", detail)]
        media = declared_for(content_type, response.content)
        if media is None or body is None:
            return []
        errors = self._json(media, content_type, body, "writeOnly")
        return [Problem("response body", e) for e in errors]

    def _json(self, media: Media, content_type: str, body: bytes, hidden: str) -> list[str]:
        if media.schema is None or not is_json(content_type):
            return []
        try:
            value = json.loads(body)
        except ValueError as exc:  # UnicodeDecodeError included
            return [f"not valid JSON: {exc}"]
        return self.schemas.errors(media.schema, value, hidden)


def _first(headers: Mapping[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None
