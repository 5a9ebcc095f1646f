"""``python -m wtmatch`` and the ``wtmatch`` command: the command line."""

from __future__ import annotations

import sys


def run() -> int:
    """Run the command line (a stop while it loads ends quietly too, with exit 130)."""
    from wtmatch.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
