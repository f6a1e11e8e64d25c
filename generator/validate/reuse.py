"""Skip openapi-spec-validator on a document it found nothing in before, but for the wording
of its summaries and descriptions (`.specgen-cache/validation/`).

Editing an operation's summary or a description is the most common change to a spec, and the
validator's pass over the whole document is the costliest check of a run. Both keywords are
free text wherever OpenAPI defines them: any string is as valid as any other. So the key is
the document with every such string emptied (not inside example, default, enum or const
values, nor extensions, which are data), plus the validator's versions and this package's
code, which prepares its input. Only a clean result is kept: a finding's message may quote
the text.

Other edits change one path item or a few: a clean result also keeps each path item's digest,
keyed by the rest of the document. When only path items changed since then, the validator
checks the document with only those (the rest is what it found clean), which is about a third
of its pass over the whole.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

from generator.cache.memo import Memo, memo_key
from generator.diagnostics import Diagnostic
from generator.pointers import MISSING, lookup_pointer, ref_pointer
from generator.validate import Prepared, spec_validator

_FREE_TEXT: Final = frozenset({"summary", "description"})
_DATA: Final = frozenset({"example", "examples", "default", "enum", "const"})
_CLEAN: Final = "no findings"
_TOOLS: Final = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema")


def checked(before: Prepared, memo: Memo | None) -> list[Diagnostic]:
    """`spec_validator(before)`, answered from `memo` when it holds a clean result for it;
    else of the path items that changed since a clean result in the same surroundings."""
    if memo is None or before.blocked:
        return spec_validator(before)
    blank = _blank(before.spec.document)
    key = _key("structural", before, blank)
    if memo.get(key) == _CLEAN:
        return []
    items = path_items(blank)
    scope = _key("path items", before, _surroundings(blank))
    clean = memo.get_table(scope) if items else {}
    changed = {path for path, digest in items.items() if clean.get(path) != digest}
    partial = len(changed) < len(items) and not _refers_into_paths(blank)
    found = spec_validator(before, changed if partial else None)
    if not found:
        memo.put(key, _CLEAN)
        if items:
            memo.put_table(scope, items)
    return found


def structural_key(before: Prepared) -> str:
    return _key("structural", before, _blank(before.spec.document))


def _key(kind: str, before: Prepared, blank: Any) -> str:
    return memo_key(kind, _fingerprint(), before.version, blank)


def path_items(blank: dict[str, Any]) -> dict[str, str]:
    """Each path item's digest, with what it refers to in components (transitively).
    openapi-spec-validator checks a path item by what it holds and refers to; its other
    findings (a duplicate operationId across paths, ...) the lint pass reports."""
    paths = blank.get("paths")
    if not isinstance(paths, dict):
        return {}
    graph = _RefGraph(blank)
    return {
        path: memo_key(path, item, [(ref, graph.digest(ref)) for ref in graph.closure(item)])
        for path, item in paths.items()
    }


def _surroundings(blank: dict[str, Any]) -> dict[str, Any]:
    """What every path item's check reads besides what it refers to: the document without
    its paths and the components that are reached by `$ref` (security schemes are named)."""
    rest = {key: value for key, value in blank.items() if key != "paths"}
    components = rest.get("components")
    if isinstance(components, dict):
        rest["components"] = {k: v for k, v in components.items() if k not in _REFERRED}
    return rest


_REFERRED: Final = frozenset(
    "schemas responses parameters examples requestBodies headers links callbacks pathItems".split()
)


class _RefGraph:
    """The local `$ref`s of a document, node by node (components' nodes digested once)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._digests: dict[str, str] = {}
        self._refs: dict[str, list[str]] = {}

    def digest(self, ref: str) -> str:
        if ref not in self._digests:
            target = self._target(ref)
            self._digests[ref] = memo_key(ref, None if target is MISSING else [target])
        return self._digests[ref]

    def _target(self, ref: str) -> Any:
        pointer = ref_pointer(ref)
        return MISSING if pointer is None else lookup_pointer(self.document, pointer)

    def closure(self, node: Any) -> list[str]:
        """Every local `$ref` reachable from `node`, sorted."""
        seen: set[str] = set()
        todo = _refs_in(node)
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            if ref not in self._refs:
                target = self._target(ref)
                self._refs[ref] = [] if target is MISSING else _refs_in(target)
            todo.extend(self._refs[ref])
        return sorted(seen)


def _refs_in(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _refers_into_paths(node: Any) -> bool:
    """Whether a `$ref` points into `paths`: then no path item can be checked alone."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/paths"):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _blank(node: Any) -> Any:
    """A copy of `node` with the free text emptied (data and extensions kept as they are)."""
    if isinstance(node, list):
        return [_blank(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _FREE_TEXT and isinstance(value, str):
            out[key] = ""
        elif key in _DATA or (isinstance(key, str) and key.startswith("x-")):
            out[key] = value
        else:
            out[key] = _blank(value)
    return out


def _fingerprint() -> tuple[str, ...]:
    """The validator's versions and the code that prepares its input (this whole package:
    the copy, the schema walk, the normalisation, the locating of findings)."""
    code = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return (*(version(tool) for tool in _TOOLS), code.hexdigest())
