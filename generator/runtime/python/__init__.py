"""The Python runtime modules that generated packages copy (see generator.runtime)."""
