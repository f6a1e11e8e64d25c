"""The emit-safety pass: everything that would make generated source wrong, found in the IR
before anything is rendered or written, all of it at once.

Identifier types make each name a valid, non-keyword Python identifier on its own. What they
cannot see is the company a name keeps, so this pass checks each scope the default templates
create, with the names those templates bind there themselves:

  SG510 error  two spec names that become one identifier in one scope (module, class, arguments)
  SG511 error  a spec name that takes a name the generated code binds itself (it would shadow it)
  SG512 error  spec text generated code cannot carry: a lone surrogate anywhere (not encodable
               as UTF-8), or a control or line-break character in a name that travels on the
               wire (path, parameter, header, media type, security parameter, server URL)
  SG513 error  an identifier longer than MAX_IDENTIFIER characters
  SG514 error  a number JSON cannot hold (NaN, Infinity): the package's JSON files carry it

The builder already steers names away from these traps (reserved names get a suffix, equal
names a number); a finding here means a spec beat it, and nothing is written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from generator.diagnostics import Diagnostic, SpecError, error
from generator.ir.model import Api, Operation
from generator.ir.names import RESERVED_ARGUMENT_NAMES, RESERVED_METHOD_NAMES
from generator.load.spec import Spec
from generator.pointers import join_pointer

MAX_IDENTIFIER: Final = 255

# Module-level names the default templates bind (imports, helpers, fixed classes).
_HANDLERS_MODULE: Final = frozenset(
    {"NotImplementedOperation", "Auth", "RequestError", "ResponseVariant", "Handlers"}
    | {"Mapping", "dataclass", "field", "Any", "ClassVar", "TypeAlias", "models", "annotations"}
    | {"UUID", "datetime", "date", "time", "timedelta"}
)
_CLIENT_MODULE: Final = frozenset(
    {"Client", "AsyncClient", "ApiError", "ResponseParseError", "RetryPolicy", "UnexpectedStatus"}
    | {"DEFAULT_BASE_URL", "Mapping", "TracebackType", "Any", "cast", "httpx", "rt", "models"}
    | {"UUID", "datetime", "date", "time", "timedelta", "annotations"}
)
# Arguments of Client.__init__ / AsyncClient.__init__ besides credentials.
_CLIENT_INIT_ARGS: Final = frozenset(
    {"self", "base_url", "timeout", "retry", "headers", "transport"}
)
# Characters no wire name may hold: C0/C1 controls, DEL, line and paragraph separators.
_WIRE_FORBIDDEN: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_HINT_COLLIDE: Final = "rename one of them in the spec"
_HINT_RESERVED: Final = "rename it in the spec, or report it: specgen should have renamed it"


def shown(text: str, limit: int = 60) -> str:
    """Spec text for a message: clipped, with control characters escaped."""
    clipped = text if len(text) <= limit else text[: limit - 3] + "..."
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in clipped)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


@dataclass
class _Scope:
    """Names bound in one scope of generated code, and where each came from."""

    what: str  # "handlers.py", "class Client", "arguments of get_pet", ...
    fixed: frozenset[str] = frozenset()
    owners: dict[str, str] = field(default_factory=dict)  # name -> description of its origin


@dataclass
class _Pass:
    spec: Spec
    found: list[Diagnostic] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def report(self, code: str, pointer: str, message: str, hint: str, key: str = "") -> None:
        """Once per code, pointer and `key` (the message by default)."""
        if (code, pointer, key or message) not in self._seen:
            self._seen.add((code, pointer, key or message))
            self.found.append(error(code, message, hint, self.spec.locate(pointer)))

    def bind(self, scope: _Scope, name: str, origin: str, pointer: str) -> None:
        if len(name) > MAX_IDENTIFIER:
            message = f"{origin} makes a {len(name)}-character identifier `{shown(name)}`"
            hint = f"shorten it: generated identifiers are at most {MAX_IDENTIFIER} characters"
            self.report("SG513", pointer, message, hint, key="long")  # once per spec node
        if name in scope.fixed:
            message = f"{origin} becomes `{shown(name)}`, a name {scope.what} already defines"
            self.report("SG511", pointer, message, _HINT_RESERVED)
        elif name in scope.owners:
            message = (
                f"{origin} and {scope.owners[name]} both become `{shown(name)}` in {scope.what}"
            )
            self.report("SG510", pointer, message, _HINT_COLLIDE)
        else:
            scope.owners[name] = origin

    def wire(self, text: str, what: str, pointer: str) -> None:
        bad = _WIRE_FORBIDDEN.search(text) or _SURROGATE.search(text)
        if bad is not None:
            message = (
                f"{what} `{shown(text)}` holds the character U+{ord(bad.group()):04X}, which "
                "cannot travel in an HTTP request"
            )
            self.report("SG512", pointer, message, "remove the character from the name")


def check_emit_safety(api: Api, spec: Spec) -> list[Diagnostic]:
    """Every emit-safety problem of `api` (built from `spec`), sorted; empty when it is safe."""
    check = _Pass(spec)
    _module_names(check, api)
    for op in api.operations:
        _operation(check, op)
    _client_init(check, api)
    _wire_names(check, api)
    _values(check, spec.document)
    return sorted(check.found, key=lambda d: d.sort_key)


def require_emit_safety(api: Api, spec: Spec) -> None:
    """Raise SpecError with every emit-safety problem of `api`, if there is one."""
    found = check_emit_safety(api, spec)
    if found:
        raise SpecError(found)


def _module_names(check: _Pass, api: Api) -> None:
    handlers = _Scope("handlers.py", _HANDLERS_MODULE)
    client = _Scope("client.py", _CLIENT_MODULE)
    methods = _Scope("the Handlers and Client classes", RESERVED_METHOD_NAMES)
    models = _Scope("models.py")
    for schema in api.schemas:
        origin = "a schema" if schema.hoisted else f"schema `{shown(schema.pointer)}`"
        check.bind(models, schema.name, origin, schema.pointer)
    for op in api.operations:
        label = f"operation `{shown(op.operation_id)}`"
        check.bind(methods, op.py_name, label, op.pointer)
        check.bind(client, f"_{op.const_name}", label, op.pointer)
        check.bind(handlers, f"{op.class_name}Request", label, op.pointer)
        check.bind(handlers, f"{op.class_name}Response", label, op.pointer)
        for response in op.responses:
            where = f"response {shown(response.status)} of {label}"
            if response.headers:
                check.bind(handlers, f"{response.class_prefix}Headers", where, response.pointer)
            for name, _ in response.variants:
                check.bind(handlers, name, where, response.pointer)
            if response.is_error:
                check.bind(client, f"{response.class_prefix}Error", where, response.pointer)


def _operation(check: _Pass, op: Operation) -> None:
    arguments = _Scope(f"the arguments of `{op.py_name}`", RESERVED_ARGUMENT_NAMES)
    for param in op.parameters:
        label = f"parameter `{shown(param.name)}` ({param.location})"
        check.bind(arguments, param.py_name, label, param.pointer)
    for response in op.responses:
        attributes = _Scope(f"the headers of response {shown(response.status)}")
        for header in response.headers:
            label = f"header `{shown(header.name)}`"
            check.bind(attributes, header.py_name, label, header.pointer)


def _client_init(check: _Pass, api: Api) -> None:
    fixed = set(_CLIENT_INIT_ARGS)
    fixed |= {"token"} if any(s.is_bearer for s in api.security_schemes) else set()
    fixed |= {"basic_auth"} if any(s.is_basic for s in api.security_schemes) else set()
    scope = _Scope("the arguments of Client()", frozenset(fixed))
    for scheme in api.security_schemes:
        if scheme.is_api_key:
            label = f"security scheme `{shown(scheme.key)}`"
            check.bind(scope, scheme.py_name, label, scheme.pointer)


def _wire_names(check: _Pass, api: Api) -> None:
    for op in api.operations:
        check.wire(op.path, "the path", op.pointer.rsplit("/", 1)[0])
        for param in op.parameters:
            check.wire(param.name, f"{param.location} parameter", param.pointer)
        contents = [c for r in op.responses for c in r.contents]
        if op.body is not None:
            contents.append(op.body.content)
            for other in op.body.other_media_types:
                check.wire(other, "the media type", op.body.pointer)
        for content in contents:
            check.wire(content.media_type, "the media type", content.pointer)
        for response in op.responses:
            for header in response.headers:
                check.wire(header.name, "the response header", header.pointer)
    for scheme in api.security_schemes:
        if scheme.location is not None:
            what = f"the {scheme.location.value} name of a security scheme"
            check.wire(scheme.param_name, what, scheme.pointer)
    for index, server in enumerate(api.servers):
        check.wire(server.url, "the server URL", join_pointer("/servers", index, "url"))


def _values(check: _Pass, document: Any) -> None:
    for pointer, value in _scalars(document):
        if isinstance(value, float) and not math.isfinite(value):
            message = f"{value} is not a JSON number"
            hint = "JSON (and so openapi.json) has no NaN or Infinity: use a finite number"
            check.report("SG514", pointer, message, hint)
        if not isinstance(value, str):
            continue
        bad = _SURROGATE.search(value)
        if bad is not None:
            message = (
                f"the text `{shown(value)}` holds a lone surrogate (U+{ord(bad.group()):04X}), "
                "which no UTF-8 file can hold"
            )
            hint = "write the character itself (or its surrogate pair) instead"
            check.report("SG512", pointer, message, hint)


def _scalars(document: Any) -> Iterator[tuple[str, Any]]:
    """Every scalar of the document, keys included, with the pointer of its node."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        pointer, node = stack.pop()
        items: Iterable[tuple[Any, Any]]
        if isinstance(node, dict):
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            yield pointer, node
            continue
        for key, value in items:
            child = join_pointer(pointer, key)
            if isinstance(key, str):
                yield child, key
            stack.append((child, value))
