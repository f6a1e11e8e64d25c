"""`$ref` resolution and bundling: every ref of the result is local (`#/...`).

A ref to another file copies its target under `components` (same section and name when the
target is itself a component) and becomes a local ref; refs inside the copy are resolved
against the file it came from. Where OpenAPI has no component section for the target (a path
item) or the ref is a whole component, the target is inlined instead. URLs are never fetched and
files outside the spec folder are refused: a spec is untrusted input.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from generator.diagnostics import Diagnostic, Location, error
from generator.load.files import FileSet, display_path
from generator.load.placement import holder_section, placement
from generator.load.refscan import NAME_MAPS, is_literal, retarget_refs
from generator.load.spec import Origin, SourceFile
from generator.load.tree import deep_copy, deep_equal
from generator.pointers import (
    PointerError,
    closest_pointer,
    join_pointer,
    resolve_pointer,
    split_pointer,
)

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")  # two letters at least: `C:` is a drive


@dataclass(frozen=True)
class RefSite:
    """A ref into a root file, checked against the merged document (roots share pointers)."""

    source: SourceFile
    pointer: str  # of the object holding `$ref`, in `source`
    target: str  # pointer in the merged document


_Found = tuple[SourceFile, str, Any]  # target file, pointer in it, node (None: check later)


@dataclass
class _Job:
    """Copy `source` at `pointer` into `container[key]` (at `out` in the bundled document),
    resolving refs against `source`."""

    source: SourceFile
    pointer: str
    container: dict[str, Any]
    key: str
    out: str
    overrides: dict[str, Any] = field(default_factory=dict)


class Bundler:
    """Rewrites the roots of one API; state is shared so every root names a target alike."""

    def __init__(
        self, roots: Sequence[SourceFile], files: FileSet, allow_roots: Sequence[Path]
    ) -> None:
        self.files = files
        self.roots = {root.path for root in roots}
        self.spec_dirs = [root.path.parent.resolve() for root in roots]
        self.allow_roots = [Path(p).resolve() for p in allow_roots]
        self.taken: dict[str, set[str]] = {}  # component names in use, by section
        self.targets: dict[tuple[Path, str], str] = {}  # (file, pointer) -> output pointer
        self.components: dict[str, dict[str, Any]] = {}  # bundled, by section then name
        self.origins: dict[str, Origin] = {}
        self.suffixed: list[tuple[str, str, str]] = []  # section, name, name it was kept from
        self.sites: list[RefSite] = []
        self.diagnostics: list[Diagnostic] = []
        self._queue: deque[_Job] = deque()
        self._planned: dict[tuple[Path, str], _Found | None] = {}
        for root in roots:
            self._plan(root)

    def _plan(self, root: SourceFile) -> None:
        """Reserve the root's component names; map a component that is only an external
        `$ref` to its own name, so refs to the same target anywhere reuse it."""
        components = root.data.get("components")
        for section, entries in components.items() if isinstance(components, dict) else ():
            if not isinstance(entries, dict):
                continue
            self.taken.setdefault(section, set()).update(entries)
            for name, node in entries.items():
                ref = node.get("$ref") if isinstance(node, dict) else None
                if not isinstance(ref, str) or ref.startswith("#") or len(node) != 1:
                    continue
                pointer = join_pointer("/components", section, name)
                found = self._planned[(root.path, pointer)] = self._target(root, pointer, ref)
                if found is not None and found[0].path not in self.roots:
                    self.targets.setdefault((found[0].path, found[1]), pointer)

    def bundle_root(self, root: SourceFile) -> dict[str, Any]:
        document: dict[str, Any] = self._rewrite(root, "", "", root.data)
        while self._queue:
            job = self._queue.popleft()
            value = self._rewrite(
                job.source, job.pointer, job.out, resolve_pointer(job.source.data, job.pointer)
            )
            if job.overrides and isinstance(value, dict):
                value.update(job.overrides)
            job.container[job.key] = value
        return document

    def attach(self, document: dict[str, Any], origins: dict[str, Origin]) -> None:
        """Add the bundled components to the merged document; fold copies equal to a base."""
        components = document.setdefault("components", {}) if self.components else None
        if isinstance(components, dict):
            for section, entries in self.components.items():
                existing = components.setdefault(section, {})
                if isinstance(existing, dict):
                    existing.update(entries)
        origins.update(self.origins)
        while True:
            renames: dict[str, str] = {}
            for section, name, base in self.suffixed:
                entries = (components or {}).get(section, {})
                if name in entries and base in entries and deep_equal(entries[name], entries[base]):
                    del entries[name]
                    origins.pop(join_pointer("/components", section, name), None)
                    old = "#" + join_pointer("/components", section, name)
                    renames[old] = "#" + join_pointer("/components", section, base)
            if not renames:
                return
            retarget_refs(document, renames)

    def _fail(self, code: str, message: str, where: Location, hint: str = "") -> None:
        self.diagnostics.append(error(code, message, hint, where))

    def _rewrite(self, source: SourceFile, base: str, at: str, value: Any) -> Any:
        """A copy of `value` (at `base` in `source`, to go at `at` in the bundled document)
        with every ref resolved; iterative."""
        out: dict[str, Any] = {}
        stack: list[tuple[Any, str, str, Any, Any]] = [(value, base, at, out, "")]
        while stack:
            node, pointer, place, container, key = stack.pop()
            # In a root's own tree the two pointers are one: join once (the common case).
            same = pointer == place
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str) and self._inline(
                    source, pointer, place, node, container, key
                ):
                    continue
                copy: dict[str, Any] = {}
                children = []
                names = pointer[pointer.rfind("/") + 1 :] in NAME_MAPS  # no literal below
                for k, v in node.items():
                    if k == "$ref" and isinstance(v, str):
                        copy[k] = self._resolve(source, pointer, place, v)
                    elif k == "mapping" and _is_discriminator(pointer) and isinstance(v, dict):
                        copy[k] = self._mapping(source, join_pointer(pointer, k), place, v)
                    elif isinstance(v, dict | list):
                        if names or not is_literal(pointer, k, v):
                            copy[k] = None
                            below = join_pointer(pointer, k)
                            there = below if same else join_pointer(place, k)
                            children.append((v, below, there, copy, k))
                        else:
                            copy[k] = deep_copy(v)
                    else:
                        copy[k] = v
                container[key] = copy
                stack.extend(reversed(children))
            elif isinstance(node, list):
                items: list[Any] = [None] * len(node)
                container[key] = items
                stack.extend(
                    (v, f"{pointer}/{i}", f"{pointer}/{i}" if same else f"{place}/{i}", items, i)
                    for i, v in reversed(list(enumerate(node)))
                )
            else:
                container[key] = node
        return out[""]

    def _mapping(
        self, source: SourceFile, pointer: str, place: str, mapping: dict[str, Any]
    ) -> dict[str, Any]:
        """A discriminator mapping whose values that name another file (`./Dog.yaml`,
        `pets.yaml#/Dog`) point at the bundled copy; schema names and local refs stay, and so
        do values naming a file that is not there (a spec bundled from files, its mappings
        left naming them: DigitalOcean's), which the lint reports as naming no schema (SG412:
        the union is told apart without the discriminator)."""
        out: dict[str, Any] = {}
        for value, target in mapping.items():
            if (
                isinstance(target, str)
                and not target.startswith("#")
                and _names_a_file(target)
                and not _missing_file(source, target)
            ):
                where = join_pointer(pointer, value)
                out[value] = self._resolve(source, where, join_pointer(place, "mapping"), target)
            else:
                out[value] = target
        return out

    def _target(self, source: SourceFile, pointer: str, ref: str) -> _Found | None:
        """The file, pointer and node `ref` designates, or None after reporting why not."""

        # Located only for a report: most refs resolve.
        def where() -> Location:
            return source.locate(join_pointer(pointer, "$ref"))

        file_part, _, fragment = ref.partition("#")
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            self._fail(
                "SG201",
                f"$ref {ref!r}: the part after '#' must be a JSON pointer",
                where(),
                "write it as '#/components/schemas/Name'",
            )
            return None
        target = self._open(source, file_part, ref, where()) if file_part else source
        if target is None:
            return None
        try:
            return target, fragment, resolve_pointer(target.data, fragment)
        except PointerError as exc:
            if target.path in self.roots:  # may exist once roots are merged: checked then
                return target, fragment, None
            close = closest_pointer(target.data, fragment)
            self._fail(
                "SG201",
                f"$ref {ref!r} points at nothing: {exc} in {target.display}",
                where(),
                f"did you mean '{file_part}#{close}'?" if close else _REF_HINT,
            )
            return None

    def _resolve(self, source: SourceFile, pointer: str, place: str, ref: str) -> str:
        """The local ref for `ref` (held at `pointer` in `source`, at `place` in the bundled
        document: where it is tells which component section a copy goes to)."""
        found = self._target(source, pointer, ref)
        if found is None:
            return ref
        target, fragment, _node = found
        if target.path in self.roots:
            self.sites.append(RefSite(source, pointer, fragment))
            return ref if target is source else "#" + fragment
        return "#" + self._bundle(target, fragment, holder_section(place))

    def _inline(
        self,
        source: SourceFile,
        pointer: str,
        place: str,
        node: dict[str, Any],
        container: Any,
        key: Any,
    ) -> bool:
        """Inline an external path item or operation (OpenAPI has no component section for
        them), or a whole component of a root; False when not one."""
        tokens = split_pointer(place)
        in_paths = len(tokens) >= 2 and tokens[0] in ("paths", "webhooks")
        path_item = in_paths and len(tokens) == 2
        operation = in_paths and len(tokens) == 3 and tokens[2] in _OPERATIONS
        planned = (source.path, pointer) in self._planned and source.path in self.roots
        if not (path_item or operation or planned) or node["$ref"].startswith("#"):
            return False
        if planned:
            found = self._planned[(source.path, pointer)]
        else:
            found = self._target(source, pointer, node["$ref"])
        if found is None:
            container[key] = deep_copy(node)
            return True
        target, fragment, _node = found
        if target.path in self.roots or self.targets.get((target.path, fragment), place) != place:
            return False
        self.origins[place] = Origin(target, fragment)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        overrides = self._rewrite(source, pointer, place, siblings) if siblings else {}
        container[key] = None
        self._queue.append(_Job(target, fragment, container, key, place, overrides))
        return True

    def _open(
        self, source: SourceFile, file_part: str, ref: str, where: Location
    ) -> SourceFile | None:
        scheme = _SCHEME.match(file_part)
        if scheme and scheme.group(1).lower() != "file":
            message = f"$ref {ref!r} is a URL: specgen never fetches anything over the network"
            hint = "download the file next to the spec and refer to it by a relative path"
            self._fail("SG203", message, where, hint)
            return None
        if scheme:
            # Imported here: urllib.request brings http.client, email and ssl (~12 ms), for
            # the rare `file:` ref.
            from urllib.request import url2pathname

            raw = Path(url2pathname(urlparse(file_part).path))
        else:
            raw = Path(unquote(file_part))
        absolute = raw.is_absolute()
        resolved = (source.path.parent / raw).resolve()
        allowed = self.allow_roots if absolute else [*self.spec_dirs, *self.allow_roots]
        if not any(resolved.is_relative_to(root) for root in allowed):
            why = "an absolute path" if absolute else "a file outside the spec folder"
            message = f"$ref {ref!r} refers to {why} ({resolved.as_posix()}): refused"
            hint = "move the file under the spec folder, or pass --allow-ref-root DIR to trust DIR"
            self._fail("SG203", message, where, hint)
            return None
        if not resolved.is_file():
            self._fail(
                "SG201",
                f"$ref {ref!r}: file {display_path(resolved)} does not exist",
                where,
                "refs to other files are relative to the file that contains the $ref",
            )
            return None
        return self.files.load(resolved)

    def _bundle(self, target: SourceFile, pointer: str, holder: str) -> str:
        """The output pointer of a copy of `target` at `pointer`, scheduling the copy once."""
        known = self.targets.get((target.path, pointer))
        if known is not None:
            return known
        section, name = placement(pointer, target.path.stem, holder)
        taken = self.taken.setdefault(section, set())
        free, number = name, 1
        while free in taken:
            number += 1
            free = f"{name}{number}"
        taken.add(free)
        if number > 1:
            self.suffixed.append((section, free, name))
        container = self.components.setdefault(section, {})
        container[free] = None
        local = join_pointer("/components", section, free)
        self.targets[(target.path, pointer)] = local
        self.origins[local] = Origin(target, pointer)
        self._queue.append(_Job(target, pointer, container, free, local))
        return local


_OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _is_discriminator(pointer: str) -> bool:
    return pointer.rsplit("/", 1)[-1] == "discriminator"


def _missing_file(source: SourceFile, target: str) -> bool:
    """A mapping value naming a relative path where no file is (URLs are `_open`'s to refuse)."""
    file_part = target.partition("#")[0]
    if _SCHEME.match(file_part):
        return False
    return not (source.path.parent / Path(unquote(file_part))).is_file()


def _names_a_file(target: str) -> bool:
    """A mapping value that is a reference to another document, not a schema name."""
    file_part = target.partition("#")[0]
    return "/" in file_part or file_part.endswith((".yaml", ".yml", ".json"))


_REF_HINT = "check the spelling of the target; pointers are case-sensitive, '/' is written '~1'"
