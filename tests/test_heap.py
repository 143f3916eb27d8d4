"""infra/heap.py: a build's analysed site is left out of the collector's later passes while
the build runs, and collected again once it ends (mkdocs serve builds again in one process)."""

import gc
import os

import pytest

from xxgk.infra import heap


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    heap.release()
    gc.unfreeze()  # this test process goes on


def test_a_fork_freezes_only_for_itself_unless_a_build_holds(unfrozen):
    with heap.for_fork():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0  # no build: the parent's objects are collected again

    heap.hold()
    held = gc.get_freeze_count()
    assert held > 0
    with heap.for_fork():
        pass
    assert gc.get_freeze_count() >= held  # the fork does not thaw what the build holds
    heap.release()
    assert gc.get_freeze_count() == 0


@pytest.mark.build
def test_a_build_holds_its_site_while_it_renders_and_releases_it_after(mini, monkeypatch):
    """An in-process `mkdocs build`: while pages render, the analysed items are frozen and
    young objects are collected less often; after the build neither (a failed build too)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from xxgk.adapter.plugin import XxgkPlugin

    during: list[int] = []
    young: list[int] = []
    render = XxgkPlugin.on_page_context

    def seen(self, context, *args, **kwargs):
        during.append(gc.get_freeze_count())
        young.append(gc.get_threshold()[0])
        return render(self, context, *args, **kwargs)

    monkeypatch.setattr(XxgkPlugin, "on_page_context", seen)
    monkeypatch.chdir(mini.path)
    gc.unfreeze()
    before = gc.get_threshold()
    try:
        build(load_config(os.path.join(mini.path, "mkdocs.yml")))
        assert during and min(during) > 0  # held from the analysis to the end
        assert set(young) == {heap.YOUNG} != {before[0]}
        assert gc.get_freeze_count() == 0  # released with the build
        assert gc.get_threshold() == before

        mini.write("content/items/broken.md", "---\ntitle: [\n---\n")  # a build stopped by an error
        with pytest.raises(Abort):  # the analysis stops it (MkDocs turns its PluginError into Abort)
            build(load_config(os.path.join(mini.path, "mkdocs.yml")))
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
