"""The instant an action is stamped with, for the command line and the app alike."""

from __future__ import annotations

from nurture.model import now_on

# Now, or noon of ``today`` when the book is looked at on another day (``NURTURE_TODAY``,
# a pinned demo): what is done then counts on that day. The rule lives in the model.
moment = now_on

__all__ = ["moment"]
