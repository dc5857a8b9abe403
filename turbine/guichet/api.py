"""API resources of the guichet app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["Guichet unique"])
