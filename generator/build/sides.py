"""readOnly and writeOnly: the request side and the response side of the schemas.

A readOnly property is the server's to set: requests never carry it (nor require it). A
writeOnly property (a password) is the client's to send: responses never carry it. Where a
schema's closure (its properties, items, members and the schemas they refer to, at any depth)
holds neither, both sides are the schema itself and it stays one type. Where it does, the
component keeps its key for the response (read) side and gets a second key, `<key>Input`, for
the request (write) side, and request bodies refer to write sides. `SchemaTable` names that
key (`<Name>Input`, numbered if the spec has the name); the key is only the document's.

`split_sides` produces the document twice: for the models, hidden properties are left out;
for the servers' JSON Schema checks they are forbidden (`{"not": {}}`), as schemathesis reads
them, so a request carrying a readOnly property and a response carrying a writeOnly one fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from generator.ir.model import Side
from generator.load.tree import deep_copy
from generator.pointers import SCHEMAS_PREFIX, component_schema, deref, join_pointer, resolve_ref
from generator.validate.schemas import HTTP_METHODS, child_schemas

FORBIDDEN: Final[dict[str, Any]] = {"not": {}}
WRITE_SUFFIX: Final = "Input"


def marked(schema: Any, document: Any, keyword: str) -> bool:
    """Whether `keyword` (readOnly, writeOnly) applies to a property's schema: on it, behind
    its `$ref`, in an allOf part, or on the only member of a oneOf/anyOf."""
    pending, seen = [schema], set()
    while pending:
        node = pending.pop()
        if not isinstance(node, Mapping) or id(node) in seen:
            continue
        seen.add(id(node))
        if node.get(keyword) is True:
            return True
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            pending.append(resolve_ref(document, ref))
        parts = node.get("allOf")
        if isinstance(parts, list):
            pending.extend(parts)
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if isinstance(members, list) and len(members) == 1:
                pending.append(members[0])
    return False


def _nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema node inside `schema` (itself included), not following `$ref`s; a node's
    children are read after the caller has seen it (so it may drop some first)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(child_schemas(node)))


def _hidden_properties(node: Mapping[str, Any], document: Any, keyword: str) -> set[str]:
    properties = node.get("properties")
    if not isinstance(properties, Mapping):
        return set()
    return {name for name, value in properties.items() if marked(value, document, keyword)}


def _refs(schema: Any) -> Iterator[str]:
    for node in _nodes(schema):
        key = component_schema(node["$ref"]) if isinstance(node.get("$ref"), str) else None
        if key is not None:
            yield key


def _copy_unless_marked(document: Mapping[str, Any]) -> dict[str, Any] | None:
    """`deep_copy(dict(document))`, or None when an object of the document says `readOnly:
    true` or `writeOnly: true`. If none does, `marked` is False everywhere and both sides
    are the document itself: one pass checks and copies (most specs have neither)."""
    root: dict[str, Any] = {}
    stack: list[tuple[Any, Any]] = [(document, root)]
    mapping: dict[str, Any]
    items: list[Any]
    while stack:
        source, copy = stack.pop()
        if isinstance(source, Mapping):
            if source.get("readOnly") is True or source.get("writeOnly") is True:
                return None
            members: Any = source.items()
        else:
            members = enumerate(source)
        dict_copy = isinstance(copy, dict)
        for key, value in members:
            if isinstance(value, dict):
                mapping = {}
                stack.append((value, mapping))
                value = mapping
            elif isinstance(value, list):
                items = []
                stack.append((value, items))
                value = items
            if dict_copy:
                copy[key] = value
            else:
                copy.append(value)
    return root


def _closures(document: Any, components: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The components whose closure has a readOnly property, and a writeOnly one: one walk of
    each component finds both, and the components it refers to."""
    found: dict[str, set[str]] = {"readOnly": set(), "writeOnly": set()}
    refs: dict[str, set[str]] = {}
    for key, schema in components.items():
        targets = refs[key] = set()
        for node in _nodes(schema):
            ref = node.get("$ref")
            target = component_schema(ref) if isinstance(ref, str) else None
            if target is not None:
                targets.add(target)
            for keyword, marked_keys in found.items():
                if key not in marked_keys and _hidden_properties(node, document, keyword):
                    marked_keys.add(key)
    for marked_keys in found.values():
        grew = True
        while grew:
            grew = False
            for key, targets in refs.items():
                if key not in marked_keys and targets & marked_keys:
                    marked_keys.add(key)
                    grew = True
    return found["readOnly"], found["writeOnly"]


@dataclass(frozen=True)
class Sides:
    models: dict[str, Any]  # the document the models are built from: hidden properties left out
    # The same with them forbidden: the servers' JSON Schema checks (`models` itself when
    # the document has no readOnly or writeOnly property).
    checks: dict[str, Any]
    write_keys: Mapping[str, str]  # write-side component key -> the component it is a side of
    # Media types (pointers) of responses whose schema hides a writeOnly property somewhere.
    checked_responses: frozenset[str]


