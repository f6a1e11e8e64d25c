"""The contract `specgen fuzz` hands schemathesis: the spec as specgen reads it, spelled so
that schemathesis reads it the same way.

Each step says what specgen's reading is that schemathesis would otherwise read apart:

- the errors a generated server answers itself (README, "Errors the server answers
  itself"): 400 for a request that breaks the spec, 401 for missing or rejected
  credentials, 415 for a body in a media type the operation does not declare, as RFC 9457
  problem+json. An operation that declares nothing for that status (not the status, its
  range, nor `default`) gets it declared, so that schemathesis's negative and auth checks
  can be met at all, and the body the server sends is still checked;
- a `text/*` request body is offered as `text/plain`: for the range schemathesis sends
  JSON under `text/json`, whose quotes the server reads as part of the text (and checks
  against the text's schema);
- event streams typed by `schema` (no `itemSchema`): specgen reads that schema as the type
  of each event's `data` (the OpenAI style); schemathesis reads a pre-3.2 `schema` as the
  event object itself. It becomes the `itemSchema` of specgen's reading;
- `servers` are left out: schemathesis is given the full base URL, and it refuses server
  URLs it cannot format even though it never uses them then;
- a discriminator without a mapping whose members fix the property carries the mapping
  the models infer (the members' values, not their schema names);
- path parameters whose names are no identifiers (`{item.id}`) are renamed in the template
  and the parameter alike: schemathesis fills templates with `str.format`; a literal `#`
  or `?` in a path is sent encoded (it is part of the path the server routes);
- 3.0's boolean exclusive bounds (`minimum: 0, exclusiveMinimum: true`) are spelled without
  the boolean, as a bound that holds in every JSON Schema draft: `minimum: 1` for integers,
  else `minimum: 0` beside `not: {enum: [0]}`. schemathesis checks the examples it composes
  (from property examples, say) with a 2020-12 validator, which cannot be built over a
  boolean bound, and then passes every example as valid, even one the schema refuses;
- data that looks like a reference to outside the document (an `example`, a `default`, an
  `x-` extension holding `$ref: file:///...`) is left out: schemathesis would fetch it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from generator.build.media import content_kind
from generator.ir.model import ContentKind
from generator.load.tree import deep_copy
from generator.pointers import lookup_pointer
from generator.render.python.prepare import infer_mapping
from generator.validate.schemas import walk_schemas

# The request media kinds the servers decode and check (build/operations.py reads the rest,
# streams included, as bytes).
_DECODED = frozenset({ContentKind.JSON, ContentKind.TEXT, ContentKind.FORM, ContentKind.MULTIPART})

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")

PROBLEM_MEDIA = "application/problem+json"
_PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}
_OWN_ERRORS = {
    "400": "The request breaks the spec (answered by the generated server).",
    "401": "Missing or rejected credentials (answered by the generated server).",
    "415": "A body media type the operation does not declare (answered by the generated server).",
}
_SSE = "text/event-stream"


def fuzz_document(contract: Mapping[str, Any]) -> dict[str, Any]:
    """`contract` (the output of `contract_document`, not changed) as schemathesis gets it."""
    document: dict[str, Any] = deep_copy(dict(contract))
    document.pop("servers", None)
    _drop_data_refs(document)
    _discriminator_mappings(document)
    if str(document.get("openapi", "")).startswith("3.0"):
        for item in walk_schemas(document).nodes:
            _plain_exclusive_bounds(item.node)
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return document
    root_security = document.get("security") or []
    renamed = (_plain_path_names(document, path, item) for path, item in paths.items())
    document["paths"] = {
        path: _path_item(item, root_security) if isinstance(item, Mapping) else item
        for path, item in renamed
    }
    return document


def _drop_data_refs(node: Any) -> None:
    """Data that looks like a reference (`example: {$ref: "file:///etc/shadow"}`, in a
    default or an `x-` extension) is data to specgen, never followed; schemathesis would
    try to fetch it, so such values are left out."""
    if isinstance(node, list):
        for item in node:
            _drop_data_refs(item)
        return
    if not isinstance(node, dict):
        return
    for key in list(node):
        data = key in ("example", "default") or str(key).startswith("x-")
        if data and _has_outer_ref(node[key]):
            del node[key]
        else:
            _drop_data_refs(node[key])


def _plain_exclusive_bounds(node: dict[str, Any]) -> None:
    """`minimum: m, exclusiveMinimum: true` (3.0) as a bound without the boolean: an
    integer's next whole number, or `m` itself left out with `not: {enum: [m]}`."""
    excluded: list[Any] = []
    for key, bound, step in (
        ("exclusiveMinimum", "minimum", 1),
        ("exclusiveMaximum", "maximum", -1),
    ):
        exclusive = node.get(key)
        if not isinstance(exclusive, bool):
            continue
        del node[key]
        value = node.get(bound)
        if not exclusive or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if node.get("type") == "integer":
            node[bound] = math.floor(value) + 1 if step > 0 else math.ceil(value) - 1
        else:
            excluded.append(value)
    if not excluded:
        return
    extra = {"not": {"enum": excluded}}
    if "not" in node:
        node["allOf"] = [*node.get("allOf", []), extra]
    else:
        node.update(extra)


def _has_outer_ref(value: Any) -> bool:
    """Whether `value` holds a `$ref` that points outside the document."""
    if isinstance(value, list):
        return any(_has_outer_ref(item) for item in value)
    if not isinstance(value, dict):
        return False
    ref = value.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        return True
    return any(_has_outer_ref(item) for item in value.values())


