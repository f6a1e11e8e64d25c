"""Operations → tag groups (the modules of the per-tag layout)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.build.groups import build_groups
from generator.ir.model import Operation, TagGroup
from generator.ir.names import ClassName, PythonIdentifier


def op(name: str, *tags: str) -> Operation:
    return Operation(
        operation_id=name,
        py_name=PythonIdentifier(name),
        class_name=ClassName(name),
        method="GET",
        path=f"/{name}",
        pointer=f"/paths/~1{name}/get",
        tags=tags,
    )


def groups(
    operations: list[Operation], document: Mapping[str, Any] | None = None
) -> list[TagGroup]:
    return list(build_groups(document or {}, operations))


def summary(found: list[TagGroup]) -> list[tuple[str, str, str, list[str]]]:
    return [
        (g.tag, str(g.module), str(g.class_prefix), [o.operation_id for o in g.operations])
        for g in found
    ]


def test_first_tag_decides_and_untagged_go_to_default() -> None:
    found = groups([op("a", "Pets", "Store"), op("b"), op("c", "Store"), op("d", "Pets")])
    assert summary(found) == [
        ("Pets", "pets", "Pets", ["a", "d"]),
        ("default", "default", "Default", ["b"]),
        ("Store", "store", "Store", ["c"]),
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


def test_names_that_sanitise_alike_are_numbered() -> None:
    found = groups([op("a", "API keys"), op("b", "ApiKeys"), op("c", "api-keys")])
    assert [str(g.module) for g in found] == ["api_keys", "api_keys2", "api_keys3"]
    assert [str(g.class_prefix) for g in found] == ["APIKeys", "ApiKeys", "ApiKeys2"]


def test_reserved_and_hostile_tag_names_become_safe_identifiers() -> None:
    found = groups(
        [
            op("a", "close"),
            op("b", "class"),
            op("c", "Base"),
            op("d", "../../etc"),
            op("e", "日本"),
            op("f", "2fa"),
            op("g", 'x"; import os #'),
            op("h", "CON"),
        ]
    )
    modules = [str(g.module) for g in found]
    prefixes = [str(g.class_prefix) for g in found]
    # `close` would replace Client.close; `Base` would make `BaseHandlers` the shared base.
    assert modules[0] != "close" and prefixes[2] != "Base"
    assert modules[1] == "class_"
    assert modules[7] == "con2"  # CON is a device name on Windows, not a file
    for name in modules:
        assert name.isidentifier() and not name.startswith("_"), name
    for name in prefixes:
        assert name.isidentifier() and name[0].isupper(), name
    assert len(set(modules)) == len(modules) and len(set(prefixes)) == len(prefixes)


def test_async_prefix_never_names_two_classes() -> None:
    # `Async<P>Client` of tag Foo must not be the sync client class of tag AsyncFoo.
    for order in (["AsyncFoo", "Foo"], ["Foo", "AsyncFoo"]):
        found = groups([op(f"o{i}", tag) for i, tag in enumerate(order)])
        sync = {f"{g.class_prefix}Client" for g in found}
        asynchronous = {f"Async{g.class_prefix}Client" for g in found}
        assert not sync & asynchronous, order
