"""The search index: how text is cut into words, one Pagefind record per item, shards
built by Pagefind, and the browser module that queries them (theme/assets/xxgk/)."""
