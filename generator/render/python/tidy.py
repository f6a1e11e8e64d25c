"""A rendered Python file's import block and `__all__` as ruff's check pass would leave them.

Templates write their imports in a fixed order, with the types' imports (`py.type_imports`)
after them and names some APIs never use. ruff's check pass (`write/formatting.py`) sorts,
merges and drops them, but each fix costs another lint of the whole file: about 70 ms of a
megabyte of handlers. Done here first, cheaply, the pass finds nothing to fix. ruff stays the
judge: whatever this leaves that it would change, it still changes (and the output is the
same either way), so this module only ever saves time. What it does not understand (a
comment, a conditional import, anything but plain `import` and `from` statements) it leaves
alone.

The rules are ruff's isort defaults: sections future, standard library, third party, first
party, local folder, a blank line between them; within a section `import x` lines first, then
`from` lines, modules in natural order ignoring case; names constants first, then classes,
then the rest; one `as` import per line; a line over 88 columns, or one written with a
trailing comma inside parentheses, exploded one name per line. `__all__` is sorted the way
RUF022 sorts it. An imported name that never appears as a word in the rest of the file is
dropped (F401): a name ruff counts as used always appears there.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

LINE_LENGTH = 88  # the line length the formatter is run with
_FUTURE, _STDLIB, _THIRD, _FIRST, _LOCAL = range(5)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DOTTED = re.compile(r"\.*([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?\Z")
_WORD = re.compile(r"[A-Za-z0-9_]")
_ALL = "__all__ = ["


@dataclass
class _From:
    """The `from` statements of one module, merged: names without `as`, and `as` pairs (each
    its own statement, as ruff writes them)."""

    module: str  # with its leading dots
    names: set[str] = field(default_factory=set)
    aliased: set[tuple[str, str]] = field(default_factory=set)
    exploded: bool = False  # written with a magic trailing comma somewhere


def tidy_python(text: str, first_party: Collection[str] = (), *, drop_unused: bool = True) -> str:
    """`text` with its leading import block and the `__all__` list after it tidied; the text
    unchanged when it has neither in a form this module reads. `drop_unused=False` keeps
    every import (a package's `__init__` imports to export)."""
    # Both lie near the top: the lines there, and the rest of a large module in one piece.
    lines = text.split("\n", _HEAD_LINES)
    if len(lines) > _HEAD_LINES:
        tidied = _tidy(lines, first_party, drop_unused, partial=True)
        if tidied is not _WHOLE:
            return text if tidied is None else tidied
        lines = text.split("\n")
    tidied = _tidy(lines, first_party, drop_unused, partial=False)
    return text if tidied is None or tidied is _WHOLE else tidied


_HEAD_LINES = 8192  # lines split apart first: a megabyte of handlers has about 2,000 here
_WHOLE = "split every line"  # `_tidy` read into the rest of the text: try again with all


def _tidy(
    lines: list[str], first_party: Collection[str], drop_unused: bool, *, partial: bool
) -> str | None:
    """The tidied text of `lines`, None when there is nothing this reads; with `partial`
    (the last item is the rest of the text, unsplit), `_WHOLE` when what it reads may go on
    into that rest."""
    head = lines[:-1] if partial else lines
    start = _block_start(head)
    parsed = None if start is None else _read_block(head, start)
    if start is None or parsed is None:
        return _WHOLE if partial else None
    imports, froms, end = parsed
    tail = lines[end:]
    after = next((i for i, line in enumerate(tail) if line.strip()), len(tail))
    if partial:
        known = tail[:-1]  # what follows the block, up to the rest
        if after >= len(known) or (known[after] == _ALL and "]" not in known[after:]):
            return _WHOLE
    rest = "\n".join(tail)
    block = _write_block(imports, froms, _Uses(rest) if drop_unused else _everything, first_party)
    if block and after < len(tail):
        # One blank line after the imports, two before a class or function.
        definition = tail[after].startswith(("class ", "def ", "async def ", "@"))
        tail = ["", *([""] if definition else []), *tail[after:]]
    tail = _sorted_all(tail) or tail  # `__all__` ends before the rest (checked above)
    return "\n".join([*lines[:start], *block, *tail])


def _everything(_name: str) -> bool:
    return True


def _block_start(lines: list[str]) -> int | None:
    """The first line of the import block that follows the module's comments and docstring;
    None when something else comes first (then nothing is tidied: a line of a string that
    reads like an import is not one)."""
    at = _skip_comments(lines, 0)
    head = lines[at] if at < len(lines) else ""
    quote = head.lstrip("rRuU")[:3]
    if quote in ('"""', "'''"):
        opening = len(head) - len(head.lstrip("rRuU")) + 3
        closing = next(
            (i for i in range(at, len(lines)) if quote in lines[i][opening if i == at else 0 :]),
            None,
        )
        if closing is None:
            return None
        at = _skip_comments(lines, closing + 1)
    if at < len(lines) and lines[at].startswith(("import ", "from ")):
        return at
    return None


def _skip_comments(lines: list[str], at: int) -> int:
    while at < len(lines) and (not lines[at].strip() or lines[at].startswith("#")):
        at += 1
    return at


def _read_block(
    lines: list[str], start: int
) -> tuple[dict[tuple[str, str], None], dict[str, _From], int] | None:
    """The `import` pairs (module, as-name or ""), the merged `from` statements, and the
    index of the first line after the block (its blank lines left out); None on anything
    this module does not read."""
    imports: dict[tuple[str, str], None] = {}
    froms: dict[str, _From] = {}
    i = end = start
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith("import "):
            for part in line[len("import ") :].split(","):
                words = part.split()
                if not _alias_ok(words) or not _DOTTED.match(words[0]) or words[0][0] == ".":
                    return None
                imports[(words[0], words[2] if len(words) == 3 else "")] = None
            i += 1
        elif line.startswith("from "):
            head, sep, names = line.partition(" import ")
            module = head[len("from ") :].strip()
            if not sep or not _DOTTED.match(module) or module == "":
                return None
            exploded = False
            if names.strip() == "(":
                closing = next((j for j in range(i + 1, len(lines)) if lines[j] == ")"), None)
                if closing is None:
                    return None
                inner = [part.strip() for part in lines[i + 1 : closing]]
                exploded = bool(inner) and inner[-1].endswith(",")
                names = " ".join(inner)
                i = closing + 1
            else:
                i += 1
            if module in froms and (exploded or froms[module].exploded):
                return None  # whether ruff keeps a merged statement exploded: its call
            statement = froms.setdefault(module, _From(module))
            statement.exploded = exploded
            for part in names.split(","):
                words = part.split()
                if not words:
                    continue
                if not _alias_ok(words) or not _NAME.match(words[0]):
                    return None
                if len(words) == 3:
                    statement.aliased.add((words[0], words[2]))
                else:
                    statement.names.add(words[0])
        else:
            break
        end = i
    return imports, froms, end


def _alias_ok(words: list[str]) -> bool:
    return len(words) == 1 or (len(words) == 3 and words[1] == "as" and bool(_NAME.match(words[2])))


def _write_block(
    imports: dict[tuple[str, str], None],
    froms: dict[str, _From],
    used: Callable[[str], bool],
    first_party: Collection[str],
) -> list[str]:
    sections: dict[int, list[tuple[tuple[object, ...], str]]] = {}
    for module, alias in imports:
        if alias:
            bound = alias
        else:
            bound = module.split(".")[0]
        if not used(bound):
            continue
        line = f"import {module} as {alias}" if alias else f"import {module}"
        key = (0, *_module_key(module), _natural(alias))
        sections.setdefault(_section(module, first_party), []).append((key, line))
    for statement in froms.values():
        future = statement.module == "__future__"
        names = sorted((n for n in statement.names if future or used(n)), key=_member_key)
        section = sections.setdefault(_section(statement.module, first_party), [])
        for name, alias in statement.aliased:
            if used(alias):
                key = (1, *_module_key(statement.module), *_member_key(name), _natural(alias))
                section.append((key, f"from {statement.module} import {name} as {alias}"))
        if names:
            key = (1, *_module_key(statement.module), *_member_key(names[0]), _natural(""))
            section.append((key, _from_line(statement, names)))
    block: list[str] = []
    for number in sorted(sections):
        entries = sorted(sections[number], key=lambda entry: entry[0])
        if entries:
            if block:
                block.append("")
            block.extend(line for _key, line in entries)
    return block


def _from_line(statement: _From, names: list[str]) -> str:
    line = f"from {statement.module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH and not statement.exploded:
        return line
    return "\n".join([f"from {statement.module} import (", *(f"    {n}," for n in names), ")"])


def _section(module: str, first_party: Collection[str]) -> int:
    if module.startswith("."):
        return _LOCAL
    top = module.split(".")[0]
    if top == "__future__":
        return _FUTURE
    if top in sys.stdlib_module_names:
        return _STDLIB
    return _FIRST if top in first_party else _THIRD


class _Uses:
    """Whether a name appears as a word in a text (searched once per name)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        found = self._known.get(name)
        if found is None:
            found = self._known[name] = self._search(name)
        return found

    def _search(self, name: str) -> bool:
        text, at = self._text, self._text.find(name)
        while at >= 0:
            after = at + len(name)
            before_ok = at == 0 or not _WORD.match(text[at - 1])
            if before_ok and (after == len(text) or not _WORD.match(text[after])):
                return True
            at = text.find(name, at + 1)
        return False


def _module_key(module: str) -> tuple[object, ...]:
    """ruff's order of modules: farthest relative first, then by name ignoring case."""
    bare = module.lstrip(".")
    dots = len(module) - len(bare)
    return (-dots, _natural(bare.lower()), _natural(bare))


def _member_key(name: str) -> tuple[object, ...]:
    return (_kind(name), _natural(name.lower()), _natural(name))


def _kind(name: str) -> int:
    """Constants (all cased letters upper, longer than one character), classes, the rest."""
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        return 0
    return 1 if name[:1].isupper() else 2


_DIGITS = re.compile(r"[0-9]+")


def _natural(text: str) -> str:
    """A key whose plain order is natord's (ruff's natural order) for identifiers: a run of
    digits is a `0`, its length and the digits, so that a longer number is larger and any
    number is smaller than a letter or `_`; a run with leading zeros, which natord compares
    digit by digit, sorts before the others, ended by a character below every digit."""
    return _DIGITS.sub(_number, text)


def _number(match: re.Match[str]) -> str:
    digits = match.group()
    if digits[0] == "0":
        return f"0/{digits}\x00"
    return f"0{chr(0x30 + len(digits))}{digits}"


def _sorted_all(rest: list[str]) -> list[str] | None:
    """`rest` with the `__all__` list it starts with (after blank lines) sorted as RUF022
    sorts it, when it is one string per line; None otherwise."""
    at = next((i for i, line in enumerate(rest) if line.strip()), None)
    if at is None or rest[at] != _ALL:
        return None
    closing = next((i for i in range(at + 1, len(rest)) if rest[i] == "]"), None)
    if closing is None:
        return None
    entries = rest[at + 1 : closing]
    values = []
    for entry in entries:
        item = entry.strip()
        if not entry.startswith("    ") or not item.endswith(",") or len(item) < 3:
            return None
        quoted = item[:-1]
        if quoted[0] not in "'\"" or quoted[-1] != quoted[0] or not _NAME.match(quoted[1:-1]):
            return None
        values.append((quoted[1:-1], entry))
    values.sort(key=lambda pair: (_kind(pair[0]), _natural(pair[0])))
    return [*rest[: at + 1], *(entry for _v, entry in values), *rest[closing:]]
