"""CLI commands beyond the core ones in generator.cli, one module each."""
