"""The search index: how text is cut into words, one Pagefind record per item, shards
built by Pagefind, and the rule data the browser module that queries them reads
(plugins/xxgk/browser/assets/xxgk/search.js)."""
