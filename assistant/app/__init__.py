"""The application: the `Assistant` facade (facade.py), the composition root that builds it (bootstrap.py),
and the front ends that call it: the command line (cli.py) and the Gradio web app (web.py, with
presenters, saved conversations and the security wrapper)."""
