"""A scenario's fingerprint: the SHA-256 of its canonical JSON.

A plan records the fingerprint of the scenario it was solved against, so
that ``check``, ``report``, ``replan`` … can tell a plan of another scenario
(or of an edited one) at once, instead of reporting dozens of broken rules.
Canonical: the validated scenario with every default spelled out, keys
sorted, no spaces, UTF-8 — so two files that mean the same (JSON or YAML,
another key order, defaults left out) have the same fingerprint. The
objective weights are left out: a plan records the weights it was solved
with beside the fingerprint, so a scenario solved with other weights (the
settings' overrides, a what-if) is still the same scenario.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wtmatch.scenario.scenario import Scenario


def fingerprint(scenario: Scenario) -> str:
    """``sha256:<hex>`` of the scenario's canonical JSON, its weights left out."""
    data = scenario.model_dump(mode="json", by_alias=True)
    data["settings"].pop("weights", None)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
