"""One API → the files of its generated package (in memory, unformatted)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import orjson

from generator.cache.memo import Memo
from generator.forked import Spare
from generator.ir.model import Api
from generator.render.python.render import OpenEarly, render_python
from generator.render.styles import (
    DEFAULT_LAYOUT,
    DEFAULT_MODEL_TYPE,
    DEFAULT_STYLES,
    Style,
    resolve_absent,
    resolve_styles,
)


def render_package(
    api: Api,
    template_dirs: Sequence[Path] = (),
    styles: Sequence[Style] | None = None,
    model_type: str = DEFAULT_MODEL_TYPE,
    layout: str = DEFAULT_LAYOUT,
    *,
    package: bool = False,
    absent: str | None = None,
    memo: Memo | None = None,
    spare: Spare | None = None,
    early: OpenEarly | None = None,
) -> dict[str, str]:
    """Every file of the package of `api` in `styles`, keyed by path relative to the package
    folder: the Python files (`generator.render.python.render`), the contract the servers
    serve, the TypeScript client package in `typescript/`, and with `package` the files that
    make the folder a distribution of its own (`pyproject.toml`, `README.md`). `absent` is how
    models.py reads an absent optional property (see `resolve_absent`); `spare` generates
    models.py in that process meanwhile, and `early` is handed each Python file as soon as it
    is made (see `render_python`)."""
    styles = tuple(styles) if styles is not None else resolve_styles(DEFAULT_STYLES, model_type)
    absent = resolve_absent(absent, model_type)
    files = render_python(
        api,
        template_dirs,
        styles,
        model_type,
        layout,
        absent,
        memo,
        spare=spare,
        early=early,
    )
    if package:
        # Imported here, as the TypeScript client below: most runs render neither.
        from generator.render.distribution import render_distribution

        files.update(render_distribution(api, template_dirs, styles, model_type))
    if any(style.kind == "server" for style in styles):
        # The contract the generated servers serve at /openapi.json, and what they check
        # request bodies against beyond the models.
        files["openapi.json"] = _json(api.contract)
        files["request_schemas.json"] = _json(api.request_schemas)
        if api.hooks:
            files["webhooks.openapi.json"] = _json(api.webhook_contract)
    if any(style.name == "typescript" for style in styles):
        from generator.render.typescript import render_typescript_client

        for path, text in render_typescript_client(api, template_dirs, layout).items():
            files[f"typescript/{path}"] = text
    return files


def _json(data: object) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)` and a newline, character for
    character. With `indent`, json uses its pure-Python encoder (a 1 MB contract: 31 ms);
    orjson writes the same layout in 2 ms, but spells some values its own way (`1e16` for
    `1e+16`, null for NaN) and refuses others (ints past 64 bits, keys that are not
    strings). So its compact text is compared with the one json's C encoder writes (6 ms):
    equal tokens laid out by the same rules are equal texts. Otherwise `_json_chunks`."""
    try:
        compact = orjson.dumps(data)
        same = compact == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError, UnicodeEncodeError):  # JSONEncodeError is a TypeError
        same = False
    if same:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()
    return _slow_json(data)


def _slow_json(data: object) -> str:
    """`_json`'s text by a loop of ours: faster than json's encoder with `indent` (a
    generator per nesting level that every chunk passes up through), half its time."""
    return "".join(_json_chunks(data)) + "\n"


_INFINITY = float("inf")


def _json_chunks(data: object) -> list[str]:
    out: list[str] = []
    write = out.append
    # Open containers: (container, its remaining items, is a mapping, separator, depth, first).
    stack: list[tuple[Any, Iterator[Any], bool, str, int, bool]] = []
    markers: set[int] = set()  # ids of the open containers: a cycle fails as in json

    def start(value: Any, depth: int) -> None:
        if not value:
            write("{}" if isinstance(value, dict) else "[]")
            return
        if id(value) in markers:
            raise ValueError("Circular reference detected")
        markers.add(id(value))
        indent = "\n" + "  " * (depth + 1)
        if isinstance(value, dict):
            write("{" + indent)
            stack.append((value, iter(value.items()), True, "," + indent, depth + 1, True))
        else:
            write("[" + indent)
            stack.append((value, iter(value), False, "," + indent, depth + 1, True))

    if isinstance(data, dict | list | tuple):
        start(data, 0)
    else:
        write(encode_basestring(data) if isinstance(data, str) else _scalar(data))
    while stack:
        container, items, mapping, separator, depth, first = stack.pop()
        for item in items:
            if first:
                first = False
            else:
                write(separator)
            if mapping:
                key, value = item
                write(_key(key) + ": ")
            else:
                value = item
            if isinstance(value, str):
                write(encode_basestring(value))
            elif isinstance(value, dict | list | tuple):
                stack.append((container, items, mapping, separator, depth, False))
                start(value, depth)
                break
            else:
                write(_scalar(value))
        else:
            markers.discard(id(container))
            write("\n" + "  " * (depth - 1) + ("}" if mapping else "]"))
    return out


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        text = _float(key)
    elif key is True:
        text = "true"
    elif key is False:
        text = "false"
    elif key is None:
        text = "null"
    elif isinstance(key, int):
        text = int.__repr__(key)
    else:
        message = f"keys must be str, int, float, bool or None, not {key.__class__.__name__}"
        raise TypeError(message)
    return encode_basestring(text)
