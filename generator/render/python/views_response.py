"""The Python views of an operation's responses: their headers, variants (the handler
contract's classes) and media types (see `generator.render.python.views`)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.ir.model import Content, ContentKind, Response, ResponseHeader
from generator.render.code import Code
from generator.render.python.names import PyClass, PyName


@dataclass(frozen=True)
class HeaderView:
    header: ResponseHeader
    name: PyName
    type: Code
    declared_type: Code

    @property
    def wire(self) -> str:
        return self.header.name

    @property
    def required(self) -> bool:
        return self.header.required


@dataclass(frozen=True)
class VariantView:
    """One declared response variant: a class of the handler contract."""

    name: PyClass
    content: Content | None
    body_type: Code | None  # None: no body; a stream's: `AsyncIterable[T | Event[T]]`
    fields: tuple[str, ...]  # the record's fields, in order (`code`, `body`, `headers`)
    item_type: Code | None = None  # the type of the body, or of each item of a stream
    # The key servers check the body's JSON against (a body that could carry a writeOnly
    # property: generator.build.sides), or None.
    body_schema: str | None = None

    @property
    def has_content_type(self) -> bool:
        """A binary body: the handler may say its concrete media type (`content_type`)."""
        return self.content is not None and self.content.kind is ContentKind.BINARY

    @property
    def content_type_required(self) -> bool:
        """A wildcard (`image/*`) is no Content-Type: the handler must name the type."""
        media = self.content.media_type if self.content is not None else ""
        return self.has_content_type and media.split(";", 1)[0].strip().endswith("*")


def error_preference(variant: VariantView) -> int:
    content = variant.content
    if content is None:
        return 3
    media = content.media_type.split(";", 1)[0].strip().lower()
    if media == "application/problem+json":
        return 0
    return {ContentKind.JSON: 1, ContentKind.TEXT: 2}.get(content.kind, 4)


@dataclass(frozen=True)
class ContentView:
    media_type: str
    kind: str
    type: Code


@dataclass(frozen=True)
class ResponseView:
    response: Response
    headers_class: PyClass | None  # None: no headers declared
    headers: tuple[HeaderView, ...]
    variants: tuple[VariantView, ...]
    error_class: PyClass | None  # the client's exception class; None for success responses
    body_type: Code  # over every media type; `None` without content
    contents: tuple[ContentView, ...]

    @property
    def status(self) -> str:
        return self.response.status

    @property
    def status_code(self) -> int | None:
        return self.response.status_code

    @property
    def status_range(self) -> tuple[int, int]:
        return self.response.status_range

    @property
    def is_error(self) -> bool:
        return self.response.is_error

    @property
    def headers_optional(self) -> bool:
        """Every header may be absent: the headers field can default to an empty record."""
        return not any(h.required for h in self.headers)

    @property
    def header_fields(self) -> tuple[str, ...]:
        return tuple(h.name for h in self.headers)


__all__ = ["ContentView", "HeaderView", "ResponseView", "VariantView", "error_preference"]
