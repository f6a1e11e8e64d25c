"""Keyword-level schema rules: type, format, nullable, enum, bounds, pattern, default.

Each check decides whether the new keyword accepts fewer values (`tightened`), more
(`loosened`) or different ones; the rule id suffix says which, and the catalog turns that and
the direction into a severity.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from generator.diff.document import Flat
from generator.validate.normalise import json_type

if TYPE_CHECKING:
    from generator.diff.schemas import SchemaRun

# Formats whose values are a subset of another's: (narrow, wide).
_FORMAT_WIDENINGS = frozenset({("int32", "int64"), ("float", "double")})
_MAX_SHOWN = 5

Report = Callable[[str, str], None]  # (rule suffix, one-line explanation)


def types_of(keywords: Mapping[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema allows ("null" only when it is all it allows); None: any."""
    kind = keywords.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        found = {k for k in kind if isinstance(k, str) and k != "null"}
        return frozenset(found or {"null"})
    if "const" in keywords:
        return frozenset({json_type(keywords["const"])})
    enum = keywords.get("enum")
    if isinstance(enum, list) and any(v is not None for v in enum):
        return frozenset(json_type(v) for v in enum if v is not None)
    if any(k in keywords for k in ("properties", "additionalProperties", "required")):
        return frozenset({"object"})
    if "items" in keywords:
        return frozenset({"array"})
    return None


def _subset(narrow: frozenset[str] | None, wide: frozenset[str] | None) -> bool:
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _shown(types: frozenset[str] | None) -> str:
    return "|".join(sorted(types)) if types else "any"


def _value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _values(values: list[str]) -> str:
    shown = ", ".join(values[:_MAX_SHOWN])
    return shown + (f" and {len(values) - _MAX_SHOWN} more" if len(values) > _MAX_SHOWN else "")


def check_keywords(
    run: SchemaRun, old_flat: Flat, new_flat: Flat, label: str, root: bool, *, full: bool
) -> bool:
    """Compare the keywords of one schema pair. Returns True when the type changed to an
    unrelated one (the caller then skips properties and items: they no longer line up).

    With `full=False` (one side is a oneOf/anyOf, compared branch by branch) only the
    keywords that apply to the whole value are compared: nullable and default.
    """
    old, new = old_flat.keywords, new_flat.keywords

    def report(suffix: str, what: str) -> None:
        run.aspect(suffix, new_flat.pointer, "new", label, root, what)

    _nullable(old, new, report)
    _default(old, new, report)
    if not full:
        return False
    old_types, new_types = types_of(old), types_of(new)
    if old_types != new_types:
        change = f"type changed from `{_shown(old_types)}` to `{_shown(new_types)}`"
        if _subset(old_types, new_types):
            report("type-widened", change)
        elif _subset(new_types, old_types):
            report("type-narrowed", change)
        else:
            report("type-changed", change)
            return True
    _format(old, new, report)
    _enum(old, new, report)
    for key, grow, shrink in (
        ("maxLength", "max-length-increased", "max-length-decreased"),
        ("maxItems", "max-items-increased", "max-items-decreased"),
    ):
        _upper_count(old.get(key), new.get(key), key, grow, shrink, report)
    for key, grow, shrink in (
        ("minLength", "min-length-increased", "min-length-decreased"),
        ("minItems", "min-items-increased", "min-items-decreased"),
    ):
        _lower_count(old.get(key), new.get(key), key, grow, shrink, report)
    _bound(_upper(old), _upper(new), "maximum", upper=True, report=report)
    _bound(_lower(old), _lower(new), "minimum", upper=False, report=report)
    _pattern(old.get("pattern"), new.get("pattern"), report)
    if old.get("multipleOf") != new.get("multipleOf"):
        shown = [_value(old.get("multipleOf")), _value(new.get("multipleOf"))]
        report("multiple-of-changed", f"multipleOf changed from {shown[0]} to {shown[1]}")
    was, now = old.get("uniqueItems") is True, new.get("uniqueItems") is True
    if was != now:
        report(
            f"unique-items-{'added' if now else 'removed'}",
            f"uniqueItems {'added' if now else 'removed'}",
        )
    was_closed = old.get("additionalProperties") is False
    now_closed = new.get("additionalProperties") is False
    if was_closed != now_closed:
        if now_closed:
            report("additional-properties-disallowed", "no longer allows additional properties")
        else:
            report("additional-properties-allowed", "now allows additional properties")
    return False


