"""API resources of the directory app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["Annuaire"])
