"""Identifier types: the only way a spec name reaches an identifier position in generated code.

Each constructor sanitises arbitrary text (any Unicode, empty, digits first, keywords) into a
valid, non-reserved Python identifier. Collisions between different source names that sanitise
to the same identifier are detected by the lint pass and the builder, not silently suffixed here.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata

# Names a generated module already binds (imports, helpers) or that shadow builtins we rely on.
_RESERVED_ATTRS = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | {
        "self",
        "cls",
        "None",
        "True",
        "False",
    }
)
_RESERVED_CLASSES = frozenset(
    {
        "Any",
        "Annotated",
        "BaseModel",
        "ConfigDict",
        "Enum",
        "Field",
        "List",
        "Dict",
        "Literal",
        "Optional",
        "RootModel",
        "Union",
        "UUID",
        "AnyUrl",
        "AwareDatetime",
        "StrEnum",
        "TypeAliasType",
        "Model",
        "Protocol",
        "Response",
        "Request",
    }
)
# Builtins that generated annotations use: a field or parameter named like one would shadow it.
_TYPE_BUILTINS = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "object", "set", "str", "tuple", "type"}
)

# Names generated code binds in the scopes that spec names share, so a spec name must not take
# them. Operation method names live in `Handlers`, `Client` and `AsyncClient` (which define
# `authenticate`, `error_response`, `close`) and, as route functions, inside the server's
# `create_app`, where binding any name the function body uses would shadow it.
RESERVED_METHOD_NAMES = frozenset(
    {"authenticate", "error_response", "close"}
    | {"app", "handlers", "docs", "validate_schemas", "create_app", "openapi_document"}
    | {"install_error_handlers", "router", "routers", "blueprint", "blueprints"}
    | {"rt", "h", "models", "json", "cache", "resources", "httpx", "cast"}
    | {"request", "response", "auth", "body", "result"}
)
# Argument names the generated methods, route functions and request records use themselves
# (`field` is called in the body of a request dataclass, `cast` in every client method).
RESERVED_ARGUMENT_NAMES = frozenset(
    {"self", "body", "request", "response", "client", "timeout", "auth", "result", "handlers"}
    | {"h", "rt", "models", "call", "httpx", "cast", "field", "validate_schemas", "app", "docs"}
)

_WORD_SPLIT = re.compile(r"[^0-9a-zA-Z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _fallback(raw: str, fallback: str, separator: str) -> str:
    """`fallback` for a name with no ASCII letters or digits; a name that had some other
    characters (`ид`, an emoji) also gets a short digest of them, so distinct names stay apart."""
    if not raw.strip():
        return fallback
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{fallback}{separator}{digest}"


def _ascii_words(text: str) -> list[str]:
    """Split arbitrary text into ASCII words: accents folded, camelCase and symbols split."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for chunk in _WORD_SPLIT.split(folded):
        words.extend(w for w in _CAMEL_BOUNDARY.split(chunk) if w)
    return words


class _Identifier(str):
    __slots__ = ()


class PythonIdentifier(_Identifier):
    """snake_case identifier for functions, methods, parameters and attributes."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "value") -> PythonIdentifier:
        words = [w.lower() for w in _ascii_words(raw)]
        name = "_".join(words) or _fallback(raw, fallback, "_")
        if name[0].isdigit():
            name = f"{fallback}_{name}"
        if name in _RESERVED_ATTRS or name in _TYPE_BUILTINS:
            name = f"{name}_"
        return super().__new__(cls, name)


class ClassName(_Identifier):
    """PascalCase identifier for generated classes."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "Model") -> ClassName:
        words = _ascii_words(raw)
        name = "".join(w[:1].upper() + w[1:] for w in words)
        if not name:
            return super().__new__(cls, _fallback(raw, fallback, ""))
        if name[0].isdigit():
            name = f"{fallback}{name}"
        if name in _RESERVED_CLASSES or name in _RESERVED_ATTRS or name in _TYPE_BUILTINS:
            name = f"{name}Model"
        return super().__new__(cls, name)


class ConstantName(_Identifier):
    """UPPER_SNAKE identifier for module constants and enum-like members."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "VALUE") -> ConstantName:
        words = [w.upper() for w in _ascii_words(raw)]
        name = "_".join(words) or _fallback(raw, fallback, "_").upper()
        if name[0].isdigit():
            name = f"{fallback}_{name}"
        return super().__new__(cls, name)


def unique(names: dict[str, str], candidate: str) -> str:
    """Suffix `candidate` with a number until it is not a key of `names`."""
    if candidate not in names:
        return candidate
    n = 2
    while f"{candidate}{n}" in names:
        n += 1
    return f"{candidate}{n}"