class _Splitter:
    def __init__(
        self, document: Mapping[str, Any], closures: tuple[set[str], set[str]], forbid: bool
    ) -> None:
        self.source = document
        self.document: dict[str, Any] = deep_copy(dict(document))
        self.components: dict[str, Any] = (self.document.get("components") or {}).get(
            "schemas"
        ) or {}
        self.read_only, self.write_only = closures
        self.sided = self.read_only | self.write_only
        self.forbid = forbid
        self.write_keys: dict[str, str] = {}  # component key -> its write-side key
        self.checked: set[str] = set()

    def write_key(self, key: str) -> str:
        """The write side's key of a component (made, with its own write sides, on first use)."""
        if key in self.write_keys:
            return self.write_keys[key]
        candidate, n = f"{key}{WRITE_SUFFIX}", 2
        while candidate in self.components or candidate in self.write_keys.values():
            candidate, n = f"{key}{WRITE_SUFFIX}{n}", n + 1
        self.write_keys[key] = candidate
        copy = deep_copy(self.source["components"]["schemas"][key])
        self.components[candidate] = self.side(copy, Side.WRITE)
        return candidate

    def side(self, schema: Any, side: Side) -> Any:
        """`schema` (a copy, changed in place) as `side` sees it."""
        for node in _nodes(schema):
            self._hide(node, _hidden_properties(node, self.source, side.hidden))
            # A merge may require, in itself or any part, a property another part declares.
            parts = [p for p in node.get("allOf") or () if isinstance(p, dict)]
            merged: set[str] = set()
            for part in parts:
                target, _ = deref(self.source, part)
                if isinstance(target, Mapping):
                    merged |= _hidden_properties(target, self.source, side.hidden)
            for part in [node, *(p for p in parts if "$ref" not in p)]:
                self._unrequire(part, merged)
            if side is Side.WRITE:
                self._write_refs(node)
        return schema

    def _write_refs(self, node: dict[str, Any]) -> None:
        """Refs to two-sided components, and discriminator mappings to them, to write sides."""
        ref = node.get("$ref")
        key = component_schema(ref) if isinstance(ref, str) else None
        if key in self.sided:
            node["$ref"] = SCHEMAS_PREFIX + self.write_key(key)
        discriminator = node.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if isinstance(mapping, dict):
            for value, target in mapping.items():
                key = component_schema(target) if isinstance(target, str) else None
                if key in self.sided:
                    mapping[value] = SCHEMAS_PREFIX + self.write_key(key)

    def _hide(self, node: dict[str, Any], hidden: set[str]) -> None:
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name in hidden & properties.keys():
                if self.forbid:
                    properties[name] = dict(FORBIDDEN)
                else:
                    del properties[name]
        self._unrequire(node, hidden)

    @staticmethod
    def _unrequire(node: Any, hidden: set[str]) -> None:
        required = node.get("required") if isinstance(node, dict) and hidden else None
        if isinstance(required, list):
            kept = [name for name in required if name not in hidden]
            if kept:
                node["required"] = kept
            else:
                del node["required"]

    def split(self) -> None:
        for key in list(self.components):
            if key in self.sided:
                self.side(self.components[key], Side.READ)
        for path, item in (self.document.get("paths") or {}).items():
            item, item_pointer = deref(self.document, item, join_pointer("/paths", path))
            for method in HTTP_METHODS:
                op = item.get(method) if isinstance(item, Mapping) else None
                if isinstance(op, Mapping):
                    self._operation(op, join_pointer(item_pointer, method))

    def _operation(self, op: Mapping[str, Any], pointer: str) -> None:
        body, body_pointer = deref(self.document, op.get("requestBody"), pointer + "/requestBody")
        for content, _ in self._media(body, body_pointer):
            content["schema"] = self.side(content["schema"], Side.WRITE)
        for status, raw in (op.get("responses") or {}).items():
            response, ptr = deref(self.document, raw, join_pointer(pointer, "responses", status))
            for content, content_pointer in self._media(response, ptr):
                if self._reaches_write_only(content["schema"]):
                    self.checked.add(content_pointer)
                self.side(content["schema"], Side.READ)

    def _reaches_write_only(self, schema: Any) -> bool:
        if any(key in self.write_only for key in _refs(schema)):
            return True
        return any(_hidden_properties(n, self.source, "writeOnly") for n in _nodes(schema))

    @staticmethod
    def _media(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
        content = node.get("content") if isinstance(node, Mapping) else None
        if not isinstance(content, Mapping):
            return
        for media_type, media in content.items():
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                yield media, join_pointer(pointer, "content", media_type)


def split_sides(document: Mapping[str, Any]) -> Sides:
    """The document with request bodies on the write side and response bodies on the read
    side (see the module's docstring); unchanged where nothing is readOnly or writeOnly."""
    copy = _copy_unless_marked(document)
    if copy is not None:
        # Nothing to split (most specs): the walks below would change nothing, and the two
        # sides are one copy (build reads both and changes neither; a caller that changes
        # `checks`, as the proxy does, uses no `models`).
        return Sides(copy, copy, {}, frozenset())
    source_components = (document.get("components") or {}).get("schemas") or {}
    closures = _closures(document, source_components)
    models = _Splitter(document, closures, forbid=False)
    checks = _Splitter(document, closures, forbid=True)
    models.split()
    checks.split()
    return Sides(
        models=models.document,
        checks=checks.document,
        write_keys={write: key for key, write in models.write_keys.items()},
        checked_responses=frozenset(models.checked),
    )
