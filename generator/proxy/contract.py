"""The contract the proxy checks traffic against: each operation as a frozen record.

Read from the validated (normalised) document, split into its request and response sides
(`generator.build.sides`: a request carrying a readOnly property, or a response carrying a
writeOnly one, fails) and rewritten into plain JSON Schema (`nullable`, 3.0's exclusive
bounds). Schemas are kept as pointers into that document (`Contract.document`), which
`schemas.SchemaChecker` compiles on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.jsonschema import to_json_schema
from generator.build.servers import build_servers
from generator.build.sides import split_sides
from generator.pipeline import Options, load_and_validate
from generator.pointers import MISSING, deref, join_pointer
from generator.validate.schemas import HTTP_METHODS, walk_schemas

LOCATIONS = ("path", "query", "header", "cookie")
# Header parameters OpenAPI says to ignore: other fields of the spec describe them.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


@dataclass(frozen=True)
class Parameter:
    name: str  # as written (header names compare case-insensitively)
    location: str  # one of LOCATIONS
    required: bool
    schema: str | None  # pointer of its schema in Contract.document; None: no check
    style: str  # the serialisation style, with OpenAPI's default for the location
    explode: bool
    json_content: bool  # given by `content` with a JSON media type: the value is JSON text


@dataclass(frozen=True)
class Media:
    media_type: str  # as declared, lower-case (may hold wildcards: `image/*`, `*/*`)
    schema: str | None  # pointer of its schema; None: no schema declared


@dataclass(frozen=True)
class Header:
    name: str
    required: bool
    schema: str | None


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX" (upper-case) or "default"
    content: tuple[Media, ...]  # empty: the response declares no body
    headers: tuple[Header, ...]


@dataclass(frozen=True)
class Operation:
    method: str  # upper-case
    path: str  # the path template as written in the spec
    operation_id: str  # the spec's, or "METHOD path" when it has none
    pointer: str  # of the operation object
    parameters: tuple[Parameter, ...]
    body: tuple[Media, ...] | None  # None: no request body declared
    body_required: bool
    responses: tuple[Response, ...]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def response_for(self, status: int) -> Response | None:
        """The response declared for `status`: exact, then its range (`4XX`), then
        `default`; None when none applies."""
        by_key = {r.status: r for r in self.responses}
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in by_key:
                return by_key[key]
        return None


@dataclass(frozen=True)
class Contract:
    title: str
    base_path: str  # request paths start with it ("" for none)
    operations: tuple[Operation, ...]
    document: dict[str, Any] = field(compare=False, repr=False)  # JSON Schema form


def load_contract(
    specs: Sequence[Path], options: Options, base_path: str | None = None
) -> Contract:
    """The contract of `specs` (raises SpecError with located diagnostics for a bad spec).
    `base_path` replaces the path of the first server URL."""
    _, validated, _ = load_and_validate(specs, options)
    return build_contract(validated.document, base_path)


def build_contract(document: Mapping[str, Any], base_path: str | None = None) -> Contract:
    checks = split_sides(document).checks
    for item in walk_schemas(checks).nodes:
        to_json_schema(item.node)
    if base_path is None:
        servers = build_servers(document)
        base_path = servers[0].base_path if servers else ""
    info = document.get("info")
    title = info.get("title") if isinstance(info, Mapping) else None
    return Contract(
        title=title if isinstance(title, str) else "",
        base_path=normalise_base_path(base_path),
        operations=tuple(_operations(checks)),
        document=checks,
    )


def normalise_base_path(path: str) -> str:
    """ "/v1" for "v1/", "" for "" or "/"."""
    path = path.strip().strip("/")
    return f"/{path}" if path else ""


def _operations(document: dict[str, Any]) -> list[Operation]:
    found = []
    for path, raw_item in (document.get("paths") or {}).items():
        item, item_pointer = deref(document, raw_item, join_pointer("/paths", path))
        if not isinstance(item, Mapping):
            continue
        shared = _parameters(
            document, item.get("parameters"), join_pointer(item_pointer, "parameters")
        )
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            pointer = join_pointer(item_pointer, method)
            own = _parameters(document, op.get("parameters"), join_pointer(pointer, "parameters"))
            merged = {(p.location, _key(p)): p for p in (*shared, *own)}  # the operation's win
            body, body_required = _body(document, op.get("requestBody"), pointer)
            operation_id = op.get("operationId")
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=operation_id
                    if isinstance(operation_id, str)
                    else f"{method.upper()} {path}",
                    pointer=pointer,
                    parameters=tuple(merged.values()),
                    body=body,
                    body_required=body_required,
                    responses=_responses(document, op.get("responses"), pointer),
                )
            )
    return found


def _key(parameter: Parameter) -> str:
    return parameter.name.lower() if parameter.location == "header" else parameter.name


def _parameters(document: dict[str, Any], raw: Any, pointer: str) -> list[Parameter]:
    found = []
    for index, entry in enumerate(raw if isinstance(raw, list) else ()):
        node, node_pointer = deref(document, entry, join_pointer(pointer, index))
        if not isinstance(node, Mapping) or node.get("in") not in LOCATIONS:
            continue
        location, name = node["in"], node.get("name")
        if not isinstance(name, str):
            continue
        if location == "header" and name.lower() in IGNORED_HEADERS:
            continue
        style = node.get("style")
        if not isinstance(style, str):
            style = "form" if location in ("query", "cookie") else "simple"
        explode = node.get("explode")
        schema, json_content = _parameter_schema(node, node_pointer)
        found.append(
            Parameter(
                name=name,
                location=location,
                required=node.get("required") is True or location == "path",
                schema=schema,
                style=style,
                explode=explode if isinstance(explode, bool) else style == "form",
                json_content=json_content,
            )
        )
    return found


def _parameter_schema(node: Mapping[str, Any], pointer: str) -> tuple[str | None, bool]:
    if isinstance(node.get("schema"), Mapping):
        return join_pointer(pointer, "schema"), False
    content = node.get("content")
    if isinstance(content, Mapping):
        for media_type, media in content.items():
            if isinstance(media, Mapping) and isinstance(media.get("schema"), Mapping):
                is_json = "json" in str(media_type).lower()
                schema = join_pointer(pointer, "content", media_type, "schema")
                return (schema if is_json else None), is_json
    return None, False


def _body(
    document: dict[str, Any], raw: Any, pointer: str
) -> tuple[tuple[Media, ...] | None, bool]:
    node, node_pointer = deref(document, raw, join_pointer(pointer, "requestBody"))
    if raw is None or not isinstance(node, Mapping):
        return None, False
    return _content(node, node_pointer), node.get("required") is True


def _content(node: Mapping[str, Any], pointer: str) -> tuple[Media, ...]:
    content = node.get("content")
    if not isinstance(content, Mapping):
        return ()
    return tuple(
        Media(
            media_type=str(media_type).lower(),
            schema=join_pointer(pointer, "content", media_type, "schema")
            if isinstance(media, Mapping) and isinstance(media.get("schema"), Mapping)
            else None,
        )
        for media_type, media in content.items()
    )


def _responses(document: dict[str, Any], raw: Any, pointer: str) -> tuple[Response, ...]:
    found = []
    for status, entry in (raw if isinstance(raw, Mapping) else {}).items():
        response_pointer = join_pointer(pointer, "responses", status)
        node, node_pointer = deref(document, entry, response_pointer)
        if not isinstance(node, Mapping):
            continue
        key = str(status).upper() if str(status).lower() != "default" else "default"
        found.append(
            Response(
                status=key,
                content=_content(node, node_pointer),
                headers=_headers(document, node.get("headers"), node_pointer),
            )
        )
    return tuple(found)


def _headers(document: dict[str, Any], raw: Any, pointer: str) -> tuple[Header, ...]:
    found = []
    for name, entry in (raw if isinstance(raw, Mapping) else {}).items():
        node, node_pointer = deref(document, entry, join_pointer(pointer, "headers", name))
        if node is MISSING or not isinstance(node, Mapping) or str(name).lower() == "content-type":
            continue
        schema, _ = _parameter_schema(node, node_pointer)
        found.append(Header(name=str(name), required=node.get("required") is True, schema=schema))
    return tuple(found)
