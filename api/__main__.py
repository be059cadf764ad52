"""``python -m stancegraph.api`` runs the command line."""

import sys

from stancegraph.api.cli.commands import main

if __name__ == "__main__":  # not when a spawned query worker re-imports the main module
    sys.exit(main())
