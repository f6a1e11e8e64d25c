"""Form bodies (multipart/form-data, application/x-www-form-urlencoded) on both sides:
`File`, the type models give bytes (`format: binary`); `FormField`, how one property of
a form travels; the server's reading of a parsed form into a body's data and the
client's spelling of a body as form items."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

OCTET_STREAM = "application/octet-stream"


class File:
    """Bytes with a filename and a content type: a file part of a multipart body.

    `content` is bytes or a binary file object. Servers hand over the form parser's
    spooled file (on disk past a size), so an upload is read once, when the handler
    reads it: `read()` for the bytes, `stream()` for the file object.
    """

    __slots__ = ("content", "content_type", "filename")

    def __init__(
        self,
        content: bytes | IO[bytes],
        filename: str | None = None,
        content_type: str | None = None,
    ) -> None:
        self.content = content
        self.filename = filename
        self.content_type = content_type

    def read(self) -> bytes:
        """The whole content (a file object is read from its start)."""
        if isinstance(self.content, bytes):
            return self.content
        if self.content.seekable():
            self.content.seek(0)
        return self.content.read()

    def stream(self) -> IO[bytes]:
        """The content as a binary file object, at its start."""
        if isinstance(self.content, bytes):
            return io.BytesIO(self.content)
        if self.content.seekable():
            self.content.seek(0)
        return self.content

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, File):
            return NotImplemented
        return (self.filename, self.content_type, self.read()) == (
            other.filename,
            other.content_type,
            other.read(),
        )

    __hash__ = None  # type: ignore[assignment]  # equal by content, which can change

    def __repr__(self) -> str:
        size = (
            f"{len(self.content)} bytes" if isinstance(self.content, bytes) else "file"
        )
        return f"File({self.filename!r}, {self.content_type!r}, {size})"

    @classmethod
    def _coerce(cls, value: Any) -> File:
        if isinstance(value, File):
            return value
        if isinstance(value, bytes | bytearray):
            return cls(bytes(value))
        if isinstance(value, str):  # a binary string in a JSON body
            return cls(value.encode("utf-8"))
        raise ValueError("expected a file (File or bytes)")

    def _describe(self) -> dict[str, str | None]:
        # JSON has no bytes: a model dumped to JSON (a log line) names the file instead.
        return {"filename": self.filename, "content_type": self.content_type}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls._coerce,
            serialization=core_schema.plain_serializer_function_ser_schema(
                cls._describe, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "binary"}


@dataclass(frozen=True)
class FormField:
    """How one property of a form body travels: as text, as JSON text, or as a file
    part; an array (`repeated`) as one part or key per item, or (urlencoded with
    `explode: false`) as one comma-joined value."""

    name: str  # the wire name
    shape: str = "text"  # "text", "json" or "file"
    repeated: bool = False
    explode: bool = True
    content_types: Sequence[str] = ()  # what a file part may be (`encoding`)
    # Booleans are `true`/`false` only (a model alone would also take 0, yes, on).
    boolean: bool = False


class FormError(ValueError):
    """A part or field the form's schema cannot take (the server answers 400)."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


def _base(media_type: str) -> str:
    # Not `_media.base`: a models-only package ships this module alone (for `File`).
    return media_type.split(";", 1)[0].strip().lower()


def _allowed(declared: Sequence[str], sent: str | None) -> bool:
    # A part without a type (or with the generic one) is taken as what is declared.
    base = _base(sent or "")
    if not declared or base in ("", OCTET_STREAM):
        return True
    for want in map(_base, declared):
        if want in (base, "*/*") or (
            want.endswith("/*") and base.startswith(want[:-1])
        ):
            return True
    return False


def _text(field: str, value: str | File) -> str:
    if isinstance(value, str):
        return value
    try:  # a file sent for a text field: its text
        return value.read().decode("utf-8")
    except UnicodeDecodeError:
        raise FormError(field, f"`{field}` must be UTF-8 text") from None


