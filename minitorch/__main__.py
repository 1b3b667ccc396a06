"""``python -m minitorch ...``: the same command line as the ``minitorch`` script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
