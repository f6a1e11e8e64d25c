"""The Python views of an operation's inputs: its parameters and its request body (see
`generator.render.python.views`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.ir.model import (
    Content,
    ContentKind,
    FormField,
    Parameter,
    ParamLocation,
    RequestBody,
)
from generator.render.code import Code
from generator.render.python import types as t
from generator.render.python.names import PyName


@dataclass(frozen=True)
class ParamView:
    param: Parameter
    name: PyName
    type: Code  # the value's type when given
    declared_type: Code  # as a record field or server argument: `| None` when it may be absent
    optional_type: Code  # `| None` always (an optional client argument, None when left out)
    constraints: tuple[tuple[PyName, int | float | str], ...]  # pydantic keyword -> value
    default_code: Code  # the default as Python: a literal, or the enum member of that value

    @property
    def wire(self) -> str:
        return self.param.name

    @property
    def location(self) -> ParamLocation:
        return self.param.location

    @property
    def required(self) -> bool:
        return self.param.required

    @property
    def is_optional(self) -> bool:
        return self.param.is_optional

    @property
    def has_default(self) -> bool:
        return self.param.has_default

    @property
    def default(self) -> Any:
        return self.param.default

    @property
    def is_list(self) -> bool:
        return self.param.type.is_list

    @property
    def delimiter(self) -> str | None:
        return self.param.delimiter


@dataclass(frozen=True)
class MediaView:
    """One media type servers accept for a body of several: decoded per its kind into its
    own type."""

    content: Content
    type: Code
    schema: str  # the key servers check its JSON against in request_schemas.json, or ""

    @property
    def media_type(self) -> str:
        return self.content.media_type

    @property
    def kind(self) -> str:
        return self.content.kind.value

    @property
    def fields(self) -> tuple[FormField, ...]:
        """A form body's fields (multipart or urlencoded), else ()."""
        return self.content.fields


@dataclass(frozen=True)
class BodyView:
    """A request body. `type`, `kind`, `fields`... are those of the media type clients
    send (`RequestBody.content`); a body of several media types has `media`, every one
    servers accept, that one first, and the handler gets any of their types."""

    body: RequestBody
    type: Code
    declared_type: Code  # `| None` when the body is optional
    # Servers check it against the JSON Schema (else the model alone, in strict JSON mode).
    schema_checked: bool = True
    media: tuple[MediaView, ...] = ()  # () for a body of one media type
    handler_type: Code | None = None  # the handler contract's: over `media`, else `type`
    handler_declared_type: Code | None = None  # `| None` when the body is optional

    @property
    def contract_type(self) -> Code:
        """The request record's `body` type."""
        return self.handler_declared_type or self.declared_type

    @property
    def required(self) -> bool:
        return self.body.required

    @property
    def kind(self) -> str:
        return self.body.content.kind.value

    @property
    def media_type(self) -> str:
        return self.body.content.media_type

    @property
    def fields(self) -> tuple[FormField, ...]:
        """A form body's fields (multipart or urlencoded), else ()."""
        return self.body.content.fields

    @property
    def media_types(self) -> tuple[str, ...]:
        """Every media type the operation accepts (the server answers 415 to others)."""
        return (self.body.content.media_type, *self.body.other_media_types)

    @property
    def is_binary(self) -> bool:
        """Bytes or a stream: the client takes a `content_type`, the handler learns it."""
        return self.body.content.kind is ContentKind.BINARY

    @property
    def sent_media_type(self) -> str | None:
        """The Content-Type the client sends by default; None when the caller must name it
        (`RequestBody.binary_default`)."""
        return self.body.binary_default if self.is_binary else self.media_type

    def client_type(self, asynchronous: bool) -> Code:
        """The client's argument type: a binary body may be a stream too."""
        if not self.is_binary:
            return self.declared_type
        upload = t.ASYNC_UPLOAD if asynchronous else t.UPLOAD
        return t.render(upload if self.required else t.optional(upload))


__all__ = ["BodyView", "MediaView", "ParamView"]
