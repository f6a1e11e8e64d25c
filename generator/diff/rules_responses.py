"""Response rules: statuses, media types, headers, and the response schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diff.context import Context, schema_of
from generator.diff.document import Document, OperationView
from generator.diff.emit import Emitter
from generator.diff.model import Direction
from generator.diff.rules_bodies import media_types
from generator.diff.schemas import Where
from generator.pointers import join_pointer

Visited = set[tuple[str, str, bool]]


def _responses(doc: Document, op: OperationView) -> dict[str, tuple[Mapping[str, Any], str]]:
    raw = op.node.get("responses")
    found: dict[str, tuple[Mapping[str, Any], str]] = {}
    for status, entry in raw.items() if isinstance(raw, Mapping) else ():
        node, pointer, _ = doc.resolve(entry, join_pointer(op.pointer, "responses", str(status)))
        if isinstance(node, Mapping):
            found[str(status).upper() if str(status) != "default" else "default"] = (node, pointer)
    return found


def compare_responses(
    ctx: Context, emit: Emitter, old_op: OperationView, new_op: OperationView, visited: Visited
) -> None:
    old, new = _responses(ctx.old, old_op), _responses(ctx.new, new_op)
    for status in sorted(old.keys() - new.keys()):
        success = status.startswith("2")
        rule = f"response-{'success' if success else 'non-success'}-status-removed"
        emit(rule, old[status][1], "old", f"response status {status} removed")
    for status in sorted(new.keys() - old.keys()):
        emit("response-status-added", new[status][1], "new", f"response status {status} added")
    for status in sorted(old.keys() & new.keys()):
        (old_node, old_ptr), (new_node, new_ptr) = old[status], new[status]
        _media(ctx, emit, status, (old_node, old_ptr), (new_node, new_ptr), visited)
        _headers(ctx, emit, status, (old_node, old_ptr), (new_node, new_ptr), visited)


def _media(
    ctx: Context,
    emit: Emitter,
    status: str,
    old: tuple[Mapping[str, Any], str],
    new: tuple[Mapping[str, Any], str],
    visited: Visited,
) -> None:
    old_media, new_media = media_types(*old), media_types(*new)
    for key in sorted(old_media.keys() - new_media.keys()):
        media, _, pointer = old_media[key]
        what = f"response {status}: media type `{media}` removed"
        emit("response-media-type-removed", pointer.rsplit("/", 1)[0], "old", what)
    for key in sorted(new_media.keys() - old_media.keys()):
        media, _, pointer = new_media[key]
        what = f"response {status}: media type `{media}` added"
        emit("response-media-type-added", pointer.rsplit("/", 1)[0], "new", what)
    common = sorted(old_media.keys() & new_media.keys())
    for key in common:
        media = new_media[key][0]
        subject = f"the {status} response body" + (f" ({media})" if len(common) > 1 else "")
        where = Where(
            Direction.RESPONSE,
            "response-body",
            "response-property",
            subject,
            f"response property `{{}}` ({status})",
        )
        pointers = (old_media[key][2], new_media[key][2])
        ctx.compare_schemas(old_media[key][1], new_media[key][1], pointers, where, emit, visited)


def _header_map(
    doc: Document, node: Mapping[str, Any], pointer: str
) -> dict[str, tuple[str, Mapping[str, Any], str]]:
    raw = node.get("headers")
    found: dict[str, tuple[str, Mapping[str, Any], str]] = {}
    for name, entry in raw.items() if isinstance(raw, Mapping) else ():
        header, where, _ = doc.resolve(entry, join_pointer(pointer, "headers", name))
        if isinstance(header, Mapping):
            found[str(name).lower()] = (str(name), header, where)
    return found


def _headers(
    ctx: Context,
    emit: Emitter,
    status: str,
    old: tuple[Mapping[str, Any], str],
    new: tuple[Mapping[str, Any], str],
    visited: Visited,
) -> None:
    old_headers, new_headers = _header_map(ctx.old, *old), _header_map(ctx.new, *new)
    for key in sorted(old_headers.keys() - new_headers.keys()):
        name, header, pointer = old_headers[key]
        kind = "required" if header.get("required") is True else "optional"
        what = f"response {status}: {kind} header `{name}` removed"
        emit(f"response-{kind}-header-removed", pointer, "old", what)
    for key in sorted(new_headers.keys() - old_headers.keys()):
        name, _, pointer = new_headers[key]
        emit("response-header-added", pointer, "new", f"response {status}: header `{name}` added")
    for key in sorted(old_headers.keys() & new_headers.keys()):
        _, old_header, old_ptr = old_headers[key]
        name, new_header, new_ptr = new_headers[key]
        if old_header.get("required") is True and new_header.get("required") is not True:
            what = f"response {status}: header `{name}` became optional"
            emit("response-header-became-optional", new_ptr, "new", what)
        old_schema, old_schema_ptr = schema_of(old_header, old_ptr)
        new_schema, new_schema_ptr = schema_of(new_header, new_ptr)
        where = Where(
            Direction.RESPONSE,
            "response-header",
            "response-header",
            f"response header `{name}` ({status})",
            f"response header `{{}}` ({status})",
        )
        pointers = (old_schema_ptr, new_schema_ptr)
        ctx.compare_schemas(old_schema, new_schema, pointers, where, emit, visited, name)
