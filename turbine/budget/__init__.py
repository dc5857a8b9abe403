"""Participatory budget: campaigns, proposals, the secret vote, tallies and results.

The secret ballot's design and its threat model (who can learn what, during and after the
vote: a database reader, the server's administrator, staff, the public, the voter) are in the
docstring of :mod:`turbine.budget.services.votes`; the keys in :mod:`turbine.budget.secrecy`.
"""
