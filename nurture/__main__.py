"""``python -m nurture``."""

from nurture.cli import run

# Guarded: capture's worker processes are spawned, and must not run the CLI again.
if __name__ == "__main__":
    run()
