"""Access-matrix rows for the preparedness app's pages and API operations (see
tests/test_access_matrix.py)."""

from __future__ import annotations

from felles.testing.matrix import Case

WEB: dict[str, Case] = {}

API: dict[str, Case] = {}
