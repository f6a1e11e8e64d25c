"""Path keys that carry a query string: `/alerts?lat={lat}&lon={lon}` as its authors mean it.

Published specs write query parameters into path keys (11 of the 2,639 in APIs.guru's
directory: weatherbit's 46 operations, clicksend, medium), declared `in: path` (the variables
are in the key) or `in: query`. No request path can match such a key, so no server could
route it. Each `name={variable}` pair means the query parameter `name`: the key is read as its path
alone, and the parameter of each variable as that query parameter (one a pair names but no
parameter declares is an optional string), with a warning (SG205). A key whose query holds
anything else (a fixed value, `{name}=1`, a `#` fragment), whose path is also a key, with
a variable also in the path, or parameters that are not objects is left as written.
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


@dataclass(frozen=True)
class QueryKey:
    """A path key read as its path and query parameters."""

    key: str  # as written
    path: str  # the part before `?`
    names: tuple[tuple[str, str], ...]  # (query parameter name, variable) of each pair


def _read(key: str) -> QueryKey | None:
    path, mark, query = key.partition("?")
    if not mark or not path.startswith("/") or "#" in key:
        return None
    pairs = [_PAIR.fullmatch(part) for part in query.split("&")]
    if not pairs or any(p is None for p in pairs):
        return None
    names = tuple((p[1], p[2]) for p in pairs if p is not None)
    if len({name for name, _ in names}) < len(names):
        return None
    return QueryKey(key, path, names)


def read_query_keys(document: dict[str, Any], origins: dict[str, Origin]) -> list[QueryKey]:
    """Rewrite, in place, each path key with a query string this module reads (see above),
    keeping the order of `paths`; `origins` gets the new key's source. How each was read."""
    paths = document.get("paths")
    if not isinstance(paths, dict) or not any("?" in str(key) for key in paths):
        return []
    read: list[QueryKey] = []
    renamed: dict[str, str] = {}
    taken = set(paths)
    for key, item in paths.items():
        query = _read(key) if isinstance(key, str) else None
        if query is None or query.path in taken or not _readable(document, item, query):
            continue
        _apply(document, item, query)
        renamed[key] = query.path
        taken.add(query.path)
        read.append(query)
    if renamed:
        rebuilt = {renamed.get(key, key): item for key, item in paths.items()}
        paths.clear()
        paths.update(rebuilt)
        for key, new in renamed.items():
            origins[join_pointer("/paths", new)] = _origin(origins, join_pointer("/paths", key))
    return read


def _operations(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [item[m] for m in item if m in _METHODS]


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
