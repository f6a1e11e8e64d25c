"""Layouts: one module per API, or one module per tag; the `{tag}` outputs of user styles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import ApiConfig, load_config
from generator.diagnostics import SpecError
from generator.pipeline import Options, render_api
from generator.render.styles import user_style

ROOT = Path(__file__).resolve().parents[3]
BRAINTRUST = tuple(sorted((ROOT / "specs" / "braintrust").glob("*.yaml")))
PER_TAG = {
    "fastapi": {"routers/__init__.py", "routers/experiments.py", "routers/logs.py", "server.py"},
    "flask": {
        "blueprints/__init__.py",
        "blueprints/experiments.py",
        "blueprints/logs.py",
        "flask_server.py",
    },
    "httpx": {"client/__init__.py", "client/experiments.py", "client/logs.py"},
}
CONTRACT = {
    "handlers/__init__.py",
    "_handlers_runtime.py",
    "handlers/experiments.py",
    "handlers/logs.py",
}


def render(styles: tuple[str, ...], layout: str, **extra: object) -> dict[str, str]:
    config = ApiConfig(
        "braintrust", BRAINTRUST, ROOT / "unused", styles=styles, layout=layout, **extra
    )
    return render_api(config, Options()).files


@pytest.mark.parametrize("style", sorted(PER_TAG))
def test_tags_layout_writes_one_module_per_tag(style: str) -> None:
    files = render((style,), "tags")
    assert PER_TAG[style] <= set(files)
    if style != "httpx":
        assert CONTRACT <= set(files) and "handlers.py" not in files
    assert "client.py" not in files
    # Every tag module compiles and names its tag.
    for path in PER_TAG[style] | (CONTRACT if style != "httpx" else set()):
        compile(files[path], path, "exec")
    assert "Experiments" in files[next(p for p in PER_TAG[style] if "experiments" in p)]


def test_module_layout_has_no_tag_packages() -> None:
    files = render(("fastapi", "flask", "httpx"), "module")
    assert {"handlers.py", "server.py", "flask_server.py", "client.py"} <= set(files)
    assert not any("/" in path for path in files)


def test_both_layouts_export_the_same_contract() -> None:
    """Handler implementations written for one layout run on the other: the handlers module
    (or package) exposes the same names."""
    module = _exported(render(("fastapi",), "module")["handlers.py"])
    tags = _exported(render(("fastapi",), "tags")["handlers/__init__.py"])
    assert tags - module == {"ExperimentsHandlers", "LogsHandlers"}  # one class per tag
    assert module <= tags
    for name in ("PostExperimentIdFeedbackRequest", "PostProjectLogsIdFeedbackResponse"):
        assert name in module
    for name in ("Handlers", "BaseHandlers", "Auth", "RequestError", "ResponseVariant", "Record"):
        assert name in module


def _exported(source: str) -> set[str]:
    """The names in a module's `__all__`."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return {str(ast.literal_eval(e)) for e in node.value.elts}  # type: ignore[attr-defined]
    raise AssertionError("no __all__")


def test_user_style_renders_tag_outputs_once_per_group(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "mine"
    folder.mkdir(parents=True)
    (folder / "tag.py.jinja").write_text(
        '{{ header }}\n"""Operations tagged {{ group.tag | comment }}."""\n\n'
        "OPERATIONS = [\n{% for op in operations %}    {{ op.operation_id | literal }},\n"
        "{% endfor %}]\n",
        "utf-8",
    )
    style = user_style("listing", {"templates": {"ops/{tag}.py": "mine/tag.py.jinja"}})
    files = render(
        ("listing",),
        "module",
        template_dirs=(tmp_path / "templates",),
        user_styles={"listing": style},
    )
    assert set(files) >= {"ops/experiments.py", "ops/logs.py"}
    namespace: dict[str, object] = {}
    exec(compile(files["ops/logs.py"], "ops/logs.py", "exec"), namespace)
    assert namespace["OPERATIONS"] == ["postProjectLogsIdFeedback"]


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    specs = ", ".join(f"'{p}'" for p in BRAINTRUST)
    path.write_text(f"{body}\n\n[[tool.specgen.api]]\nname = 'bt'\nspecs = [{specs}]\n", "utf-8")
    return path


def test_config_layout_top_level_and_per_api(tmp_path: Path) -> None:
    assert load_config(_config(tmp_path, "[tool.specgen]")).apis[0].layout == "module"
    assert (
        load_config(_config(tmp_path, "[tool.specgen]\nlayout = 'tags'")).apis[0].layout == "tags"
    )
    path = tmp_path / "pyproject.toml"
    path.write_text(path.read_text("utf-8") + "layout = 'module'\n", "utf-8")
    assert load_config(path).apis[0].layout == "module"


def test_unknown_layout_is_refused_with_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_config(_config(tmp_path, "[tool.specgen]\nlayout = 'per-tag'"))
    assert [d.code for d in caught.value.diagnostics] == ["SG616"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "SG616" in result.stderr and "per-tag" in result.stderr and "tags" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "generated").exists()


def test_layout_option_replaces_the_config_and_switching_keeps_user_files(tmp_path: Path) -> None:
    _config(tmp_path, "[tool.specgen]\nstyles = ['fastapi', 'httpx']")

    def specgen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    assert specgen("generate", "-q").returncode == 0
    package = tmp_path / "generated" / "bt"
    (package / "NOTES.md").write_text("mine\n", "utf-8")
    assert (package / "handlers.py").is_file()
    assert specgen("check", "--layout", "tags").returncode == 1  # stale in the other layout
    assert specgen("generate", "-q", "--layout", "tags").returncode == 0
    assert (package / "handlers" / "logs.py").is_file() and (package / "routers").is_dir()
    assert not (package / "handlers.py").exists() and not (package / "client.py").exists()
    assert specgen("check", "--layout", "tags").returncode == 0
    assert specgen("generate", "-q").returncode == 0  # back to the configured layout
    assert not (package / "handlers").exists() and not (package / "client").exists()
    assert (package / "NOTES.md").read_text("utf-8") == "mine\n"
