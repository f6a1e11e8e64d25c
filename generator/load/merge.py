"""Several root files describing one API, merged into one document.

`paths` and each `components` section are unions: equal definitions collapse, different ones
are errors naming both places. `openapi`, `info`, `servers` and `security` come from the first
file; `tags` are a union by name. Insertion order follows the files in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.diagnostics import Diagnostic, error, warning
from generator.load.spec import Origin, SourceFile
from generator.load.tree import deep_equal
from generator.pointers import join_pointer

_PATH_MAPS = ("paths", "webhooks")


def _where(source: SourceFile, pointer: str) -> str:
    location = source.locate(pointer)
    return f"{location.file}:{location.line}:{location.column}"


class _Merger:
    """Merges into the first document in place: the bundler's documents are private copies."""

    def __init__(self, first: SourceFile, document: dict[str, Any]) -> None:
        self.document = document
        self.owner: dict[str, SourceFile] = {}  # pointer of each merged entry -> defining file
        self.origins: dict[str, Origin] = {"": Origin(first, "")}
        self.diagnostics: list[Diagnostic] = []
        for key in _PATH_MAPS:
            self._own(first, join_pointer("", key), document.get(key))
        components = document.get("components")
        if isinstance(components, dict):
            for section, entries in components.items():
                self._own(first, join_pointer("/components", section), entries)

    def _own(self, source: SourceFile, base: str, entries: Any) -> None:
        if isinstance(entries, dict):
            for name in entries:
                self._record(source, join_pointer(base, name))

    def _record(self, source: SourceFile, pointer: str) -> None:
        self.owner[pointer] = source
        self.origins[pointer] = Origin(source, pointer)

    def add(self, source: SourceFile, document: dict[str, Any]) -> None:
        first_version = self.document.get("openapi")
        version = document.get("openapi")
        if version is not None and first_version is not None and version != first_version:
            message = (
                f"openapi version {version} differs from {first_version} in the first file;"
                " the first file's version is used"
            )
            hint = "give every file of one API the same `openapi` version"
            self.diagnostics.append(warning("SG212", message, hint, source.locate("/openapi")))
        for key, value in document.items():
            if key in _PATH_MAPS:
                self._paths(source, key, value)
            elif key == "components":
                self._components(source, value)
            elif key == "tags":
                self._tags(source, value)
            elif key not in self.document:
                self.document[key] = value
                self.origins[join_pointer("", key)] = Origin(source, join_pointer("", key))

    def _paths(self, source: SourceFile, key: str, items: Any) -> None:
        merged = self.document.setdefault(key, {})
        if not isinstance(items, dict) or not isinstance(merged, dict):
            return
        for path, item in items.items():
            pointer = join_pointer("", key, path)
            if path not in merged:
                merged[path] = item
                self._record(source, pointer)
                continue
            current = merged[path]
            if not isinstance(item, dict) or not isinstance(current, dict):
                self._conflict("SG210", source, pointer, current, item, f"path {path}")
                continue
            for method, operation in item.items():
                inner = join_pointer(pointer, method)
                if method not in current:
                    current[method] = operation
                    self._record(source, inner)
                else:
                    what = f"{method.upper()} {path}"
                    self._conflict("SG210", source, inner, current[method], operation, what)

    def _components(self, source: SourceFile, components: Any) -> None:
        merged = self.document.setdefault("components", {})
        if not isinstance(components, dict) or not isinstance(merged, dict):
            return
        for section, entries in components.items():
            target = merged.setdefault(section, {})
            if not isinstance(entries, dict) or not isinstance(target, dict):
                continue
            for name, value in entries.items():
                pointer = join_pointer("/components", section, name)
                if name not in target:
                    target[name] = value
                    self._record(source, pointer)
                else:
                    what = f"components/{section}/{name}"
                    self._conflict("SG211", source, pointer, target[name], value, what)

    def _tags(self, source: SourceFile, tags: Any) -> None:
        merged = self.document.setdefault("tags", [])
        if not isinstance(tags, list) or not isinstance(merged, list):
            return
        names = {t.get("name") for t in merged if isinstance(t, dict)}
        for index, tag in enumerate(tags):
            if isinstance(tag, dict) and tag.get("name") not in names:
                names.add(tag.get("name"))
                pointer = join_pointer("/tags", len(merged))
                merged.append(tag)
                self.origins[pointer] = Origin(source, join_pointer("/tags", index))

    def _conflict(
        self, code: str, source: SourceFile, pointer: str, current: Any, new: Any, what: str
    ) -> None:
        if deep_equal(current, new):
            return
        first = self._first_owner(pointer)
        message = (
            f"{what} is defined differently in {first.display} ({_where(first, pointer)}"
            f" {pointer}) and in {source.display} ({_where(source, pointer)} {pointer})"
        )
        hint = "make the two definitions identical, or rename one of them"
        self.diagnostics.append(error(code, message, hint, source.locate(pointer)))

    def _first_owner(self, pointer: str) -> SourceFile:
        probe = pointer
        while probe not in self.owner and probe:
            probe = probe.rsplit("/", 1)[0]
        return self.owner.get(probe) or self.origins[""].source


def merge_documents(
    parts: Sequence[tuple[SourceFile, dict[str, Any]]],
) -> tuple[dict[str, Any], dict[str, Origin], list[Diagnostic]]:
    """One document from the (root file, bundled document) pairs, with origins and problems."""
    first_source, first_document = parts[0]
    merger = _Merger(first_source, first_document)
    for source, document in parts[1:]:
        merger.add(source, document)
    return merger.document, merger.origins, merger.diagnostics
