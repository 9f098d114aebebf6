"""The personnel-security rules (pure; no Django imports), from ../shared/docs/rules-norway.md
§ 3 (sikkerhetsloven, klareringsforskriften, virksomhetsikkerhetsforskriften (VF)).

- Clearance validity (klareringsforskriften § 26): up to 5 years from the decision; a
  decision on 29 February runs to 28 February five years on (calendar months, dateutil).
- Re-clearance (NSM's advice under § 26): start 6 months before expiry.
- The authorisation conversation (VF § 68): before authorising, on request, at
  re-clearance, and for STRENGT HEMMELIG at least every 2 years.
- Retention (VF § 78): authorisation data 1 year after the authorisation ends (as long as
  the clearance is valid, if the person is cleared); non-disclosure declarations 10 years
  after the authorisation ends; the register's rows 10 years after they stop being
  current; an issued VF § 72 list 10 years after it was issued.
- Reminders fall on working days (core.calendar): a date that is a weekend or a holiday
  moves to the working day before it, so the reminder comes in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

from felles.core.calendar import add_working_days, is_working_day

LEVELS = ("begrenset", "konfidensielt", "hemmelig", "strengt_hemmelig")
STRENGT_HEMMELIG = "strengt_hemmelig"
CLEARANCE_YEARS = 5
RECLEARANCE_MONTHS = 6
CONVERSATION_YEARS_SH = 2
AUTHORISATION_KEEP_YEARS = 1
DECLARATION_KEEP_YEARS = 10
REGISTER_KEEP_YEARS = 10
ISSUED_LIST_KEEP_YEARS = 10
# How many working days before a conversation is due its reminder comes.
CONVERSATION_NOTICE_DAYS = 20


class RuleError(ValueError):
    """A rule refuses the value; the message is for the user (bokmål)."""


def _years(day: dt.date, years: int) -> dt.date:
    result: dt.date = day + relativedelta(years=years)
    return result


def _months(day: dt.date, months: int) -> dt.date:
    result: dt.date = day + relativedelta(months=months)
    return result


def is_level(value: str) -> bool:
    return value in LEVELS


def level_rank(value: str) -> int:
    """0 for BEGRENSET … 3 for STRENGT HEMMELIG."""
    return LEVELS.index(value)


def latest_expiry(decided_on: dt.date) -> dt.date:
    """The last day a clearance decided on `decided_on` may be valid (5 years;
    klareringsforskriften § 26). 29.02.2024 → 28.02.2029."""
    return _years(decided_on, CLEARANCE_YEARS)


def check_expiry(decided_on: dt.date, expires_on: dt.date) -> None:
    """Refuse an expiry on or before the decision, or more than 5 years after it."""
    if expires_on <= decided_on:
        raise RuleError("Utløpsdatoen må være etter vedtaksdatoen.")
    if expires_on > latest_expiry(decided_on):
        raise RuleError(
            "En sikkerhetsklarering gjelder i høyst 5 år fra vedtaket "
            "(klareringsforskriften § 26): siste mulige utløpsdato er "
            f"{latest_expiry(decided_on):%d.%m.%Y}."
        )


def working_day_on_or_before(day: dt.date) -> dt.date:
    """`day` if it is a working day, else the working day before it."""
    return day if is_working_day(day) else add_working_days(day, -1)


@lru_cache(maxsize=8192)
def reclearance_start(expires_on: dt.date) -> dt.date:
    """When re-clearance should start: 6 months before expiry (NSM, klareringsforskriften
    § 26), on the working day on or before it. 31.08.2029 → 28.02.2029 (no 31 February)."""
    return working_day_on_or_before(_months(expires_on, -RECLEARANCE_MONTHS))


def next_conversation_due(
    level: str, conversation_on: dt.date | None, clearance_expires_on: dt.date | None = None
) -> dt.date | None:
    """When the next authorisation conversation is due (VF § 68): for STRENGT HEMMELIG at
    least every 2 years after the last one, and at re-clearance for everyone cleared;
    the earlier of the two. None when neither applies (BEGRENSET without a clearance:
    only on request or cause).

    The re-clearance conversation is due when re-clearance starts (6 months before the
    clearance expires); a conversation held on or after that day *is* the re-clearance
    conversation, so it no longer counts (else a held conversation would never clear the
    reminder). When the new clearance is registered, its own re-clearance date counts."""
    if not is_level(level):
        raise RuleError("Ukjent nivå.")
    candidates: list[dt.date] = []
    if level == STRENGT_HEMMELIG and conversation_on is not None:
        candidates.append(_years(conversation_on, CONVERSATION_YEARS_SH))
    if clearance_expires_on is not None and level_rank(level) >= 1:
        start = reclearance_start(clearance_expires_on)
        if conversation_on is None or conversation_on < start:
            candidates.append(start)
    return min(candidates) if candidates else None


@lru_cache(maxsize=8192)
def conversation_reminder_on(due: dt.date) -> dt.date:
    """The working day the coordinator is reminded of a conversation due on `due`."""
    return add_working_days(working_day_on_or_before(due), -CONVERSATION_NOTICE_DAYS)


def authorisation_disposal(ended_on: dt.date, clearance_valid_until: dt.date | None) -> dt.date:
    """VF § 78 (2): authorisation data is kept 1 year after the authorisation ends, or as
    long as the person's clearance is valid if that is later. Disposed the day after."""
    keep = _years(ended_on, AUTHORISATION_KEEP_YEARS)
    if clearance_valid_until is not None and clearance_valid_until > keep:
        keep = clearance_valid_until
    return keep + dt.timedelta(days=1)


