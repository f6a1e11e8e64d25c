"""Where a target bundled from another file goes: its component section and name.

A target that is itself a component keeps its section and name. Otherwise the position of the
`$ref` tells what it stands for (a ref in `parameters: [...]` is a parameter), defaulting to a
schema, and the name comes from the last pointer token or the file name.
"""

from __future__ import annotations

import re

from generator.pointers import split_pointer

SECTIONS = frozenset(
    {
        "schemas", "responses", "parameters", "examples", "requestBodies", "headers",
        "securitySchemes", "links", "callbacks", "pathItems",
    }
)  # fmt: skip
_NAME = re.compile(r"[A-Za-z0-9._-]+")  # what OpenAPI allows as a component name
# First token of a two-token pointer that names the section (`defs.yaml#/parameters/limit`).
_SECTION_OF_TOP = {"definitions": "schemas", "$defs": "schemas", **{s: s for s in SECTIONS}}
# Parent key of a ref's holder that tells what the ref stands for; anything else is a schema.
_SECTION_OF_PARENT = {s: s for s in ("responses", "headers", "examples", "links", "callbacks")}
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})


def component_name(raw: str, *, from_file: bool = False) -> str:
    """A valid component name: kept as written when it is one, else PascalCase-like."""
    if not from_file and _NAME.fullmatch(raw):
        return raw
    words = re.findall(r"[A-Za-z0-9]+", raw)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Component"


def component_pointer(pointer: str) -> tuple[str, str] | None:
    """(section, name) when `pointer` is `/components/<section>/<name>`."""
    tokens = split_pointer(pointer)
    if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in SECTIONS:
        return tokens[1], tokens[2]
    return None


def holder_section(pointer: str) -> str:
    """The component section for the target of a `$ref` held at `pointer`."""
    component = component_pointer(pointer)
    if component is not None:
        return component[0]
    tokens = split_pointer(pointer)
    if tokens and tokens[-1] == "requestBody":
        return "requestBodies"
    if len(tokens) >= 2 and (len(tokens) < 3 or tokens[-3] not in _SCHEMA_MAPS):
        if tokens[-2] == "parameters" and tokens[-1].isdigit():
            return "parameters"
        return _SECTION_OF_PARENT.get(tokens[-2], "schemas")
    return "schemas"


def placement(target: str, stem: str, holder: str) -> tuple[str, str]:
    """(section, wanted name) for the target at pointer `target` of a file named `stem`."""
    component = component_pointer(target)
    if component is not None:
        return component[0], component_name(component[1])
    tokens = split_pointer(target)
    if len(tokens) == 2 and tokens[0] in _SECTION_OF_TOP:
        return _SECTION_OF_TOP[tokens[0]], component_name(tokens[1])
    if tokens:
        return holder, component_name(tokens[-1])
    return holder, component_name(stem, from_file=True)
