"""The intermediate representation: what every language's view layer renders from.

Records are frozen and keep `pointer`, the JSON pointer of the node of the merged document they
were built from (`Spec.locate(pointer)` gives file:line:column). The IR is language-neutral: it
holds spec text as written (wire names, operationIds, descriptions) and types as `TypeRef`s;
identifiers, type spellings and imports belong to the views (`generator.render.python`,
`generator.render.typescript`), which templates read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from generator.ir.forms import FieldShape, FormField
from generator.ir.hooks import CallbackOf
from generator.ir.params import Constraint, Parameter
from generator.ir.security import ParamLocation, SecurityRequirement, SecurityScheme
from generator.ir.types import Primitive, TypeKind, TypeRef

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


class ContentKind(StrEnum):
    """How a body is encoded on the wire, which decides how generated code (de)serialises it."""

    # In order of preference when a body declares several media types.
    JSON = "json"
    MULTIPART = "multipart"  # multipart/form-data request bodies: one part per property
    FORM = "form"  # application/x-www-form-urlencoded request bodies: one key per property
    TEXT = "text"
    BINARY = "binary"  # anything else: octet-stream, images, XML; bytes
    # Streamed responses, typed item by item (the schema, or OpenAPI 3.2's `itemSchema`):
    EVENTS = "events"  # text/event-stream: each event's `data` is one item
    LINES = "lines"  # application/jsonl, application/x-ndjson, application/json-seq

    @property
    def is_stream(self) -> bool:
        return self in (ContentKind.EVENTS, ContentKind.LINES)


@dataclass(frozen=True)
class Content:
    """One media type of a body."""

    media_type: str  # spec text
    kind: ContentKind
    type: TypeRef  # JSON, forms: the schema type; TEXT: str; BINARY: bytes
    pointer: str
    fields: tuple[FormField, ...] = ()  # MULTIPART and FORM: the body's properties
    # A TEXT request body whose schema says more of the string than `type: string`
    # (generator/build/checks.py `text_is_checked`): servers check the text against it.
    text_checked: bool = False

    @property
    def is_checked(self) -> bool:
        """A request body servers check against its JSON Schema: JSON, forms (once their
        parts are read), text when `text_checked`; bytes are handed over as sent."""
        kinds = (ContentKind.JSON, ContentKind.MULTIPART, ContentKind.FORM)
        return self.kind in kinds or self.text_checked


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: Content  # the media type generated code sends and accepts (JSON preferred)
    pointer: str
    description: str = ""
    other_media_types: tuple[str, ...] = ()
    # The other media types typed, in declared order (`content` excluded): servers accept
    # each, decoded by its kind and validated by its own type; clients send `content`.
    alternatives: tuple[Content, ...] = ()
    # The body's model enforces everything its schema says (generator/build/checks.py), when
    # absent properties read as MISSING: servers need no JSON Schema check of it.
    model_is_exact: bool = False
    # A binary body: the Content-Type clients send unless told (the first concrete binary
    # type declared, else application/octet-stream within a declared range); None when the
    # caller must name it (`image/*`). Other bodies send `content.media_type`.
    binary_default: str | None = None

    @property
    def contents(self) -> tuple[Content, ...]:
        """Every media type servers accept, `content` first."""
        return (self.content, *self.alternatives)


@dataclass(frozen=True)
class ResponseHeader:
    name: str  # wire name
    required: bool
    type: TypeRef
    pointer: str
    description: str = ""


@dataclass(frozen=True)
class Response:
    """A declared response: one status (or range or default) with its media types and headers."""

    status: str  # "200", "4XX", "default"
    description: str
    contents: tuple[Content, ...]
    headers: tuple[ResponseHeader, ...]
    pointer: str

    @property
    def status_code(self) -> int | None:
        """The exact code, or None for a range ("4XX") or "default"."""
        return int(self.status) if self.status.isdigit() else None

    @property
    def variants(self) -> tuple[tuple[str, Content | None], ...]:
        """One declared variant per media type (a response without content has one), with the
        label that tells it from the others: the media kind where that is unique, else the
        media type ("" for the one variant of a response without content)."""
        if not self.contents:
            return (("", None),)
        kinds = [c.kind for c in self.contents]
        return tuple(
            (c.kind.value if kinds.count(c.kind) == 1 else c.media_type, c) for c in self.contents
        )

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")

    @property
    def is_error(self) -> bool:
        return not self.is_success

    @property
    def status_range(self) -> tuple[int, int]:
        """Inclusive code range this response covers (default covers everything)."""
        if self.status_code is not None:
            return (self.status_code, self.status_code)
        if self.status[0].isdigit():
            first = int(self.status[0]) * 100
            return (first, first + 99)
        return (100, 599)


@dataclass(frozen=True)
class Operation:
    operation_id: str  # spec text (or `<method>_<path>` when missing); unique in the API
    method: str  # upper case
    path: str  # path template, spec text
    pointer: str
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[SecurityRequirement, ...] = ()  # empty tuple: no security at all
    # Webhooks and callbacks (generator.ir.hooks) have no path in the spec: `path` is where
    # generated receivers mount them by default, under their base path.
    webhook: str = ""  # a webhook's name (its key under `webhooks`), else ""
    callback: CallbackOf | None = None  # a callback's source, else None
    callbacks: tuple[Operation, ...] = ()  # this operation's callbacks (`callback` set)

    @property
    def doc(self) -> str:
        """Text for the docstring of the operation's methods."""
        parts = [self.summary, self.description if self.description != self.summary else ""]
        if self.webhook:
            parts.append(f"Webhook {self.webhook}: {self.method} to the subscriber's URL")
        elif (cb := self.callback) is not None:
            parts.append(f"Callback {cb.name} of {cb.operation_id}: {self.method} to {cb.url}")
        else:
            parts.append(f"{self.method} {self.path}")
        return "\n\n".join(p for p in parts if p)

    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT_METHODS

    def params_in(self, location: ParamLocation) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location is location)

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        return self.params_in(ParamLocation.PATH)

    @property
    def query_params(self) -> tuple[Parameter, ...]:
        return self.params_in(ParamLocation.QUERY)

    @property
    def header_params(self) -> tuple[Parameter, ...]:
        return self.params_in(ParamLocation.HEADER)

    @property
    def cookie_params(self) -> tuple[Parameter, ...]:
        return self.params_in(ParamLocation.COOKIE)

    @property
    def success_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_success)

    @property
    def error_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_error)

    @property
    def allows_anonymous(self) -> bool:
        return not self.security or any(r.is_anonymous for r in self.security)

    @property
    def security_schemes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for req in self.security:
            for key in req.schemes:
                seen.setdefault(key)
        return tuple(seen)


