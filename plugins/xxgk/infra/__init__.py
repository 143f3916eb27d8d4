"""Machinery every layer may use, with no knowledge of sites or items: work beside the build
(background), putting files in place (place), results kept between runs (memo) and their
folders (caches), and progress of long steps (progress)."""
