"""What a body's media type means to generated code: its `ContentKind`, the media type
clients send of several, and the Content-Type of a binary upload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.ir.model import ContentKind

_LINES = frozenset(
    {"application/jsonl", "application/x-ndjson", "application/json-seq", "application/x-jsonlines"}
)


def content_kind(media_type: str, *, request: bool = False) -> ContentKind:
    """How a body of `media_type` is typed; forms only as request bodies (a form in a
    response is bytes)."""
    base = media_type.split(";", 1)[0].strip().lower()
    if request and base == "multipart/form-data":
        return ContentKind.MULTIPART
    if request and base == "application/x-www-form-urlencoded":
        return ContentKind.FORM
    if base == "text/event-stream":
        return ContentKind.EVENTS
    if base in _LINES:
        return ContentKind.LINES
    if base == "application/json" or base.endswith("+json") or base == "*/*":
        return ContentKind.JSON
    if base.startswith("text/"):
        return ContentKind.TEXT
    return ContentKind.BINARY


def binary_default(media_types: Sequence[str]) -> str | None:
    """What a client sends a binary body as (`RequestBody.binary_default`)."""
    ranges = []
    for media in media_types:
        base = media.split(";", 1)[0].strip().lower()
        if content_kind(media, request=True) is not ContentKind.BINARY:
            continue
        if not base.endswith("*"):
            return media
        ranges.append(base)
    octets = "application/octet-stream"
    return octets if any(octets.startswith(r[:-1]) for r in ranges) else None


def preferred_media_type(content: Mapping[str, Any]) -> str:
    """JSON first (what typed code can do best), then forms, text, whatever comes first."""
    ranking = list(ContentKind)
    ranked = sorted(content, key=lambda m: ranking.index(content_kind(m, request=True)))
    return ranked[0]
