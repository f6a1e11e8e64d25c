"""Operations → tag groups (the modules of the per-tag layout)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.build.groups import build_groups
from generator.ir.model import Operation, TagGroup


def op(name: str, *tags: str) -> Operation:
    return Operation(
        operation_id=name,
        method="GET",
        path=f"/{name}",
        pointer=f"/paths/~1{name}/get",
        tags=tags,
    )


def groups(
    operations: list[Operation], document: Mapping[str, Any] | None = None
) -> list[TagGroup]:
    return list(build_groups(document or {}, operations))


def summary(found: list[TagGroup]) -> list[tuple[str, str, list[str]]]:
    return [(g.tag, g.stem, [o.operation_id for o in g.operations]) for g in found]


def test_first_tag_decides_and_untagged_go_to_default() -> None:
    found = groups([op("a", "Pets", "Store"), op("b"), op("c", "Store"), op("d", "Pets")])
    assert summary(found) == [
        ("Pets", "pets", ["a", "d"]),
        ("default", "default", ["b"]),
        ("Store", "store", ["c"]),
    ]


def test_every_operation_is_in_exactly_one_group() -> None:
    operations = [op(f"o{i}", *(["T1", "T2"][: i % 3])) for i in range(12)]
    found = groups(operations)
    filed = [o for g in found for o in g.operations]
    assert sorted(o.operation_id for o in filed) == sorted(o.operation_id for o in operations)


def test_top_level_tags_order_groups_and_give_descriptions() -> None:
    document = {
        "tags": [
            {"name": "Store", "description": "Orders."},
            {"name": "Unused"},
            {"name": "Pets", "description": "Pets and owners."},
        ]
    }
    found = groups([op("a", "Pets"), op("b", "Other"), op("c", "Store")], document)
    assert [g.tag for g in found] == ["Store", "Pets", "Other"]
    assert [g.description for g in found] == ["Orders.", "Pets and owners.", ""]
    # Declared tags point at their entry; undeclared ones at their first operation.
    assert [g.pointer for g in found] == ["/tags/0", "/tags/2", "/paths/~1b/get"]


def test_stems_that_sanitise_alike_are_numbered() -> None:
    found = groups([op("a", "API keys"), op("b", "ApiKeys"), op("c", "api-keys")])
    assert [g.stem for g in found] == ["api_keys", "api_keys2", "api_keys3"]


def test_hostile_tag_names_become_safe_file_stems() -> None:
    found = groups(
        [
            op("b", "class"),
            op("d", "../../etc"),
            op("e", "日本"),
            op("f", "2fa"),
            op("g", 'x"; import os #'),
            op("h", "CON"),
        ]
    )
    stems = [g.stem for g in found]
    assert stems[0] == "class"  # neutral: each view makes it an identifier (`class_`)
    assert stems[5] == "con2"  # CON is a device name on Windows, not a file
    for stem in stems:
        assert stem.isidentifier() and not stem.startswith("_") and stem == stem.lower(), stem
    assert len(set(stems)) == len(stems)
