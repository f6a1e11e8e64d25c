"""The per-template view of an `Api` for the TypeScript client: names claimed in their scopes,
types spelled in TypeScript, the response table of every operation.

Everything here is derived from the IR; spec text stays `str` (templates escape it with
`ts_literal`/`ts_doc`), identifiers are `TsName`/`TsMember`, types are `Code`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.ir.model import (
    Api,
    Content,
    ContentKind,
    FormField,
    Operation,
    ParamLocation,
    Response,
    SecurityScheme,
    TagGroup,
)
from generator.ir.names import pascal_case, upper_case
from generator.render.code import Code
from generator.render.typescript import types as t
from generator.render.typescript.names import Scope, TsMember, TsName

# Names client.ts declares or imports itself, and globals it uses: generated names avoid them.
_CLIENT_MODULE_NAMES = frozenset(
    """
    Client ClientOptions ApiError UnexpectedStatusError ResponseParseError TimeoutError
    RetryPolicy CallOptions Declared Transport Credential NO_RETRY DEFAULT_BASE_URL models
    Stream StreamEvent ByteStream
    Error Promise Headers Uint8Array Record Readonly Array Response RequestInit
    Blob ArrayBuffer ReadableStream
    """.split()
)
# What the webhook sender module (src/webhooks.ts) binds besides the client module's names.
_WEBHOOK_MODULE_NAMES = _CLIENT_MODULE_NAMES | frozenset({"WebhookSender", "WebhookSenderOptions"})
# The runtime's streamed response (streams.ts), which client modules import.
_STREAM = TsName("Stream")
_FIXED_OPTIONS = frozenset({"baseUrl", "timeoutMs", "retry", "fetch", "headers"})
# Members of `Client` a tag group property must not take (tags layout): its own (`#transport`,
# and `then`, which would make it a thenable), and those every object inherits.
_CLIENT_MEMBERS = frozenset(
    """
    then transport constructor toString toLocaleString valueOf hasOwnProperty isPrototypeOf
    propertyIsEnumerable
    """.split()
)


@dataclass(frozen=True)
class ParamView:
    name: str  # wire name, spec text
    member: TsMember  # property of the operation's Args interface
    location: ParamLocation
    required: bool
    type: Code
    doc: str


@dataclass(frozen=True)
class ErrorView:
    """The error class of one declared error response of one operation."""

    name: TsName
    status: Code | None  # literal type of an exact status; None for ranges and default
    body: Code
    doc: str


@dataclass(frozen=True)
class ContentView:
    """One declared media type of a response, as the runtime's `DeclaredContent`."""

    media_type: str  # spec text
    kind: str  # json, text, binary, events, lines
    items: str | None  # a stream's item format: json, or text (string items); else None


@dataclass(frozen=True)
class DeclaredView:
    """One row of an operation's response table: status range, error class, media types."""

    low: int
    high: int
    error: TsName | None  # None for success responses
    contents: tuple[ContentView, ...]


@dataclass(frozen=True)
class OperationView:
    op: Operation
    method: TsMember
    args: TsName | None  # the Args interface; None when there are no parameters and no body
    args_optional: bool  # every parameter and the body may be left out
    params: tuple[ParamView, ...]
    body: Code | None  # type of the request body
    body_required: bool
    returns: Code
    errors: tuple[ErrorView, ...]
    responses: Code  # the const holding the response table
    declared: tuple[DeclaredView, ...]
    # A binary body: the Args property naming its Content-Type, and the type sent when it
    # is left out ("" when the declared type is a range the caller must name).
    content_type: TsMember | None = None
    default_content_type: str = ""
    # A binary success response: the method that resolves to it unread, a `ByteStream`.
    stream_method: TsMember | None = None

    def params_in(self, location: str) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.location is ParamLocation(location))

    @property
    def doc(self) -> str:
        return _with_deprecated(self.op.doc, self.op.deprecated)

    @property
    def body_kind(self) -> str:
        return self.op.body.content.kind.value if self.op.body else ""

    @property
    def form_fields(self) -> tuple[FormField, ...]:
        """A form body's properties (multipart or urlencoded), else ()."""
        return self.op.body.content.fields if self.op.body else ()

    @property
    def body_media_type(self) -> str:
        return self.op.body.content.media_type if self.op.body else ""

    @property
    def streams(self) -> bool:
        """A success response is streamed: the method can return a `Stream`."""
        return any(c.kind.is_stream for r in self.op.success_responses for c in r.contents)

    @property
    def downloads(self) -> bool:
        """A success response is binary: `stream_method` resolves to a `ByteStream`."""
        return any(
            c.kind is ContentKind.BINARY for r in self.op.success_responses for c in r.contents
        )


