"""``python -m nurture.cli``."""

import sys

from nurture.cli import main

# Guarded: capture's worker processes are spawned, and must not run the CLI again.
if __name__ == "__main__":
    sys.exit(main())
