"""Reads of the label app, one module per part, shared by pages and API."""
