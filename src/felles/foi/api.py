"""API: innsyn."""

from ninja import Router

router = Router(tags=["innsyn"])
