"""The application layer: every user-level operation, once, called by the CLI and the app."""
