"""The IR of form bodies (multipart/form-data, application/x-www-form-urlencoded): how each
top-level property of the body's schema travels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldShape(StrEnum):
    """How one property of a form body travels."""

    TEXT = "text"  # a primitive, spelled as text
    JSON = "json"  # an object (or what `encoding.contentType` says is JSON), as JSON text
    FILE = "file"  # bytes with a filename and content type (`format: binary`)


@dataclass(frozen=True)
class FormField:
    """One top-level property of a multipart or urlencoded body."""

    name: str  # wire name, spec text
    shape: FieldShape
    pointer: str  # the property's schema
    repeated: bool = False  # an array: one part (or key) per item
    explode: bool = True  # urlencoded arrays: repeated keys, else one comma-joined value
    content_types: tuple[str, ...] = ()  # `encoding.contentType` of a file part
    boolean: bool = False  # a TEXT field of booleans: only `true` and `false` are read
