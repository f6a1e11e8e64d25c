"""Request body rules: added, removed, required, media types, and the body schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diff.context import Context, media_key
from generator.diff.document import Document, OperationView
from generator.diff.emit import Emitter
from generator.diff.model import Direction
from generator.diff.schemas import Where
from generator.pointers import join_pointer

Media = dict[str, tuple[str, Any, str]]  # key -> (media type as written, schema, its pointer)


def media_types(node: Mapping[str, Any], pointer: str) -> Media:
    content = node.get("content")
    found: Media = {}
    for media, entry in content.items() if isinstance(content, Mapping) else ():
        schema = entry.get("schema") if isinstance(entry, Mapping) else None
        found[media_key(media)] = (media, schema, join_pointer(pointer, "content", media, "schema"))
    return found


def _body(doc: Document, op: OperationView) -> tuple[Mapping[str, Any] | None, str]:
    if "requestBody" not in op.node:
        return None, op.pointer
    node, pointer, _ = doc.resolve(op.node["requestBody"], f"{op.pointer}/requestBody")
    return (node, pointer) if isinstance(node, Mapping) else (None, pointer)


def compare_request_body(
    ctx: Context,
    emit: Emitter,
    old_op: OperationView,
    new_op: OperationView,
    visited: set[tuple[str, str, bool]],
) -> None:
    old, old_ptr = _body(ctx.old, old_op)
    new, new_ptr = _body(ctx.new, new_op)
    if old is None and new is None:
        return
    if new is None:
        emit("request-body-removed", old_ptr, "old", "request body removed")
        return
    required = new.get("required") is True
    if old is None:
        kind = "required" if required else "optional"
        emit(f"request-body-added-{kind}", new_ptr, "new", f"{kind} request body added")
        return
    if required != (old.get("required") is True):
        state = "required" if required else "optional"
        emit(f"request-body-became-{state}", new_ptr, "new", f"request body became {state}")
    old_media, new_media = media_types(old, old_ptr), media_types(new, new_ptr)
    for key in sorted(old_media.keys() - new_media.keys()):
        media, _, pointer = old_media[key]
        what = f"request media type `{media}` removed"
        emit("request-body-media-type-removed", pointer.rsplit("/", 1)[0], "old", what)
    for key in sorted(new_media.keys() - old_media.keys()):
        media, _, pointer = new_media[key]
        what = f"request media type `{media}` added"
        emit("request-body-media-type-added", pointer.rsplit("/", 1)[0], "new", what)
    common = sorted(old_media.keys() & new_media.keys())
    for key in common:
        media = new_media[key][0]
        subject = f"the request body ({media})" if len(common) > 1 else "the request body"
        where = Where(
            Direction.REQUEST, "request-body", "request-property", subject, "request property `{}`"
        )
        pointers = (old_media[key][2], new_media[key][2])
        ctx.compare_schemas(old_media[key][1], new_media[key][1], pointers, where, emit, visited)
