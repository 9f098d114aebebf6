"""Who is who in the ministry community: organisations, their unit trees, people, roles
and absences. Visibility rules live on each model's queryset (`visible_to(user)`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.types import AnyUser
from felles.core.visibility import VisibleQuerySet


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Ansatt")
    LINE_MANAGER = "line_manager", _("Leder")
    BUDGET_HOLDER = "budget_holder", _("Budsjettdisponent")
    ORDERING_COORDINATOR = "ordering_coordinator", _("Bestillerkoordinator")
    CUSTOMER_CONTACT = "customer_contact", _("Kundekontakt")
    PROVIDER_AGENT = "provider_agent", _("Saksbehandler hos leverandør")
    PROVIDER_MANAGER = "provider_manager", _("Leder hos leverandør")
    SECURITY_COORDINATOR = "security_coordinator", _("Sikkerhetskoordinator")
    INFORMATION_COORDINATOR = (
        "information_coordinator",
        _("Koordinator for informasjonsforvaltning"),
    )
    GOVERNANCE = "governance", _("Styring (DFD)")
    COUNCIL_MEMBER = "council_member", _("Medlem av rådgivende organ")
    AUDITOR = "auditor", _("Revisor (lesetilgang)")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that see across ministries. Everything else is confined to the role's organisation.
CROSS_MINISTRY_ROLES = frozenset({Role.GOVERNANCE, Role.AUDITOR, Role.ADMINISTRATOR})
# Provider-side roles; they may be scoped to the ministries the person serves.
PROVIDER_ROLES = frozenset({Role.CUSTOMER_CONTACT, Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: AnyUser) -> OrganisationQuerySet:
        # The list of organisations in the community is public knowledge.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()

    def customers(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.MINISTRY)

    def providers(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.PROVIDER)


class Organisation(PublicModel):
    """A ministry (or SMK) receiving services, or a provider delivering them. Kept as data
    with validity dates: the government can reorganise ministries at any time."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Departement")
        PROVIDER = "provider", _("Tjenesteleverandør")

    abbreviation = models.CharField(_("forkortelse"), max_length=12, unique=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200)
    org_number = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True)
    org_number_is_test = models.BooleanField(
        _("testnummer"),
        default=False,
        help_text=_("Nummeret er et testnummer fordi det ekte ikke er bekreftet."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    is_governing = models.BooleanField(_("styrende departement"), default=False)
    in_government_quarter = models.BooleanField(_("i nytt regjeringskvartal"), default=False)
    email_domain = models.CharField(_("e-postdomene"), max_length=100, blank=True)
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "abbreviation"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        constraints = [
            models.CheckConstraint(
                condition=Q(org_number__regex=r"^[89][0-9]{8}$"),
                name="organisation_org_number_9_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} – {self.name_nb}"

    def display_name(self, language: str = "nb") -> str:
        return self.name_en if language == "en" else self.name_nb


class UnitQuerySet(VisibleQuerySet["Unit"]):
    """`visible_to(user)`: `organisations.selectors.within_visible_organisations`."""


class Unit(PublicModel):
    """A department or section inside one organisation; units form a tree."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Avdeling")
        SECTION = "section", _("Seksjon")
        OTHER = "other", _("Enhet")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("enhetskode"), max_length=40)
    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("overordnet enhet"),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__abbreviation", "code"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_per_org"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.abbreviation})"


class PersonQuerySet(VisibleQuerySet["Person"]):
    """`visible_to(user)`: `organisations.selectors.within_visible_organisations`."""


class Person(PublicModel):
    """An employee of a ministry or provider, linked to a login user."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("enhet"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("etternavn"), max_length=100)
    email = models.EmailField(_("e-post"), unique=True)
    employee_number = models.CharField(_("ansattnummer"), max_length=40)
    title = models.CharField(_("stilling"), max_length=200, blank=True)
    line_manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("nærmeste leder"),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="person_employee_number_per_org"
            ),
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("id")), name="person_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def choice_label(self) -> str:
        """How every picker names a person («Kari Nordmann (Rådgiver, Seksjon for kunst,
        KUD)»): two people with the same name are told apart by title, unit and
        organisation. Pickers load `organisation` and `unit` with the people
        (`organisations.forms.PersonChoiceField`)."""
        unit = self.unit.name if self.unit_id and self.unit else ""
        detail = ", ".join(p for p in (self.title, unit, self.organisation.abbreviation) if p)
        return f"{self.full_name} ({detail})" if detail else self.full_name


class RoleAssignment(PublicModel):
    """A role a person holds in an organisation. Provider-side roles may be limited to the
    ministries the person serves (`served_organisations`; empty means all)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rolle"), max_length=40, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisasjon")
    )
    served_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("betjener")
    )

    class Meta:
        ordering = ["role"]
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "organisation"], name="role_once_per_person_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.organisation.abbreviation})"


class AbsenceQuerySet(VisibleQuerySet["Absence"]):
    """`visible_to(user)`: `organisations.selectors.visible_absence_filter`."""


class Absence(PublicModel):
    """A period a person is away, with the substitute who acts for them (used for approval
    delegation)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("fra og med"))
    ends_on = models.DateField(_("til og med"))
    substitute = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitute_for",
        verbose_name=_("stedfortreder"),
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(substitute=models.F("person")), name="absence_substitute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"
