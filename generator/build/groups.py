"""Operations → tag groups: the modules of the per-tag layout.

Each operation is filed under its first tag (as openapi-generator and openapi-python-client do),
untagged ones under `default`. Groups follow the order of the top-level `tags` list, then first
appearance, so that output does not depend on dict order. Tags whose names sanitise to the same
module or class name (`API keys`, `ApiKeys`) get numbered names: every generated name is unique.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.ir.model import Operation, TagGroup
from generator.ir.names import ClassName, PythonIdentifier

DEFAULT_TAG = "default"
# Names the per-tag modules must not take: the client's own members (groups are attributes of
# `Client`), names of package-private modules, and file names Windows cannot create.
_WINDOWS_DEVICES = frozenset(
    {"aux", "con", "nul", "prn"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
)
_RESERVED_MODULES = (
    frozenset({"close", "aclose", "base", "runtime", "models", "client"}) | _WINDOWS_DEVICES
)
# `BaseHandlers` is the shared base of the handler classes; `Async<P>` names async clients.
_RESERVED_PREFIXES = frozenset({"Base", "Async"})


def build_groups(
    document: Mapping[str, Any], operations: Sequence[Operation]
) -> tuple[TagGroup, ...]:
    declared = _declared_tags(document)
    by_tag: dict[str, list[Operation]] = {}
    for op in operations:
        by_tag.setdefault(op.tags[0] if op.tags else DEFAULT_TAG, []).append(op)
    order = [t for t in declared if t in by_tag] + [t for t in by_tag if t not in declared]
    modules: set[str] = set()
    prefixes: set[str] = set()
    groups: list[TagGroup] = []
    for tag in order:
        ops = by_tag[tag]
        module = _unique(str(PythonIdentifier(tag, fallback="tag")), modules, _RESERVED_MODULES)
        # A prefix names `<P>Handlers`, `<P>Client` and `Async<P>Client`: both P and AsyncP
        # must be free.
        prefix = _unique(str(ClassName(tag, fallback="Tag")), prefixes, _RESERVED_PREFIXES)
        prefixes.add(f"Async{prefix}")
        index, description = declared.get(tag, (None, ""))
        groups.append(
            TagGroup(
                tag=tag,
                module=PythonIdentifier(module),
                class_prefix=ClassName(prefix),
                pointer=f"/tags/{index}" if index is not None else ops[0].pointer,
                description=description,
                operations=tuple(ops),
            )
        )
    return tuple(groups)


def _declared_tags(document: Mapping[str, Any]) -> dict[str, tuple[int, str]]:
    """Top-level tag name -> (index in `tags`, description)."""
    found: dict[str, tuple[int, str]] = {}
    for index, entry in enumerate(document.get("tags") or ()):
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
            description = entry.get("description")
            found.setdefault(
                entry["name"], (index, description if isinstance(description, str) else "")
            )
    return found


def _unique(candidate: str, taken: set[str], reserved: frozenset[str]) -> str:
    """`candidate`, or `candidate2`, `candidate3`... : the first that is neither taken nor
    reserved (for class prefixes, `Async` + it must not be taken either)."""

    def free(name: str) -> bool:
        return name not in taken and name not in reserved and f"Async{name}" not in taken

    name, n = candidate, 2
    while not free(name):
        name, n = f"{candidate}{n}", n + 1
    taken.add(name)
    return name
