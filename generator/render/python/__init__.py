"""The Python view layer: identifiers (`names`), type expressions (`types`), the views the
templates read (`views`), the names the templates bind (`reserved`, read off a rendered
probe package), models.py (`models`) and the package's Python files (`render`)."""
