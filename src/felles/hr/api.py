"""API: hr."""

from ninja import Router

router = Router(tags=["hr"])
