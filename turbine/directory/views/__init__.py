"""The directory's pages: organisations, people and networks (pages), the map (maps), CSV
imports (imports), moderation and needs, offers and introductions (needs)."""
