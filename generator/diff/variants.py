"""The branches of `oneOf`/`anyOf`: listing them, and pairing old branches with new ones.

Pairing tries, in order: the same component name, the same `title`, the same shape, the same
tag (a property fixed to one value, like `type: {enum: [prompt]}`), and finally the most
similar property names. Branches that are all enums of one scalar type collapse into a single
enum first, so splitting `enum: [a, b]` into two one-value branches changes nothing, and
null-like branches only make the whole schema nullable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diff.document import Document, Flat
from generator.diff.rules_schema import types_of

# Keywords that describe a value rather than constrain it: left out of a schema that stands in
# as the single branch of a oneOf/anyOf on the other side.
ANNOTATIONS = frozenset(
    "title description nullable deprecated readOnly writeOnly example examples default "
    "externalDocs xml discriminator".split()
)
_ENUM_ONLY = frozenset({"type", "enum", "title", "description"})
_MIN_SIMILARITY = 0.5


@dataclass
class Branch:
    node: Any  # the branch as written (maybe a $ref); for a stand-in, the stand-in's keywords
    pointer: str
    flat: Flat | None = None  # set for a schema standing in as the single branch


def branches_of(flat: Flat) -> list[Branch] | None:
    for key in ("oneOf", "anyOf"):
        branches = flat.keywords.get(key)
        if isinstance(branches, list):
            return [Branch(b, f"{flat.pointer}/{key}/{i}") for i, b in enumerate(branches)]
    return None


def stand_in(flat: Flat) -> Branch:
    """A schema without combinators as the one branch of the other side's oneOf/anyOf."""
    keywords = {k: v for k, v in flat.keywords.items() if k not in ANNOTATIONS}
    inner = Flat(keywords, flat.pointer, dict(flat.properties), set(flat.required))
    return Branch(keywords, flat.pointer, inner)


def null_like(doc: Document, branch: Branch) -> bool:
    """`{type: object, nullable: true, additionalProperties: false}` with no properties: how
    some generators (zod-to-openapi's `nullish`) spell a null branch."""
    node = _resolved(doc, branch)
    return (
        node.get("nullable") is True
        and node.get("type") == "object"
        and node.get("additionalProperties") is False
        and not node.get("properties")
    )


def lifted(doc: Document, flat: Flat, branches: list[Branch]) -> Flat:
    """`flat` with the default and nullability of its branches, for comparing with a schema
    that has no branches (where they sit on the schema itself)."""
    keywords = dict(flat.keywords)
    resolved = [_resolved(doc, b) for b in branches]
    defaults = [r["default"] for r in resolved if "default" in r]
    if "default" not in keywords and len(defaults) == 1:
        keywords["default"] = defaults[0]
    if any(r.get("nullable") is True for r in resolved):
        keywords["nullable"] = True
    return Flat(keywords, flat.pointer, flat.properties, flat.required)


def without_annotations(flat: Flat) -> Flat:
    keywords = {k: v for k, v in flat.keywords.items() if k not in ("default", "nullable")}
    return Flat(keywords, flat.pointer, flat.properties, flat.required)


def collapse_enums(doc: Document, branches: list[Branch], pointer: str) -> list[Branch]:
    """`anyOf: [{type: string, enum: [a]}, {type: string, enum: [b]}]` -> one `enum: [a, b]`."""
    if len(branches) < 2:
        return branches
    resolved = [_resolved(doc, b) for b in branches]
    kinds = {r.get("type") for r in resolved}
    if len(kinds) != 1 or not all(
        isinstance(r.get("enum"), list) and r.keys() <= _ENUM_ONLY for r in resolved
    ):
        return branches
    values: list[Any] = []
    for r in resolved:
        values += [v for v in r["enum"] if v not in values]
    keywords = {"type": kinds.pop(), "enum": values}
    return [Branch(keywords, pointer, Flat(keywords, pointer))]


def _resolved(doc: Document, branch: Branch) -> Mapping[str, Any]:
    if branch.flat is not None:
        return branch.node if isinstance(branch.node, Mapping) else {}
    node = doc.resolve(branch.node, branch.pointer)[0]
    return node if isinstance(node, Mapping) else {}


def _name(doc: Document, branch: Branch) -> str:
    return "" if branch.flat is not None else doc.resolve(branch.node, branch.pointer)[2]


def _title(doc: Document, branch: Branch) -> str:
    title = _resolved(doc, branch).get("title")
    return title if isinstance(title, str) else ""


