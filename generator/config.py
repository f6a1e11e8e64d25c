"""Project configuration: `[tool.specgen]` in pyproject.toml.

[tool.specgen]
output = "generated"            # folder holding one package per API
templates = ["my_templates"]    # optional user template folders (override built-ins)
allow_invalid = false           # generate even when the structural validator objects
layout = "module"               # or "tags": one module per tag (routers, client groups)
package = false                 # true: each package also gets pyproject.toml and README.md
strict = false                  # true: every warning is an error (for teams linting their spec)
ignore = ["SG410"]              # warning codes not to show

[[tool.specgen.api]]
name = "braintrust"             # package name: generated/braintrust/
specs = ["specs/a.yaml", "specs/b.yaml"]
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Location, SpecError, error
from generator.render.styles import (
    DEFAULT_LAYOUT,
    DEFAULT_MODEL_TYPE,
    DEFAULT_STYLES,
    Style,
    check_layout,
    resolve_absent,
    resolve_styles,
    user_style,
)

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_CODE = re.compile(r"^SG\d{3}$")
# What each table may hold: anything else is a typo (or a key of a newer specgen).
_API_KEYS = frozenset(
    "name specs output templates allow_invalid styles model_type absent layout package "
    "strict ignore".split()
)
_TOP_KEYS = (_API_KEYS - {"name", "specs"}) | {"style", "api"}
_STYLE_KEYS = frozenset({"extends", "summary", "templates"})


@dataclass(frozen=True)
class ApiConfig:
    """One API to generate: its specs and the package folder it owns."""

    name: str
    specs: tuple[Path, ...]
    output: Path  # the parent folder; the package is output / name
    template_dirs: tuple[Path, ...] = ()
    allow_invalid: bool = False
    styles: tuple[str, ...] = DEFAULT_STYLES
    model_type: str = DEFAULT_MODEL_TYPE
    # How an absent optional property reads: "missing" or "none" (None: the flavour's default,
    # see generator.render.styles.resolve_absent).
    absent: str | None = None
    user_styles: Mapping[str, Style] = field(default_factory=dict)  # [tool.specgen.style.*]
    layout: str = DEFAULT_LAYOUT
    # The project root (the folder of pyproject.toml): headers and manifests record paths
    # relative to it, so output does not depend on the working directory.
    root: Path = Path()
    # Also write the package's own pyproject.toml and README.md, to build and publish it.
    package: bool = False
    strict: bool = False  # every warning is an error
    ignore: frozenset[str] = frozenset()  # warning codes not shown

    @property
    def package_dir(self) -> Path:
        return self.output / self.name


@dataclass(frozen=True)
class ProjectConfig:
    path: Path
    apis: tuple[ApiConfig, ...]

    @property
    def import_paths(self) -> tuple[Path, ...]:
        """Folders to put on sys.path to import the project's own code (the root) and its
        generated packages (the output folders), which are not installed."""
        found = dict.fromkeys([self.path.parent, *(api.output for api in self.apis)])
        return tuple(found)


def check_api_name(name: str, where: Location | None = None) -> str:
    """API names become folder and package names: lower-case identifiers only, so that no
    name (`../../x`, `/etc`, `a b`) can place output outside the output folder."""
    if not _NAME.match(name) or len(name) > 100:
        raise SpecError(
            [
                error(
                    "SG610",
                    f"invalid API name {name[:60]!r}",
                    "use a lower-case Python identifier such as 'billing_api'",
                    where,
                )
            ]
        )
    return name


def project_root(start: Path) -> Path:
    """The root of the project `start` is in: the nearest folder upwards holding a
    pyproject.toml, else `start` itself (for ad-hoc runs outside any project)."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.specgen] table, from `start` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.specgen" in candidate.read_text("utf-8", "replace"):
            return candidate
    return None


