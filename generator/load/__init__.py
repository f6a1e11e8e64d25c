"""The load stage: files on disk to one `Spec` whose refs are all local.

read and parse each root (files, yaml_loader, markdown) -> bundle refs to other files (refs)
-> merge the roots (merge) -> check local refs and alias cycles on the result -> read
Reference Objects with siblings (siblings) and path keys holding a query string (pathkeys).
Errors are collected across all of it and raised together as one SpecError.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.cache.memo import Memo
from generator.diagnostics import Diagnostic, Severity, SpecError, error, has_errors, warning
from generator.load.files import DEFAULT_MAX_BYTES, FileSet, load_file
from generator.load.markdown import extract_openapi_block
from generator.load.merge import merge_documents
from generator.load.pathkeys import read_path_keys
from generator.load.refs import Bundler
from generator.load.refscan import alias_cycles, structure_nodes
from generator.load.siblings import merge_siblings
from generator.load.spec import Origin, SourceFile, Spec
from generator.load.yaml_loader import DEFAULT_MAX_NODES, parse_yaml
from generator.pointers import PointerError, closest_pointer, join_pointer, resolve_pointer


def _unique(paths: Sequence[Path]) -> list[Path]:
    seen: set[Path] = set()
    unique = []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def _cycle_diagnostics(spec: Spec, nodes: list[tuple[str, dict[str, Any]]]) -> list[Diagnostic]:
    found = []
    for cycle in alias_cycles(spec.document, nodes):
        chain = " -> ".join([*cycle, cycle[0]])
        start = resolve_pointer(spec.document, cycle[0])
        if any(p.rsplit("/", 2)[-2:-1] == ["allOf"] for p in cycle):
            message = f"schemas include each other through allOf with no base case: {chain}"
        else:
            message = f"$ref cycle with no definition anywhere: {chain}"
        hint = "one of these must define the type instead of only referring to the next"
        key = "$ref" if isinstance(start, dict) and "$ref" in start else "allOf"
        found.append(error("SG202", message, hint, spec.locate(join_pointer(cycle[0], key))))
    return found


def load_spec(
    paths: Sequence[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_roots: Sequence[Path] = (),
    memo: Memo | None = None,
) -> tuple[Spec, list[Diagnostic]]:
    """Load, bundle and merge the files of one API.

    Returns the spec and its warnings; raises SpecError with every error (and warning) found.
    `allow_roots` are folders whose files `$ref`s may reach besides the spec's own folder;
    `memo` keeps the parse of large files (see `load_file`).
    """
    if not paths:
        raise SpecError([error("SG100", "no spec file given")])
    files = FileSet(max_bytes, memo)
    roots = [f for f in (files.load(p) for p in _unique(paths)) if f is not None]
    if has_errors(files.diagnostics):
        raise SpecError(files.diagnostics)
    bundler = Bundler(roots, files, allow_roots)
    parts = [(root, bundler.bundle_root(root)) for root in roots]
    document, origins, merge_problems = merge_documents(parts)
    bundler.attach(document, origins)
    diagnostics = [*files.diagnostics, *bundler.diagnostics, *merge_problems]
    for site in bundler.sites:
        try:
            resolve_pointer(document, site.target)
        except PointerError as exc:
            where = site.source.locate(join_pointer(site.pointer, "$ref"))
            message = f"$ref '#{site.target}' points at nothing: {exc}"
            close = closest_pointer(document, site.target)
            hint = (
                f"did you mean '#{close}'?"
                if close
                else "check the spelling of the target; pointers are case-sensitive"
            )
            diagnostics.append(error("SG201", message, hint, where))
    spec = Spec(document=document, sources=files.sources, origins=origins, root_count=len(roots))
    # One walk for both: nothing changes the document between them.
    nodes = list(structure_nodes(document))
    diagnostics.extend(_cycle_diagnostics(spec, nodes))
    if not has_errors(diagnostics):
        for pointer, keys in merge_siblings(document, nodes):
            message = (
                f"`$ref` with {', '.join(f'`{k}`' for k in keys)} next to it: read as the "
                "referenced object with those keys on top"
            )
            hint = "OpenAPI allows only summary and description next to a $ref here"
            where = spec.locate(join_pointer(pointer, "$ref"))
            diagnostics.append(warning("SG204", message, hint, where))
        for query in read_path_keys(document, origins):
            listed = ", ".join(f"`{name}`" for name, _ in query.names)
            if listed:
                message = (
                    f"path key `{query.key}` holds a query string: read as the path "
                    f"`{query.path}` with the query parameter(s) {listed}"
                )
                hint = "write the path alone, and the parameters with `in: query`"
            else:
                message = (
                    f"path key `{query.key}` holds a fragment, which no request carries: "
                    f"read as the path `{query.path}`"
                )
                hint = "write the path alone; operations of one path go under one key"
            where = spec.locate(join_pointer("/paths", query.key))  # the key as written
            diagnostics.append(warning("SG205", message, hint, where))
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    return spec, [d for d in diagnostics if d.severity is Severity.WARNING]


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_NODES",
    "Origin",
    "SourceFile",
    "Spec",
    "extract_openapi_block",
    "load_file",
    "load_spec",
    "parse_yaml",
]
