"""Real OpenSearch nodes for the tests (plugins/xxgk_dev/opensearch.py, installed by
`scripts/setup --engine`): `opensearch_node`, one node for the session, and
`opensearch_cluster`, three nodes for the fault tests, each on free 127.0.0.1 ports in a
temporary folder, stopped at the end. A test using either is marked `engine` (conftest.py)
and skipped only when there is no Java; no test mocks OpenSearch."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from xxgk_dev import opensearch


def _cluster(count: int) -> Iterator[opensearch.Cluster]:
    if opensearch.java_home() is None:
        pytest.skip("没有 Java：OpenSearch 需要 Java 17（scripts/setup --engine）")
    # not under pytest's tmp_path: as root the nodes run as another user, who cannot enter it (0700)
    folder = Path(tempfile.mkdtemp(prefix="xxgk-opensearch-"))
    folder.chmod(0o755)
    cluster = opensearch.Cluster.plan(folder, count)
    try:
        cluster.start(heap="512m")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def opensearch_node() -> Iterator[opensearch.Cluster]:
    yield from _cluster(1)


@pytest.fixture(scope="session")
def opensearch_cluster() -> Iterator[opensearch.Cluster]:
    yield from _cluster(3)
