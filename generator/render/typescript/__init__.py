"""The TypeScript client style: a fetch-based client package with no runtime dependencies.

`render_typescript_client(api, layout=...)` returns the files of the package (paths relative
to its folder; `layout="tags"` groups the client per tag); `typescript_environment()` is the
Jinja environment with the TS escaping filters.
"""

from generator.render.typescript.render import (
    TYPESCRIPT_TAG_TEMPLATES,
    TYPESCRIPT_TEMPLATES,
    TYPESCRIPT_VERSION,
    render_typescript_client,
    typescript_environment,
)

__all__ = [
    "TYPESCRIPT_TAG_TEMPLATES",
    "TYPESCRIPT_TEMPLATES",
    "TYPESCRIPT_VERSION",
    "render_typescript_client",
    "typescript_environment",
]
