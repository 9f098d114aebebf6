from __future__ import annotations

from typing import Any

import pytest

from felles.testing import add_billing


@pytest.fixture
def billing(shop, actor) -> Any:
    return add_billing(shop)
