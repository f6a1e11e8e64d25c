"""Rendered fragments kept across runs: `{% cached op %}...{% endcached %}`.

A template marks a piece of its output that depends only on named values (an operation's
view, a flag): `{% cached op, url %}`. The piece is rendered once and kept in the `fragments/`
memo under a key made of where the block is, the key of each value and what every block
depends on (the templates' text, specgen's code, Jinja's version); the next run that asks
for it with the same values reuses the text instead of rendering it. An operation's view
carries its key (`OperationView.fragment_key`: its IR and the names it was given, see
`builder.py`),
so an edit of one operation renders only that operation's fragments again.

A block must not read anything else. Every template is checked as it is compiled: a block
may read its named values, what it binds itself, Jinja's globals, the macros of templates
imported without context (they see only their arguments), and the macros of its own template
that read nothing else either. A block that reads more (`py`, `api`, an outer `loop`, a macro
reading the template's context) fails to compile, naming the value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from generator.cache.memo import Memo, memo_key
from generator.render.code import Code

_TAG = "cached"
_METHOD = "_fragment"
# Names no block may read unless it binds them itself: the template's own machinery.
_NEVER = frozenset({"self", "super", "caller", "varargs", "kwargs"})


class Fragments:
    """The fragments of one API's last run (`kept`), and those this run used (`used`)."""

    def __init__(self, salt: str, kept: Mapping[str, str] | None = None) -> None:
        self.salt = salt  # what every fragment depends on besides its values
        self.kept = dict(kept or {})
        self.used: dict[str, str] = {}

    def key(self, block: str, values: Iterable[Any]) -> str | None:
        """The key of `block` rendered with `values`; None when a value has no key."""
        parts = [self.salt, block]
        for value in values:
            part = _value_key(value)
            if part is None:
                return None
            parts.append(part)
        return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def render(self, block: str, values: list[Any], caller: Callable[[], str]) -> str:
        key = self.key(block, values)
        if key is None:
            return caller()
        text = self.used.get(key)
        if text is None:
            text = self.kept.get(key)
        if text is None:
            text = caller()
        self.used[key] = text
        return Code(text)


def _value_key(value: Any) -> str | None:
    """A value's part of a fragment key: its `fragment_key` (an operation's view), or a plain
    scalar spelled with its type (None for anything else: that block is rendered every time)."""
    key = getattr(value, "fragment_key", None)
    if isinstance(key, str):
        return f"key:{key}" if key else None
    if value is None or isinstance(value, bool | int | float | str):
        return f"{type(value).__name__}:{value!r}"
    return None


MEMO_FOLDER = "fragments"


def load_fragments(memo: Memo | None, api_name: str, salt: str) -> Fragments:
    """The fragments `save_fragments` kept for `api_name` (none without a memo)."""
    if memo is None:
        return Fragments(salt)
    return Fragments(salt, memo.get_table(_table_key(api_name, salt)))


def save_fragments(memo: Memo | None, api_name: str, fragments: Fragments) -> None:
    """Keep the fragments this run used (those it no longer uses are dropped)."""
    if memo is not None and fragments.used and fragments.used != fragments.kept:
        memo.put_table(_table_key(api_name, fragments.salt), fragments.used)


def _table_key(api_name: str, salt: str) -> str:
    return memo_key("fragments", api_name, salt)


class FragmentExtension(Extension):
    """`{% cached value, ... %}body{% endcached %}`: the body rendered once per values,
    through the environment's `fragments` (rendered every time when there are none)."""

    tags = {_TAG}  # noqa: RUF012 (Jinja reads it as a class attribute)

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(fragments=None)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        values: list[nodes.Expr] = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            values.append(parser.parse_expression())
        body = parser.parse_statements(("name:end" + _TAG,), drop_needle=True)
        block = nodes.Const(f"{parser.name or parser.filename or '<string>'}:{lineno}")
        call = self.call_method(_METHOD, [block, nodes.List(values)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, block: str, values: list[Any], caller: Callable[[], str]) -> str:
        fragments: Fragments | None = getattr(self.environment, "fragments", None)
        if fragments is None:
            return caller()
        return fragments.render(block, values, caller)


def check_cached_blocks(tree: nodes.Template, name: str | None, globals_: Iterable[str]) -> None:
    """Raise TemplateSyntaxError where a `cached` block of `tree` reads a value it does not
    name (see the module's docstring)."""
    blocks = [
        node
        for node in tree.find_all(nodes.CallBlock)
        if isinstance(node.call, nodes.Call)
        and isinstance(node.call.node, nodes.ExtensionAttribute)
        and node.call.node.name == _METHOD
        and node.call.node.identifier == FragmentExtension.identifier
    ]
    if not blocks:
        return
    safe = set(globals_)
    for imported in tree.find_all(nodes.Import):
        if not imported.with_context:
            safe.add(imported.target)
    for chosen in tree.find_all(nodes.FromImport):
        if not chosen.with_context:
            safe.update(n if isinstance(n, str) else n[1] for n in chosen.names)
    # The macros of this template that read only their arguments and safe names, to a
    # fixpoint (a macro may call one defined after it).
    pending = {m.name: m for m in tree.body if isinstance(m, nodes.Macro)}
    changed = True
    while changed:
        changed = False
        for macro_name, macro in list(pending.items()):
            free = _free_names([*macro.defaults, *macro.body], {a.name for a in macro.args})
            if free <= safe:
                safe.add(macro_name)
                del pending[macro_name]
                changed = True
    for block in blocks:
        values = block.call.args[1] if isinstance(block.call, nodes.Call) else None
        items = values.items if isinstance(values, nodes.List) else []
        declared = {v.name for v in items if isinstance(v, nodes.Name)}
        unsafe = sorted(_free_names(block.body, declared) - safe)
        if unsafe:
            raise jinja2.TemplateSyntaxError(
                f"a cached block reads {', '.join(unsafe)}, which it does not name: "
                f"name it after `{_TAG}`, or render that part outside the block",
                block.lineno,
                name,
            )


def _free_names(body: list[nodes.Node], bound: set[str]) -> set[str]:
    """The names `body` reads and does not bind itself (a loop's target, a `set`, a macro's
    arguments, `loop` inside a loop of its own), with `_NEVER` always counted as read."""
    stored: set[str] = set(bound)
    loads: list[nodes.Name] = []
    in_loops: set[int] = set()  # the Name nodes inside the body of a loop of `body`
    for statement in body:
        for node in statement.find_all(nodes.Name):
            if node.ctx == "load":
                loads.append(node)
            else:
                stored.add(node.name)
        loops = [statement] if isinstance(statement, nodes.For) else []
        for loop in [*loops, *statement.find_all(nodes.For)]:
            for inner in loop.body:
                in_loops.update(id(n) for n in inner.find_all(nodes.Name))
                if isinstance(inner, nodes.Name):
                    in_loops.add(id(inner))
    free = set()
    for node in loads:
        own_loop = node.name == "loop" and id(node) in in_loops
        if node.name in _NEVER or (node.name not in stored and not own_loop):
            free.add(node.name)
    return free
