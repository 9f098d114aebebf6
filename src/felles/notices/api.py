"""API: kunngjøringer."""

from ninja import Router

router = Router(tags=["kunngjoringer"])
