"""Why `specgen check` found generated code stale: the manifest's generation record (what the
code was generated from) against the current run, plus hand edits the file hashes reveal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.write.check import PackageDiff
from generator.write.manifest import Manifest, sha256


def _files(names: list[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _edited(diff: PackageDiff, path: str, owned: Mapping[str, str]) -> bool:
    """The file on disk is not what specgen wrote there (by the manifest's hash)."""
    try:
        data = (diff.out_dir / path).read_bytes()
    except OSError:
        return False
    return path in owned and owned[path] != sha256(data)


def stale_causes(
    diff: PackageDiff,
    previous: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    owned: Mapping[str, str] | None,
) -> list[str]:
    """One line per cause, most specific first. `owned` is the manifest's file list (None
    when there is no manifest)."""
    if owned is None:
        return ["not generated yet (no manifest): run `specgen generate`"]
    causes: list[str] = []
    if previous is not None:
        old_specs, new_specs = previous.get("specs") or {}, current["specs"]
        changed = [s for s in new_specs if s in old_specs and old_specs[s] != new_specs[s]]
        if changed:
            causes.append(f"spec changed: {_files(changed)}")
        if added := [s for s in new_specs if s not in old_specs]:
            causes.append(f"spec file added: {_files(added)}")
        if gone := [s for s in old_specs if s not in new_specs]:
            causes.append(f"spec file no longer read: {_files(gone)}")
        if previous.get("templates") != current["templates"]:
            causes.append("templates changed")
        for key, what in (
            ("specgen", "specgen version"),
            ("datamodel_code_generator", "datamodel-code-generator version"),
        ):
            if previous.get(key) != current[key]:
                causes.append(f"{what} changed: {previous.get(key)} -> {current[key]}")
        if previous.get("config") != current["config"]:
            keys = sorted(
                k
                for k in current["config"]
                if (previous.get("config") or {}).get(k) != current["config"][k]
            )
            causes.append(f"config changed: {', '.join(keys) or 'settings'}")
    edited = [f.path for f in diff.files if f.status == "changed" and _edited(diff, f.path, owned)]
    deleted = [p for p in diff.added if p in owned]
    if edited or deleted:
        parts = [_files(edited)] if edited else []
        parts += [f"{_files(deleted)} deleted"] if deleted else []
        causes.append(f"generated files edited by hand: {'; '.join(parts)}")
    if previous is None:
        causes.append("no generation record in the manifest (written by an older specgen?)")
    elif not causes:
        causes.append("the generated files differ although the recorded inputs match")
    return causes


def explain(diff: PackageDiff, current: Mapping[str, Any]) -> list[str]:
    """The causes of a stale package, from the manifest `compare_package` read and the
    generation record of the current run."""
    manifest: Manifest | None = diff.manifest
    owned = manifest.files if manifest is not None else None
    previous = manifest.generation if manifest is not None else None
    return stale_causes(diff, previous, current, owned)