class Side(StrEnum):
    """The two sides of a schema with readOnly or writeOnly properties."""

    READ = "read"  # response bodies: writeOnly properties hidden
    WRITE = "write"  # request bodies: readOnly properties hidden

    @property
    def hidden(self) -> str:
        """The keyword that keeps a property off this side."""
        return "writeOnly" if self is Side.READ else "readOnly"


@dataclass(frozen=True)
class NamedSchema:
    """A named type: a component schema or an inline schema we hoisted and named."""

    name: str  # the type name (PascalCase, unique in the API); views may respell it
    pointer: str  # where the schema is in the merged document
    hoisted: bool = False  # True for inline schemas named by us
    # Where a component's request and response sides differ (readOnly/writeOnly properties,
    # see generator.build.sides): "read" (response side, the component's name) or "write".
    side: Side | None = None


@dataclass(frozen=True)
class Server:
    url: str  # variables at their defaults
    description: str = ""
    base_path: str = ""  # the URL's path as a route prefix ("/v2"), "" for none


@dataclass(frozen=True)
class SourceInfo:
    """A file the API was read from."""

    path: str  # relative to the project root (see generator.load.files.project_path)
    sha256: str  # of its raw bytes
    root: bool  # named in the config or on the command line (not only reached by `$ref`)


@dataclass(frozen=True)
class Api:
    """One API: everything the templates of a package need."""

    name: str  # the package name: a lower-case identifier (checked with the config)
    title: str
    version: str
    description: str
    openapi_version: str
    servers: tuple[Server, ...]
    operations: tuple[Operation, ...]
    schemas: tuple[NamedSchema, ...]
    security_schemes: tuple[SecurityScheme, ...]
    sources: tuple[SourceInfo, ...]
    # The schema document handed to datamodel-code-generator (components with our class names).
    models_document: Mapping[str, Any] = field(compare=False, repr=False)
    # The contract as specgen reads it (bundled, merged, version mixes resolved), served by
    # generated servers at /openapi.json.
    contract: Mapping[str, Any] = field(compare=False, repr=False)
    # JSON Schema of request bodies by operationId, and of the response bodies that could
    # carry a writeOnly property by media type pointer (see generator.build.jsonschema).
    request_schemas: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The operations by tag (every operation in exactly one group), for the per-tag layout.
    groups: tuple[TagGroup, ...] = ()
    # OpenAPI 3.1's `webhooks`; receivers serve `webhook_contract` (see build.jsonschema).
    webhooks: tuple[Operation, ...] = ()
    webhook_contract: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def hooks(self) -> tuple[Operation, ...]:
        """What the webhook modules generate: the webhooks, then the operations' callbacks."""
        return (*self.webhooks, *(cb for op in self.operations for cb in op.callbacks))

    def scheme(self, key: str) -> SecurityScheme:
        for s in self.security_schemes:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def default_server_url(self) -> str:
        return self.servers[0].url if self.servers else "http://localhost"

    @property
    def base_path(self) -> str:
        """Where generated servers mount the routes: the path of the default server URL."""
        return self.servers[0].base_path if self.servers else ""

    def operation_types(self) -> frozenset[str]:
        """The named types the operations use (parameters, bodies, responses, headers)."""
        refs: list[TypeRef] = []
        for op in (*self.operations, *self.hooks):
            refs += [p.type for p in op.parameters]
            refs += [c.type for r in op.responses for c in r.contents]
            refs += [h.type for r in op.responses for h in r.headers]
            if op.body is not None:
                refs += [c.type for c in op.body.contents]
        names: set[str] = set()
        while refs:
            ref = refs.pop()
            if ref.is_model:
                names.add(ref.name)
            if ref.item is not None:
                refs.append(ref.item)
        return frozenset(names)

    @property
    def tags(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for op in self.operations:
            for tag in op.tags:
                seen.setdefault(tag)
        return tuple(seen)


@dataclass(frozen=True)
class TagGroup:
    """The operations filed under one tag: one module each in the per-tag layout.

    An operation belongs to its first tag; untagged operations to `default`.
    """

    tag: str  # spec text ("default" for untagged operations)
    stem: str  # snake_case, unique among the groups: the file name of the group's modules
    pointer: str  # the tag's entry in the top-level `tags`, else its first operation
    description: str = ""
    operations: tuple[Operation, ...] = ()


__all__ = [
    "IDEMPOTENT_METHODS",
    "Api",
    "Constraint",
    "Content",
    "ContentKind",
    "FieldShape",
    "FormField",
    "NamedSchema",
    "Operation",
    "ParamLocation",
    "Parameter",
    "Primitive",
    "RequestBody",
    "Response",
    "ResponseHeader",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "Side",
    "SourceInfo",
    "TagGroup",
    "TypeKind",
    "TypeRef",
]
