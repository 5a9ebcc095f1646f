"""Fixtures shared by the tests."""

from __future__ import annotations

from typing import Any

import pytest
from builders import part_a, part_b
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@pytest.fixture
def base_a() -> dict[str, Any]:
    return part_a()


@pytest.fixture
def base_b() -> dict[str, Any]:
    return part_b()
