"""The ``wtmatch`` command line: argument parsing only, the work is in the library.

Exit codes: 0 success, 1 a plan that breaks a rule (``check``), 2 invalid
input (never with a traceback).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from wtmatch.cli.codes import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK
from wtmatch.cli.parser import build_parser
from wtmatch.errors import ScenarioError, WtmatchError

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _stop_on_sigterm()
    try:
        args = build_parser().parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        code = run(args)
        sys.stdout.flush()   # inside the try: a closed pipe shows here, not at exit
        return code
    except ScenarioError as exc:
        where = f"{exc.source}: " if exc.source else ""
        for problem in exc.problems:
            print(f"{where}{problem}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # the reader went away (`wtmatch explain … | head`): stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # e.g. an output path that cannot be written
        print(f"wtmatch: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except WtmatchError as exc:
        print(f"wtmatch: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM outside a search (loading, building, writing): nothing to keep.
        print("wtmatch: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _stop_on_sigterm() -> None:
    """Make SIGTERM (a scheduler's or container's stop) do what Ctrl-C does.

    A search stops and the best plan so far is written; elsewhere the command
    ends with a one-line note. Only the main thread may set handlers.
    """
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


if __name__ == "__main__":
    sys.exit(main())
