"""python -m youthwork.cli: the command line on its own (no desktop app)."""

from youthwork.cli import main

raise SystemExit(main())
