"""The MkDocs adapter: the plugin, page rendering, the page cache and the templates.
The only layer that imports MkDocs or Material."""
