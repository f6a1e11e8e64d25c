"""The Python runtime modules, as copied into generated packages (see generator.runtime)."""
