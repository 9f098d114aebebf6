"""Order writes, by topic: `submit` (placing orders and deciding approval steps), `fulfil`
(the provider's and the orderer's actions on an order), `notifications` (in-page and
e-mail notices, SLA digests) and `timers` (reminders, escalation, automatic closing).

Every transition is a service function: one transaction, a conditional UPDATE guarding the
state (so concurrent actors get exactly one transition and a 409 for the rest), an audit
event, timeline events and notifications after commit. Every service a user can call
declares with `@allowed` which side of the order may call it; the pages and the API call
these services directly and ask the same rules (`selectors.available_actions`) only to
show what is possible. Other apps import this package: `from felles.orders import services`.
"""

from felles.orders.services._common import NotFound
from felles.orders.services.batch import Item, submit_batch
from felles.orders.services.fulfil import (
    COMMENT_MAX,
    amend_answers,
    assign,
    cancel,
    change_priority,
    comment,
    confirm,
    provide_info,
    rate,
    reopen,
    request_info,
    resolve,
    take,
)
from felles.orders.services.linked import complete_parent
from felles.orders.services.notifications import (
    mark_notifications_read,
    notify,
    notify_sla,
    order_url,
)
from felles.orders.services.reads import purge_read_log, record_read, record_reads
from felles.orders.services.submit import (
    APPROVAL_TOKEN_SALT,
    approval_token,
    decide,
    step_from_token,
    submit_order,
)
from felles.orders.services.timers import scan

__all__ = [
    "APPROVAL_TOKEN_SALT",
    "COMMENT_MAX",
    "Item",
    "NotFound",
    "amend_answers",
    "approval_token",
    "assign",
    "cancel",
    "change_priority",
    "comment",
    "complete_parent",
    "confirm",
    "decide",
    "mark_notifications_read",
    "notify",
    "notify_sla",
    "order_url",
    "provide_info",
    "purge_read_log",
    "rate",
    "record_read",
    "record_reads",
    "reopen",
    "request_info",
    "resolve",
    "scan",
    "step_from_token",
    "submit_batch",
    "submit_order",
    "take",
]
