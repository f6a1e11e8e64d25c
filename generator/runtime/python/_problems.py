"""The bodies of the errors a server answers itself (invalid input, bad credentials,
unknown routes, unimplemented operations): an RFC 9457 problem, and that problem fitted
to the schema an operation declares for the status, property by property, by what each
property is called (`status`, `title`, `detail`, `message`, `errors`, ...) and what type
it has."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

PROBLEM_JSON = "application/problem+json"


def title_of(status: int) -> str:
    """The reason phrase of `status` (the title RFC 9457 wants with `about:blank`)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@dataclass(frozen=True)
class Problem:
    """What the server knows of an error: its status, title, detail and, for invalid
    input, the validation errors (`loc`, `msg`, `type`)."""

    status: int
    title: str
    detail: str
    errors: Sequence[Mapping[str, Any]] | None = None

    def body(self) -> dict[str, Any]:
        """The documented problem+json body: type, title, status, detail, errors?"""
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors is not None:
            body["errors"] = [dict(e) for e in self.errors]
        return body

    @property
    def code(self) -> str:
        """A machine-readable spelling of the title: `not_found`."""
        return re.sub(r"[^a-z0-9]+", "_", self.title.lower()).strip("_") or "error"


class _NoFit(Exception):
    """The schema cannot hold the problem (a required property nothing fits)."""


# Property names (lowercased, letters and digits only) -> the problem field they hold.
_STATUS = frozenset({"status", "statuscode", "httpstatus", "httpstatuscode", "code"})
_TITLE = frozenset({"title", "reason", "summary"})
_DETAIL = frozenset(
    {
        "detail",
        "details",
        "message",
        "msg",
        "error",
        "errormessage",
        "description",
        "errordescription",
    }
)
_CODE = frozenset({"code", "errorcode", "type", "errortype", "kind"})
_ERRORS = frozenset({"errors", "details", "validationerrors", "issues", "violations"})
_LOCATION = frozenset({"loc", "location", "path", "field", "pointer", "param"})
_MAX_DEPTH = 8


def fit(
    schema: Mapping[str, Any], problem: Problem, *, problem_json: bool = False
) -> Any:
    """A JSON value for `schema` (a JSON Schema whose `$ref`s point into its `$defs`)
    that says `problem`, or raise ValueError when the schema has required properties
    nothing of the problem fits. A schema that says nothing (`{}`, a free-form object)
    gets the problem+json body. The caller validates the value against the real type."""
    try:
        return _Fitter(schema, problem, problem_json).value(schema, 0)
    except _NoFit as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True)
class _Fitter:
    root: Mapping[str, Any]
    problem: Problem
    problem_json: bool

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        for _ in range(_MAX_DEPTH):
            ref = schema.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return schema
            node: Any = self.root
            for token in ref[2:].split("/"):
                node = node.get(token.replace("~1", "/").replace("~0", "~"), {})
            schema = node if isinstance(node, Mapping) else {}
        return schema

    def value(self, schema: Mapping[str, Any], depth: int) -> Any:
        """The problem as an object of `schema`."""
        schema = self.resolve(schema)
        if depth > _MAX_DEPTH:
            raise _NoFit("the schema nests too deeply")
        for key in ("anyOf", "oneOf"):
            if key in schema:
                for option in schema[key]:
                    try:
                        return self.value(option, depth + 1)
                    except _NoFit:
                        continue
                raise _NoFit("no alternative fits")
        if "allOf" in schema:
            return self.value(self.merged(schema), depth + 1)
        properties = schema.get("properties")
        if not isinstance(properties, Mapping):
            if _types(schema) - {"object"}:
                raise _NoFit("not an object")
            if schema.get("additionalProperties") is False:
                return {}
            return self.problem.body()
        required = set(schema.get("required", ()))
        found: dict[str, Any] = {}
        for name, sub in properties.items():
            try:
                found[name] = self.field(str(name), self.resolve(sub), depth)
            except _NoFit:
                if name in required and "default" not in self.resolve(sub):
                    raise _NoFit(
                        f"nothing fits the required property {name!r}"
                    ) from None
        return found

    def merged(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for part in (schema, *schema["allOf"]):
            part = self.resolve(part)
            if "allOf" in part and part is not schema:
                part = self.merged(part)
            properties.update(part.get("properties", {}))
            required.extend(part.get("required", ()))
        return {"type": "object", "properties": properties, "required": required}

    def field(self, name: str, schema: Mapping[str, Any], depth: int) -> Any:
        """The value of property `name` (of type `schema`), or _NoFit."""
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        types = _types(schema)
        problem = self.problem
        if depth > _MAX_DEPTH:
            raise _NoFit("the schema nests too deeply")
        for union in (
            "anyOf",
            "oneOf",
        ):  # e.g. `str | None`: the first option that fits
            for option in schema.get(union, ()):
                try:
                    return self.field(name, self.resolve(option), depth + 1)
                except _NoFit:
                    continue
        if "properties" in schema or "allOf" in schema:
            return self.value(schema, depth + 1)
        if key in _ERRORS and "array" in types:
            if problem.errors is None:
                raise _NoFit("no validation errors")
            items = self.resolve(schema.get("items", {}))
            return [self.error_item(items, e, depth) for e in problem.errors]
        if key in _STATUS and types & {"integer", "number"}:
            return _allowed(schema, problem.status)
        if key == "status" and "string" in types:
            return _allowed(schema, str(problem.status))
        if "string" in types or not types:
            if key in _TITLE:
                return _allowed(schema, problem.title)
            if key in _DETAIL:
                return _allowed(schema, problem.detail)
            if key == "type" and (
                self.problem_json or "uri" in str(schema.get("format"))
            ):
                return _allowed(schema, "about:blank")
            if key in _CODE:
                return _allowed(schema, problem.code)
        raise _NoFit(f"nothing fits {name!r}")

    def error_item(
        self, schema: Mapping[str, Any], error: Mapping[str, Any], depth: int
    ) -> Any:
        """One validation error as an item of the declared errors array."""
        properties = schema.get("properties")
        if not isinstance(properties, Mapping):
            return dict(error)
        loc = [str(part) for part in error.get("loc", ())]
        item = Problem(
            self.problem.status, str(error.get("type", "")), str(error.get("msg", ""))
        )
        found: dict[str, Any] = {}
        for name, sub in properties.items():
            sub = self.resolve(sub)
            key = re.sub(r"[^a-z0-9]", "", str(name).lower())
            if key in _LOCATION:
                found[name] = loc if "array" in _types(sub) else ".".join(loc)
                continue
            try:
                found[name] = _Fitter(self.root, item, self.problem_json).field(
                    str(name), sub, depth + 1
                )
            except _NoFit:
                if name in set(schema.get("required", ())):
                    raise
        return found


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    if "const" in schema:
        return {_JSON_TYPES.get(type(schema["const"]), "object")}
    return set()


_JSON_TYPES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
}


def _allowed(schema: Mapping[str, Any], value: Any) -> Any:
    """`value` if the schema's `enum`/`const` allow it."""
    if "const" in schema and schema["const"] != value:
        raise _NoFit("const")
    if "enum" in schema and value not in schema["enum"]:
        raise _NoFit("enum")
    return value


class HTTPProblem(Exception):
    """An error the server answers itself (status, title, detail, validation errors):
    with the operation's declared response, or a problem+json body. The title defaults
    to the status's reason phrase."""

    def __init__(
        self, status: int, title: str | None, detail: str, errors: Any = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title or title_of(status)
        self.detail = detail
        self.errors = errors
        self.headers: dict[str, str] = {}
