"""The intermediate representation: what every template renders from.

Records are frozen and keep `pointer`, the JSON pointer of the node of the merged document they
were built from (`Spec.locate(pointer)` gives file:line:column). Names that reach identifier
positions are identifier types; everything else is spec text that templates must pass through
the `literal`/`docstring`/`comment` filters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from generator.ir.names import ClassName, ConstantName, PythonIdentifier
from generator.ir.security import ParamLocation, SecurityRequirement, SecurityScheme
from generator.ir.types import Code, TypeRef, union_of

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


class ContentKind(StrEnum):
    """How a body is encoded on the wire, which decides how generated code (de)serialises it."""

    JSON = "json"
    TEXT = "text"
    BINARY = "binary"  # anything else: form data, octet-stream, XML; passed as raw bytes


@dataclass(frozen=True)
class Constraint:
    """A validation keyword for a parameter, as a FastAPI/pydantic keyword argument."""

    keyword: PythonIdentifier  # ge, le, gt, lt, min_length, max_length, pattern
    value: int | float | str


@dataclass(frozen=True)
class Parameter:
    name: str  # wire name, spec text
    py_name: PythonIdentifier  # unique within its operation
    location: ParamLocation
    required: bool
    type: TypeRef
    pointer: str
    description: str = ""
    has_default: bool = False
    default: Any = None  # JSON value of the schema default, emitted through `literal`
    constraints: tuple[Constraint, ...] = ()
    explode: bool = True
    deprecated: bool = False

    @property
    def is_optional(self) -> bool:
        """Absent unless the caller gives it (no default the framework can fill in)."""
        return not self.required and not self.has_default

    @property
    def greedy(self) -> bool:
        """A `{name+}` path variable (API Gateway style): it matches several segments."""
        return self.location is ParamLocation.PATH and self.name.endswith("+")


@dataclass(frozen=True)
class Content:
    """One media type of a body."""

    media_type: str  # spec text
    kind: ContentKind
    type: TypeRef  # JSON: the schema type; TEXT: str; BINARY: bytes
    pointer: str


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: Content  # the media type generated code sends and accepts (JSON preferred)
    pointer: str
    description: str = ""
    other_media_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseHeader:
    name: str  # wire name
    py_name: PythonIdentifier
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
    class_prefix: ClassName  # e.g. PostFeedback429; variants append the media kind

    @property
    def status_code(self) -> int | None:
        """The exact code, or None for a range ("4XX") or "default"."""
        return int(self.status) if self.status.isdigit() else None

    @property
    def variants(self) -> tuple[tuple[ClassName, Content | None], ...]:
        """One handler return type per media type (a response without content has one)."""
        if not self.contents:
            return ((ClassName(f"{self.class_prefix}Response"), None),)
        kinds = [c.kind for c in self.contents]
        named: list[tuple[ClassName, Content | None]] = []
        for c in self.contents:
            label = c.kind.value if kinds.count(c.kind) == 1 else c.media_type
            named.append((ClassName(f"{self.class_prefix} {label} Response"), c))
        return tuple(named)

    @property
    def body_annotation(self) -> Code:
        """The type of the parsed body over all media types (None when there is no content)."""
        return union_of(c.type.annotation for c in self.contents)

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
    operation_id: str  # spec text (or derived when missing)
    py_name: PythonIdentifier  # method name in handlers and clients
    class_name: ClassName  # prefix of per-operation classes
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

    @property
    def doc(self) -> str:
        """Text for the docstring of the operation's methods."""
        parts = [self.summary, self.description if self.description != self.summary else ""]
        parts.append(f"{self.method} {self.path}")
        return "\n\n".join(p for p in parts if p)

    @property
    def const_name(self) -> ConstantName:
        return ConstantName(self.py_name)

    @property
    def success_annotation(self) -> Code:
        """What a client method returns: the union of the success bodies."""
        return union_of(a for r in self.success_responses for a in [r.body_annotation])

    @property
    def response_classes(self) -> tuple[ClassName, ...]:
        return tuple(name for r in self.responses for name, _ in r.variants)

    @property
    def contract_names(self) -> tuple[ClassName, ...]:
        """Every class the handler contract defines for this operation, in order: the request
        record, response headers and variants, the response alias."""
        names = [ClassName(f"{self.class_name}Request")]
        for r in self.responses:
            if r.headers:
                names.append(ClassName(f"{r.class_prefix}Headers"))
            names.extend(name for name, _ in r.variants)
        names.append(ClassName(f"{self.class_name}Response"))
        return tuple(names)

    @property
    def route_path(self) -> str:
        """The path template with each parameter renamed to its Python name (frameworks need
        identifiers between the braces)."""
        path = self.path
        for p in self.path_params:
            target = f"{{{p.py_name}:path}}" if p.greedy else f"{{{p.py_name}}}"
            path = path.replace("{" + p.name + "}", target)
        return path

    def route_path_as(self, framework: str) -> str:
        """The path template in a framework's own syntax: "fastapi" (`{name}`, `{name:path}`)
        or "flask" (`<name>`, `<path:name>`)."""
        if framework != "flask":
            return self.route_path
        path = self.path
        for p in self.path_params:
            target = f"<path:{p.py_name}>" if p.greedy else f"<{p.py_name}>"
            path = path.replace("{" + p.name + "}", target)
        return path

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


