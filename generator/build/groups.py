"""Operations → tag groups: the modules of the per-tag layout.

Each operation is filed under its first tag (as openapi-generator and openapi-python-client do),
untagged ones under `default`. Groups follow the order of the top-level `tags` list, then first
appearance, so that output does not depend on dict order. Each group has a file stem, unique
among the groups: tags whose names sanitise to the same stem (`API keys`, `ApiKeys`) get
numbered ones, and no stem is a file name Windows cannot create. The views name the group's
modules, classes and attributes from its tag and stem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.ir.model import Operation, TagGroup
from generator.ir.names import numbered, snake_case

DEFAULT_TAG = "default"
# File names Windows cannot create (with any extension): no stem may be one.
_WINDOWS_DEVICES = frozenset(
    {"aux", "con", "nul", "prn"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
)


def build_groups(
    document: Mapping[str, Any], operations: Sequence[Operation]
) -> tuple[TagGroup, ...]:
    declared = _declared_tags(document)
    by_tag: dict[str, list[Operation]] = {}
    for op in operations:
        by_tag.setdefault(op.tags[0] if op.tags else DEFAULT_TAG, []).append(op)
    order = [t for t in declared if t in by_tag] + [t for t in by_tag if t not in declared]
    stems: set[str] = set(_WINDOWS_DEVICES)
    groups: list[TagGroup] = []
    for tag in order:
        ops = by_tag[tag]
        stem = numbered(snake_case(tag, fallback="tag"), stems)
        stems.add(stem)
        index, description = declared.get(tag, (None, ""))
        groups.append(
            TagGroup(
                tag=tag,
                stem=stem,
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
