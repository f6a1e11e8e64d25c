"""Python identifiers: the only way a spec name reaches an identifier position in Python code.

`PyName` (snake_case: functions, methods, arguments, attributes, modules), `PyClass`
(PascalCase) and `PyConst` (UPPER_CASE) make any text a valid identifier that is not a
keyword: `class` -> `class_`, `None` -> `NoneModel`. They are `Code`, so templates print them.

Which names a scope of generated code already binds is not listed here: it is read off the
rendered templates (`generator.render.python.reserved`), and `Scope.claim` steers a spec name
around those and around the spec names claimed before it, by a stable rule:

    1. the name itself;
    2. the name with the role's suffix word (`close` -> `close_operation`, a parameter
       `body` -> `body_query`, a tag `Base` -> `BaseTag`);
    3. that with a number: `close_operation_2`, `close_operation_3`, ... (`BaseTag2` for
       classes).

Spec names are claimed in document order, so the same spec always gets the same names.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from generator.ir.names import numbered, pascal_case, snake_case, upper_case
from generator.render.code import Code

# Keywords are the language's, not bindings of generated code: no scope may hold one.
_KEYWORDS = frozenset(keyword.kwlist)


class PyName(Code):
    """snake_case identifier for functions, methods, arguments, attributes and modules."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "value") -> PyName:
        name = snake_case(raw, fallback)
        return super().__new__(cls, f"{name}_" if name in _KEYWORDS else name)


class PyClass(Code):
    """PascalCase identifier for classes (and type aliases)."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "Model") -> PyClass:
        name = pascal_case(raw, fallback)
        return super().__new__(cls, f"{name}Model" if name in _KEYWORDS else name)


class PyConst(Code):
    """UPPER_CASE identifier for module constants (a leading `_` is kept: private ones)."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "VALUE", private: bool = False) -> PyConst:
        name = upper_case(raw, fallback)
        return super().__new__(cls, f"_{name}" if private else name)


class Scope:
    """The names one scope of generated code binds: fixed ones (read off the templates) and
    the spec names claimed in it so far."""

    def __init__(self, fixed: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(fixed)
        # Where the names this scope gives are also written down, in order (a view's key).
        self.answers: list[str] | None = None

    def __contains__(self, name: object) -> bool:
        return name in self._taken

    def reserve(self, *names: str) -> None:
        """Names the generated code binds here besides those read off the templates."""
        self._taken.update(names)

    def name(self, raw: str, *, suffix: str, fallback: str = "value") -> PyName:
        """A snake_case name for `raw`: itself, `<name>_<suffix>`, then numbered."""
        base = PyName(raw, fallback=fallback)
        return _exact(PyName, self._claim(base, PyName(f"{base} {suffix}"), "_"))

    def cls(self, raw: str, *, suffix: str = "", fallback: str = "Model") -> PyClass:
        """A PascalCase name for `raw`: itself, `<Name><Suffix>` (when given), then numbered."""
        base = PyClass(raw, fallback=fallback)
        second = PyClass(f"{base} {suffix}") if suffix else base
        return _exact(PyClass, self._claim(base, second, ""))

    def const(self, raw: str, *, private: bool = False) -> PyConst:
        """An UPPER_CASE name for `raw` (`_`-prefixed when `private`), numbered if taken."""
        base = PyConst(raw, private=private)
        return _exact(PyConst, self._claim(base, base, "_"))

    def _claim(self, first: str, second: str, separator: str) -> str:
        chosen = next((c for c in (first, second) if c not in self._taken), None)
        if chosen is None:
            chosen = numbered(second, self._taken, separator)
        self._taken.add(chosen)
        if self.answers is not None:
            self.answers.append(chosen)
        return chosen


_T = TypeVar("_T", bound=Code)


def _exact(kind: type[_T], text: str) -> _T:
    """`text`, already a valid identifier of `kind`, as that type (not re-spelled)."""
    return str.__new__(kind, text)


class Role(StrEnum):
    """A kind of spec-derived name, and so the scopes of generated code it is bound in."""

    METHOD = "method"
    CONTRACT_CLASS = "contract class"
    CLIENT_CLASS = "client class"
    PARAMETER = "parameter"
    HEADER = "header"
    CREDENTIAL = "credential"
    GROUP_MODULE = "group module"
    GROUP_ATTRIBUTE = "group attribute"


@dataclass(frozen=True)
class Fixed:
    """The names the templates bind in the scopes of each role (see `reserved.fixed_names`)."""

    by_role: Mapping[Role, frozenset[str]] = field(default_factory=dict)

    def scope(self, role: Role, log: dict[Role, set[str]] | None = None) -> Scope:
        return _LoggedScope(self.by_role.get(role, frozenset()), role, log)


class _LoggedScope(Scope):
    """A scope that also records what it claims under its role (the probe needs to know which
    identifiers stand for which role)."""

    def __init__(self, fixed: frozenset[str], role: Role, log: dict[Role, set[str]] | None) -> None:
        super().__init__(fixed)
        self._role = role
        self._log = log

    def _claim(self, first: str, second: str, separator: str) -> str:
        chosen = super()._claim(first, second, separator)
        if self._log is not None:
            self._log.setdefault(self._role, set()).add(chosen)
        return chosen
