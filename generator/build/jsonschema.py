"""Request-body schemas as JSON Schema 2020-12, for the generated server's exact validation.

The models datamodel-code-generator writes cannot express everything a schema says (`not`,
`oneOf` exclusivity, an optional property that must not be null), so generated servers also
check request bodies against the spec's own schemas. This module turns the normalised
document (nullability as `nullable: true`) into plain JSON Schema: `{"components": {"schemas":
...}, "bodies": {<operation>: schema}}`, whose `#/components/schemas/...` refs resolve in place.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from generator.validate.schemas import walk_schemas


def _to_json_schema(node: dict[str, Any]) -> None:
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(key), bool):  # 3.0's boolean form
            if node[key] and bound in node:
                node[key] = node.pop(bound)
            else:
                del node[key]
    if node.pop("nullable", False) is not True:
        return
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
    elif kind is None:
        rest = dict(node)
        node.clear()
        node["anyOf"] = [rest, {"type": "null"}]


def request_schemas(document: Mapping[str, Any], bodies: Mapping[str, Any]) -> dict[str, Any]:
    """The validation document for `bodies` (operation key -> body schema of `document`)."""
    components = copy.deepcopy((document.get("components") or {}).get("schemas") or {})
    body_copies = copy.deepcopy(dict(bodies))
    for part in (components, body_copies):
        for item in walk_schemas({"components": {"schemas": part}}).nodes:
            _to_json_schema(item.node)
    return {"components": {"schemas": components}, "bodies": body_copies}
