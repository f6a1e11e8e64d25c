"""The names generated code binds itself, read off the rendered templates, never kept by hand.

The probe API (`probe.py`) is rendered with the run's own templates, styles and layout; every
identifier the view derives from its spec names contains `zz`. Each module is parsed and its
scopes are walked (module, classes, functions) to learn, for every probe identifier, which
other names it must not take:

- in a module or function scope: every name bound or read there, and every name a nested
  scope reads from outside (taking one would shadow it for them);
- in a class body: every name bound or read there (a field named `field` would shadow the
  `field(...)` a later line calls), and the members of its base classes;
- names in annotations count as read where a type checker resolves them (class bodies for
  fields, the enclosing scope for signatures), and so do the type strings given to `cast`.

The fixed names of a role (`views.Role`) are the union over the identifiers the probe's view
claimed for that role. A template change, a user template folder or a new style is covered
without a list to update.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from generator.render.python.probe import MARK


def _is_probe(name: str) -> bool:
    return MARK in name.lower()


@dataclass
class _Scope:
    kind: str  # module, class, function
    name: str
    bound: set[str] = field(default_factory=set)
    read: set[str] = field(default_factory=set)
    children: list[_Scope] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)  # class scopes: base class names

    def names(self) -> set[str]:
        return self.bound | self.read

    def outer_reads(self) -> set[str]:
        """Names this scope or those nested in it read from an enclosing scope."""
        found = self.read - self.bound
        for child in self.children:
            found |= child.outer_reads() - (self.bound if self.kind != "class" else set())
        return found


class _Collector(ast.NodeVisitor):
    """Builds the scope tree of one module."""

    def __init__(self) -> None:
        self.root = _Scope("module", "")
        self.stack = [self.root]

    @property
    def scope(self) -> _Scope:
        return self.stack[-1]

    def _annotation(self, node: ast.expr | None, into: _Scope) -> None:
        if node is None:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a string type
            into.read |= _names_in_string(node.value)
            return
        into.read.update(sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name))

    def _enter(self, scope: _Scope, body: Iterable[ast.stmt]) -> None:
        self.scope.children.append(scope)
        self.stack.append(scope)
        for statement in body:
            self.visit(statement)
        self.stack.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.bound.add(node.name)
        for expr in [*node.bases, *node.decorator_list, *(k.value for k in node.keywords)]:
            self.visit(expr)
        scope = _Scope("class", node.name, bases=[_last_name(b) for b in node.bases])
        self._enter(scope, node.body)
        for item in ast.walk(node):  # `self.x = ...` in a method makes `x` a member
            if isinstance(item, ast.Attribute) and isinstance(item.ctx, ast.Store):
                if isinstance(item.value, ast.Name) and item.value.id == "self":
                    scope.bound.add(item.attr)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self.scope
        outer.bound.add(node.name)
        for expr in [*node.decorator_list, *node.args.defaults]:
            self.visit(expr)
        for default in node.args.kw_defaults:
            if default is not None:
                self.visit(default)
        scope = _Scope("function", node.name)
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        arguments += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
        for arg in arguments:
            scope.bound.add(arg.arg)
            # Signatures are resolved in the enclosing scope; the function's own names must
            # not hide them either (a parameter `date` next to a `date` annotation).
            self._annotation(arg.annotation, outer)
            self._annotation(arg.annotation, scope)
        self._annotation(node.returns, outer)
        self._annotation(node.returns, scope)
        self._enter(scope, node.body)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.scope.bound.update(a.arg for a in node.args.args)
        self.visit(node.body)

    def visit_Name(self, node: ast.Name) -> None:
        (self.scope.read if isinstance(node.ctx, ast.Load) else self.scope.bound).add(node.id)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        self._annotation(node.annotation, self.scope)
        if node.value is not None:
            self.visit(node.value)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.scope.bound.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.scope.bound.add(alias.asname or alias.name)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.scope.bound.add(node.name)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        # typing.cast("models.Pet | None", value): the string is a type, resolved here.
        if _last_name(node.func) == "cast" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.scope.read |= _names_in_string(first.value)
        self.generic_visit(node)


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _last_name(node.value)
    return ""


def _names_in_string(text: str) -> set[str]:
    """The names of a type written as a string (empty when it is not an expression)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _walk(scope: _Scope) -> Iterator[_Scope]:
    stack = [scope]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.children)


@dataclass
class _Package:
    scopes: list[_Scope]
    classes: dict[str, _Scope]

    def members(self, cls: _Scope, seen: set[str] | None = None) -> set[str]:
        """Names bound in a class body and in its base classes (found by name)."""
        seen = seen if seen is not None else set()
        found = set(cls.bound)
        for base in cls.bases:
            if base in self.classes and base not in seen:
                seen.add(base)
                found |= self.members(self.classes[base], seen)
        return found

    def fixed(self, scope: _Scope) -> set[str]:
        if scope.kind == "class":
            return scope.names() | self.members(scope)
        found = scope.names()
        for child in scope.children:
            found |= child.outer_reads()
        return found


def analyse(sources: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """For each probe identifier in `sources` (path -> Python source), the names that are not
    probe-derived in every scope it appears in (see the module docstring)."""
    roots = []
    for path in sorted(sources):
        try:
            tree = ast.parse(sources[path], path)
        except SyntaxError:
            continue  # a broken user template: the real render reports it (SG590)
        collector = _Collector()
        collector.visit(tree)
        roots.append(collector.root)
    scopes = [s for root in roots for s in _walk(root)]
    classes: dict[str, _Scope] = {}
    for scope in scopes:
        if scope.kind == "class":
            classes.setdefault(scope.name, scope)
    package = _Package(scopes, classes)
    found: dict[str, set[str]] = {}
    for scope in scopes:
        probe_names = {n for n in scope.names() if _is_probe(n)}
        if not probe_names:
            continue
        fixed = {n for n in package.fixed(scope) if not _is_probe(n)}
        for name in probe_names:
            found.setdefault(name, set()).update(fixed)
    return {name: frozenset(names) for name, names in found.items()}


@lru_cache(maxsize=64)
def cached_analysis(sources: tuple[tuple[str, str], ...]) -> Mapping[str, frozenset[str]]:
    """`analyse` once per distinct rendered probe package in a process."""
    return analyse(dict(sources))
