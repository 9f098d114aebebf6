"""Which identity at which provider is which person."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.organisations.models import Person


class ExternalIdentity(PublicModel):
    """A person's stable identifier at an identity provider (Entra ID's `oid`, or `sub`),
    recorded at the first sign-in matched by employee number or e-mail. Later sign-ins
    match on it alone, so a changed e-mail address keeps the person, and an address taken
    over by someone else at the provider does not give them this person."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("person"),
    )
    issuer = models.CharField(_("utsteder"), max_length=300)
    subject = models.CharField(_("identifikator"), max_length=255)

    class Meta:
        verbose_name = _("ekstern identitet")
        verbose_name_plural = _("eksterne identiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique_subject"),
            models.UniqueConstraint(fields=["issuer", "person"], name="identity_one_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.issuer})"
