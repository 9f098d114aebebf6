"""Demo notices: DSS's planned outage (KUD's coordinator is asked to confirm), DFD's
price decision, and KUD's intranet key with one fetch recorded (the adopted travel
routine's notice comes from guidelines.demo). DEMO DATA: invented texts."""

from __future__ import annotations

from felles.core.actor import Actor
from felles.notices import services
from felles.notices.models import FeedKey, Notice
from felles.organisations.models import Organisation, Person


def load(*, actor: Actor) -> None:
    """Harmless to call twice: nothing is added once a hand-written notice exists."""
    if Notice.objects.filter(guideline_version__isnull=True).exists():
        return
    org = {o.abbreviation: o for o in Organisation.objects.all()}
    person = {p.user.username: p for p in Person.objects.filter(user__isnull=False)}
    marte = Actor(user=person["marte"].user, request_id="demo")
    anne = Actor(user=person["anne"].user, request_id="demo")
    services.publish_notice(
        actor=marte,
        kind="outage",
        title="Planlagt nedetid for e-post lørdag kl. 08–12",
        body="DSS oppgraderer e-postsystemet. E-post og kalender er utilgjengelig i "
        "tidsrommet. Meldinger som sendes til dere, kommer fram etterpå.",
        requires_confirmation=True,
    )
    services.publish_notice(
        actor=anne,
        kind="price",
        title="Prisene for neste år er vedtatt",
        body="DFD har vedtatt prislisten for DSS og DIO. Se vedtaksloggen for begrunnelsen.",
        audience=[org["KUD"], org["FIN"]],
    )
    services.make_feed_key(actor=actor, ministry=org["KUD"])
    key = FeedKey.objects.get(ministry=org["KUD"])
    from_notices = list(Notice.objects.all())
    services.record_fetches(actor=actor, key=key, notices=from_notices)
