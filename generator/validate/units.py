"""The parts of a document openapi-spec-validator checks apart: each path item and each named
component that `$ref`s reach (a schema, a parameter, a response...). It checks a part by what
the part holds and what it refers to, transitively; what else it checks (the root, security
schemes, tags) is the part's surroundings. Its findings across parts (a duplicate operationId)
the lint pass reports itself. So a part found clean stays clean while it, what it refers to
and its surroundings are unchanged (validate/reuse.py), and a document holding only the
changed parts and what they refer to is found what the whole document would be found, for
those parts.

A part is named by its pointer (`/paths/~1pets`, `/components/schemas/Pet`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

from generator.cache.memo import memo_key
from generator.pointers import join_pointer, ref_tokens

REFERRED: Final = frozenset(
    "schemas responses parameters examples requestBodies headers links callbacks pathItems".split()
)
# Where `hide_referred` puts the parts that are in a checked document only to be referred to:
# an extension at the root, which the validator checks nothing of and reaches only through
# the `$ref`s that point there.
REFERRED_AREA: Final = "x-specgen-referred"
_COMPONENTS_REF: Final = "#/components/"


class Parts:
    """The parts of `document`, with the digest of each (with the digests of the parts it
    refers to), and the parts its surroundings refer to."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.surroundings = _surroundings(document)
        self._graph = _Graph(document)
        self._around = self._graph.parts_in(self.surroundings)
        self.digests = {
            name: memo_key([self._graph.digest(r) for r in sorted(self._graph.closure({name}))])
            for name in self._graph.nodes
        }
        # A `$ref` into `paths` (from a part or the surroundings): no path item stands alone.
        self.separable = not self._graph.into_paths

    def needed(self, changed: Collection[str]) -> set[str]:
        """The `changed` parts and every part they or the surroundings (webhooks...) refer
        to, transitively."""
        return self._graph.closure([*changed, *self._around])


def _surroundings(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its parts."""
    rest = {key: value for key, value in document.items() if key != "paths"}
    components = rest.get("components")
    if isinstance(components, dict):
        rest["components"] = {k: v for k, v in components.items() if k not in REFERRED}
    return rest


def keep_only(document: dict[str, Any], kept: Collection[str]) -> dict[str, Any]:
    """`document` with only the parts in `kept` (the containers copied, the parts shared)."""
    wanted = set(kept)
    out = dict(document)
    paths = document.get("paths")
    if isinstance(paths, dict):
        out["paths"] = {k: v for k, v in paths.items() if join_pointer("/paths", k) in wanted}
    components = document.get("components")
    if isinstance(components, dict):
        out["components"] = {
            section: (
                {k: v for k, v in entries.items() if _name(section, k) in wanted}
                if section in REFERRED and isinstance(entries, dict)
                else entries
            )
            for section, entries in components.items()
        }
    return out


def hide_referred(document: dict[str, Any], referred: Collection[str]) -> bool:
    """Move the named components `referred` of `document` (parts found clean before, there
    only because changed parts refer to them) to REFERRED_AREA, and point every `$ref` into
    them there: openapi-spec-validator then checks them only as far as the references of
    the changed parts lead, not each again as a component. False, with `document` as it
    was, when a `$ref` into the components is percent-encoded (the validator decodes it,
    so it might lead into a moved part by another spelling)."""
    wanted = set(referred)
    components = document.get("components")
    if not wanted or not isinstance(components, dict):
        return False
    pointing: list[dict[str, Any]] = []  # the nodes whose `$ref` points into a moved part
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_COMPONENTS_REF):
                if "%" in ref:
                    return False
                if ref_part(ref) in wanted:
                    pointing.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    for node in pointing:
        node["$ref"] = f"#/{REFERRED_AREA}/{node['$ref'][len(_COMPONENTS_REF) :]}"
    area: dict[str, dict[str, Any]] = {}
    for section, entries in components.items():
        if section in REFERRED and isinstance(entries, dict):
            for key in [k for k in entries if _name(section, k) in wanted]:
                area.setdefault(section, {})[key] = entries.pop(key)
    document[REFERRED_AREA] = area
    return True


def ref_part(ref: str) -> str | None:
    """The named component a `$ref` points into (None: elsewhere)."""
    return _component(ref_tokens(ref))


def _component(tokens: list[str] | None) -> str | None:
    if tokens is not None and len(tokens) >= 3 and tokens[0] == "components":
        return _name(tokens[1], tokens[2]) if tokens[1] in REFERRED else None
    return None


def _name(section: str, key: str) -> str:
    return join_pointer("/components", section, key)


class _Graph:
    """The parts of a document and the parts each refers to."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.nodes: dict[str, Any] = {}
        paths = document.get("paths")
        if isinstance(paths, dict):
            self.nodes.update({join_pointer("/paths", k): v for k, v in paths.items()})
        components = document.get("components")
        if isinstance(components, dict):
            for section, entries in components.items():
                if section in REFERRED and isinstance(entries, dict):
                    self.nodes.update({_name(section, k): v for k, v in entries.items()})
        self.into_paths = False
        self._refs: dict[str, set[str]] = {}
        self._digests: dict[str, str] = {}

    def refers_to(self, name: str) -> set[str]:
        if name not in self._refs:
            self._refs[name] = self.parts_in(self.nodes[name])
        return self._refs[name]

    def parts_in(self, tree: Any) -> set[str]:
        """The parts the `$ref`s in `tree` point into."""
        found: set[str] = set()
        stack = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    target = self._part(ref)
                    if target is not None:
                        found.add(target)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return found

    def _part(self, ref: str) -> str | None:
        """The part a `$ref` points into (None: the surroundings, or nothing)."""
        tokens = ref_tokens(ref)
        if tokens and tokens[0] == "paths":
            self.into_paths = True
            return None
        name = _component(tokens)
        return name if name in self.nodes else None

    def closure(self, names: Collection[str]) -> set[str]:
        seen: set[str] = set()
        todo = [name for name in names if name in self.nodes]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self.refers_to(name))
        return seen

    def digest(self, name: str) -> str:
        if name not in self._digests:
            self._digests[name] = memo_key(name, self.nodes[name])
        return self._digests[name]