def _value(field: FormField, value: str | File) -> Any:
    if field.shape == "file":
        # Parsers read a part without a filename as text, yet RFC 7578 makes the
        # filename optional: where one binary value is all the field can be, the part's
        # content is those bytes. One item of an array of files must carry a filename:
        # else a lone text part (the fuzzer's "a string, not an array") passes for one.
        if isinstance(value, File):
            file = value
        elif field.repeated:
            detail = f"`{field.name}` must be files (parts with a filename)"
            raise FormError(field.name, detail)
        else:
            file = File(value.encode("utf-8"))
        if not _allowed(field.content_types, file.content_type):
            expected = ", ".join(field.content_types)
            raise FormError(
                field.name,
                f"`{field.name}` must be {expected}, got {file.content_type}",
            )
        return file
    text = _text(field.name, value)
    if field.boolean:
        if text not in ("true", "false"):
            raise FormError(field.name, f"`{field.name}` must be true or false")
        return text == "true"
    if field.shape == "json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise FormError(field.name, f"`{field.name}` is not JSON: {exc}") from None
    return text


def collect(
    items: Iterable[tuple[str, str | File]], fields: Sequence[FormField]
) -> dict[str, Any]:
    """A parsed form's items (text values and files, in order) as the body's data, which
    the body's model then validates (and converts text to numbers, booleans, ...)."""
    declared = {f.name: f for f in fields}
    values: dict[str, list[str | File]] = {}
    for name, value in items:
        values.setdefault(name, []).append(value)
    data: dict[str, Any] = {}
    for name, got in values.items():
        field = declared.get(name)
        if field is None:  # not a property: as sent (the model decides)
            data[name] = got[0] if len(got) == 1 else got
            continue
        if not field.repeated:
            if len(got) > 1:
                raise FormError(name, f"`{name}` takes one value, got {len(got)}")
            data[name] = _value(field, got[0])
            continue
        if not field.explode and len(got) == 1 and isinstance(got[0], str):
            got = list(got[0].split(",")) if got[0] else []
        data[name] = [_value(field, v) for v in got]
    return data


def spell(value: Any) -> str:
    """A JSON value as form text: booleans in lower case, numbers as JSON writes them,
    objects as JSON."""
    if isinstance(value, str):
        return value
    return spell_json(value)


FilePart = tuple[str, tuple[str | None, bytes | IO[bytes], str | None]]


def _field(name: str, value: Any, declared: Mapping[str, FormField]) -> FormField:
    found = declared.get(name)
    if found is not None:
        return found
    return FormField(name, "json" if isinstance(value, dict | list) else "text")


def _many(field: FormField, value: Any) -> list[Any]:
    if field.repeated and isinstance(value, list):
        return [v for v in value if v is not None]
    return [value]


def urlencoded_items(
    data: Mapping[str, Any], fields: Sequence[FormField]
) -> list[tuple[str, str]]:
    """A body (dumped to JSON) as urlencoded keys and values: arrays as repeated keys
    or, with `explode: false`, one comma-joined value; objects as JSON text."""
    declared = {f.name: f for f in fields}
    items: list[tuple[str, str]] = []
    for name, value in data.items():
        if value is None:
            continue
        field = _field(name, value, declared)
        spelled = [spell(v) for v in _many(field, value)]
        if field.repeated and not field.explode:
            items.append((name, ",".join(spelled)))
        else:
            items.extend((name, v) for v in spelled)
    return items


def multipart_parts(
    data: Mapping[str, Any], files: Mapping[str, Any], fields: Sequence[FormField]
) -> list[FilePart]:
    """A body as multipart parts, in httpx's file-tuple form and in property order: a
    part per value (per item of an array), files with their filename and type, JSON
    parts typed application/json, text without a filename or type. `data` is the body
    dumped to JSON, `files` dumped as Python (where its `File`s are)."""
    declared = {f.name: f for f in fields}
    parts: list[FilePart] = []
    for name, value in data.items():
        if value is None:
            continue
        field = _field(name, value, declared)
        if field.shape == "file":
            for file in map(File._coerce, _many(field, files.get(name))):
                # A filename makes the part a file for every parser (Starlette and
                # Werkzeug read a part without one as text).
                filename = file.filename or name
                parts.append((name, (filename, file.stream(), file.content_type)))
            continue
        for item in _many(field, value):
            if field.shape == "json":
                parts.append(
                    (name, (None, spell_json(item).encode(), "application/json"))
                )
            else:
                parts.append((name, (None, spell(item).encode(), None)))
    return parts


def spell_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
