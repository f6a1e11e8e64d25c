"""One API → the Python files of its package (in memory, unformatted): models.py, the files
of the Python styles' templates, the runtime modules they need.

Templates see `api` (the IR: spec text), `py` (the `PythonView`: every identifier and type),
`header`, `layout`, `groups` (the tag groups' views) and `operations` (the operation views);
an output path containing `{tag}` is rendered once per tag group, with that `group` and its
`operations` (elsewhere `group` is None and `operations` are all of them).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import jinja2

from generator.cache.memo import Memo, memo_key
from generator.fingerprint import code_hash, templates_hash
from generator.forked import Spare
from generator.ir.model import Api
from generator.render.code import Code
from generator.render.env import make_environment, render_templates, template_paths
from generator.render.fragments import MEMO_FOLDER as FRAGMENTS
from generator.render.fragments import load_fragments, save_fragments
from generator.render.header import python_header
from generator.render.python.builder import build_view
from generator.render.python.mend import uses_files
from generator.render.python.models import first_classes, start_models
from generator.render.python.names import Fixed, PyClass, Role
from generator.render.python.prepare import FORMS_MODULE
from generator.render.python.probe import probe_api
from generator.render.python.reserved import cached_analysis
from generator.render.python.tidy import tidy_python
from generator.render.python.views import PythonView
from generator.render.runtime import runtime_files
from generator.render.styles import LAYOUTS, MODEL_TYPES, Style


class Early(Protocol):
    """Formats the files of a package as they are handed over (`EarlyFormat`)."""

    def add(self, path: str, text: str) -> None: ...

    def add_all(self, files: Mapping[str, str]) -> None: ...


# Opens an `Early` for a package whose Python files have these paths.
OpenEarly = Callable[[Collection[str]], Early]

PACKAGE_TEMPLATES: Mapping[str, str] = {"__init__.py": "package/__init__.py.jinja"}
EXPRESSIONS_MODULE = "_expressions.py"  # OpenAPI runtime expressions: callbacks' URLs


def _templates(styles: Sequence[Style], layout: str) -> dict[str, str]:
    templates = dict(PACKAGE_TEMPLATES)
    for style in styles:
        if style.language == "python":
            templates.update(style.templates_for(layout))
    return templates


def _runtime(styles: Sequence[Style]) -> dict[str, str]:
    modules = dict.fromkeys(m for style in styles for m in style.runtime_modules)
    return runtime_files("python", modules)


def _webhook_templates(styles: Sequence[Style]) -> dict[str, str]:
    templates: dict[str, str] = {}
    for style in styles:
        if style.language == "python":
            templates.update(style.webhook_templates)
    return templates


def _render(
    env: jinja2.Environment,
    view: PythonView,
    header: str,
    layout: str,
    styles: Sequence[Style],
    each: Callable[[str, str], object] | None = None,
    tidy: bool = False,
) -> dict[str, str]:
    """The files of the templates of `styles`; for an API with webhooks, their webhook
    templates too, rendered with the webhooks' view (`py`, `operations`) and no groups.
    `each` hears of every file as soon as it is rendered. With `tidy`, each module's
    imports and `__all__` are put in the form ruff leaves them in (`tidy.py`)."""
    first_party = (view.api.name,)

    def finish(path: str, text: str) -> str:
        if not path.endswith(".py"):
            return text
        # A package's __init__ imports what it exports: none of it is unused.
        init = path.rsplit("/", 1)[-1] == "__init__.py"
        return tidy_python(text, first_party, drop_unused=not init)

    files: dict[str, str] = {}
    for templates, context, groups in _jobs(view, header, layout, styles):
        files.update(
            render_templates(env, templates, context, groups, each, finish if tidy else None)
        )
    return files


def _paths(view: PythonView, layout: str, styles: Sequence[Style]) -> list[str]:
    """The paths `_render` renders."""
    jobs = _jobs(view, Code(""), layout, styles)
    return [path for templates, _, groups in jobs for path in template_paths(templates, groups)]


_Job = tuple[Mapping[str, str], dict[str, Any], list[tuple[str, dict[str, Any]]]]


def _jobs(view: PythonView, header: str, layout: str, styles: Sequence[Style]) -> list[_Job]:
    """(templates, context, groups) for each `render_templates` call of `_render`."""
    names = tuple(s.name for s in styles)
    jobs = [_job(view, header, _templates(styles, layout), layout, names)]
    webhook_templates = _webhook_templates(styles)
    if view.webhooks is not None and webhook_templates:
        hooks = replace(view.webhooks, groups=())
        jobs.append(_job(hooks, header, webhook_templates, "module", names))
    return jobs


def _job(
    view: PythonView,
    header: str,
    templates: Mapping[str, str],
    layout: str,
    styles: tuple[str, ...],
) -> _Job:
    context = {
        "styles": styles,
        "api": view.api,
        "py": view,
        "header": header,
        "layout": layout,
        "groups": view.groups,
        "group": None,
        "operations": view.operations,
    }
    groups = [(str(g.module), {"group": g, "operations": g.operations}) for g in view.groups]
    return templates, context, groups


def fixed_names(
    env: jinja2.Environment,
    styles: Sequence[Style],
    memo: Memo | None = None,
    template_dirs: Sequence[Path] = (),
) -> Fixed:
    """The names the templates of `styles` bind in the scopes of each role, read off the
    probe package rendered with them in every layout (`generator.render.python.reserved`):
    names do not depend on the layout, so an implementation survives a layout switch.
    `memo` keeps them by what the probe reads: the templates (`env` is made from
    `template_dirs`), the styles' parts it renders, and specgen's code."""
    if memo is None:
        return _probe(env, styles)
    key = memo_key("fixed names", code_hash(), templates_hash(template_dirs), _parts(styles))
    fixed = _read_fixed(memo, key)
    if fixed is None:
        fixed = _probe(env, styles)
        table = {role.value: sorted(names) for role, names in fixed.by_role.items()}
        memo.put_value(key, table)
    return fixed


def _parts(styles: Sequence[Style]) -> list[object]:
    """What the probe reads of each style (Style holds frozensets: no JSON of it whole)."""
    return [
        [
            s.name,
            s.language,
            dict(s.templates),
            None if s.tag_templates is None else dict(s.tag_templates),
            list(s.runtime_modules),
            dict(s.webhook_templates),
        ]
        for s in styles
    ]


def _read_fixed(memo: Memo, key: str) -> Fixed | None:
    table = memo.get_value(key)
    if table is None:
        return None
    roles = {r.value: r for r in Role}
    if (
        isinstance(table, dict)
        and all(k in roles for k in table)
        and all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in table.values())
    ):
        return Fixed({roles[k]: frozenset(v) for k, v in table.items()})
    memo.warn(f"ignored the cache entry {memo.folder / key}.json (not names by role)")
    return None


def _probe(env: jinja2.Environment, styles: Sequence[Style]) -> Fixed:
    found: dict[Role, frozenset[str]] = {}
    for layout in LAYOUTS:
        log: dict[Role, set[str]] = {}
        models = {"ZzModel": PyClass("ZzModel")}
        probe = build_view(probe_api(), Fixed(), models, log=log, keyed=False)
        files = _render(env, probe, Code(""), layout, styles)
        files.update(_runtime(styles))
        files.update(runtime_files("python", [EXPRESSIONS_MODULE]))
        sources = tuple(sorted((p, text) for p, text in files.items() if p.endswith(".py")))
        analysis = cached_analysis(sources)
        for role, names in log.items():
            fixed = frozenset().union(*(analysis.get(name, frozenset()) for name in names))
            found[role] = found.get(role, frozenset()) | fixed
    return Fixed(found)


def python_view(
    api: Api,
    env: jinja2.Environment,
    styles: Sequence[Style],
    classes: Mapping[str, PyClass] | None = None,
    enums: Mapping[str, Mapping[object, str]] | None = None,
    absent: str = "none",
    memo: Memo | None = None,
    template_dirs: Sequence[Path] = (),
) -> PythonView:
    """The view the templates of `styles` render `api` from; `classes` are the model classes
    of models.py (by default each type's name as a class name), `enums` their enum members;
    `memo` and `template_dirs` as for `fixed_names`."""
    if classes is None:
        classes = {s.name: PyClass(s.name) for s in api.schemas}
    return build_view(
        api, fixed_names(env, styles, memo, template_dirs), classes, enums, absent=absent
    )


def render_python(
    api: Api,
    template_dirs: Sequence[Path],
    styles: Sequence[Style],
    model_type: str,
    layout: str,
    absent: str = "none",
    memo: Memo | None = None,
    *,
    spare: Spare | None = None,
    early: OpenEarly | None = None,
) -> dict[str, str]:
    """Every Python file of the package of `api` (models.py first); `memo` keeps what
    datamodel-code-generator wrote for a schema document, to skip it next time. With a
    `spare` process (`models.warm_up`), models.py is generated there while the templates
    render here, with the classes models.py is expected to define and no enum members; they
    render again in the rare case that models.py defines other classes, or enum members
    they asked for. `early` is opened with the package's Python paths once they are known.
    When models.py is known, it is handed models.py and then each file as soon as it is
    rendered (ruff then works on the other core; it takes the large ones); while models.py
    is made on that core, it is handed the templates' files and the runtime modules
    together once they are all rendered, to format while models.py is awaited."""
    header = python_header(api)
    env = make_environment(template_dirs, memo.sibling("jinja") if memo is not None else None)
    kept = Memo(memo.sibling(FRAGMENTS), memo.warn) if memo is not None else None
    salt = memo_key("fragments", templates_hash(template_dirs), code_hash(), jinja2.__version__)
    fragments = load_fragments(kept, api.name, salt)
    guess = first_classes(api)
    pending = start_models(
        api, header, MODEL_TYPES[model_type], absent=absent, memo=memo, spare=spare, first=guess
    )
    names = Memo(memo.sibling("names"), memo.warn) if memo is not None else None
    runtime = _runtime(styles)
    opened: list[Early] = []

    def templates(
        classes: Mapping[str, PyClass], enums: Mapping[str, Any], models: str | None
    ) -> dict[str, str]:
        """The templates' files and the runtime modules beside them; `models` is models.py
        when it is known."""
        view = python_view(api, env, styles, classes, enums, absent, names, template_dirs)
        files = dict(runtime)
        env.fragments = fragments  # type: ignore[attr-defined]  # set by FragmentExtension
        if view.webhooks is not None and any(
            s.kind == "client" for s in styles if s.webhook_templates
        ):
            # The webhook senders evaluate callbacks' runtime expressions.
            files.update(runtime_files("python", [EXPRESSIONS_MODULE]))
        if early is not None and not opened:
            made = {**files, **_models_files(models)}
            opened.append(early([*_paths(view, layout, styles), *made, "models.py"]))
        each = None
        if opened and models is not None:  # each file to ruff as soon as it is rendered
            opened[0].add("models.py", models)
            each = opened[0].add
        rendered = {**_render(env, view, header, layout, styles, each, tidy=True), **files}
        if opened and models is None:  # models.py is being made: the cores are busy until then
            opened[0].add_all(rendered)
        return rendered

    asked = _Asked()
    rendered = templates(guess, asked, None) if pending.forked else None
    models, classes, enums = pending.result()
    if rendered is None or classes != guess or any(enums.get(c) for c in asked.classes):
        rendered = templates(classes, enums, models)
    save_fragments(kept, api.name, fragments)
    return {**_models_files(models), **rendered, "py.typed": ""}


def _models_files(models: str | None) -> dict[str, str]:
    """models.py, with the runtime module its File type needs (in a package of any style)."""
    if models is None:
        return {}
    forms = runtime_files("python", [FORMS_MODULE]) if uses_files(models) else {}
    return {"models.py": models, **forms}


class _Asked(Mapping[str, Mapping[object, str]]):
    """No enum members, noting the classes asked for (`build_view`'s `enums`)."""

    def __init__(self) -> None:
        self.classes: set[str] = set()

    def __getitem__(self, cls: str) -> Mapping[object, str]:
        self.classes.add(cls)
        raise KeyError(cls)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0
