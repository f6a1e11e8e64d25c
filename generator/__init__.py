"""specgen: OpenAPI-spec-driven code generation."""

__version__ = "0.1.0"
