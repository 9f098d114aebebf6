"""API: møterom."""

from ninja import Router

router = Router(tags=["moterom"])
