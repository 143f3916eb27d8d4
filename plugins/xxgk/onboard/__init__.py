"""Onboarding an agency: `xxgk init` (a new site repository from templates) and `xxgk import`
(an old catalog — spreadsheets, saved detail pages — brought over as items). No MkDocs here."""
