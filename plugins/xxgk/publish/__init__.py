"""The last steps of a build: link check, integrity manifest, placing reused files,
and the atomic swap that replaces the public site."""
