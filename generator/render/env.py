"""The Jinja environment every template renders in."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from generator.cache.jinja import TemplateCache
from generator.diagnostics import SpecError, error
from generator.render import fragments
from generator.render.code import Code
from generator.render.filters import FILTERS, UnsafeTemplateValue, finalize
from generator.render.styles import TAG_PLACEHOLDER, builtin_templates_dir

# The environment's options and the `cached` tag shape the compiled code.
_SALT = hashlib.sha256(
    Path(__file__).read_bytes() + Path(fragments.__file__).read_bytes()
).hexdigest()


class _CodeEnvironment(jinja2.Environment):
    """Rendered text, macro output included, is `Code`: it is made only of template text and
    values that passed `finalize`, so a macro call may be printed like any safe value."""

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        return Code("".join(parts))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja's one step from source to syntax tree (compiling calls it, not `parse`):
        # each `cached` block is checked here, once per compiled template.
        tree = super()._parse(source, name, filename)
        fragments.check_cached_blocks(tree, name, self.globals)
        return tree


def make_environment(
    user_dirs: Sequence[Path] = (), compiled: Path | None = None
) -> jinja2.Environment:
    """User folders first, so a user's file overrides the built-in one of the same name;
    `compiled` is a folder keeping the compiled templates across runs."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in user_dirs]
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
    env = _CodeEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
        extensions=[fragments.FragmentExtension],
        # The options above shape the compiled code: this file's text salts its keys.
        bytecode_cache=TemplateCache(compiled, _SALT) if compiled is not None else None,
    )
    env.filters.update(FILTERS)
    return env


def render_templates(
    env: jinja2.Environment,
    templates: Mapping[str, str],
    context: Mapping[str, Any],
    groups: Iterable[tuple[str, Mapping[str, Any]]],
    each: Callable[[str, str], object] | None = None,
    finish: Callable[[str, str], str] | None = None,
) -> dict[str, str]:
    """Render `templates` (output path -> template name) with `context`; an output path with
    `{tag}` once per group of `groups` ((module name, the group's extra context) pairs).
    `finish(path, text)` is each file's final text; `each` hears of every file (path, text)
    as soon as it is rendered."""
    files: dict[str, str] = {}
    for out, name, extra in _outputs(templates, groups):
        text = render_template(env, name, {**context, **extra} if extra else context)
        files[out] = finish(out, text) if finish is not None else text
        if each is not None:
            each(out, files[out])
    return files


def template_paths(
    templates: Mapping[str, str], groups: Iterable[tuple[str, Mapping[str, Any]]]
) -> list[str]:
    """The paths `render_templates` renders, in its order."""
    return [out for out, _name, _extra in _outputs(templates, groups)]


def _outputs(
    templates: Mapping[str, str], groups: Iterable[tuple[str, Mapping[str, Any]]]
) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    groups = tuple(groups)
    for out, name in templates.items():
        if TAG_PLACEHOLDER not in out:
            yield out, name, {}
            continue
        for module, extra in groups:
            yield out.replace(TAG_PLACEHOLDER, module), name, extra


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template; a failure is a located SG503 diagnostic, never a traceback."""
    try:
        return env.get_template(name).render(context)
    except (jinja2.TemplateError, UnsafeTemplateValue) as exc:
        raise SpecError(
            [
                error(
                    "SG503",
                    f"template {name} failed: {exc}",
                    "a bug in specgen or in a user template folder; the output is untouched",
                )
            ]
        ) from exc
