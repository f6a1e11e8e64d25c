"""Path keys that carry a query string or a fragment, read as their authors mean them.

Published specs write query parameters into path keys (11 of the 2,639 in APIs.guru's
directory: weatherbit's 46 operations, clicksend, medium): `/alerts?lat={lat}&lon={lon}`,
declared `in: path` (the variables are in the key) or `in: query`. Each `name={variable}`
pair means the query parameter `name`: the key is read as its path alone, and the parameter
of each variable as that query parameter (one a pair names but no parameter declares is an
optional string). AWS's specs (328 of them) end keys with a fragment, which no request
carries, to tell apart operations of one path: `/tags/{arn}#tagKeys` beside `/tags/{arn}`.
The key is read as its path, and the keys of one path become one path item. No request
path matches such keys, so no server could route them. Each reading is a warning (SG205).

A key is left as written when its query holds anything else (a fixed value, `{name}=1`), a
variable is also in its path, a parameter is not an object, or the keys of its path have a
method in common (AWS's `/#X-Amz-Target=...`: one path and method, told apart by a header)
or something besides operations, a summary, a description and path parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from generator.load.spec import Origin
from generator.load.tree import deep_copy
from generator.pointers import deref, join_pointer

_PAIR: Final = re.compile(r"([A-Za-z0-9_.\-\[\]]+)=\{([^{}]+)\}")
_METHODS: Final = frozenset("get put post delete options head patch trace".split())
_NOTES: Final = frozenset({"summary", "description"})
_SHARED: Final = _NOTES | {"parameters"}  # what each of the keys of one path may have


@dataclass(frozen=True)
class QueryKey:
    """A path key read as its path (and query parameters)."""

    key: str  # as written
    path: str  # the part before `?` or `#`
    names: tuple[tuple[str, str], ...]  # (query parameter name, variable) of each pair


def _read(key: str) -> QueryKey | None:
    if "#" in key:
        # A fragment (AWS: `/tags/{arn}#tagKeys`) only tells keys of one path apart: no
        # request carries it.
        path, _, _ = key.partition("#")
        return QueryKey(key, path, ()) if path.startswith("/") and "?" not in path else None
    path, mark, query = key.partition("?")
    if not mark or not path.startswith("/"):
        return None
    pairs = [_PAIR.fullmatch(part) for part in query.split("&")]
    if not pairs or any(p is None for p in pairs):
        return None
    names = tuple((p[1], p[2]) for p in pairs if p is not None)
    if len({name for name, _ in names}) < len(names):
        return None
    return QueryKey(key, path, names)


def read_path_keys(document: dict[str, Any], origins: dict[str, Origin]) -> list[QueryKey]:
    """Rewrite, in place, each path key with a query string or a fragment this module reads
    (see above), keeping the order of `paths`; `origins` gets the new keys' sources. The keys
    that leave one path become one path item (`_joinable`). How each key was read."""
    paths = document.get("paths")
    if not isinstance(paths, dict) or not any("?" in str(k) or "#" in str(k) for k in paths):
        return []
    readings = {}
    for key, item in paths.items():
        query = _read(key) if isinstance(key, str) else None
        if query is not None and _readable(document, item, query):
            readings[key] = query
    groups: dict[Any, list[Any]] = {}
    for key in paths:
        groups.setdefault(readings[key].path if key in readings else key, []).append(key)
    for group in groups.values():
        if any(key in readings for key in group) and not _joinable(document, paths, group):
            for key in group:
                readings.pop(key, None)
    if not readings:
        return []
    rebuilt: dict[Any, Any] = {}
    moved: list[tuple[str, str]] = []  # (pointer now, pointer as written)
    for key, item in paths.items():
        query = readings.get(key)
        path = query.path if query is not None else key
        if query is not None:
            _apply(document, item, query)
        if path not in rebuilt:
            rebuilt[path] = item
            if query is not None:
                moved.append((join_pointer("/paths", path), join_pointer("/paths", key)))
            continue
        for field, value in item.items():  # joined: its operations, the first's notes
            if field == "parameters":
                if value != rebuilt[path].get(field):
                    _push_down(document, item)
            elif field not in _NOTES:
                rebuilt[path][field] = value
                now, written = (
                    join_pointer("/paths", path, field),
                    join_pointer("/paths", key, field),
                )
                moved.append((now, written))
    paths.clear()
    paths.update(rebuilt)
    for now, written in moved:
        origins[now] = _origin(origins, written)
    return list(readings.values())


def _methods(item: dict[str, Any]) -> list[str]:
    return [m for m in item if m in _METHODS]


def _joinable(document: Mapping[str, Any], paths: Mapping[Any, Any], group: list[Any]) -> bool:
    """Whether the path items of `group` (keys that leave one path) make one: each method
    in one of them only, and besides operations and extensions only summaries,
    descriptions and parameters that are the same for all or in the path (the first's stay;
    the others' operations get their own)."""
    items = [paths[key] for key in group]
    if not all(isinstance(item, dict) for item in items):
        return False
    if len(items) == 1:
        return True
    operations = [field for item in items for field in item if field not in _SHARED]
    if len(operations) != len(set(operations)):
        return False
    if any(k not in _SHARED | _METHODS and not k.startswith("x-") for i in items for k in i):
        return False
    if all(item.get("parameters") == items[0].get("parameters") for item in items):
        return True  # the same for all (AWS's signature headers), or none
    for item in items:  # the first's apply to all operations: only path ones may differ
        params = _parameters(document, item)
        if params is None or any(p.get("in") != "path" for p in params):
            return False
    return True


def _push_down(document: Mapping[str, Any], item: dict[str, Any]) -> None:
    """Give, in place, each operation of `item` the path item's parameters it does not
    declare itself (the path item joins one that has its own)."""
    shared = item.get("parameters", [])
    for operation in _operations(item):
        own = {(p.get("name"), p.get("in")) for p in _parameters(document, operation) or ()}
        inherited = [
            raw
            for raw, node in zip(shared, _parameters(document, item) or (), strict=True)
            if (node.get("name"), node.get("in")) not in own
        ]
        if inherited:
            operation["parameters"] = [*inherited, *operation.get("parameters", [])]


def _operations(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [item[m] for m in _methods(item)]


def _parameters(document: Mapping[str, Any], owner: Any) -> list[dict[str, Any]] | None:
    """The parameters of a path item or operation, `$ref`s followed; None when one is not
    an object (nothing is read then)."""
    params = owner.get("parameters", []) if isinstance(owner, dict) else None
    if not isinstance(params, list):
        return None
    found = [deref(document, raw)[0] for raw in params]
    return found if all(isinstance(node, dict) for node in found) else None


def _readable(document: Mapping[str, Any], item: Any, query: QueryKey) -> bool:
    if not isinstance(item, dict) or "$ref" in item:
        return False
    variables = {variable for _, variable in query.names}
    if any(f"{{{variable}}}" in query.path for variable in variables):
        return False  # a variable of the path too: no one parameter is both
    owners = [item, *_operations(item)]
    return all(_parameters(document, owner) is not None for owner in owners)


def _apply(document: Mapping[str, Any], item: dict[str, Any], query: QueryKey) -> None:
    names = {variable: name for name, variable in query.names}
    level = _rename(document, item, names)
    for operation in _operations(item):
        found = level | _rename(document, operation, names)
        queries = {
            p.get("name") for p in _parameters(document, operation) or () if p.get("in") == "query"
        }
        for name, variable in query.names:
            if variable not in found and name not in queries:
                # Named by the key alone (clicksend's `/uploads?convert={convert}`).
                added = {"name": name, "in": "query", "schema": {"type": "string"}}
                operation.setdefault("parameters", []).append(added)


def _rename(
    document: Mapping[str, Any], owner: dict[str, Any], names: Mapping[str, str]
) -> set[str]:
    """Make, in place, the parameters of `owner` the pairs name query parameters; the
    variables found."""
    params = owner.get("parameters", [])
    found: set[str] = set()
    for index, raw in enumerate(params):
        node, _ = deref(document, raw)
        variable = node.get("name")
        if variable not in names or node.get("in") not in ("path", "query"):
            continue
        copy = node if node is raw else deep_copy(node)  # a shared component stays as it is
        copy["in"], copy["name"] = "query", names[variable]
        params[index] = copy
        found.add(variable)
    return found


def _origin(origins: Mapping[str, Origin], pointer: str) -> Origin:
    """Where `pointer` of the merged document came from (the longest prefix in `origins`)."""
    probe = pointer
    while probe not in origins and probe:
        probe = probe.rsplit("/", 1)[0]
    origin = origins[probe]
    return Origin(origin.source, origin.pointer + pointer[len(probe) :])
