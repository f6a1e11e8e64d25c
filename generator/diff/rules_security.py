"""Security rules: which credentials an operation accepts, and how they travel.

An operation's security is a list of alternatives; each alternative is a set of schemes (with
OAuth2 scopes) that must all be present, and an empty alternative allows anonymous calls. A
client keeps working when some new alternative asks for no more than what it already sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diff.document import Alternative, Document, OperationView
from generator.diff.emit import Emitter
from generator.pointers import join_pointer

_TRANSPORT = ("type", "scheme", "in", "name", "openIdConnectUrl")


def _shown(alternative: Alternative) -> str:
    parts = [
        f"{name}({', '.join(sorted(scopes))})" if scopes else name
        for name, scopes in sorted(alternative.items())
    ]
    return " + ".join(parts) or "anonymous"


def _enough(new: Alternative, old: Alternative) -> bool:
    """A client sending `old`'s credentials satisfies `new`."""
    return all(name in old and scopes <= old[name] for name, scopes in new.items())


def _anonymous(alternatives: tuple[Alternative, ...]) -> bool:
    return not alternatives or any(not a for a in alternatives)


def compare_security(emit: Emitter, old: OperationView, new: OperationView) -> None:
    pointer = f"{new.pointer}/security" if "security" in new.node else "/security"
    old_anonymous, new_anonymous = _anonymous(old.security), _anonymous(new.security)
    if old_anonymous and not new_anonymous:
        what = "credentials now required: " + " or ".join(_shown(a) for a in new.security)
        emit("api-security-added", pointer, "new", what)
    elif new_anonymous and not old_anonymous:
        emit("api-security-removed", pointer, "new", "anonymous calls now accepted")
    if new_anonymous:
        return
    new_named = [a for a in new.security if a]
    for alternative in (a for a in old.security if a):
        if any(_enough(b, alternative) for b in new_named):
            continue
        same = [b for b in new_named if b.keys() == alternative.keys()]
        if same:
            extra = sorted({s for b in same for n in b for s in b[n] - alternative[n]})
            what = f"{_shown(alternative)} now also needs scope(s) {', '.join(extra)}"
            emit("api-security-scope-added", pointer, "new", what)
        else:
            what = f"credentials {_shown(alternative)} no longer accepted"
            emit("api-security-alternative-removed", pointer, "new", what)
    old_named = [a for a in old.security if a]
    for alternative in new_named:
        if any(alternative == a for a in old_named):
            continue
        fewer = [a for a in old_named if a.keys() == alternative.keys() and _enough(alternative, a)]
        if fewer:
            what = f"{_shown(fewer[0])} now needs only {_shown(alternative)}"
            emit("api-security-scope-removed", pointer, "new", what)
        elif not any(a.keys() == alternative.keys() for a in old_named):
            emit(
                "api-security-alternative-added", pointer, "new", f"{_shown(alternative)} accepted"
            )


def _schemes(doc: Document) -> Mapping[str, Any]:
    components = doc.data.get("components") or {}
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    return schemes if isinstance(schemes, Mapping) else {}


def compare_security_schemes(emit: Emitter, old: Document, new: Document) -> None:
    old_schemes, new_schemes = _schemes(old), _schemes(new)
    for name in sorted(old_schemes.keys() & new_schemes.keys()):
        was, now = old_schemes[name], new_schemes[name]
        if not isinstance(was, Mapping) or not isinstance(now, Mapping):
            continue
        for key in _TRANSPORT:
            a, b = was.get(key), now.get(key)
            if key in ("type", "scheme"):
                a, b = str(a or "").lower(), str(b or "").lower()
            if a != b:
                what = f"security scheme `{name}`: {key} changed from {a!r} to {b!r}"
                pointer = join_pointer("/components/securitySchemes", name)
                emit("security-scheme-changed", pointer, "new", what)
