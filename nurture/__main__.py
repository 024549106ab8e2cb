"""``python -m nurture``."""

import sys

from nurture.cli import main

sys.exit(main())
