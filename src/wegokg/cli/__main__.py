"""`python -m wegokg.cli` runs the `wegokg` command."""

from wegokg.cli.main import main

raise SystemExit(main())
