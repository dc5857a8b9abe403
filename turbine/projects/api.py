"""API resources of the projects app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["Projets"])
