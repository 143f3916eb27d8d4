"""xxgk: static sites for 政府信息公开 from front-matter Markdown.

The core (model, load, rules, relate, pages) imports nothing from MkDocs;
`plugin` is the only MkDocs adapter.
"""
__version__ = "0.1.0"
