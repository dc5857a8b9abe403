"""Writes of the label app, one module per part (charter, ambition, referential, applications,
committee, mutual aid)."""
