"""`python -m assistant …` runs the CLI (same as the `assistant` script)."""
from .app.cli import main

raise SystemExit(main())
