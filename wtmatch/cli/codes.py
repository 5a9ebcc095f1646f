"""Exit codes of the ``wtmatch`` command."""

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2
"""A plan found (or input valid); infeasible, none in time or a rule broken; bad input."""
EXIT_NO_SOLUTION = 3
"""``check`` of a plan that claims no solution (status infeasible or unknown)."""
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)."""
