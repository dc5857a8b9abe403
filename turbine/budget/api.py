"""API resources of the budget app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["Budget participatif"])
