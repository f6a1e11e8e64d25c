"""Paths and operations of the normalised document → IR operations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.build.checks import text_is_checked
from generator.build.forms import form_fields
from generator.build.media import binary_default, content_kind, preferred_media_type
from generator.build.params import one_or_many
from generator.build.schemas import SchemaTable, is_primitive_schema, single_ref
from generator.ir.model import (
    Constraint,
    Content,
    ContentKind,
    Operation,
    Parameter,
    ParamLocation,
    RequestBody,
    Response,
    ResponseHeader,
    SecurityRequirement,
)
from generator.ir.names import pascal_case
from generator.ir.types import Primitive, TypeKind, TypeRef
from generator.pointers import deref, join_pointer, split_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_CONSTRAINTS = ("minimum", "maximum", "minLength", "maxLength", "pattern")
_EXCLUSIVE = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}


def _is_enum(schema: Any) -> bool:
    return (
        isinstance(schema, Mapping)
        and isinstance(schema.get("enum"), list)
        and not any(k in schema for k in ("allOf", "anyOf", "oneOf", "properties"))
    )


def _is_object_like(document: Mapping[str, Any], media: Any) -> bool:
    """Whether an event stream's schema describes its events' data as JSON (an object, an
    array, a combination, a reference), not as plain text (`type: string` or nothing)."""
    schema = media.get("schema") if isinstance(media, Mapping) else None
    if not isinstance(schema, Mapping):
        return False
    if "$ref" in schema:
        schema, _ = deref(document, schema, "")
        if not isinstance(schema, Mapping):
            return False
    return schema.get("type") not in ("string", None) or any(
        k in schema for k in ("properties", "allOf", "anyOf", "oneOf", "items")
    )


def _text(node: Mapping[str, Any], key: str) -> str:
    value = node.get(key)
    return value if isinstance(value, str) else ""


class OperationBuilder:
    """Builds every operation of one document against one SchemaTable."""

    def __init__(self, document: Mapping[str, Any], table: SchemaTable) -> None:
        self._doc = document
        self._table = table
        self._root_security = document.get("security")

    def build_all(self) -> tuple[Operation, ...]:
        operations: list[Operation] = []
        for path, item in (self._doc.get("paths") or {}).items():
            if not isinstance(item, Mapping):
                continue
            item_pointer = join_pointer("/paths", path)
            item, item_pointer = deref(self._doc, item, item_pointer)
            for method in HTTP_METHODS:
                op = item.get(method) if isinstance(item, Mapping) else None
                if isinstance(op, Mapping):
                    pointer = join_pointer(item_pointer, method)
                    operations.append(self.operation(path, method, item, op, pointer))
        return tuple(operations)

    def operation(
        self,
        path: str,
        method: str,
        item: Mapping[str, Any],
        op: Mapping[str, Any],
        pointer: str,
        *,
        op_id: str | None = None,
        inherit: bool = True,
    ) -> Operation:
        """One operation; `op_id` replaces its operationId, and without `inherit` the
        document's security does not apply (webhooks, callbacks: see generator.build.hooks)."""
        if op_id is None:
            op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            op_id = f"{method}_{path}"
        # Hoisted inline schemas are named after the operation: `<Op><Param>`, `<Op>Body`...
        owner = pascal_case(op_id, fallback="Operation")
        security = op.get("security", self._root_security if inherit else None)
        body = self._body(op.get("requestBody"), pointer + "/requestBody", owner)
        responses = self._responses(op.get("responses") or {}, pointer, owner)
        # The body's other media types are typed last, so that they name no type before
        # the responses do (an operation with one media type is built as it always was).
        body = self._alternatives(op.get("requestBody"), body, owner)
        return Operation(
            operation_id=op_id,
            method=method.upper(),
            path=path,
            pointer=pointer,
            summary=_text(op, "summary"),
            description=_text(op, "description"),
            tags=tuple(t for t in op.get("tags") or () if isinstance(t, str)),
            deprecated=op.get("deprecated") is True,
            parameters=self._parameters(item, op, pointer, owner),
            body=body,
            responses=responses,
            security=self._security(security),
        )

    def _parameters(
        self, item: Mapping[str, Any], op: Mapping[str, Any], pointer: str, owner: str
    ) -> tuple[Parameter, ...]:
        # Path-level parameters apply unless the operation redefines the same (name, in).
        merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
        item_pointer = pointer.rsplit("/", 1)[0]
        for source, base in ((item, item_pointer), (op, pointer)):
            for i, raw in enumerate(source.get("parameters") or ()):
                node, ptr = deref(self._doc, raw, join_pointer(base, "parameters", i))
                if isinstance(node, Mapping) and isinstance(node.get("name"), str):
                    merged[(node["name"], str(node.get("in")))] = (node, ptr)
        params: list[Parameter] = []
        for (name, where), (node, ptr) in merged.items():
            try:
                location = ParamLocation(where)
            except ValueError:
                continue
            params.append(self._parameter(node, ptr, name, location, owner))
        # Required parameters first: they become positional arguments of client methods.
        params.sort(key=lambda p: not p.required)
        return tuple(params)

    def _parameter(
        self,
        node: Mapping[str, Any],
        pointer: str,
        name: str,
        location: ParamLocation,
        owner: str,
    ) -> Parameter:
        raw = node.get("schema")
        tokens = split_pointer(pointer)
        # A shared parameter's inline enum is one class, named after the shared parameter.
        shared = tokens[:2] == ["components", "parameters"] and len(tokens) == 3
        hint = pascal_case(tokens[2] if shared else f"{owner} {name}")
        if shared and self._table.is_taken(hint):  # a schema of that name: `PageParam`
            hint += "Param"
        # The type comes from the schema as written: a `$ref` to a component enum is that enum.
        type_ = self._param_type(raw, pointer + "/schema", hint)
        schema, _ = deref(self._doc, raw, pointer + "/schema")
        if location is ParamLocation.PATH and type_.kind is TypeKind.LIST:
            # One path segment is one value: frameworks bind it as a string.
            type_ = TypeRef.primitive(Primitive.STRING, nullable=type_.nullable)
        required = location is ParamLocation.PATH or node.get("required") is True
        has_default = isinstance(schema, Mapping) and "default" in schema
        if has_default and not type_.accepts(schema["default"]):
            target = self._target(schema, pointer)
            has_default = (
                type_.is_model and _is_enum(target) and schema["default"] in target["enum"]
            )
        constraints: list[Constraint] = []
        if isinstance(schema, Mapping) and is_primitive_schema(schema):
            for keyword in _CONSTRAINTS:
                value = schema.get(keyword)
                if isinstance(value, int | float | str) and not isinstance(value, bool):
                    # The normalised form of an exclusive bound: `minimum` beside
                    # `exclusiveMinimum: true`.
                    if schema.get(_EXCLUSIVE.get(keyword, "")) is True:
                        keyword = _EXCLUSIVE[keyword]
                    constraints.append(Constraint(keyword, value))
        return Parameter(
            name=name,
            location=location,
            required=required,
            type=type_,
            pointer=pointer,
            description=_text(node, "description"),
            has_default=has_default and not required,
            default=schema.get("default") if has_default and isinstance(schema, Mapping) else None,
            constraints=tuple(constraints),
            explode=node.get("explode", node.get("style", "form") == "form") is not False,
            deprecated=node.get("deprecated") is True,
            style=node["style"] if isinstance(node.get("style"), str) else "",
        )

    def _param_type(self, schema: Any, pointer: str, hint: str) -> TypeRef:
        """Parameters are scalars, enums or arrays of those on the wire; anything richer is a
        string (the handler parses it), since frameworks cannot bind objects from a query."""
        many = one_or_many(self._doc, self._table, schema, pointer)
        if many is not None:
            return many
        type_ = self._table.type_of(schema, pointer, hint, unwrap=True)
        inner = type_.item if type_.kind is TypeKind.LIST and type_.item is not None else type_
        target = self._target(schema, pointer)
        if type_.kind is TypeKind.LIST and isinstance(target, Mapping):
            target = self._target(target.get("items"), pointer)
        if inner.kind is TypeKind.PRIMITIVE or (inner.kind is TypeKind.MODEL and _is_enum(target)):
            return type_
        return TypeRef.primitive(Primitive.STRING, nullable=type_.nullable)

    def _target(self, schema: Any, pointer: str) -> Any:
        """The schema a parameter's type stands for: refs, and `allOf: [$ref]`, followed."""
        target, _ = deref(self._doc, schema, pointer)
        alias = single_ref(target) if isinstance(target, Mapping) else None
        if alias is not None:
            target, _ = deref(self._doc, {"$ref": alias}, pointer)
        return target

    def _body(self, raw: Any, pointer: str, owner: str) -> RequestBody | None:
        node, ptr = deref(self._doc, raw, pointer)
        if not isinstance(node, Mapping) or not isinstance(node.get("content"), Mapping):
            return None
        content_map: Mapping[str, Any] = node["content"]
        if not content_map:
            return None
        media_type = preferred_media_type(content_map)
        content = self._request_content(media_type, content_map, ptr, f"{owner}Body")
        return RequestBody(
            required=node.get("required") is True,
            content=content,
            pointer=ptr,
            description=_text(node, "description"),
            other_media_types=tuple(m for m in content_map if m != media_type),
            binary_default=binary_default((media_type, *content_map)),
        )

    def _alternatives(self, raw: Any, body: RequestBody | None, owner: str) -> RequestBody | None:
        """`body` with its other declared media types typed (`RequestBody.alternatives`),
        each type hoisted as `<Op><Kind>Body` (`PostPetFormBody`)."""
        if body is None or not body.other_media_types:
            return body
        node, ptr = deref(self._doc, raw, body.pointer)
        content_map: Mapping[str, Any] = node["content"]
        alternatives = tuple(
            self._request_content(
                media,
                content_map,
                ptr,
                f"{owner}{content_kind(media, request=True).value.capitalize()}Body",
            )
            for media in body.other_media_types
        )
        return replace(body, alternatives=alternatives)

    def _request_content(
        self, media_type: str, content_map: Mapping[str, Any], pointer: str, hint: str
    ) -> Content:
        """One media type of a request body."""
        content = self._content(
            media_type,
            content_map[media_type],
            join_pointer(pointer, "content", media_type),
            hint,
            request=True,
        )
        if content.kind.is_stream:  # servers read request bodies whole: bytes
            binary = TypeRef.primitive(Primitive.BINARY)
            content = Content(media_type, ContentKind.BINARY, binary, content.pointer)
        node = content_map[media_type]
        if content.kind is ContentKind.TEXT and isinstance(node, Mapping):
            checked = text_is_checked(self._doc, node.get("schema"))
            content = replace(content, text_checked=checked)
        return content

    def _content(
        self, media_type: str, node: Any, pointer: str, hint: str, *, request: bool = False
    ) -> Content:
        kind = content_kind(media_type, request=request)
        if kind in (ContentKind.MULTIPART, ContentKind.FORM):
            fields = form_fields(self._doc, node, pointer, kind is ContentKind.MULTIPART)
            if fields:
                schema = node.get("schema") if isinstance(node, Mapping) else None
                type_ = self._table.type_of(schema, pointer + "/schema", hint)
                return Content(media_type, kind, type_, pointer, fields)
            kind = ContentKind.BINARY  # no properties to name the parts: the raw body
        if kind is ContentKind.TEXT:
            type_ = TypeRef.primitive(Primitive.STRING)
        elif kind is ContentKind.BINARY:
            type_ = TypeRef.primitive(Primitive.BINARY)
        elif kind is ContentKind.EVENTS and isinstance(node, Mapping) and "itemSchema" in node:
            type_ = self._event_data(node["itemSchema"], pointer + "/itemSchema", hint)
        elif kind is ContentKind.LINES and isinstance(node, Mapping) and "itemSchema" in node:
            type_ = self._table.type_of(node["itemSchema"], pointer + "/itemSchema", hint)
        elif kind is ContentKind.EVENTS and not _is_object_like(self._doc, node):
            type_ = TypeRef.primitive(Primitive.STRING)  # untyped events: each data as text
        else:
            schema = node.get("schema") if isinstance(node, Mapping) else None
            type_ = self._table.type_of(schema, pointer + "/schema", hint)
        return Content(media_type=media_type, kind=kind, type=type_, pointer=pointer)

    def _event_data(self, schema: Any, pointer: str, hint: str) -> TypeRef:
        """The type of an event's `data` from OpenAPI 3.2's `itemSchema` of an event stream,
        which describes the event object (`event`, `data`, `id`, `retry`): `data`'s
        `contentSchema` (JSON), or text. An item schema that is not an event object is
        read as the data's type, as the OpenAI style reads `schema`."""
        event, event_pointer = deref(self._doc, schema, pointer)
        properties = event.get("properties") if isinstance(event, Mapping) else None
        if not isinstance(properties, Mapping) or "data" not in properties:
            return self._table.type_of(schema, pointer, hint)
        data_pointer = join_pointer(event_pointer, "properties", "data")
        data, data_pointer = deref(self._doc, properties["data"], data_pointer)
        if isinstance(data, Mapping) and "contentSchema" in data:
            content = join_pointer(data_pointer, "contentSchema")
            return self._table.type_of(data["contentSchema"], content, hint)
        return TypeRef.primitive(Primitive.STRING)

    def _responses(
        self, responses: Mapping[str, Any], pointer: str, owner: str
    ) -> tuple[Response, ...]:
        built: list[Response] = []
        for status, raw in responses.items():
            status = str(status).upper() if str(status).lower() != "default" else "default"
            ptr = join_pointer(pointer, "responses", status)
            node, ptr = deref(self._doc, raw, ptr)
            if not isinstance(node, Mapping):
                continue
            prefix = f"{owner}{status.capitalize()}"
            contents = tuple(
                self._content(m, c, join_pointer(ptr, "content", m), f"{prefix}Body")
                for m, c in (node.get("content") or {}).items()
            )
            built.append(
                Response(
                    status=status,
                    description=_text(node, "description"),
                    contents=contents,
                    headers=self._headers(node.get("headers") or {}, ptr, prefix),
                    pointer=ptr,
                )
            )
        # Exact codes before ranges before default: the order clients match them in.
        built.sort(key=lambda r: (r.status_code is None, r.status == "default", r.status))
        return tuple(built)

    def _headers(
        self, headers: Mapping[str, Any], pointer: str, owner: str
    ) -> tuple[ResponseHeader, ...]:
        result: list[ResponseHeader] = []
        for name, raw in headers.items():
            if name.lower() == "content-type":
                continue  # OpenAPI says to ignore it
            node, ptr = deref(self._doc, raw, join_pointer(pointer, "headers", name))
            if not isinstance(node, Mapping):
                continue
            type_ = self._param_type(
                node.get("schema"), ptr + "/schema", pascal_case(f"{owner} {name}")
            )
            if type_.is_model:
                type_ = TypeRef.primitive(Primitive.STRING)
            result.append(
                ResponseHeader(
                    name=name,
                    required=node.get("required") is True,
                    type=type_,
                    pointer=ptr,
                    description=_text(node, "description"),
                )
            )
        return tuple(result)

    def _security(self, raw: Any) -> tuple[SecurityRequirement, ...]:
        if not isinstance(raw, list):
            return ()
        return tuple(
            SecurityRequirement(tuple(str(k) for k in req))
            for req in raw
            if isinstance(req, Mapping)
        )
