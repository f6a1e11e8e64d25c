"""The emit-safety pass: spec text generated code cannot carry, found in the IR before
anything is rendered or written, all of it at once.

Names are not checked here: the view layers give every spec name an identifier that is valid,
unique in its scope and clear of the names the templates bind (`generator.render.python.views`,
`generator.render.typescript.context`). What no renaming can fix is reported:

  SG512 error  a lone surrogate anywhere (not encodable as UTF-8), or a control or line-break
               character in a name that travels on the wire (path, parameter, header, media
               type, security parameter, server URL)
  SG513 error  a name whose identifier would be longer than MAX_IDENTIFIER characters
  SG514 error  a number JSON cannot hold (NaN, Infinity): the package's JSON files carry it
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from generator.diagnostics import Diagnostic, SpecError, error
from generator.ir.model import Api
from generator.ir.names import pascal_case, snake_case
from generator.load.spec import Spec
from generator.pointers import join_pointer
from generator.validate.tree import Link, link_pointer

MAX_IDENTIFIER: Final = 255

# Characters no wire name may hold: C0/C1 controls, DEL, line and paragraph separators.
_WIRE_FORBIDDEN: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def shown(text: str, limit: int = 60) -> str:
    """Spec text for a message: clipped, with control characters escaped."""
    clipped = text if len(text) <= limit else text[: limit - 3] + "..."
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in clipped)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


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

    def length(
        self, raw: str, what: str, pointer: str, shown_as: str | None = None, after: str = ""
    ) -> None:
        """A spec name whose identifier (the longest of its spellings) is too long. The
        message names it as what `shown_as` (the name itself by default) is, then `after`:
        spelled only for a report."""
        name = max(pascal_case(raw), snake_case(raw), key=len)
        if len(name) > MAX_IDENTIFIER:
            origin = f"{what} `{shown(raw if shown_as is None else shown_as)}`{after}"
            message = f"{origin} makes a {len(name)}-character identifier `{shown(name)}`"
            hint = f"shorten it: generated identifiers are at most {MAX_IDENTIFIER} characters"
            self.report("SG513", pointer, message, hint, key="long")  # once per spec node

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
    _lengths(check, api)
    _wire_names(check, api)
    _values(check, spec.document)
    return sorted(check.found, key=lambda d: d.sort_key)


def require_emit_safety(api: Api, spec: Spec) -> None:
    """Raise SpecError with every emit-safety problem of `api`, if there is one."""
    found = check_emit_safety(api, spec)
    if found:
        raise SpecError(found)


def _lengths(check: _Pass, api: Api) -> None:
    for schema in api.schemas:
        check.length(schema.name, "schema", schema.pointer, shown_as=schema.pointer)
    for op in api.operations:
        check.length(op.operation_id, "operation", op.pointer)
        for param in op.parameters:
            after = f" ({param.location})"
            check.length(param.name, "parameter", param.pointer, after=after)
        for response in op.responses:
            for header in response.headers:
                check.length(header.name, "header", header.pointer)
    for scheme in api.security_schemes:
        check.length(scheme.key, "security scheme", scheme.pointer)
    for group in api.groups:
        check.length(group.tag, "tag", group.pointer)


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
    # Every scalar of the document, keys included. A node's pointer is spelled out only for
    # a report: the walk keeps (parent link, token) pairs.
    stack: list[tuple[Any, Link]] = [(document, None)]
    while stack:
        node, link = stack.pop()
        items: Iterable[tuple[Any, Any]]
        if isinstance(node, dict):
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            _value(check, node, link)
            continue
        for key, value in items:
            child = (link, key)
            if isinstance(key, str) and not key.isascii():
                _value(check, key, child)
            stack.append((value, child))


def _value(check: _Pass, value: Any, link: Link) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        message = f"{value} is not a JSON number"
        hint = "JSON (and so openapi.json) has no NaN or Infinity: use a finite number"
        check.report("SG514", link_pointer(link), message, hint)
    # A lone surrogate is never ASCII.
    if not isinstance(value, str) or value.isascii():
        return
    bad = _SURROGATE.search(value)
    if bad is not None:
        message = (
            f"the text `{shown(value)}` holds a lone surrogate (U+{ord(bad.group()):04X}), "
            "which no UTF-8 file can hold"
        )
        hint = "write the character itself (or its surrogate pair) instead"
        check.report("SG512", link_pointer(link), message, hint)
