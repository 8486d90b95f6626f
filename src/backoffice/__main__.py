"""``python -m backoffice`` runs the command line."""

from backoffice.cli import main

raise SystemExit(main())
