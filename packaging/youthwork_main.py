"""Entry point of the bundled `youthwork` executable: the same main() as the `youthwork` console script."""

import multiprocessing
import sys

from youthwork.cli import main

if __name__ == "__main__":
    # A frozen app that starts child processes (e.g. the embedded demo server) must call this first on Windows/macOS.
    multiprocessing.freeze_support()
    sys.exit(main())