def load_config(path: Path) -> ProjectConfig:
    where = Location(str(path))
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError([error("SG611", f"cannot read config: {exc}", "", where)]) from None
    table = data.get("tool", {}).get("specgen")
    if not isinstance(table, dict):
        raise SpecError([error("SG611", "no [tool.specgen] table", "see README", where)])
    _check_keys(path, table)
    root = Path(os.path.abspath(path)).parent
    output = root / _string(table, "output", "generated", where)
    templates = tuple(root / t for t in _strings(table, "templates", where))
    allow_invalid = _bool(table, "allow_invalid", False, where)
    strict = _bool(table, "strict", False, where)
    ignore = _codes(table, where)
    styles = tuple(_strings(table, "styles", where)) or DEFAULT_STYLES
    model_type = _string(table, "model_type", DEFAULT_MODEL_TYPE, where)
    absent = _optional_string(table, "absent", None, where)
    layout = check_layout(_string(table, "layout", DEFAULT_LAYOUT, where), f"{path.name}: ")
    style_tables = table.get("style", {})
    if not isinstance(style_tables, dict):
        raise SpecError([error("SG615", "[tool.specgen.style] must hold tables", "", where)])
    user_styles = {
        name: user_style(name, spec, f"{path.name}: ")
        for name, spec in style_tables.items()
        if isinstance(spec, dict)
    }
    apis: list[ApiConfig] = []
    seen: set[str] = set()
    for entry in table.get("api", []):
        if not isinstance(entry, dict):
            raise SpecError(
                [error("SG612", "each [[tool.specgen.api]] must be a table", "", where)]
            )
        name = check_api_name(_string(entry, "name", "", where), where)
        if name in seen:
            raise SpecError([error("SG612", f"API {name!r} is configured twice", "", where)])
        seen.add(name)
        specs = tuple(root / s for s in _strings(entry, "specs", where))
        if not specs:
            raise SpecError(
                [error("SG612", f"API {name!r} lists no specs", "add specs = [...]", where)]
            )
        apis.append(
            ApiConfig(
                name=name,
                specs=specs,
                output=root / _string(entry, "output", str(output.relative_to(root)), where),
                template_dirs=templates
                + tuple(root / t for t in _strings(entry, "templates", where)),
                allow_invalid=_bool(entry, "allow_invalid", allow_invalid, where),
                styles=tuple(_strings(entry, "styles", where)) or styles,
                model_type=_string(entry, "model_type", model_type, where),
                absent=_optional_string(entry, "absent", absent, where),
                user_styles=user_styles,
                layout=check_layout(
                    _string(entry, "layout", layout, where), f"{path.name}: API {name!r}: "
                ),
                root=root,
                package=_bool(entry, "package", _bool(table, "package", False, where), where),
                strict=_bool(entry, "strict", strict, where),
                ignore=ignore | _codes(entry, where),
            )
        )
        # Checked here so that a bad combination fails before anything is loaded.
        resolve_styles(apis[-1].styles, apis[-1].model_type, f"API {name!r}: ", user_styles)
        resolve_absent(apis[-1].absent, apis[-1].model_type, f"API {name!r}: ")
    return ProjectConfig(path, tuple(apis))


def _check_keys(path: Path, table: dict[str, Any]) -> None:
    """SG618 for every key no table of [tool.specgen] defines, with the closest known one."""
    text = path.read_text("utf-8", "replace")
    tables: list[tuple[str, dict[str, Any], frozenset[str]]] = [
        ("[tool.specgen]", table, _TOP_KEYS)
    ]
    apis = table.get("api", [])
    tables += [("[[tool.specgen.api]]", t, _API_KEYS) for t in apis if isinstance(t, dict)]
    styles = table.get("style", {})
    if isinstance(styles, dict):
        tables += [
            (f"[tool.specgen.style.{name}]", t, _STYLE_KEYS)
            for name, t in styles.items()
            if isinstance(t, dict)
        ]
    problems = []
    for what, entries, known in tables:
        for key in entries:
            if key in known:
                continue
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known: {', '.join(sorted(known))}"
            found = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
            line = text.count("\n", 0, found.start()) + 1 if found else 0
            where = Location(str(path), line, 1 if line else 0)
            problems.append(error("SG618", f"{what}: unknown key `{key}`", hint, where))
    if problems:
        raise SpecError(problems)


def _bool(table: dict[str, Any], key: str, default: bool, where: Location) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise SpecError([error("SG612", f"`{key}` must be true or false", "", where)])
    return value


def _codes(table: dict[str, Any], where: Location) -> frozenset[str]:
    codes = _strings(table, "ignore", where)
    if bad := [c for c in codes if not _CODE.match(c)]:
        hint = 'diagnostic codes look like "SG410"'
        raise SpecError([error("SG612", f"`ignore` holds {bad[0]!r}, not a code", hint, where)])
    return frozenset(codes)


def _string(table: dict[str, Any], key: str, default: str, where: Location) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise SpecError([error("SG612", f"`{key}` must be a non-empty string", "", where)])
    return value


def _optional_string(
    table: dict[str, Any], key: str, default: str | None, where: Location
) -> str | None:
    return _string(table, key, "-", where) if key in table else default


def _strings(table: dict[str, Any], key: str, where: Location) -> Sequence[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError([error("SG612", f"`{key}` must be a list of strings", "", where)])
    return value