@dataclass(frozen=True)
class NamedSchema:
    """A class in models.py: a component schema or an inline schema we hoisted and named."""

    name: ClassName
    pointer: str  # where the schema is in the merged document
    hoisted: bool = False  # True for inline schemas named by us


@dataclass(frozen=True)
class Server:
    url: str
    description: str = ""


@dataclass(frozen=True)
class SourceInfo:
    """A file the API was read from."""

    path: str  # relative to the project root (see generator.load.files.project_path)
    sha256: str  # of its raw bytes
    root: bool  # named in the config or on the command line (not only reached by `$ref`)


@dataclass(frozen=True)
class Api:
    """One API: everything the templates of a package need."""

    name: PythonIdentifier  # package name
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
    # JSON Schema of request bodies by operation py_name (see generator.build.jsonschema).
    request_schemas: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The operations by tag (every operation in exactly one group), for the per-tag layout.
    groups: tuple[TagGroup, ...] = ()

    def scheme(self, key: str) -> SecurityScheme:
        for s in self.security_schemes:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def default_server_url(self) -> str:
        return self.servers[0].url if self.servers else "http://localhost"

    @property
    def type_imports(self) -> tuple[Code, ...]:
        """`from module import Name` lines for the primitive types operations use."""
        return type_imports_of(self.operations)

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
    module: PythonIdentifier  # module name in handlers/, routers/, client/ ...
    class_prefix: ClassName  # ExperimentsHandlers, ExperimentsClient, AsyncExperimentsClient
    pointer: str  # the tag's entry in the top-level `tags`, else its first operation
    description: str = ""
    operations: tuple[Operation, ...] = ()

    @property
    def type_imports(self) -> tuple[Code, ...]:
        return type_imports_of(self.operations)


def type_imports_of(operations: Iterable[Operation]) -> tuple[Code, ...]:
    """`from module import Name` lines for the primitive types `operations` use."""
    found: set[str] = set()
    for op in operations:
        types = [p.type for p in op.parameters]
        types += [c.type for r in op.responses for c in r.contents]
        types += [h.type for r in op.responses for h in r.headers]
        if op.body is not None:
            types.append(op.body.content.type)
        for t in types:
            found |= t.imports()
    by_module: dict[str, set[str]] = {}
    for item in found:
        module, name = item.split(":")
        by_module.setdefault(module, set()).add(name)
    return tuple(
        Code(f"from {module} import {', '.join(sorted(names))}")
        for module, names in sorted(by_module.items())
    )


__all__ = [
    "IDEMPOTENT_METHODS",
    "Api",
    "ClassName",
    "ConstantName",
    "Constraint",
    "Content",
    "ContentKind",
    "NamedSchema",
    "Operation",
    "ParamLocation",
    "Parameter",
    "PythonIdentifier",
    "RequestBody",
    "Response",
    "ResponseHeader",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "SourceInfo",
    "TagGroup",
    "type_imports_of",
]
