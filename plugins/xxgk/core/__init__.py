"""The domain core: records, fields, options, loading, relations, dates and figures.

No MkDocs and no writing: every other layer builds on these."""
