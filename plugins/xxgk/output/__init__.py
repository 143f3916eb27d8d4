"""What the site consists of: which pages exist and what each lists, statistics, feeds,
open data and the sitemap. Plain data and files, no MkDocs."""
