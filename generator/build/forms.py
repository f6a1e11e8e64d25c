"""Form bodies (multipart/form-data, application/x-www-form-urlencoded): which properties
are files, and how each top-level property travels (its `FormField`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.ir.model import FieldShape, FormField
from generator.pointers import deref, join_pointer

MAX_MEMBERS = 64  # schemas (through allOf/oneOf/anyOf) merged into one form's properties


def is_file_schema(schema: Any) -> bool:
    """Bytes, not text: OpenAPI 3.0's `format: binary` string, or a 3.1 string with a
    `contentMediaType` and no `contentEncoding` (the raw content of that media type).
    Models type these as a file (the Python renderer reads the same rule)."""
    if not isinstance(schema, Mapping) or schema.get("type") != "string":
        return False
    if schema.get("format") == "binary":
        return True
    return isinstance(schema.get("contentMediaType"), str) and "contentEncoding" not in schema


def _is_json_schema(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    if schema.get("type") in ("object", "array") or "properties" in schema:
        return True
    return any(k in schema for k in ("allOf", "anyOf", "oneOf")) and "enum" not in schema


def _properties(document: Any, schema: Any, pointer: str) -> dict[str, tuple[Any, str]]:
    """The top-level properties of a form's schema (through `$ref`s, `allOf`, and the
    members of a `oneOf`/`anyOf`, whose model picks the member), each with its pointer."""
    found: dict[str, tuple[Any, str]] = {}
    pending = [(schema, pointer)]
    seen = 0
    while pending and seen < MAX_MEMBERS:
        node, ptr = deref(document, *pending.pop(0))
        seen += 1
        if not isinstance(node, Mapping):
            continue
        props = node.get("properties")
        for name, prop in props.items() if isinstance(props, Mapping) else ():
            found.setdefault(str(name), (prop, join_pointer(ptr, "properties", name)))
        for keyword in ("allOf", "oneOf", "anyOf"):
            members = node.get(keyword)
            for i, member in enumerate(members if isinstance(members, list) else ()):
                pending.append((member, join_pointer(ptr, keyword, str(i))))
    return found


def _content_types(encoding: Any) -> tuple[str, ...]:
    value = encoding.get("contentType") if isinstance(encoding, Mapping) else None
    if not isinstance(value, str):
        return ()
    return tuple(t.strip() for t in value.split(",") if t.strip())


def _is_json_media(media_types: tuple[str, ...]) -> bool:
    return any(
        t.split(";")[0].strip().lower() == "application/json" or t.endswith("+json")
        for t in media_types
    )


def form_fields(document: Any, media: Any, pointer: str, multipart: bool) -> tuple[FormField, ...]:
    """The fields of a form body's media type object `media` (at `pointer`): one per
    top-level property of its schema, with the media type's `encoding` applied."""
    if not isinstance(media, Mapping):
        return ()
    encodings = media.get("encoding")
    encodings = encodings if isinstance(encodings, Mapping) else {}
    fields: list[FormField] = []
    schema_pointer = join_pointer(pointer, "schema")
    for name, (raw, ptr) in _properties(document, media.get("schema"), schema_pointer).items():
        prop, ptr = deref(document, raw, ptr)
        repeated = isinstance(prop, Mapping) and prop.get("type") == "array"
        item = prop
        if repeated:
            item, _ = deref(document, prop.get("items"), join_pointer(ptr, "items"))
        encoding = encodings.get(name)
        content_types = _content_types(encoding)
        if multipart and is_file_schema(item):
            shape = FieldShape.FILE
        elif _is_json_media(content_types) or _is_json_schema(item):
            shape = FieldShape.JSON
        else:
            shape = FieldShape.TEXT
        # An array is one part (or key) per item, unless `encoding` makes the whole array
        # one JSON part.
        if repeated and shape is FieldShape.JSON and not _is_json_schema(item):
            repeated = False
        explode = not (isinstance(encoding, Mapping) and encoding.get("explode") is False)
        fields.append(
            FormField(
                name=name,
                shape=shape,
                pointer=ptr,
                repeated=repeated,
                explode=explode,
                content_types=content_types if shape is FieldShape.FILE else (),
                boolean=shape is FieldShape.TEXT
                and isinstance(item, Mapping)
                and item.get("type") == "boolean",
            )
        )
    return tuple(fields)
