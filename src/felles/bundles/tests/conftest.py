from __future__ import annotations

from typing import Any

import pytest

from felles.core.actor import Actor


@pytest.fixture
def bundles(shop: Any) -> Any:
    """The shop with the seed bundles (onboarding, offboarding, internal move)."""
    from felles.bundles import services
    from felles.bundles.models import Bundle

    services.seed_bundles(actor=Actor.system("test"))
    shop.onboarding = Bundle.objects.get(service__code="hr-onboarding")
    shop.offboarding = Bundle.objects.get(service__code="hr-offboarding")
    shop.move = Bundle.objects.get(service__code="hr-intern-flytting")
    return shop