def declaration_disposal(authorisation_ended_on: dt.date) -> dt.date:
    """VF § 78 (3): a non-disclosure declaration is kept 10 years after the authorisation
    it was signed for ends; disposed the day after."""
    return _years(authorisation_ended_on, DECLARATION_KEEP_YEARS) + dt.timedelta(days=1)


def register_disposal(last_valid_on: dt.date) -> dt.date:
    """VF § 78 (3): a row of the register (VF § 72 list) is kept 10 years after it stops
    being current (the clearance expired or was ended); disposed the day after."""
    return _years(last_valid_on, REGISTER_KEEP_YEARS) + dt.timedelta(days=1)


def issued_list_disposal(issued_on: dt.date) -> dt.date:
    """VF § 78 (3): a VF § 72 list is kept 10 years after it was issued; disposed the day
    after. Issued 29.02.2024 → kept to 28.02.2034 (no 29 February), disposed 01.03.2034."""
    return _years(issued_on, ISSUED_LIST_KEEP_YEARS) + dt.timedelta(days=1)


def clearance_covers(
    level: str,
    on: dt.date,
    clearances: Iterable[tuple[str, dt.date, dt.date, dt.date | None]],
) -> bool:
    """Whether an authorisation at `level` granted on `on` rests on a valid clearance
    (sikkerhetsloven § 8-1 and § 8-2; rules-norway § 3.2–3.3): BEGRENSET needs none;
    KONFIDENSIELT or higher needs a clearance (level, decided, expires, ended) at that
    level or higher that is valid on `on` (decided on or before, not expired, not ended
    before)."""
    if level_rank(level) < 1:
        return True
    for c_level, decided, expires, ended in clearances:
        if not is_level(c_level) or level_rank(c_level) < level_rank(level):
            continue
        if decided <= on <= expires and (ended is None or on <= ended):
            return True
    return False


def declaration_basis_end(authorisation_ends: Iterable[dt.date | None]) -> dt.date | None:
    """The day the authorisation a non-disclosure declaration was signed for ended (VF
    § 78 (3): kept 10 years from then): the last end of the person's authorisations in
    the ministry. None while one is open (the declaration still binds), and None with no
    authorisation at all (nothing has ended yet)."""
    last: dt.date | None = None
    for ended in authorisation_ends:
        if ended is None:
            return None
        last = ended if last is None or ended > last else last
    return last


def overlaps(
    start: dt.date, end: dt.date | None, others: Iterable[tuple[dt.date, dt.date | None]]
) -> bool:
    """Whether the period [start, end] (end None: open) overlaps any of `others`."""
    for other_start, other_end in others:
        if (end is None or other_start <= end) and (other_end is None or start <= other_end):
            return True
    return False
