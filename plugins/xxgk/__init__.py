"""xxgk: static sites for 政府信息公开 from front-matter Markdown.

The package's folders are the pipeline (DEVELOPING.md has the map):

    core/     load → relate: records, fields, options, catalog, effective status
    rules/    check: one module per family of rules
    output/   which pages exist and what each lists; stats, feeds, open data
    search/   Pagefind records and shards, and the browser search module
    publish/  link check, manifest, atomic swap
    adapter/  the MkDocs plugin and templates (the only code that imports MkDocs)
    cli/      the `xxgk` command, one module per subcommand

Arrows point one way, from adapter and cli into core (tests/test_layout.py).
"""

from importlib.metadata import version as _version

# The one place the version is written is pyproject.toml; `xxgk --version`, init's pins and the
# generated files read it from the installed package's metadata.
__version__ = _version("xxgk")
