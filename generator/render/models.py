"""models.py through datamodel-code-generator's public `generate()`."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable
from typing import Any

from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from generator.diagnostics import SpecError, error
from generator.ir.model import Api

# One place for the options that shape models.py (golden files depend on them).
_OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.OpenAPI,
    "target_python_version": PythonVersion.PY_311,
    "use_annotated": True,
    "field_constraints": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "disable_timestamp": True,
    "use_schema_description": True,
    "use_field_description": True,
    "strict_nullable": True,
    "set_default_enum_member": True,
    "formatters": [],
}


def render_models(api: Api, header: str, model_type: str = "pydantic_v2.BaseModel") -> str:
    """Generate models.py and check that every class the templates refer to exists."""
    if not api.schemas:
        return f"{header}\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source = generate(
                dict(api.models_document),
                output_model_type=DataModelType(model_type),
                custom_file_header=header,
                **_OPTIONS,
            )
        except Exception as exc:  # the dependency raises many types; report, do not crash
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SpecError(
                [
                    error(
                        "SG501",
                        f"datamodel-code-generator failed: {first[:200]}",
                        "the schemas use a construct the model generator cannot handle; "
                        "simplify the schema it names or report it",
                    )
                ]
            ) from exc
    if not isinstance(source, str):
        raise SpecError([error("SG501", "datamodel-code-generator returned no single module")])
    _check_classes(source, (str(s.name) for s in api.schemas))
    if "validate_default=True" in source:
        # datamodel-code-generator writes the default of a RootModel-wrapped enum as its raw
        # value and has pydantic convert it (validate_default); correct at run time, but mypy
        # sees a str assigned to the model type. Only that error code is silenced, only here.
        source = source.replace(header, f'{header}\n# mypy: disable-error-code="assignment"', 1)
    return source


def _check_classes(source: str, expected: Iterable[str]) -> None:
    defined = _top_level_names(ast.parse(source))
    missing = sorted(set(expected) - defined)
    if missing:
        raise SpecError(
            [
                error(
                    "SG502",
                    "datamodel-code-generator renamed or dropped model(s): "
                    + ", ".join(missing[:5]),
                    "rename the schema in the spec; this is a specgen limitation, please report it",
                )
            ]
        )


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names
