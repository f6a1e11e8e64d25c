"""A faster answer to the question openapi-spec-validator's path library asks of every node.

pathable (under jsonschema-path, under openapi-spec-validator) asks `isinstance(node,
Subscriptable)` of each node it steps into. `Subscriptable` is a runtime-checkable Protocol,
and on Python 3.11 each such check lists the protocol's members anew from its classes: about a
quarter of the validator's time on a large spec. For the built-in types a JSON document is made
of, the answer depends on the type alone (their instances have no attributes of their own), so
it is worked out once per type; any other type gets the protocol's own check.
"""

from __future__ import annotations

from typing import Any

_BUILTINS = frozenset({dict, list, tuple, str, int, float, bool, type(None)})


def quicken_subscriptable() -> None:
    """Give pathable's `Subscriptable` protocol a metaclass that remembers its answer for
    the built-in types. Nothing happens when pathable or its protocol is not the expected
    one (another version keeps its own checks)."""
    try:
        from pathable import accessors
    except ImportError:
        return
    protocol = getattr(accessors, "Subscriptable", None)
    if not isinstance(protocol, type) or not getattr(protocol, "_is_runtime_protocol", False):
        return
    meta = type(protocol)
    if getattr(meta, "_specgen_quick", False):
        return
    protocol.__class__ = _quick(meta)


def _quick(meta: type) -> type:
    answers: dict[tuple[type, type], bool] = {}

    class Quick(meta):  # type: ignore[misc]
        _specgen_quick = True

        def __instancecheck__(cls, instance: Any) -> bool:
            kind = type(instance)
            if kind not in _BUILTINS:
                return bool(super().__instancecheck__(instance))
            answer = answers.get((cls, kind))
            if answer is None:
                answer = answers[cls, kind] = bool(super().__instancecheck__(instance))
            return answer

    return Quick
