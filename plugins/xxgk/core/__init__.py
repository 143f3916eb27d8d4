"""The domain core: records, fields, options, loading, relations, dates and figures.

No MkDocs, and nothing written but what .cache/xxgk/ keeps (Options.keep_caches): every
other layer builds on these."""