def _plain_path_names(document: Mapping[str, Any], path: str, item: Any) -> tuple[str, Any]:
    """`/a/{item.id}` as `/a/{item_id}`, its parameter renamed alike: schemathesis fills a
    path template with `str.format`, which reads `item.id` as an attribute and fails. The
    URL it sends is the same; only the name it gives the value changes."""
    # A literal `#` or `?` is part of the path (the server routes it as such), not the
    # start of a fragment or query: sent encoded.
    literal = re.split(r"(\{[^{}]+\})", path)
    path = "".join(
        p if p.startswith("{") else p.replace("#", "%23").replace("?", "%3F") for p in literal
    )
    names = re.findall(r"\{([^{}]+)\}", path)
    odd = {name: re.sub(r"\W", "_", name) for name in names if re.search(r"\W", name)}
    if not odd or not isinstance(item, Mapping):
        return path, item
    taken = set(names)
    for name, plain in odd.items():
        while plain in taken:
            plain += "_"
        odd[name] = plain
        taken.add(plain)
        path = path.replace("{" + name + "}", "{" + plain + "}")
    out = dict(item)
    for key, value in item.items():
        if key == "parameters":
            out[key] = _renamed(document, value, odd)
        elif key in METHODS and isinstance(value, Mapping) and "parameters" in value:
            out[key] = {**value, "parameters": _renamed(document, value["parameters"], odd)}
    return path, out


def _renamed(document: Mapping[str, Any], parameters: Any, names: Mapping[str, str]) -> Any:
    if not isinstance(parameters, list):
        return parameters
    out = []
    for parameter in parameters:
        resolved = parameter
        if isinstance(parameter, Mapping) and isinstance(parameter.get("$ref"), str):
            resolved = lookup_pointer(document, parameter["$ref"][1:])
        if (
            isinstance(resolved, Mapping)
            and resolved.get("in") == "path"
            and resolved.get("name") in names
        ):
            parameter = {**resolved, "name": names[resolved["name"]]}
        out.append(parameter)
    return out


def _discriminator_mappings(document: dict[str, Any]) -> None:
    """A discriminator without a mapping whose members fix the property (`kind: {const:
    cat}`) is read by those values, as the models read it (`prepare.infer_mapping`);
    schemathesis would read it by the members' schema names."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    for item in walk_schemas(document).nodes:
        discriminator = item.node.get("discriminator")
        if isinstance(discriminator, dict) and "mapping" not in discriminator:
            trial = deep_copy(item.node)
            infer_mapping(trial, schemas)
            if "discriminator" in trial:
                item.node["discriminator"] = trial["discriminator"]


def _path_item(item: Mapping[str, Any], root_security: Any) -> dict[str, Any]:
    out = dict(item)
    out.pop("servers", None)
    shared = bool(item.get("parameters"))
    for method in METHODS:
        operation = item.get(method)
        if isinstance(operation, Mapping):
            out[method] = _operation(operation, shared, root_security)
    return out


def _operation(operation: Mapping[str, Any], shared: bool, root_security: Any) -> dict[str, Any]:
    out = dict(operation)
    out.pop("servers", None)
    body = operation.get("requestBody")
    if isinstance(body, Mapping) and isinstance(body.get("content"), Mapping):
        content = _text_range(_raw_bodies(body["content"]))
        out["requestBody"] = {**body, "content": content}
    responses = dict(operation.get("responses") or {})
    for status, media in list(responses.items()):
        if isinstance(media, Mapping) and isinstance(media.get("content"), Mapping):
            responses[status] = {**media, "content": _streams(media["content"])}
    security = operation.get("security", root_security)
    needs = {
        "400": shared or bool(operation.get("parameters")) or "requestBody" in operation,
        "401": bool(security),
        "415": "requestBody" in operation,
    }
    for status, needed in needs.items():
        if needed and not _covered(responses, status):
            responses[status] = {
                "description": _OWN_ERRORS[status],
                "content": {PROBLEM_MEDIA: {"schema": dict(_PROBLEM)}},
            }
    out["responses"] = responses
    return out


def _covered(responses: Mapping[str, Any], status: str) -> bool:
    keys = {str(key).upper() for key in responses}
    return bool(keys & {status, f"{status[0]}XX", "DEFAULT"})


def _raw_bodies(content: Mapping[str, Any]) -> dict[str, Any]:
    """Request media types servers take as bytes, unparsed (XML, anything not JSON, a
    form or text; a stream, which servers read whole), without their schema: any bytes
    are valid to the server, so schemathesis must not send data it calls
    schema-violating and expect a 400."""
    out = dict(content)
    for media, node in content.items():
        if content_kind(media, request=True) in _DECODED or not isinstance(node, Mapping):
            continue
        out[media] = {k: v for k, v in node.items() if k != "schema"}
    return out


def _text_range(content: dict[str, Any]) -> dict[str, Any]:
    """`text/*` as `text/plain`, in its place, unless that is declared too."""
    keys = {media.split(";")[0].strip().lower(): media for media in content}
    if "text/*" not in keys or "text/plain" in keys:
        return content
    ranged = keys["text/*"]
    return {"text/plain" if m == ranged else m: node for m, node in content.items()}


def _streams(content: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(content)
    for media, node in content.items():
        if media.split(";")[0].strip().lower() != _SSE or not isinstance(node, Mapping):
            continue
        if "itemSchema" in node or "schema" not in node:
            continue
        schema = node["schema"]
        data: dict[str, Any] = (
            {"type": "string", "contentMediaType": "application/json", "contentSchema": schema}
            if not _is_string(schema)
            else schema
        )
        rest = {k: v for k, v in node.items() if k != "schema"}
        out[media] = {
            **rest,
            "itemSchema": {"type": "object", "properties": {"data": data}},
        }
    return out


def _is_string(schema: Any) -> bool:
    """A schema of text events (sent as written, not as JSON)."""
    return isinstance(schema, Mapping) and schema.get("type") == "string"
