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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain, count
from typing import Any

from generator.ir.model import (
    Api,
    Content,
    Operation,
    Parameter,
    ParamLocation,
    RequestBody,
    Response,
    ResponseHeader,
    SecurityScheme,
    TagGroup,
)
from generator.render.code import Code
from generator.render.python import types as t
from generator.render.python.names import PyClass, PyConst, PyName, Scope

# Pydantic's spelling of the JSON Schema keywords parameters are constrained by.
_CONSTRAINT_KEYWORDS: Mapping[str, str] = {
    "minimum": "ge",
    "maximum": "le",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
}


class Role(StrEnum):
    """A kind of spec-derived name, and so the scopes of generated code it is bound in."""

    METHOD = "method"
    CONTRACT_CLASS = "contract class"
    CLIENT_CLASS = "client class"
    PARAMETER = "parameter"
    HEADER = "header"
    CREDENTIAL = "credential"
    GROUP_MODULE = "group module"
    GROUP_ATTRIBUTE = "group attribute"


@dataclass(frozen=True)
class Fixed:
    """The names the templates bind in the scopes of each role (see `reserved.fixed_names`)."""

    by_role: Mapping[Role, frozenset[str]] = field(default_factory=dict)

    def scope(self, role: Role, log: dict[Role, set[str]] | None = None) -> Scope:
        return _LoggedScope(self.by_role.get(role, frozenset()), role, log)


class _LoggedScope(Scope):
    """A scope that also records what it claims under its role (the probe needs to know which
    identifiers stand for which role)."""

    def __init__(self, fixed: frozenset[str], role: Role, log: dict[Role, set[str]] | None) -> None:
        super().__init__(fixed)
        self._role = role
        self._log = log

    def _claim(self, first: str, second: str, separator: str) -> str:
        chosen = super()._claim(first, second, separator)
        if self._log is not None:
            self._log.setdefault(self._role, set()).add(chosen)
        return chosen


@dataclass(frozen=True)
class ParamView:
    param: Parameter
    name: PyName
    type: Code  # the value's type when given
    declared_type: Code  # as a record field or server argument: `| None` when it may be absent
    optional_type: Code  # `| None` always (an optional client argument, None when left out)
    constraints: tuple[tuple[PyName, int | float | str], ...]  # pydantic keyword -> value

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


@dataclass(frozen=True)
class BodyView:
    body: RequestBody
    type: Code
    declared_type: Code  # `| None` when the body is optional

    @property
    def required(self) -> bool:
        return self.body.required

    @property
    def kind(self) -> str:
        return self.body.content.kind.value

    @property
    def media_type(self) -> str:
        return self.body.content.media_type


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
    body_type: Code | None  # None: no body
    fields: tuple[str, ...]  # the record's fields, in order (`code`, `body`, `headers`)


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

    @property
    def operation_id(self) -> str:
        return self.op.operation_id

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
    def request_fields(self) -> tuple[str, ...]:
        """The request record's fields, in order."""
        body = ("body",) if self.body is not None else ()
        return (*(p.name for p in self.params), *body, "auth")

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
    def route_path(self) -> str:
        """The path template with each parameter as its argument (FastAPI/Starlette syntax:
        `{name}`, `{name:path}` for a greedy `{name+}`)."""
        path = self.op.path
        for p in self.params_in("path"):
            target = f"{{{p.name}:path}}" if p.param.greedy else f"{{{p.name}}}"
            path = path.replace("{" + p.wire + "}", target)
        return path

    @property
    def flask_rule(self) -> str:
        """The path template in Werkzeug's rule syntax: `<name>`, `<path:name>`."""
        path = self.op.path
        for p in self.params_in("path"):
            target = f"<path:{p.name}>" if p.param.greedy else f"<{p.name}>"
            path = path.replace("{" + p.wire + "}", target)
        return path

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

    @property
    def contract_names(self) -> tuple[PyClass, ...]:
        return tuple(n for op in self.operations for n in op.contract_names)

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


