"""The movement guide: a drawing of every movement in the catalog, and ``breakd guide``'s page."""
