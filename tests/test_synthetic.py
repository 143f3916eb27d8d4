"""scripts/gen-synthetic (xxgk_dev.gen_synthetic): a deterministic, check-clean synthetic site with the promised mix."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import BIN, found, run
from xxgk.core.fields import DOC_TYPES

pytestmark = pytest.mark.cli


def gen(tmp_path: Path, n: int, name: str, *extra: str):
    return run([str(BIN / "python"), "-m", "xxgk_dev.gen_synthetic", str(n), name, *extra], tmp_path)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_items(tmp_path):
    assert gen(tmp_path, 120, "a", "--seed", "3").code == 0
    assert gen(tmp_path, 120, "b", "--seed", "3").code == 0
    assert gen(tmp_path, 120, "c", "--seed", "4").code == 0
    a, b, c = (tree(tmp_path / n) for n in "abc")
    assert a == b
    assert a != c


def test_site_has_n_items_every_doc_type_and_passes_the_checks(tmp_path):
    result = gen(tmp_path, 1000, "site")
    assert result.code == 0, result.text
    site = tmp_path / "site"
    items = [p.read_text(encoding="utf-8") for p in (site / "content/items").rglob("*.md")]
    assert len(items) == 1000
    doc_types = Counter(found(r"^doc_type: (.+)$", t, re.M).group(1) for t in items)
    assert set(doc_types) == set(DOC_TYPES)
    interpreted = {n for t in items for n in re.findall(r"^interprets: \[(.+?)\]", t, re.M)}
    assert 0.10 <= len(interpreted) / 1000 <= 0.22
    not_in_force = sum(1 for t in items if re.search(r"^(status: (废止|已修订)|expires: )", t, re.M))
    assert 0.07 <= not_in_force / 1000 <= 0.15
    years = Counter(found(r"^published: (\d{4})", t, re.M).group(1) for t in items)
    assert len(years) == 10 and min(years.values()) > 50
    lengths = sorted(len(t.split("---\n", 2)[2]) for t in items)
    assert lengths[100] < 700 and lengths[900] > 1500  # bodies of varying length
    attachments = list((site / "content/items").rglob("*.pdf"))
    assert 20 <= len(attachments) <= 90
    check = run([str(BIN / "xxgk"), "check", str(site)], tmp_path)
    assert check.code == 0, check.text
    assert "0 个错误" in check.text


def test_the_realistic_catalog_has_the_real_pages_lengths_tables_and_passes_the_checks(tmp_path):
    """--realistic: bodies around 2,000 characters (the real pages: p10 620, median 2,177, p90
    5,171), a table on a few items, a third 一般信息, prose from a wide vocabulary; still check-clean."""
    result = gen(tmp_path, 400, "site", "--realistic")
    assert result.code == 0, result.text
    site = tmp_path / "site"
    items = [p.read_text(encoding="utf-8") for p in (site / "content/items").rglob("*.md")]
    bodies = [t.split("---\n", 2)[2] for t in items]
    lengths = sorted(len(re.sub(r"\s", "", b)) for b in bodies)
    assert 400 <= lengths[40] <= 1000 and 1500 <= lengths[200] <= 2800 and lengths[360] >= 3800, lengths[::40]
    assert 0.02 <= sum("| --- |" in b for b in bodies) / 400 <= 0.12
    assert 0.25 <= sum("doc_type: 一般信息" in t for t in items) / 400 <= 0.5
    assert (
        len({b[i : i + 2] for b in bodies for i in range(len(b) - 1)}) > 20000
    )  # distinct pairs: prose, not a phrase bank
    check = run([str(BIN / "xxgk"), "check", str(site)], tmp_path)
    assert check.code == 0 and "0 个错误" in check.text, check.text


def test_refuses_a_non_empty_folder_and_a_bad_count(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.md").write_text("x", encoding="utf-8")
    result = gen(tmp_path, 10, "full")
    assert result.code == 2 and "已存在且不为空" in result.err
    assert (tmp_path / "full" / "keep.md").read_text(encoding="utf-8") == "x"
    result = gen(tmp_path, 0, "new")
    assert result.code == 2 and "N 应为正整数" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "new").exists()
