"""Builds the `PythonView` of an `Api`: claims every name in its scope (see `views`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from itertools import chain, count
from typing import Any

from generator.fingerprint import code_hash
from generator.ir.digest import ir_digest
from generator.ir.model import (
    Api,
    Content,
    ContentKind,
    Operation,
    Parameter,
    RequestBody,
    Response,
    ResponseHeader,
)
from generator.render.code import Code
from generator.render.filters import literal
from generator.render.python import types as t
from generator.render.python.names import Fixed, PyClass, PyName, Role, Scope
from generator.render.python.views import (
    BodyView,
    ContentView,
    CredentialView,
    GroupView,
    HeaderView,
    MediaView,
    OperationView,
    ParamView,
    PythonView,
    ResponseView,
    VariantView,
    credential_kind,
)

# Pydantic's spelling of the JSON Schema keywords parameters are constrained by.
_CONSTRAINT_KEYWORDS: Mapping[str, str] = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
}


class _Builder:
    def __init__(
        self,
        api: Api,
        fixed: Fixed,
        models: Mapping[str, PyClass],
        enums: Mapping[str, Mapping[object, str]],
        log: dict[Role, set[str]] | None,
        absent: str = "none",
        keyed: bool = True,
    ) -> None:
        self.api = api
        self.keyed = keyed
        self.absent = absent
        self.fixed = fixed
        self.models = models
        self.enums = enums
        self.log = log
        # The names each operation is given, in order: with its IR and `salt`, what its
        # view is made from (`OperationView.fragment_key`).
        self.answers: list[str] = []
        self.methods = self.scope(Role.METHOD)
        self.contract = self.scope(Role.CONTRACT_CLASS)
        self.client = self.scope(Role.CLIENT_CLASS)
        self.checked_responses: Mapping[str, Any] = api.request_schemas.get("responses") or {}
        self.salt = _salt(fixed, models, absent, self.checked_responses)

    def scope(self, role: Role) -> Scope:
        scope = self.fixed.scope(role, self.log)
        scope.answers = self.answers
        return scope

    def type(self, ref: Any) -> t.PyType:
        return t.from_type_ref(ref, self.models)

    def build(self) -> PythonView:
        # The download methods take names after every operation: an operation keeps its name.
        operations = tuple(self.operation(op) for op in self.api.operations)
        operations = tuple(self.downloads(view) for view in operations)
        by_id = {view.op.operation_id: view for view in operations}
        groups = self.groups(by_id)
        types = [self.type(p.type) for op in self.api.operations for p in op.parameters]
        types += [self.type(c.type) for op in self.api.operations for c in _contents(op)]
        types += [self.type(h.type) for op in self.api.operations for h in _headers(op)]
        webhooks = None
        if self.api.hooks:
            # The webhook modules are scopes of their own: a builder with fresh scopes over
            # an API whose operations are the webhooks and callbacks.
            hooks = replace(self.api, operations=self.api.hooks, groups=(), webhooks=())
            webhooks = _Builder(
                hooks, self.fixed, self.models, self.enums, self.log, keyed=self.keyed
            ).build()
        return PythonView(
            api=self.api,
            operations=operations,
            groups=groups,
            credentials=self.credentials(),
            type_imports=t.imports(types),
            models=self.models,
            webhooks=webhooks,
        )

    def operation(self, op: Operation) -> OperationView:
        start = len(self.answers)
        view = self.operation_view(op)
        if not self.keyed:
            return view
        made = (self.salt, ir_digest(op), *self.answers[start:])
        return replace(view, fragment_key=_digest(made))

    def operation_view(self, op: Operation) -> OperationView:
        method = self.methods.name(op.operation_id, suffix="operation", fallback="operation")
        base = PyClass(op.operation_id, fallback="Operation")
        arguments = self.scope(Role.PARAMETER)
        params = tuple(self.param(p, arguments) for p in op.parameters)
        body = None
        if op.body is not None:
            body_type = self.type(op.body.content.type)
            declared = body_type if op.body.required else t.optional(body_type)
            # The JSON Schema check stays unless the model says all; with absent properties
            # read as None, a null for a non-nullable one only the schema refuses. Text is
            # checked only when its schema says more than `str`.
            checked = not (op.body.model_is_exact and self.absent == "missing")
            if op.body.content.kind is ContentKind.TEXT:
                checked = op.body.content.text_checked
            body = BodyView(op.body, t.render(body_type), t.render(declared), checked)
            if op.body.alternatives:
                body = self.media(op.body, op.operation_id, body)
        responses = tuple(self.response(base, r) for r in op.responses)
        successes = [self.body_type(r) for r in op.success_responses]
        streamed = [
            self.type(c.type) for r in op.success_responses for c in r.contents if c.kind.is_stream
        ]
        plain = [
            self.type(c.type)
            for r in op.success_responses
            for c in r.contents
            if not c.kind.is_stream
        ]
        plain += [t.NONE for r in op.success_responses if not r.contents]
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
            stream_item=t.render(t.union(streamed)) if streamed else None,
            plain_success=t.render(t.union(plain)) if streamed and plain else None,
        )

    def media(self, request: RequestBody, operation_id: str, body: BodyView) -> BodyView:
        """`body` with every media type servers accept, and the handler's type over them."""
        first = request.content.is_checked and body.schema_checked
        media = [MediaView(request.content, body.type, operation_id if first else "")]
        for content in request.alternatives:
            schema = content.pointer if content.is_checked else ""
            media.append(MediaView(content, t.render(self.type(content.type)), schema))
        handler = t.union(self.type(c.type) for c in request.contents)
        declared = handler if request.required else t.optional(handler)
        return replace(
            body,
            media=tuple(media),
            handler_type=t.render(handler),
            handler_declared_type=t.render(declared),
        )

    def downloads(self, view: OperationView) -> OperationView:
        """`view` with its `stream_<method>`, when a success response is binary."""
        binary = any(
            c.kind is ContentKind.BINARY for r in view.op.success_responses for c in r.contents
        )
        if not binary:
            return view
        name = self.methods.name(f"stream {view.method}", suffix="operation", fallback="stream")
        key = _digest((view.fragment_key, name)) if view.fragment_key else ""
        return replace(view, stream_method=name, fragment_key=key)

    def param(self, param: Parameter, scope: Scope) -> ParamView:
        name = scope.name(param.name, suffix=param.location.value, fallback="param")
        value = self.type(param.type)
        declared = t.optional(value) if param.is_optional else value
        constraints = tuple(
            (PyName(_CONSTRAINT_KEYWORDS[c.keyword]), c.value)
            for c in param.constraints
            if c.keyword in _CONSTRAINT_KEYWORDS
        )
        default = self.default(param)
        return ParamView(
            param,
            name,
            t.render(value),
            t.render(declared),
            t.render(t.optional(value)),
            constraints,
            default,
        )

    def default(self, param: Parameter) -> Code:
        """A literal; for an enum the member (`models.Status.open`), or, should models.py
        not spell the type as an enum class, the type called on the value."""
        value = literal(param.default)
        if not (param.has_default and param.type.is_model):
            return value
        cls = t.render(self.type(param.type.with_nullable(False)))
        member = self.enums.get(self.models.get(param.type.name, ""), {}).get(param.default)
        self.answers.append(f"{cls}.{member}")  # what models.py said: part of the view's key
        return Code(f"{cls}.{member}") if member is not None else Code(f"{cls}({value})")

    def body_type(self, response: Response) -> t.PyType:
        return t.union(self.type(c.type) for c in response.contents)

    def response(self, base: PyClass, response: Response) -> ResponseView:
        prefix = f"{base} {response.status.capitalize()}"
        fields_scope = self.scope(Role.HEADER)
        headers = tuple(self.header(h, fields_scope) for h in response.headers)
        headers_class = self.contract.cls(f"{prefix} Headers") if headers else None
        variants = []
        for label, content in response.variants:
            name = self.contract.cls(f"{prefix} {label} Response")
            item = self.type(content.type) if content is not None else None
            body = t.render(item) if item is not None else None
            if content is not None and item is not None and content.kind.is_stream:
                event = t.Generic(t.EVENT, (item,))
                body = t.render(t.Generic(t.ASYNC_ITERABLE, (t.union([item, event]),)))
            binary = content is not None and content.kind is ContentKind.BINARY
            if binary:
                body = t.render(t.BINARY_BODY)  # bytes or a stream
            fields: tuple[str, ...] = ("code",) if response.status_code is None else ()
            fields += ("body",) if content is not None else ()
            fields += ("content_type",) if binary else ()
            fields += ("headers",) if headers else ()
            item_type = t.render(item) if item is not None else None
            checked = content is not None and content.pointer in self.checked_responses
            schema = content.pointer if checked and content is not None else None
            variants.append(
                VariantView(name, content, body, fields, item_type=item_type, body_schema=schema)
            )
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


