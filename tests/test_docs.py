"""The staff reference is generated from the code (xxgk_dev/refdocs.py) and the problem codes are
registered once (core/codes.py): stale docs, an unregistered code or a dead entry fail here."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from xxgk.core.codes import CODES, ERROR, WARNING
from xxgk.core.model import Problem
from xxgk_dev import refdocs

CODE_LITERAL = re.compile(r"""["']([EWI]\d{3})["']""")


def _used_codes() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        if path.name != "codes.py":
            for code in CODE_LITERAL.findall(path.read_text(encoding="utf-8")):
                used.setdefault(code, []).append(path.relative_to(ROOT).as_posix())
    return used


@pytest.mark.parametrize("path", sorted(refdocs.expected(), key=str), ids=lambda p: p.name)
def test_generated_docs_are_up_to_date(path):
    assert path.read_text(encoding="utf-8") == refdocs.expected()[path], f"{path.name} 已过时：请运行 scripts/docs"


def test_every_code_in_the_code_is_registered_and_every_registered_code_is_used():
    used = _used_codes()
    assert {c: where for c, where in used.items() if c not in CODES} == {}
    assert sorted(set(CODES) - set(used)) == []


def test_registry_entries_are_complete_and_severity_follows_the_letter():
    for code in CODES.values():
        assert code.title and code.fix, code.code
        assert code.severity == {"E": ERROR, "W": WARNING}.get(code.code[0], code.severity), code.code


def test_a_problem_takes_its_severity_from_the_registry():
    assert Problem("a.md", 1, "E104", "…").is_error
    assert not Problem("a.md", 1, "W201", "…").is_error
    with pytest.raises(KeyError, match="E999"):
        Problem("a.md", 1, "E999", "未登记的代码")


def test_the_staff_table_lists_every_code_with_its_fix():
    text = (ROOT / "docs/codes.md").read_text(encoding="utf-8")
    for code in CODES.values():
        assert f"| `{code.code}` |" in text and code.fix in text


def test_no_code_outside_the_repository_cites_the_retired_format_file():
    for path in [*(ROOT / "plugins").rglob("*.py"), *(ROOT / "plugins").rglob("*.json"), ROOT / "CONTRIBUTING.md"]:
        assert "FORMAT.md" not in path.read_text(encoding="utf-8"), path