class _Builder:
    def __init__(
        self,
        api: Api,
        fixed: Fixed,
        models: Mapping[str, PyClass],
        log: dict[Role, set[str]] | None,
    ) -> None:
        self.api = api
        self.fixed = fixed
        self.models = models
        self.log = log
        self.methods = fixed.scope(Role.METHOD, log)
        self.contract = fixed.scope(Role.CONTRACT_CLASS, log)
        self.client = fixed.scope(Role.CLIENT_CLASS, log)

    def type(self, ref: Any) -> t.PyType:
        return t.from_type_ref(ref, self.models)

    def build(self) -> PythonView:
        operations = tuple(self.operation(op) for op in self.api.operations)
        by_id = {view.op.operation_id: view for view in operations}
        groups = self.groups(by_id)
        types = [self.type(p.type) for op in self.api.operations for p in op.parameters]
        types += [self.type(c.type) for op in self.api.operations for c in _contents(op)]
        types += [self.type(h.type) for op in self.api.operations for h in _headers(op)]
        return PythonView(
            api=self.api,
            operations=operations,
            groups=groups,
            credentials=self.credentials(),
            type_imports=t.imports(types),
            models=self.models,
        )

    def operation(self, op: Operation) -> OperationView:
        method = self.methods.name(op.operation_id, suffix="operation", fallback="operation")
        base = PyClass(op.operation_id, fallback="Operation")
        arguments = self.fixed.scope(Role.PARAMETER, self.log)
        params = tuple(self.param(p, arguments) for p in op.parameters)
        body = None
        if op.body is not None:
            body_type = self.type(op.body.content.type)
            declared = body_type if op.body.required else t.optional(body_type)
            body = BodyView(op.body, t.render(body_type), t.render(declared))
        responses = tuple(self.response(base, r) for r in op.responses)
        successes = [self.body_type(r) for r in op.success_responses]
        return OperationView(
            op=op,
            method=method,
            request_class=self.contract.cls(f"{base} Request"),
            response_alias=self.contract.cls(f"{base} Response"),
            responses_table=self.client.const(op.operation_id, private=True),
            params=params,
            body=body,
            responses=responses,
            success_type=t.render(t.union(successes)),
        )

    def param(self, param: Parameter, scope: Scope) -> ParamView:
        name = scope.name(param.name, suffix=param.location.value, fallback="param")
        value = self.type(param.type)
        declared = t.optional(value) if param.is_optional else value
        constraints = tuple(
            (PyName(_CONSTRAINT_KEYWORDS[c.keyword]), c.value)
            for c in param.constraints
            if c.keyword in _CONSTRAINT_KEYWORDS
        )
        return ParamView(
            param,
            name,
            t.render(value),
            t.render(declared),
            t.render(t.optional(value)),
            constraints,
        )

    def body_type(self, response: Response) -> t.PyType:
        return t.union(self.type(c.type) for c in response.contents)

    def response(self, base: PyClass, response: Response) -> ResponseView:
        prefix = f"{base} {response.status.capitalize()}"
        fields_scope = self.fixed.scope(Role.HEADER, self.log)
        headers = tuple(self.header(h, fields_scope) for h in response.headers)
        headers_class = self.contract.cls(f"{prefix} Headers") if headers else None
        variants = []
        for label, content in response.variants:
            name = self.contract.cls(f"{prefix} {label} Response")
            body = t.render(self.type(content.type)) if content is not None else None
            fields: tuple[str, ...] = ("code",) if response.status_code is None else ()
            fields += ("body",) if content is not None else ()
            fields += ("headers",) if headers else ()
            variants.append(VariantView(name, content, body, fields))
        error = self.client.cls(f"{prefix} Error") if response.is_error else None
        contents = tuple(
            ContentView(c.media_type, c.kind.value, t.render(self.type(c.type)))
            for c in response.contents
        )
        return ResponseView(
            response=response,
            headers_class=headers_class,
            headers=headers,
            variants=tuple(variants),
            error_class=error,
            body_type=t.render(self.body_type(response)),
            contents=contents,
        )

    def header(self, header: ResponseHeader, scope: Scope) -> HeaderView:
        # Header names are case-insensitive on the wire, but `X-Rate` and `x-rate` are two
        # entries of the map: each gets a field of its own.
        name = scope.name(header.name, suffix="header", fallback="header")
        value = self.type(header.type)
        declared = value if header.required else t.optional(value)
        return HeaderView(header, name, t.render(value), t.render(declared))

    def credentials(self) -> tuple[CredentialView, ...]:
        arguments = self.fixed.scope(Role.CREDENTIAL, self.log)
        found = []
        for scheme in self.api.security_schemes:
            kind = credential_kind(scheme)
            if kind == "bearer":
                found.append(CredentialView(scheme, kind, PyName("token")))
            elif kind == "basic":
                found.append(CredentialView(scheme, kind, PyName("basic_auth")))
            elif kind is not None:
                argument = arguments.name(scheme.key, suffix="key", fallback="credentials")
                found.append(CredentialView(scheme, kind, argument))
        return tuple(found)

    def groups(self, by_id: Mapping[str, OperationView]) -> tuple[GroupView, ...]:
        modules = self.fixed.scope(Role.GROUP_MODULE, self.log)
        attributes = self.fixed.scope(Role.GROUP_ATTRIBUTE, self.log)
        found = []
        for group in self.api.groups:
            module = modules.name(group.stem, suffix="tag", fallback="tag")
            operations = tuple(by_id[op.operation_id] for op in group.operations)
            handlers, client, async_client = self.group_classes(group.tag)
            types = [self.type(p.type) for op in group.operations for p in op.parameters]
            types += [self.type(c.type) for op in group.operations for c in _contents(op)]
            types += [self.type(h.type) for op in group.operations for h in _headers(op)]
            found.append(
                GroupView(
                    group=group,
                    module=module,
                    attribute=attributes.name(group.stem, suffix="tag", fallback="tag"),
                    handlers_class=handlers,
                    client_class=client,
                    async_client_class=async_client,
                    operations=operations,
                    type_imports=t.imports(types),
                )
            )
        return tuple(found)

    def group_classes(self, tag: str) -> tuple[PyClass, PyClass, PyClass]:
        """`<P>Handlers`, `<P>Client` and `Async<P>Client` with one prefix P, the first of
        P, `<P>Tag`, `<P>Tag2`, ... for which all three names are free."""
        base = PyClass(tag, fallback="Tag")
        tagged = (PyClass(f"{base} Tag {n}" if n > 1 else f"{base} Tag") for n in count(1))
        for prefix in chain([base], tagged):
            names = (
                PyClass(f"{prefix} Handlers"),
                PyClass(f"{prefix} Client"),
                PyClass(f"Async {prefix} Client"),
            )
            if names[0] not in self.contract and not any(x in self.client for x in names[1:]):
                break
        return (
            self.contract.cls(names[0]),
            self.client.cls(names[1]),
            self.client.cls(names[2]),
        )


def _contents(op: Operation) -> list[Content]:
    found = [c for r in op.responses for c in r.contents]
    return [*found, op.body.content] if op.body is not None else found


def _headers(op: Operation) -> list[ResponseHeader]:
    return [h for r in op.responses for h in r.headers]


def build_view(
    api: Api,
    fixed: Fixed,
    models: Mapping[str, PyClass],
    log: dict[Role, set[str]] | None = None,
) -> PythonView:
    """The Python view of `api`; `log`, when given, collects the names claimed per role."""
    return _Builder(api, fixed, models, log).build()


__all__ = [
    "BodyView",
    "CredentialView",
    "Fixed",
    "GroupView",
    "HeaderView",
    "OperationView",
    "ParamView",
    "PythonView",
    "ResponseView",
    "Role",
    "VariantView",
    "build_view",
    "credential_kind",
]
