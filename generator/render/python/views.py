"""The Python view of an `Api`: every identifier and type expression the Python templates print.

Templates read names from these records and never build one (no `{{ x }}Request`): the view
claims each name in the scope of generated code it lands in (`Scope`), around the names the
templates bind there themselves (`Fixed`, read off the rendered templates by
`generator.render.python.reserved`) and around the spec names claimed before it. Spec text
stays `str` (templates escape it); identifiers are `PyName`/`PyClass`/`PyConst`; types are
`Code` rendered from `generator.render.python.types`.

Scopes and their roles (one `Role` per kind of name, see `Fixed`):

- METHOD: operation methods (`Handlers`, clients) and route functions; one scope per API.
- CONTRACT_CLASS: request records, response headers and variants, response aliases and
  `<Tag>Handlers`; the handler contract's module(s).
- CLIENT_CLASS: error classes, response tables, `<Tag>Client`, `Async<Tag>Client`; the client.
- PARAMETER: arguments and record fields of one operation's parameters; per operation.
- HEADER: fields of one response's headers record; per response.
- CREDENTIAL: the API-key arguments of `Client()`.
- GROUP_MODULE, GROUP_ATTRIBUTE: a tag group's modules and its attribute on `Client`.

The views of an operation's inputs (parameters, request body) live in `views_request`, those
of its responses in `views_response`; this module re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.ir.model import (
    Api,
    ContentKind,
    Operation,
    ParamLocation,
    SecurityScheme,
    TagGroup,
)
from generator.render.code import Code
from generator.render.python import paths
from generator.render.python.names import PyClass, PyConst, PyName
from generator.render.python.views_request import BodyView, MediaView, ParamView
from generator.render.python.views_response import (
    ContentView,
    HeaderView,
    ResponseView,
    VariantView,
    error_preference,
)


@dataclass(frozen=True)
class OperationView:
    op: Operation
    method: PyName  # in Handlers and the clients; the route function
    request_class: PyClass
    response_alias: PyClass
    responses_table: PyConst  # the client's table of declared responses
    params: tuple[ParamView, ...]
    body: BodyView | None
    responses: tuple[ResponseView, ...]
    success_type: Code  # what a client method returns
    # A streamed success response (SSE, JSON lines): the type of its items, and what the
    # other success responses return (None when every success is a stream). The clients
    # return `rs.Stream[item]` / `rs.AsyncStream[item]` (`_client_streams`), or that
    # union with the rest.
    stream_item: Code | None = None
    plain_success: Code | None = None
    # A binary success response: the clients' method that returns it unread, as a
    # `rb.ByteStream` / `rb.AsyncByteStream` (`_client_binary`); None otherwise.
    stream_method: PyName | None = None
    # What this view is made from (the operation's IR, the names it was given, what the
    # whole view depends on: `builder.py`), for the `cached` blocks that render it
    # (generator/render/fragments.py); "" for a view made otherwise (never kept).
    fragment_key: str = ""

    @property
    def operation_id(self) -> str:
        return self.op.operation_id

    def client_return(self, stream_class: str) -> Code:
        """What a client method returns: the success type, or for a streamed operation
        `rs.<stream_class>[item]` (with the other success types, if any)."""
        if self.stream_item is None:
            return self.success_type
        stream = f"rs.{stream_class}[{self.stream_item}]"
        return Code(f"{stream} | {self.plain_success}" if self.plain_success else stream)

    @property
    def http_method(self) -> str:
        return self.op.method

    @property
    def path(self) -> str:
        return self.op.path

    @property
    def doc(self) -> str:
        return self.op.doc

    @property
    def idempotent(self) -> bool:
        return self.op.idempotent

    @property
    def security(self) -> tuple[tuple[str, ...], ...]:
        """The security alternatives, each the scheme names it needs (spec text)."""
        return tuple(r.schemes for r in self.op.security)

    @property
    def last_event_id_field(self) -> bool:
        """Whether the request record has `last_event_id`, the `Last-Event-ID` header a
        reconnecting SSE client sends: for an operation that answers events and does not
        declare the header (a declared one is a parameter like any other)."""
        events = any(
            c.kind is ContentKind.EVENTS for r in self.op.success_responses for c in r.contents
        )
        declared = any(
            p.location is ParamLocation.HEADER and p.wire.lower() == "last-event-id"
            for p in self.params
        )
        return events and not declared

    @property
    def content_type_field(self) -> bool:
        """Whether the request record has `content_type`, the Content-Type the request was
        sent with: for a binary body (its declared type may be a range, or one of several)
        and a body of several media types."""
        return self.body is not None and (self.body.is_binary or bool(self.body.media))

    @property
    def sends_content_type(self) -> bool:
        """Whether the client methods take a `content_type`: a binary body's."""
        return self.body is not None and self.body.is_binary

    @property
    def uses_binary(self) -> bool:
        """Whether a client method uploads or streams bytes (it imports `_client_binary`)."""
        return self.sends_content_type or self.stream_method is not None

    @property
    def request_fields(self) -> tuple[str, ...]:
        """The request record's fields, in order."""
        body = ("body",) if self.body is not None else ()
        resume = ("last_event_id",) if self.last_event_id_field else ()
        content_type = ("content_type",) if self.content_type_field else ()
        return (*(p.name for p in self.params), *body, *content_type, *resume, "auth")

    def params_in(self, location: str) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.location is ParamLocation(location))

    @property
    def required_params(self) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.required)

    @property
    def optional_params(self) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if not p.required)

    @property
    def error_responses(self) -> tuple[ResponseView, ...]:
        return tuple(r for r in self.responses if r.is_error)

    @property
    def error_variants(self) -> tuple[tuple[str, tuple[PyClass, ...]], ...]:
        """Per error response (its status key), the variants the server may answer its own
        errors with, preferred first: problem+json, other JSON, text, no body."""
        table = []
        for r in self.error_responses:
            usable = [
                v
                for v in r.variants
                if v.content is None or v.content.kind is not ContentKind.BINARY
            ]
            usable.sort(key=error_preference)
            if usable:
                table.append((r.status, tuple(v.name for v in usable)))
        return tuple(table)

    @property
    def answers(self) -> tuple[tuple[str, str, str, PyClass], ...]:
        """Each declared variant as the mock answers it (`_mock.Answer`): the response key,
        the JSON pointers of the response and of its media type ("" without a body), the
        variant class."""
        return tuple(
            (r.status, r.response.pointer, v.content.pointer if v.content else "", v.name)
            for r in self.responses
            for v in r.variants
        )

    @property
    def variant_classes(self) -> tuple[PyClass, ...]:
        return tuple(v.name for r in self.responses for v in r.variants)

    @property
    def contract_names(self) -> tuple[PyClass, ...]:
        """Every class the handler contract defines for this operation, in order."""
        names = [self.request_class]
        for r in self.responses:
            if r.headers_class is not None:
                names.append(r.headers_class)
            names.extend(v.name for v in r.variants)
        names.append(self.response_alias)
        return tuple(names)

    @property
    def error_classes(self) -> tuple[PyClass, ...]:
        return tuple(r.error_class for r in self.responses if r.error_class is not None)

    @property
    def _path_params(self) -> dict[str, tuple[str, bool]]:
        return {p.wire: (str(p.name), p.param.greedy) for p in self.params_in("path")}

    @property
    def route_path(self) -> str:
        """The path template with each parameter as its argument (FastAPI/Starlette syntax:
        `{name}`, `{name:path}` for a greedy `{name+}`), literal text as written."""
        return paths.starlette_path(self.op.path, self._path_params)

    @property
    def flask_rule(self) -> str:
        """The path template in Werkzeug's rule syntax: `<name>`, `<path:name>`, literal
        text decoded."""
        return paths.werkzeug_rule(self.op.path, self._path_params)

    @property
    def flask_endpoint(self) -> str:
        """The operationId with `%` and `.` percent-escaped: blueprint endpoints may not hold a
        dot, and an app-level dotted endpoint would be taken for a blueprint's
        (`_flask_runtime.operation_id` reverses it)."""
        return self.op.operation_id.replace("%", "%25").replace(".", "%2E")


