"""Demo data of the showcase."""
