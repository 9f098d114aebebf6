"""API: sikkerhet og beredskap."""

from ninja import Router

router = Router(tags=["beredskap"])
