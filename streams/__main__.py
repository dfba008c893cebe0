"""``python -m streams`` runs the ``figurewatch`` command line."""

from streams.cli import main

raise SystemExit(main())