@dataclass(frozen=True)
class GroupView:
    """A tag group: its modules (handlers/, routers/, blueprints/, client/), classes and the
    attribute of `Client` that holds its client."""

    group: TagGroup
    module: PyName
    attribute: PyName
    handlers_class: PyClass
    client_class: PyClass
    async_client_class: PyClass
    operations: tuple[OperationView, ...]
    type_imports: tuple[Code, ...]

    @property
    def tag(self) -> str:
        return self.group.tag

    @property
    def description(self) -> str:
        return self.group.description

    @property
    def contract_names(self) -> tuple[PyClass, ...]:
        return (self.handlers_class, *(n for op in self.operations for n in op.contract_names))

    @property
    def error_classes(self) -> tuple[PyClass, ...]:
        return tuple(n for op in self.operations for n in op.error_classes)

    @property
    def has_streams(self) -> bool:
        """Whether a client method returns a stream (the client imports `_client_streams`)."""
        return any(op.stream_item is not None for op in self.operations)

    @property
    def has_binary(self) -> bool:
        """Whether a client method uploads or streams bytes (it imports `_client_binary`)."""
        return any(op.uses_binary for op in self.operations)


@dataclass(frozen=True)
class CredentialView:
    """One security scheme as the client sends it: `kind` (bearer, basic, header, query,
    cookie) and the `Client()` argument holding the secret."""

    scheme: SecurityScheme
    kind: str
    argument: PyName

    @property
    def key(self) -> str:
        return self.scheme.key

    @property
    def wire(self) -> str:
        """The header, query or cookie name of an API key ("" otherwise)."""
        return self.scheme.param_name if self.kind not in ("bearer", "basic") else ""


