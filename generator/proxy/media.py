"""Media types: which declared one a Content-Type header is, and which bodies get checked.

Only JSON bodies (`application/json`, `*+json`) are checked against their schema. Event
streams, JSON lines and every other type (binary, text, forms) pass through with their
status, Content-Type and headers checked, never buffered.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.proxy.contract import Media

STREAMED = frozenset(
    {"text/event-stream", "application/x-ndjson", "application/jsonl", "application/json-seq"}
)


def essence(header: str) -> str:
    """`application/json` for `Application/JSON; charset=utf-8`."""
    return header.split(";", 1)[0].strip().lower()


def declared_for(content_type: str, declared: Sequence[Media]) -> Media | None:
    """The declared media type `content_type` (a header value) is, the most specific first:
    exact, then `type/*`, then `*/*`."""
    sent = essence(content_type)
    kind = sent.split("/", 1)[0]
    by_type = {essence(m.media_type): m for m in declared}
    for key in (sent, f"{kind}/*", "*/*"):
        if key in by_type:
            return by_type[key]
    return None


def is_json(media_type: str) -> bool:
    value = essence(media_type)
    return value not in STREAMED and (value == "application/json" or value.endswith("+json"))


def listed(declared: Sequence[Media]) -> str:
    return ", ".join(m.media_type for m in declared) or "none"
