"""``python -m nurture.cli``."""

import sys

from nurture.cli import main

sys.exit(main())