@dataclass(frozen=True)
class PythonView:
    """Everything the Python templates of one package print, besides the IR's spec text."""

    api: Api
    operations: tuple[OperationView, ...]
    groups: tuple[GroupView, ...]
    credentials: tuple[CredentialView, ...]
    type_imports: tuple[Code, ...]
    models: Mapping[str, PyClass]  # type name -> model class
    # The API's webhooks as a view of their own (their modules are scopes of their own):
    # `operations` are the webhooks; None when the API has none.
    webhooks: PythonView | None = None

    @property
    def contract_names(self) -> tuple[PyClass, ...]:
        return tuple(n for op in self.operations for n in op.contract_names)

    @property
    def has_streams(self) -> bool:
        """Whether a client method returns a stream (the client imports `_client_streams`)."""
        return any(op.stream_item is not None for op in self.operations)

    @property
    def has_binary(self) -> bool:
        """Whether a client method uploads or streams bytes (it imports `_client_binary`)."""
        return any(op.uses_binary for op in self.operations)

    @property
    def api_key_arguments(self) -> tuple[PyName, ...]:
        return tuple(c.argument for c in self.credentials if c.kind not in ("bearer", "basic"))

    @property
    def has_bearer(self) -> bool:
        return any(c.kind == "bearer" for c in self.credentials)

    @property
    def has_basic(self) -> bool:
        return any(c.kind == "basic" for c in self.credentials)


def credential_kind(scheme: SecurityScheme) -> str | None:
    """How a scheme's credential travels (None: a scheme specgen does not send or check)."""
    if scheme.is_bearer:
        return "bearer"
    if scheme.is_basic:
        return "basic"
    if scheme.is_api_key and scheme.location is not None:
        return scheme.location.value
    return None


__all__ = [
    "BodyView",
    "ContentView",
    "CredentialView",
    "GroupView",
    "HeaderView",
    "MediaView",
    "OperationView",
    "ParamView",
    "PythonView",
    "ResponseView",
    "VariantView",
    "credential_kind",
]
