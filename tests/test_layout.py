"""The package layout is the architecture: layers import one way, the core never imports
MkDocs or Material, and no module imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from xxgk import LAYERS

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "xxgk"

# Which sub-packages each layer may import (besides itself), from the one table in
# xxgk/__init__.py. The adapter and the CLI sit on top; nothing below them may reach up,
# and only the adapter may touch the engine.
ALLOWED = {name: set(imports) for name, (_, imports) in LAYERS.items()}
ENGINE = ("mkdocs", "material", "properdocs")


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """Every module this one imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "xxgk" else None


MODULES = modules()
GRAPH = {n: {i for i in imports(n, p) if i in MODULES and i != n} for n, p in MODULES.items()}


def test_every_module_lives_in_a_known_layer():
    stray = [n for n in MODULES if n != "xxgk" and layer(n) not in ALLOWED]
    assert not stray, (
        f"modules outside the layers: {stray}; add the folder to LAYERS in xxgk/__init__.py with its arrows"
    )


def test_the_table_points_down():
    """Each layer may import only layers listed before it: the table is the order."""
    order = list(LAYERS)
    wrong = [f"{n} → {i}" for n, allowed in ALLOWED.items() for i in allowed if order.index(i) >= order.index(n)]
    assert not wrong, f"arrows up the table in xxgk/__init__.py: {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) not in (None, "adapter")))
def test_only_the_adapter_imports_the_engine(name):
    engine = sorted(i for i in imports(name, MODULES[name]) if i.split(".")[0] in ENGINE)
    assert not engine, f"{name} imports {engine}: only xxgk.adapter may use MkDocs or Material"


def test_layers_import_one_way():
    wrong = sorted(
        f"{n} → {i}"
        for n, targets in GRAPH.items()
        for i in targets
        if (src := layer(n)) and (dst := layer(i)) and dst != src and dst not in ALLOWED[src]
    )
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_no_import_cycles():
    state: dict[str, int] = {}
    cycles = []

    def visit(n: str, trail: list[str]) -> None:
        state[n] = 1
        for m in sorted(GRAPH[n]):
            if state.get(m) == 1:
                cycles.append(" → ".join(trail[trail.index(m) :] + [m]) if m in trail else f"{n} → {m}")
            elif m not in state:
                visit(m, trail + [m])
        state[n] = 2

    for n in sorted(GRAPH):
        if n not in state:
            visit(n, [n])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_check_sees_a_break(tmp_path):
    """The test above would catch a core module importing the adapter (checked on a copy)."""
    text = MODULES["xxgk.core.model"].read_text(encoding="utf-8")
    probe = tmp_path / "model.py"
    probe.write_text(text + "\nfrom xxgk.adapter import plugin\nimport mkdocs\n", encoding="utf-8")
    found = imports("xxgk.core.model", probe)
    assert "xxgk.adapter.plugin" in found and "mkdocs" in found


def test_a_site_build_does_not_load_the_portal_s_reading_of_members():
    """Issue 35: the plugin's import leaves the portal's member reading (and jsonschema, 0.17 s
    of CPU) to a portal's build (build/steps.PortalBuild imports it)."""
    import subprocess
    import sys

    code = "import sys, xxgk.adapter.plugin; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "xxgk.portal.config" in loaded  # a portal is recognised by its options
    assert not {"xxgk.portal.gather", "xxgk.portal.read", "xxgk.portal.pages", "jsonschema"} & set(loaded)
