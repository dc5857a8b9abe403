"""API resources of the funding app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["Financements"])
