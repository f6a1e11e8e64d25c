"""Schemas as plain JSON Schema: for the generated server's exact body validation, and for the
version-consistent contract that servers serve and fuzzers read.

The normalised document expresses nullability only as `nullable: true` (the form the model
generator reads best). JSON Schema (and so OpenAPI 3.1) says `type: [X, "null"]` instead, and
the models cannot express everything a schema says (`not`, `oneOf` exclusivity, an optional
property that must not be null), which is why generated servers also check bodies against
these schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from generator.ir.model import Operation
from generator.load.tree import deep_copy
from generator.pointers import lookup_pointer, split_pointer
from generator.validate.normalise import to_3_0, to_numeric_bounds
from generator.validate.schemas import nodes_of, schema_nodes, schema_roots


def to_json_schema(node: dict[str, Any]) -> None:
    """Rewrite one schema node in place: `nullable` and 3.0's boolean exclusive bounds."""
    to_numeric_bounds(node)
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


# The ranges OpenAPI's integer formats name. JSON Schema validators take `format` as an
# annotation and the model generator types both as `int`; schemathesis (rightly) reads them as
# bounds, so the servers' checks and the models get them as `minimum`/`maximum`.
INTEGER_FORMAT_BOUNDS: Final = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def bound_integer_format(node: dict[str, Any]) -> None:
    """Give an integer schema with format int32/int64 its range as bounds (in place), a
    declared bound kept where it is tighter. A side with 3.0's boolean exclusive bound
    and no number to go with it is left alone (a number there would become exclusive)."""
    fmt = node.get("format")
    bounds = INTEGER_FORMAT_BOUNDS.get(fmt) if isinstance(fmt, str) else None
    if bounds is None or node.get("type") != "integer":
        return
    for key, exclusive, limit, tighter in (
        ("minimum", "exclusiveMinimum", bounds[0], max),
        ("maximum", "exclusiveMaximum", bounds[1], min),
    ):
        current = node.get(key)
        if isinstance(current, int | float) and not isinstance(current, bool):
            node[key] = tighter(current, limit)
        elif current is None and not isinstance(node.get(exclusive), bool):
            node[key] = limit


def request_schemas(
    document: Mapping[str, Any],
    bodies: Mapping[str, Any],
    responses: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`{"components": {"schemas": ...}, "bodies": {key: schema}}` in JSON Schema form, whose
    `#/components/schemas/...` refs resolve in place; `document` is the one of the checks
    (generator.build.sides: each body on its side). `responses` (media type pointer ->
    schema) are the response bodies servers check too: those that could carry a writeOnly
    property; the key is left out when there are none."""
    components = deep_copy((document.get("components") or {}).get("schemas") or {})
    body_copies = deep_copy(dict(bodies))
    response_copies = deep_copy(dict(responses or {}))
    for part in (components, body_copies, response_copies):
        for node in schema_nodes({"components": {"schemas": part}}):
            to_json_schema(node)
            bound_integer_format(node)
    result = {"components": {"schemas": components}, "bodies": body_copies}
    if response_copies:
        result["responses"] = response_copies
    return result


def contract_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised document in its declared version's own form: what the author meant,
    readable by any OpenAPI tool (3.0 keeps `nullable`; 3.1 gets JSON Schema null types).

    The contract shares every schema root the rewrite leaves as it is with `document` (most
    of a 3.0 document: copying it all was half this step's time), and the containers above
    the roots it rewrites are copied: neither the document nor the contract changes after."""
    # 3.1 forms in a 3.0 document (numeric exclusive bounds, `const`, type lists) are read
    # as meant, then written the 3.0 way, so that 3.0 tools read them alike.
    rewrite = to_json_schema if str(document.get("openapi", "")).startswith("3.1") else to_3_0
    contract = dict(document)
    owned = {id(contract)}  # the containers of the contract that are its own copies
    for pointer, root in schema_roots(dict(document)):
        if not any(_rewrites(rewrite, node) for node in nodes_of(root)):
            continue
        copy: dict[str, Any] = deep_copy(root)
        for node in nodes_of(copy):
            rewrite(node)
        _place(contract, split_pointer(pointer), copy, owned)
    return contract


def _rewrites(rewrite: Callable[[dict[str, Any]], None], node: dict[str, Any]) -> bool:
    """Whether `rewrite` changes `node` (it changes only the node's own keys)."""
    trial = dict(node)
    rewrite(trial)
    return trial != node


def _place(tree: dict[str, Any], tokens: list[str], value: Any, owned: set[int]) -> None:
    """Put `value` at `tokens` in `tree`, copying each shared container on the way."""
    node: Any = tree
    for token in tokens[:-1]:
        key: Any = int(token) if isinstance(node, list) else token
        child = node[key]
        if id(child) not in owned:
            child = dict(child) if isinstance(child, dict) else list(child)
            owned.add(id(child))
            node[key] = child
        node = child
    node[int(tokens[-1]) if isinstance(node, list) else tokens[-1]] = value


# Where generated receivers mount the webhooks by default (`create_webhook_app`).
WEBHOOK_BASE_PATH = "/webhooks"


def webhook_contract(document: Mapping[str, Any], webhooks: Sequence[Operation]) -> dict[str, Any]:
    """The contract a webhook receiver serves: the API's webhooks as paths (each at its
    default mount path, `/webhooks/<name>`) beside the components, so that any OpenAPI tool
    (a fuzzer, a docs viewer) reads the receiver like an API of its own."""
    contract = contract_document(document)
    paths: dict[str, Any] = {}
    for op in webhooks:
        item = lookup_pointer(contract, op.pointer.rsplit("/", 1)[0])
        node = lookup_pointer(contract, op.pointer)
        if not isinstance(item, Mapping) or not isinstance(node, Mapping):
            continue
        entry = paths.setdefault(WEBHOOK_BASE_PATH + op.path, {})
        if "parameters" in item:
            entry["parameters"] = item["parameters"]
        entry[op.method.lower()] = {**node, "operationId": op.operation_id}
    contract.pop("webhooks", None)
    contract.pop("security", None)  # the API's own security is not the receiver's
    contract.pop("servers", None)
    contract["paths"] = paths
    info = contract.get("info")
    info = dict(info) if isinstance(info, Mapping) else {}  # the API's own stays as it is
    info["title"] = f"{info.get('title', '')} webhooks".strip()
    contract["info"] = info
    return contract
