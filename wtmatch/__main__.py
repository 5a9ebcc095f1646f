"""``python -m wtmatch`` runs the command line."""

import sys

from wtmatch.cli import main

sys.exit(main())
