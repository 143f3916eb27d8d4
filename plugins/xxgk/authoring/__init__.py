"""The browser form staff write items in (Decap CMS): its generated configuration, the admin
page, the normaliser that makes saved files look like `xxgk new` wrote them, and local mode."""
