"""API: personellsikkerhet."""

from ninja import Router

router = Router(tags=["sikkerhet"])
