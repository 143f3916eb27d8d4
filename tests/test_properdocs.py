"""The engine outlives Material: the demo built under ProperDocs (the maintained fork of
MkDocs 1.x, in .venv-properdocs from requirements.lock with ProperDocs instead of MkDocs)
equals the MkDocs build byte for byte, apart from the generator tag Material writes, the
build time in xxgk-site.json and those files' lines in the manifest."""

from __future__ import annotations

import json
import os
import re

import pytest

from conftest import DEMO_AS_OF, ROOT, copy_demo, found, run

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _tree(site_dir) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


def _comparable(rel: str, data: bytes) -> bytes:
    if rel.endswith(".html"):
        return GENERATOR.sub(b"<meta generator>", data)
    if rel == "xxgk-site.json":
        return json.dumps({**json.loads(data), "built_at": None}, sort_keys=True).encode()
    return data


@pytest.mark.skipif(
    not PROPERDOCS.exists() and not os.environ.get("CI"), reason="scripts/setup --properdocs makes .venv-properdocs"
)
def test_the_demo_under_properdocs_equals_the_mkdocs_build(demo_build, tmp_path):
    site = copy_demo(tmp_path / "repo")
    result = run([str(PROPERDOCS), "build"], site.path, {"XXGK_AS_OF": DEMO_AS_OF})
    assert result.code == 0, result.text
    mkdocs, properdocs = _tree(demo_build.path / "site"), _tree(site.path / "site")
    assert sorted(mkdocs) == sorted(properdocs)
    differ = {rel for rel in mkdocs if mkdocs[rel] != properdocs[rel]}
    assert b"ProperDocs" in found(GENERATOR, properdocs["index.html"]).group()
    assert differ, "the generator tag should name the engine"
    manifest = "xxgk-manifest.json"
    for rel in sorted(differ - {manifest}):
        assert _comparable(rel, mkdocs[rel]) == _comparable(rel, properdocs[rel]), rel
    listed = [json.loads(tree[manifest])["files"] for tree in (mkdocs, properdocs)]
    assert sorted(listed[0]) == sorted(listed[1])
    assert {rel for rel in listed[0] if listed[0][rel] != listed[1][rel]} == differ - {manifest}
