"""Who is acting: every service function takes `*, actor: Actor`.

An actor is a user (or the system, for commands and jobs), optionally acting on behalf of
another user, and carries the request id so audit events can be tied to one HTTP request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    on_behalf_of: User | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    system_label: str = ""

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, request_id=getattr(request, "request_id", uuid.uuid4().hex))

    @classmethod
    def system(cls, label: str) -> Actor:
        """An actor for commands and background jobs that act without a logged-in user."""
        return cls(user=None, system_label=label)

    @property
    def label(self) -> str:
        if self.user is None:
            return f"system:{self.system_label or 'felles'}"
        return self.user.get_username()
