"""Request paths to operations.

A request path is matched segment by segment (each percent-decoded after splitting, so an
encoded `/` stays inside its segment) against the spec's path templates, below the base path.
A `{name}` takes a whole non-empty segment, or part of one (`/files/{name}.json`). Where
several templates match, literal segments win, from the left: `/users/me` before
`/users/{id}`, as in OpenAPI's own rule and every router.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from generator.proxy.contract import Operation

_VARIABLE = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Segment:
    literal: str | None  # the segment as written, when it holds no variable
    pattern: re.Pattern[str] | None  # otherwise: its variables as named groups
    names: tuple[str, ...]  # the variables, in order


@dataclass(frozen=True)
class Template:
    path: str
    segments: tuple[Segment, ...]

    @property
    def rank(self) -> tuple[int, ...]:
        """Sorts the most literal template first: per segment, 0 literal, 1 mixed, 2 variable."""
        return tuple(
            0 if s.literal is not None else 2 if s.pattern and s.pattern.pattern == "(.+)" else 1
            for s in self.segments
        )

    def match(self, segments: Sequence[str]) -> dict[str, str] | None:
        """The path parameters, when `segments` (decoded) fit this template."""
        if len(segments) != len(self.segments):
            return None
        values: dict[str, str] = {}
        for want, got in zip(self.segments, segments, strict=True):
            if want.literal is not None:
                if want.literal != got:
                    return None
                continue
            assert want.pattern is not None
            found = want.pattern.fullmatch(got)
            if found is None:
                return None
            values.update(zip(want.names, found.groups(), strict=True))
        return values


def parse_template(path: str) -> Template:
    return Template(path, tuple(_segment(part) for part in _split(path)))


def _segment(text: str) -> Segment:
    # A path key is URL text (`%7Bid%7D` is the literal `{id}`): its literal text is
    # compared decoded, as the request's segments are.
    names = tuple(_VARIABLE.findall(text))
    if not names:
        return Segment(literal=unquote(text), pattern=None, names=())
    pieces = _VARIABLE.split(text)  # literal, name, literal, name, ..., literal
    regex = "".join(re.escape(unquote(p)) if i % 2 == 0 else "(.+)" for i, p in enumerate(pieces))
    return Segment(literal=None, pattern=re.compile(regex), names=names)


def _split(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


def split_request_path(raw_path: str) -> list[str]:
    """The segments of a request path as sent (percent-encoded), each decoded."""
    return [unquote(part) for part in _split(raw_path)]


@dataclass(frozen=True)
class Match:
    operation: Operation | None  # None: the path matches, the method does not
    template: str  # the path template matched
    values: dict[str, str]  # path parameters, decoded


class Router:
    def __init__(self, operations: Sequence[Operation], base_path: str = "") -> None:
        self.base_path = base_path.rstrip("/")
        templates = {op.path: parse_template(op.path) for op in operations}
        self._templates = sorted(templates.values(), key=lambda t: t.rank)
        self._operations = {(op.method, op.path): op for op in operations}

    def match(self, method: str, raw_path: str) -> Match | None:
        """The operation `method raw_path` calls; a Match without operation when only the
        method is not declared; None when no path (below the base path) matches."""
        rest = self._below_base(raw_path)
        if rest is None:
            return None
        segments = split_request_path(rest)
        path_only: Match | None = None
        for template in self._templates:
            values = template.match(segments)
            if values is None:
                continue
            operation = self._operations.get((method.upper(), template.path))
            if operation is not None:
                return Match(operation, template.path, values)
            path_only = path_only or Match(None, template.path, values)
        return path_only

    def _below_base(self, raw_path: str) -> str | None:
        if not self.base_path:
            return raw_path
        if raw_path == self.base_path:
            return "/"
        if raw_path.startswith(self.base_path + "/"):
            return raw_path[len(self.base_path) :]
        return None
