"""API: retningslinjer."""

from ninja import Router

router = Router(tags=["retningslinjer"])
