"""The OpenAPI document inside a Markdown documentation page (a fenced yaml/json block).

The block is returned verbatim, line endings included: `specgen import page.md -o spec.yaml`
writes it out and the result must be byte-identical to the committed spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diagnostics import Location, SpecError, error

# CommonMark fences: up to 3 spaces of indent, 3+ backticks or tildes, then an info string
# (which may not contain a backtick when the fence is made of backticks).
_OPEN = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\r\n]*?)[ \t]*\r?\n?")
_LANGUAGE = re.compile(r"(yaml|yml|json)(?![A-Za-z0-9])", re.IGNORECASE)
_YAML_ROOT_KEY = re.compile(r"""(openapi|"openapi"|'openapi')[ \t]*:""")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_JSON_KEY = re.compile(r"""\s*\{?\s*"openapi"\s*:""")


@dataclass(frozen=True)
class _Block:
    text: str
    first_line: int  # 1-based line of the page where the content starts
    fence_line: int


def _is_closing(line: str, fence: str) -> bool:
    stripped = line.rstrip("\r\n")
    body = stripped.lstrip(" ")
    if len(stripped) - len(body) > 3:
        return False
    run = len(body) - len(body.lstrip(fence[0]))
    return run >= len(fence) and not body[run:].strip(" \t")


def _fenced_blocks(text: str) -> list[_Block]:
    """yaml/yml/json fenced blocks; an unclosed fence runs to the end, as in CommonMark."""
    # Only "\n" ends a line: str.splitlines() would also split on U+2028 or form feeds inside
    # the YAML, shifting every line number after them.
    lines = _LINE.findall(text)
    blocks: list[_Block] = []
    index = 0
    while index < len(lines):
        match = _OPEN.fullmatch(lines[index])
        if match is None:
            index += 1
            continue
        fence, info = match["fence"], match["info"]
        if fence[0] == "`" and "`" in info:
            index += 1
            continue
        start = index + 1
        end = start
        while end < len(lines) and not _is_closing(lines[end], fence):
            end += 1
        if _LANGUAGE.match(info):
            content = "".join(lines[start:end])
            if content and not content.endswith("\n"):
                content += "\n"
            blocks.append(_Block(content, start + 1, index + 1))
        index = end + 1
    return blocks


def _is_openapi(content: str) -> bool:
    lines = content.split("\n")
    return any(_YAML_ROOT_KEY.match(line) or _JSON_KEY.match(line) for line in lines)


def extract_openapi_block(text: str, display: str = "<markdown>") -> tuple[str, int]:
    """The verbatim OpenAPI block of a Markdown page and the page line where it starts.

    Raises SpecError SG105 when the page has no such block, or more than one.
    """
    candidates = [b for b in _fenced_blocks(text) if _is_openapi(b.text)]
    if len(candidates) == 1:
        return candidates[0].text, candidates[0].first_line
    if not candidates:
        message = "no fenced yaml/json block with a top-level `openapi:` key in this page"
        hint = "the page needs a ```yaml (or ```json) block holding the OpenAPI document"
        raise SpecError([error("SG105", message, hint, Location(display, 1, 1))])
    lines = ", ".join(str(b.fence_line) for b in candidates)
    message = f"{len(candidates)} OpenAPI blocks in this page (fences at lines {lines})"
    hint = "keep one OpenAPI block per page, or extract each into its own spec file"
    location = Location(display, candidates[1].fence_line, 1)
    raise SpecError([error("SG105", message, hint, location)])
