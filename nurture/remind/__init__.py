"""Reminders that reach you outside the app: a desktop notification, a morning email, and
the timer (systemd) or crontab line that runs one of them each morning."""
