"""A spec path in the route syntax of each generated server.

A path key is URL text (OpenAPI appends it to the server URL as written): its literal text
is percent-encoded as a client sends it (`%7Bliteral%7D` is the segment `{literal}`), and
every `{name}` in it is a template expression naming a path parameter (3.0/3.1 "Path
Templating"; lint SG403/SG404 hold specs to that, so a literal brace is always encoded).
Both frameworks match the decoded request path, so literal text must be matched decoded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote

_VARIABLE = re.compile(r"\{([^{}]*)\}")  # as the lint reads a template (lint.py)


def _pieces(path: str) -> list[tuple[bool, str]]:
    """The path as (is_variable, text) pieces: literal text as written, variable names."""
    parts = _VARIABLE.split(path)  # literal, name, literal, name, ..., literal
    return [(i % 2 == 1, part) for i, part in enumerate(parts) if part or i % 2]


def starlette_path(path: str, params: Mapping[str, tuple[str, bool]]) -> str:
    """`path` in Starlette's syntax: each parameter (`params`: wire name -> argument name,
    greedy) as `{name}` or `{name:path}`. Literal text stays as written: Starlette has no
    spelling of a literal brace, so `_server_runtime.order_routes` matches it decoded."""
    out = []
    for variable, text in _pieces(path):
        if variable and text in params:
            name, greedy = params[text]
            out.append(f"{{{name}:path}}" if greedy else f"{{{name}}}")
        else:
            out.append(f"{{{text}}}" if variable else text)
    return "".join(out)


def werkzeug_rule(path: str, params: Mapping[str, tuple[str, bool]]) -> str:
    """`path` as a Werkzeug rule: each parameter as `<name>` or `<path:name>`, literal
    text decoded (Werkzeug matches it as written), and a literal `<`, which would open a
    converter, as an `any("<")` converter of a variable no parameter has."""
    taken = {name for name, _ in params.values()}
    out = []
    for variable, text in _pieces(path):
        if variable:
            name, greedy = params.get(text, (text, False))
            out.append(f"<path:{name}>" if greedy else f"<{name}>")
            continue
        pieces = unquote(text).split("<")
        out.append(pieces[0])
        for piece in pieces[1:]:
            out.append(f'<any("<"):{_fresh(taken)}>{piece}')
    return "".join(out)


def _fresh(taken: set[str]) -> str:
    number = 0
    while f"_lt{number}" in taken:
        number += 1
    taken.add(f"_lt{number}")
    return f"_lt{number}"
