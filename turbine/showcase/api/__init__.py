"""API of the showcase."""

from ninja import Router

router = Router(tags=["Vitrine"])
