"""Fixed code of the generated packages, kept as real modules: linted, type-checked and
unit-tested here like the rest of specgen, and copied verbatim (behind a generated-file
header) into every package whose styles need them (`generator.render.runtime`).

`python/` holds the Python runtime modules; they import each other relatively, as they
do inside a generated package, and never import specgen. `typescript/` holds the
TypeScript client's runtime files.
"""
