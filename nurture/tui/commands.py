"""Command palette: jump to a contact, and every action of the app."""

from __future__ import annotations

from textual.command import Hits, Provider


class NurtureCommands(Provider):
    """Contacts by name and the app's actions, fuzzy-matched."""

    async def search(self, query: str) -> Hits:
        return
        yield
