"""One Dask LocalCluster of 2 workers for the sweep and front tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c