@dataclass(frozen=True)
class CredentialView:
    key: str  # security scheme name, spec text
    kind: str  # bearer, basic, header, query, cookie
    option: TsMember  # the ClientOptions property holding the secret
    param_name: str  # wire name of an API key, spec text


@dataclass(frozen=True)
class OptionView:
    """A ClientOptions property for credentials."""

    member: TsMember
    type: Code
    doc: str


@dataclass(frozen=True)
class GroupView:
    """One tag group of the tags layout: a property of `Client` holding an instance of the
    group's class, declared in `src/tags/<module>.ts` with the group's operations."""

    group: TagGroup
    member: TsMember  # the property of Client
    name: TsName  # the group's class, `<Prefix>Client`
    operations: tuple[OperationView, ...]

    @property
    def module(self) -> Code:
        """The file name (without `.ts`) in src/tags/: lowercase, unique among the groups."""
        return Code(self.group.stem)

    @property
    def streams(self) -> bool:
        """Some operation can return a `Stream` (the module imports its type)."""
        return any(view.streams for view in self.operations)

    @property
    def downloads(self) -> bool:
        """Some operation streams a download (the module imports `ByteStream`)."""
        return any(view.downloads for view in self.operations)

    @property
    def doc(self) -> str:
        """Spec text (templates escape it with `ts_doc`)."""
        return f"The operations tagged `{self.group.tag}`.\n\n{self.group.description}".strip()


@dataclass(frozen=True)
class ClientView:
    operations: tuple[OperationView, ...]
    credentials: tuple[CredentialView, ...]
    options: tuple[OptionView, ...]
    groups: tuple[GroupView, ...] = ()

    @property
    def streams(self) -> bool:
        """Some operation can return a `Stream` (the module imports its type)."""
        return any(view.streams for view in self.operations)

    @property
    def downloads(self) -> bool:
        """Some operation streams a download (the module imports `ByteStream`)."""
        return any(view.downloads for view in self.operations)


def _with_deprecated(doc: str, deprecated: bool) -> str:
    return f"{doc}\n\n@deprecated".strip() if deprecated else doc


def _error_body_type(response: Response) -> t.TsType:
    """An error response is read whole: a stream's body is the array of its items."""
    if not response.contents:
        return t.UNDEFINED
    return t.union(
        t.ArrayOf(t.from_type_ref(c.type)) if c.kind.is_stream else t.from_type_ref(c.type)
        for c in response.contents
    )


def _success_type(responses: Sequence[Response]) -> t.TsType:
    """What a call resolves to: the parsed body, or a `Stream` of the items of the streamed
    media types (one `Stream`, where the first is; the response's Content-Type decides)."""
    if not responses:
        return t.UNDEFINED
    items = [t.from_type_ref(c.type) for r in responses for c in r.contents if c.kind.is_stream]
    stream = t.Applied(_STREAM, (t.union(items),))
    return t.union(
        (stream if c.kind.is_stream else t.from_type_ref(c.type)) if c else t.UNDEFINED
        for r in responses
        for c in (r.contents or (None,))
    )


def _content(content: Content) -> ContentView:
    items = None
    if content.kind.is_stream:
        text = content.kind is ContentKind.EVENTS and t.from_type_ref(content.type) == t.STRING
        items = "text" if text else "json"
    return ContentView(content.media_type, content.kind.value, items)


def _declared(response: Response, error: TsName | None) -> DeclaredView:
    low, high = response.status_range
    return DeclaredView(low, high, error, tuple(_content(c) for c in response.contents))


def _operation(op: Operation, method: TsMember, module: Scope) -> OperationView:
    members = Scope(frozenset({"body"}))
    base = pascal_case(op.operation_id, fallback="Operation")
    params = tuple(
        ParamView(
            name=p.name,
            member=members.claim_member(p.name, fallback="param"),
            location=p.location,
            required=p.required,
            type=t.ts_type(p.type),
            doc=_with_deprecated(p.description, p.deprecated),
        )
        for p in op.parameters
    )
    errors: list[ErrorView] = []
    declared: list[DeclaredView] = []
    for r in op.responses:
        if r.is_success:
            declared.append(_declared(r, None))
            continue
        name = module.claim_name(f"{base}{r.status.capitalize()}Error")
        status = Code(str(r.status_code)) if r.status_code is not None else None
        doc = f"{op.operation_id}: {r.status} {r.description}".strip()
        errors.append(ErrorView(name, status, t.render(_error_body_type(r), 2), doc))
        declared.append(_declared(r, name))
    body = op.body
    has_args = bool(params) or body is not None
    binary = body is not None and body.content.kind is ContentKind.BINARY
    content_type = members.claim_member("contentType") if binary else None
    return OperationView(
        op=op,
        method=method,
        args=module.claim_name(f"{base}Args") if has_args else None,
        args_optional=not any(p.required for p in params) and not (body and body.required),
        params=params,
        body=(t.render(t.BINARY_UPLOAD) if binary else t.ts_type(body.content.type))
        if body
        else None,
        body_required=bool(body and body.required),
        returns=t.render(_success_type(op.success_responses)),
        errors=tuple(errors),
        responses=Code(upper_case(f"{op.operation_id} responses")),
        declared=tuple(declared),
        content_type=content_type,
        default_content_type=(body.binary_default or "") if body is not None else "",
    )


