"""The fixed part of the handler contract: the `Record` base of request records,
response variants and headers, the credentials a request carried (`Auth`), the errors
the server finds itself (`RequestError`), and `BaseHandlers`, which every generated
handler class extends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field, FrozenInstanceError, dataclass, field
from typing import Any, ClassVar, dataclass_transform

_MISSING: Any = object()
_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _record_fields(cls: type[Record]) -> tuple[tuple[str, Any], ...]:
    """(name, default) of each field of a record class, computed once per class.

    The names are the class's `_fields`, which the generator writes for every record
    class (annotations are not read: under `from __future__ import annotations` they are
    strings, and a field's type may itself be named like `ClassVar`). A default is the
    class attribute of that name, looked up along the MRO; a `dataclasses.field` gives a
    factory.
    """
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(
            (name, _default(cls, name)) for name in cls._fields
        )
    return found


def _default(cls: type, name: str) -> Any:
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return _MISSING


@dataclass_transform(
    kw_only_default=True, frozen_default=True, field_specifiers=(field,)
)
class Record:
    """Base of the request records, response variants and response headers:
    keyword-only, immutable and compared by value, like frozen dataclasses, but made
    without generating code for each class, so that an API with thousands of them
    imports quickly."""

    __slots__ = ()
    # The names of the fields, in order: written by the generator in every subclass.
    _fields: ClassVar[tuple[str, ...]] = ()

    # `self` positional-only: a parameter may be named `self` too.
    def __init__(self, /, **values: Any) -> None:
        cls = type(self)
        for name, default in _record_fields(cls):
            if name in values:
                value = values.pop(name)
            elif isinstance(default, Field):
                factory: Any = default.default_factory
                value = factory()
            elif default is _MISSING:
                raise TypeError(f"{cls.__name__}() missing keyword argument {name!r}")
            else:
                value = default
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(
                f"{cls.__name__}() got unexpected keyword arguments {sorted(values)}"
            )

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, _ in _record_fields(type(self)))

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name, _ in _record_fields(type(self))
        )
        return f"{type(self).__qualname__}({shown})"


class NotImplementedOperation(Exception):
    """Raised by the default handler methods; servers answer 501."""

    def __init__(self, operation_id: str) -> None:
        super().__init__(f"operation {operation_id!r} is not implemented")
        self.operation_id = operation_id


@dataclass(frozen=True)
class Auth:
    """Credentials the request carried, by security scheme; empty when anonymous."""

    credentials: Mapping[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:  # the mapping is not hashable; its items are
        return hash(frozenset(self.credentials.items()))

    @property
    def is_anonymous(self) -> bool:
        return not self.credentials


@dataclass(frozen=True)
class RequestError:
    """A request the server rejected before (or instead of) calling a handler method."""

    operation_id: (
        str | None
    )  # None when no operation matched (unknown path, wrong method)
    status: (
        int  # 400 invalid input, 401 credentials, 413, 415, 501 not implemented, ...
    )
    title: str
    detail: str
    errors: list[dict[str, Any]] | None = None  # validation errors, when there are any
    headers: Mapping[str, str] = field(
        default_factory=dict
    )  # e.g. WWW-Authenticate, Retry-After


class ResponseVariant(Record):
    """Base of every declared response: status, media type, body and headers."""

    status: ClassVar[int | None] = None  # None: the instance says (ranges and default)
    media_type: ClassVar[str | None] = None
    kind: ClassVar[str] = "empty"  # json, text, binary or empty
    body_type: ClassVar[Any] = None
    # Set where the body could carry a writeOnly property: the server checks it (see
    # `_server_core.encode`).
    body_schema: ClassVar[str] = ""
    header_names: ClassVar[Mapping[str, str]] = {}
    headers_type: ClassVar[Any] = None  # the record class of `headers`, if declared

    @property
    def status_code(self) -> int:
        # Exact statuses are fixed per class; ranges and `default` carry a `code` field.
        code: int = self.status if self.status is not None else getattr(self, "code", 0)
        return code

    @property
    def content(self) -> Any:
        return getattr(self, "body", None)

    def header_values(self) -> dict[str, str]:
        headers = getattr(self, "headers", None)
        found: dict[str, str] = {}
        for attr, wire in self.header_names.items():
            value = getattr(headers, attr, None)
            if value is not None:
                found[wire] = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
        return found


class BaseHandlers:
    """What every handler class has besides its operations.

    `authenticate` decides whether presented credentials are valid; the default accepts
    any credential that is present, so override it in every real server.
    """

    async def authenticate(self, scheme: str, credential: str) -> bool:
        """Whether `credential` is valid for security scheme `scheme`."""
        return True

    async def error_response(self, error: RequestError) -> ResponseVariant | None:
        """The declared response for an error the server found itself (invalid input,
        bad credentials, ...). The default, None, lets the server answer the operation's
        declared response for the status (then its `4XX`/`5XX` range, then `default`),
        with the error fitted to its schema, or else a problem+json body (RFC 9457):
        `{"type": "about:blank", "title", "status", "detail", "errors"?}`."""
        return None
