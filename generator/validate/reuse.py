"""Skip openapi-spec-validator on a document it found nothing in before, but for the wording
of its summaries and descriptions (`.specgen-cache/validation/`).

Editing an operation's summary or a description is the most common change to a spec, and the
validator's pass over the whole document is the costliest check of a run. Both keywords are
free text wherever OpenAPI defines them: any string is as valid as any other. So the key is
the document with every such string emptied (not inside example, default, enum or const
values, nor extensions, which are data), plus the validator's versions and this package's
code, which prepares its input. Only a clean result is kept: a finding's message may quote
the text.

Other edits change one operation, a shared parameter or a schema: a clean result also keeps
the digest of each part the validator checks apart (a path item, a named component, with what
it refers to; validate/units.py), keyed by the rest of the document. When only parts changed
since then, the validator checks the document with only those and what they refer to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

from generator.cache.memo import Memo, memo_key
from generator.diagnostics import Diagnostic
from generator.validate import Prepared, spec_validator, units

_FREE_TEXT: Final = frozenset({"summary", "description"})
_DATA: Final = frozenset({"example", "examples", "default", "enum", "const"})
_CLEAN: Final = "no findings"
_TOOLS: Final = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema")


@dataclass(frozen=True)
class Lookup:
    """The document with its free text emptied, and its key for a clean result: what
    `checked` looks up first (about 15 ms on a large spec)."""

    blank: Any
    key: str

    @classmethod
    def of(cls, before: Prepared) -> Lookup:
        blank = _blank(before.spec.document)
        return cls(blank, _key("structural", before, blank))

    def clean(self, memo: Memo) -> bool:
        """Whether `memo` holds a clean result for the document."""
        return memo.get(self.key) == _CLEAN


def checked(before: Prepared, memo: Memo | None, lookup: Lookup | None = None) -> list[Diagnostic]:
    """`spec_validator(before)`, answered from `memo` when it holds a clean result for it;
    else of the parts that changed since a clean result in the same surroundings (and what
    they refer to: validate/units.py). `lookup` is `Lookup.of(before)`, if made already."""
    if memo is None or before.blocked:
        return spec_validator(before)
    lookup = lookup or Lookup.of(before)
    blank, key = lookup.blank, lookup.key
    if lookup.clean(memo):
        return []
    parts = units.Parts(blank)
    scope = _key("parts", before, parts.surroundings)
    clean = memo.get_table(scope) if parts.digests else {}
    changed = [name for name, digest in parts.digests.items() if clean.get(name) != digest]
    partial = parts.separable and len(changed) < len(parts.digests)
    found = (
        spec_validator(before, parts.needed(changed), changed)
        if partial
        else spec_validator(before)
    )
    if not found:
        memo.put(key, _CLEAN)
        if parts.digests:
            memo.put_table(scope, parts.digests)
    return found


def structural_key(before: Prepared) -> str:
    return _key("structural", before, _blank(before.spec.document))


def _key(kind: str, before: Prepared, blank: Any) -> str:
    return memo_key(kind, _fingerprint(), before.version, blank)


def _blank(node: Any) -> Any:
    """A copy of `node` with the free text emptied (data and extensions kept as they are)."""
    if isinstance(node, list):
        return [_blank(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _FREE_TEXT and isinstance(value, str):
            out[key] = ""
        elif key in _DATA or (isinstance(key, str) and key.startswith("x-")):
            out[key] = value
        else:
            out[key] = _blank(value)
    return out


def _fingerprint() -> tuple[str, ...]:
    """The validator's versions and the code that prepares its input (this whole package:
    the copy, the schema walk, the normalisation, the locating of findings)."""
    code = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return (*(version(tool) for tool in _TOOLS), code.hexdigest())