def _shape(doc: Document, branch: Branch) -> str:
    shape = {k: v for k, v in _resolved(doc, branch).items() if k not in ANNOTATIONS}
    return json.dumps(shape, sort_keys=True, default=str)


def _properties(doc: Document, branch: Branch) -> Mapping[str, Any]:
    if branch.flat is not None:
        return {name: schema for name, (schema, _) in branch.flat.properties.items()}
    node = _resolved(doc, branch)
    return {k: s for k, (s, _) in doc.flatten(node, branch.pointer).properties.items()}


def _tag(doc: Document, branch: Branch) -> str:
    """Properties fixed to one value, e.g. `type: {enum: [prompt]}` -> 'type=prompt'."""
    tags = []
    for name, schema in sorted(_properties(doc, branch).items()):
        resolved = doc.resolve(schema, "")[0]
        if isinstance(resolved, Mapping):
            enum = resolved.get("enum")
            if "const" in resolved:
                tags.append(f"{name}={json.dumps(resolved['const'])}")
            elif isinstance(enum, list) and len(enum) == 1:
                tags.append(f"{name}={json.dumps(enum[0])}")
    return ",".join(tags)


Key = Callable[[Document, Branch], str]
Pairs = list[tuple[Branch, Branch]]


def match(
    old_doc: Document, new_doc: Document, old: list[Branch], new: list[Branch]
) -> tuple[Pairs, list[Branch], list[Branch]]:
    """Pair old branches with new ones; return the pairs and what is left on each side."""
    pairs: Pairs = []
    old_left, new_left = list(old), list(new)
    keys: tuple[Key, ...] = (_name, _title, _shape, _tag)
    for key in keys:
        old_keys = [key(old_doc, b) for b in old_left]
        new_keys = [key(new_doc, b) for b in new_left]
        for i in reversed(range(len(old_left))):
            k = old_keys[i]
            if k and new_keys.count(k) == 1 and old_keys.count(k) == 1:
                j = new_keys.index(k)
                pairs.append((old_left.pop(i), new_left.pop(j)))
                new_keys.pop(j)
    scored = sorted(
        (
            (-_similarity(old_doc, new_doc, o, n), abs(i - j), i, j)
            for i, o in enumerate(old_left)
            for j, n in enumerate(new_left)
        ),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, _, i, j in scored:
        if -score < _MIN_SIMILARITY or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((old_left[i], new_left[j]))
    old_rest = [b for i, b in enumerate(old_left) if i not in used_old]
    new_rest = [b for j, b in enumerate(new_left) if j not in used_new]
    return pairs, old_rest, new_rest


def similar(old_doc: Document, new_doc: Document, old: Branch, new: Branch) -> bool:
    return _similarity(old_doc, new_doc, old, new) >= _MIN_SIMILARITY


def _similarity(old_doc: Document, new_doc: Document, old: Branch, new: Branch) -> float:
    old_types = types_of(_resolved(old_doc, old))
    new_types = types_of(_resolved(new_doc, new))
    if old_types and new_types and not (old_types & new_types):
        numeric = {"integer", "number"}
        if not (old_types | new_types) <= numeric:
            return 0.0
    old_props, new_props = set(_properties(old_doc, old)), set(_properties(new_doc, new))
    if not old_props or not new_props:
        return 0.5 if old_props == new_props else 0.0
    common = len(old_props & new_props)
    # Containment first (a branch that gained properties is still the same branch), then
    # overall likeness to break ties.
    return (
        common / min(len(old_props), len(new_props)) * 0.9
        + common / len(old_props | new_props) * 0.1
    )


def same(old_doc: Document, new_doc: Document, old: Branch, new: Branch) -> bool:
    """The same component, or the same shape."""
    name = _name(old_doc, old)
    return bool(name and name == _name(new_doc, new)) or _shape(old_doc, old) == _shape(
        new_doc, new
    )


def describe(doc: Document, branch: Branch) -> str:
    if branch.flat is not None:
        types = types_of(branch.flat.keywords)
        return (
            f"`{'|'.join(sorted(types)) if types else 'any'}` (the schema before it had variants)"
        )
    name, title = _name(doc, branch), _title(doc, branch)
    if name or title:
        return f"`{name or title}`"
    types = types_of(_resolved(doc, branch))
    shown = f"`{'|'.join(sorted(types))}`" if types else "schema"
    return f"{shown} #{branch.pointer.rsplit('/', 1)[-1]}"