def _salt(
    fixed: Fixed,
    models: Mapping[str, PyClass],
    absent: str,
    checked_responses: Mapping[str, Any],
) -> str:
    """What every operation's view depends on besides its IR and its names: the templates'
    names, the model classes, how absent properties read, the responses servers check,
    and the code that builds views. (The enum members a view reads are among its names:
    the first rendering has none.)"""
    made = (
        code_hash(),
        repr(sorted((str(role), sorted(names)) for role, names in fixed.by_role.items())),
        repr(sorted(models.items())),
        absent,
        repr(sorted(checked_responses)),
    )
    return _digest(made)


def _digest(parts: tuple[str, ...]) -> str:
    text = "\x00".join(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _contents(op: Operation) -> list[Content]:
    found = [c for r in op.responses for c in r.contents]
    return [*found, *op.body.contents] if op.body is not None else found


def _headers(op: Operation) -> list[ResponseHeader]:
    return [h for r in op.responses for h in r.headers]


def build_view(
    api: Api,
    fixed: Fixed,
    models: Mapping[str, PyClass],
    enums: Mapping[str, Mapping[object, str]] | None = None,
    log: dict[Role, set[str]] | None = None,
    absent: str = "none",
    *,
    keyed: bool = True,
) -> PythonView:
    """The Python view of `api`; `enums` are the members of models.py's enum classes (class ->
    value -> member); `log`, when given, collects the names claimed per role; `absent` is how
    models.py reads absent properties; without `keyed`, operations' views get no `key`."""
    enums = {} if enums is None else enums
    return _Builder(api, fixed, models, enums, log, absent, keyed).build()