def _nullable(old: Mapping[str, Any], new: Mapping[str, Any], report: Report) -> None:
    was, now = old.get("nullable") is True, new.get("nullable") is True
    if was and not now:
        report("became-not-nullable", "null is no longer allowed")
    elif now and not was:
        report("became-nullable", "null is now allowed")


def _default(old: Mapping[str, Any], new: Mapping[str, Any], report: Report) -> None:
    if ("default" in old, old.get("default")) == ("default" in new, new.get("default")):
        return
    shown = [_value(s["default"]) if "default" in s else "none" for s in (old, new)]
    report("default-value-changed", f"default changed from {shown[0]} to {shown[1]}")


def _format(old: Mapping[str, Any], new: Mapping[str, Any], report: Report) -> None:
    was, now = old.get("format"), new.get("format")
    if was == now:
        return
    change = f"format changed from `{was or 'none'}` to `{now or 'none'}`"
    if now is None or (was, now) in _FORMAT_WIDENINGS:
        report("format-widened", change)
    elif was is None or (now, was) in _FORMAT_WIDENINGS:
        report("format-narrowed", change)
    else:
        report("format-changed", change)


def _enum_values(keywords: Mapping[str, Any]) -> dict[str, Any] | None:
    if "const" in keywords:
        return {_value(keywords["const"]): keywords["const"]}
    enum = keywords.get("enum")
    if not isinstance(enum, list):
        return None
    return {_value(v): v for v in enum if v is not None}  # null is `nullable`'s business


def _enum(old: Mapping[str, Any], new: Mapping[str, Any], report: Report) -> None:
    was, now = _enum_values(old), _enum_values(new)
    if was is None and now is None:
        return
    if was is None:
        report("became-enum", f"restricted to the values {_values(list(now or {}))}")
    elif now is None:
        report("enum-removed", "no longer restricted to an enum")
    else:
        if removed := [v for v in was if v not in now]:
            report("enum-value-removed", f"enum value(s) removed: {_values(removed)}")
        if added := [v for v in now if v not in was]:
            report("enum-value-added", f"enum value(s) added: {_values(added)}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _upper_count(was: Any, now: Any, key: str, grow: str, shrink: str, report: Report) -> None:
    was, now = _number(was), _number(now)
    if was == now:
        return
    change = f"{key} changed from {_value(was) if was is not None else 'none'} to "
    change += _value(now) if now is not None else "none"
    report(grow if now is None or (was is not None and now > was) else shrink, change)


def _lower_count(was: Any, now: Any, key: str, grow: str, shrink: str, report: Report) -> None:
    was, now = _number(was) or 0, _number(now) or 0
    if was == now:
        return
    change = f"{key} changed from {_value(was)} to {_value(now)}"
    report(grow if now > was else shrink, change)


Bound = tuple[float, bool] | None  # (value, exclusive)


def _upper(keywords: Mapping[str, Any]) -> Bound:
    return _bound_of(keywords, "maximum", "exclusiveMaximum")


def _lower(keywords: Mapping[str, Any]) -> Bound:
    return _bound_of(keywords, "minimum", "exclusiveMinimum")


def _bound_of(keywords: Mapping[str, Any], inclusive: str, exclusive: str) -> Bound:
    """3.0 (`maximum` + boolean `exclusiveMaximum`) and 3.1 (numeric `exclusiveMaximum`)."""
    flag = keywords.get(exclusive)
    value = _number(keywords.get(inclusive))
    numeric = _number(flag)
    if numeric is not None and (value is None or numeric <= value):
        return (numeric, True)
    return None if value is None else (value, flag is True)


def _bound(was: Bound, now: Bound, key: str, *, upper: bool, report: Report) -> None:
    if was == now:
        return
    loosen, tighten = (
        ("max-increased", "max-decreased") if upper else ("min-decreased", "min-increased")
    )

    def shown(bound: Bound) -> str:
        if bound is None:
            return "none"
        return _value(bound[0]) + (" (exclusive)" if bound[1] else "")

    change = f"{key} changed from {shown(was)} to {shown(now)}"
    if now is None:
        report(loosen, change)
    elif was is None:
        report(tighten, change)
    else:
        wider = now[0] > was[0] if upper else now[0] < was[0]
        same_value_looser = now[0] == was[0] and was[1] and not now[1]
        report(loosen if wider or same_value_looser else tighten, change)


def _pattern(was: Any, now: Any, report: Report) -> None:
    if was == now:
        return
    if now is None:
        report("pattern-removed", f"pattern `{was}` removed")
    elif was is None:
        report("pattern-added", f"pattern `{now}` added")
    else:
        report("pattern-changed", f"pattern changed from `{was}` to `{now}`")
