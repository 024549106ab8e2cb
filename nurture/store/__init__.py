"""The data file: crash-safe TinyDB storage, locking, migrations, backups and the repository."""

from nurture.store.repository import DeletedContact, Store, open_store

__all__ = ["DeletedContact", "Store", "open_store"]
