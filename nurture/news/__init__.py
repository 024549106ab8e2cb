"""News that opens a conversation: matching items to contacts, and fetching feeds."""
