"""What the YAML parser reports, made readable: failures with messages, marks as positions."""

from __future__ import annotations

import re

import yaml

# libyaml refuses deeper nesting itself; the pure-Python parser gets quadratic past this.
MAX_DEPTH = 1000
# Characters YAML forbids in a stream (c-printable's complement, minus the BOM we strip).
_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_ANY_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Failure(Exception):
    """One problem that stops parsing, with its position."""

    def __init__(self, code: str, message: str, line: int, column: int, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint
        self.line, self.column = line, column


# What YAML forbids and JSON takes in a string as it is: DEL, the C1 controls but NEL, the
# noncharacters U+FFFE and U+FFFF (JSON forbids only the C0 controls unescaped).
JSON_ONLY = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def check_characters(text: str, line_offset: int, *, json: bool = False) -> None:
    """Refuse NUL and other control characters before the parser sees them; with `json`,
    those JSON takes in a string (`JSON_ONLY`) are left to the JSON parser."""
    for bad in _FORBIDDEN.finditer(text):
        if json and JSON_ONLY.fullmatch(bad.group()):
            continue
        line, column = line_and_column(text, bad.start())
        message = f"character U+{ord(bad.group()):04X} is not allowed in YAML or JSON"
        raise Failure("SG101", message, line + line_offset, column, "remove it or escape it")


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class LineMap:
    """Parser marks (0-based) to the 1-based line and column an editor shows.

    libyaml also ends a line at a lone CR, NEL, U+2028 and U+2029 (mis-decoded text is full of
    NELs); editors and our Markdown offsets count "\n" only.
    """

    def __init__(self, text: str, line_offset: int) -> None:
        self.line_offset = line_offset
        # For each parser line: (editor line, 0-based; columns before the parser line start).
        self.starts: list[tuple[int, int]] | None = None
        # `in` is a plain scan; the pattern (with its lookahead) takes 10x longer.
        odd = any(ch in text for ch in "\r\x85\u2028\u2029")
        if odd and _ODD_BREAK.search(text):
            self.starts = [(0, 0)]
            line, line_start = 0, 0
            for brk in _ANY_BREAK.finditer(text):
                if brk.group().endswith("\n"):
                    line, line_start = line + 1, brk.end()
                self.starts.append((line, brk.end() - line_start))

    def __call__(self, line: int, column: int) -> tuple[int, int]:
        if self.starts is not None and line < len(self.starts):
            line, shift = self.starts[line]
            column += shift
        return line + 1 + self.line_offset, column + 1


def syntax_failure(exc: yaml.YAMLError, text: str, lines: LineMap) -> Failure:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return Failure("SG101", f"invalid YAML: {exc}", 1 + lines.line_offset, 1, _SYNTAX_HINT)
    line, column = lines(mark.line, mark.column)
    all_lines = text.split("\n")
    index = line - 1 - lines.line_offset
    line_text = all_lines[index] if index < len(all_lines) else ""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent:
        message = "tab character in indentation: YAML indents with spaces only"
        hint = "replace the tabs with spaces"
        return Failure("SG101", message, line, indent.index("\t") + 1, hint)
    problem = getattr(exc, "problem", None) or "invalid YAML"
    if "maximum nesting depth" in problem:
        problem = f"nesting deeper than {MAX_DEPTH} levels"
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context else problem
    return Failure("SG101", message, line, column, _SYNTAX_HINT)


_SYNTAX_HINT = "fix the YAML at that position (a JSON or YAML linter shows the context)"
