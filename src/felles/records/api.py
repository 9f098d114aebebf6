"""API: arkiv og informasjonsforvaltning."""

from ninja import Router

router = Router(tags=["arkiv"])