_SHARED_OPTIONS = {
    # kind: (option name, type, doc); one option serves every scheme of the kind
    "bearer": ("token", "string", "Bearer token (sent as `Authorization: Bearer <token>`)."),
    "basic": (
        "basic_auth",
        "{ readonly username: string; readonly password: string }",
        "HTTP basic credentials.",
    ),
}


def _shared_kind(scheme: SecurityScheme) -> str | None:
    return "bearer" if scheme.is_bearer else "basic" if scheme.is_basic else None


def _credentials(api: Api) -> tuple[tuple[CredentialView, ...], tuple[OptionView, ...]]:
    """ClientOptions for secrets (`token`, `basicAuth`, one per API key) and, per security
    scheme, where its secret comes from."""
    scope = Scope(_FIXED_OPTIONS)
    options: list[OptionView] = []
    shared: dict[str, TsMember] = {}
    for kind, (name, type_, doc) in _SHARED_OPTIONS.items():
        if any(_shared_kind(s) == kind for s in api.security_schemes):
            shared[kind] = scope.claim_member(name)
            options.append(OptionView(shared[kind], Code(type_), doc))
    credentials: list[CredentialView] = []
    for s in api.security_schemes:
        shared_kind = _shared_kind(s)
        if shared_kind is not None:
            credentials.append(CredentialView(s.key, shared_kind, shared[shared_kind], ""))
        elif s.is_api_key and s.location is not None:
            member = scope.claim_member(s.key, fallback="credentials")
            options.append(OptionView(member, Code("string"), s.description or s.key))
            credentials.append(CredentialView(s.key, s.location.value, member, s.param_name))
    return tuple(credentials), tuple(options)


def client_view(api: Api) -> ClientView:
    return _client_view(api, _CLIENT_MODULE_NAMES)


def webhook_view(api: Api) -> ClientView | None:
    """The view of src/webhooks.ts: the webhooks and callbacks as the operations of a
    sender (names in a module of their own), or None for an API without them."""
    if not api.hooks:
        return None
    hooks = replace(api, operations=api.hooks, groups=(), webhooks=())
    return _client_view(hooks, _WEBHOOK_MODULE_NAMES)


def _client_view(api: Api, fixed: frozenset[str]) -> ClientView:
    module = Scope(fixed)
    methods = Scope(frozenset({"then"}))
    operations = tuple(
        _operation(op, methods.claim_member(op.operation_id, fallback="operation"), module)
        for op in api.operations
    )
    # After every operation's method: an operation keeps its name.
    operations = tuple(
        replace(view, stream_method=methods.claim_member(f"stream {view.method}"))
        if view.downloads
        else view
        for view in operations
    )
    credentials, options = _credentials(api)
    return ClientView(operations, credentials, options, _groups(api, operations, module))


def _groups(
    api: Api, operations: tuple[OperationView, ...], module: Scope
) -> tuple[GroupView, ...]:
    """The tag groups, after the operations: their methods, error classes and argument
    interfaces keep the names the module layout gives them (all are exported from the package
    entry, so they stay unique across groups), and the group classes take free names."""
    by_id = {id(view.op): view for view in operations}

    def view_of(op: Operation) -> OperationView:
        # The groups hold the operations of `api.operations` (an equal copy would do too).
        found = by_id.get(id(op))
        return found if found is not None else next(v for v in operations if v.op == op)

    members = Scope(_CLIENT_MEMBERS)
    return tuple(
        GroupView(
            group=g,
            member=members.claim_member(g.stem, fallback="tag"),
            name=module.claim_suffixed(pascal_case(g.tag, fallback="Tag"), "Client"),
            operations=tuple(view_of(op) for op in g.operations),
        )
        for g in api.groups
    )


__all__ = ["ClientView", "GroupView", "OperationView", "client_view", "webhook_view"]
