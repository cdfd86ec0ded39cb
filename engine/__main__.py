"""``python -m engine``: the MineCD command line."""

import sys

from .cli import main

sys.exit(main())
