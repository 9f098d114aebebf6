"""Demo data: a unit tree and a real management chain in every ministry, provider staff at
DSS and DIO, and DFD governance users. Deterministic (seeded), loaded through the service
functions so the audit trail is populated exactly as in real use."""

from __future__ import annotations

import random
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from felles.core.actor import Actor
from felles.organisations import demo_import, services
from felles.organisations.models import Organisation, Person, Role, Unit

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential, demo data only

FIRST_NAMES = [
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Nora",
    "Emma",
    "Sara",
    "Ida",
    "Maja",
    "Silje",
    "Tone",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Hans",
    "Geir",
    "Tor",
    "Jon",
    "Erik",
    "Magnus",
    "Jonas",
    "Henrik",
    "Sindre",
    "Aksel",
]
LAST_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
    "Berntsen",
    "Moe",
    "Kaur",
    "Haugland",
]

# Two subject departments per ministry (the administration department is common to all).
SUBJECT_DEPARTMENTS = {
    "AID": ("Arbeidsmarkedsavdelingen", "Integreringsavdelingen"),
    "BFD": ("Barne- og ungdomsavdelingen", "Familie- og forbrukeravdelingen"),
    "DFD": ("Avdeling for forvaltningsutvikling", "Digitaliseringsavdelingen"),
    "ED": ("Energi- og vannressursavdelingen", "Energimarkedsavdelingen"),
    "FIN": ("Budsjettavdelingen", "Skattelovavdelingen"),
    "FD": ("Forsvarspolitikkavdelingen", "Avdeling for ressurs- og virksomhetsstyring"),
    "HOD": ("Spesialisthelsetjenesteavdelingen", "Kommunetjenesteavdelingen"),
    "JD": ("Lovavdelingen", "Politiavdelingen"),
    "KDD": ("Kommunalavdelingen", "Bolig- og bygningsavdelingen"),
    "KLD": ("Klimaavdelingen", "Naturforvaltningsavdelingen"),
    "KD": ("Forskningsavdelingen", "Barnehage- og opplæringsavdelingen"),
    "KUD": ("Kulturavdelingen", "Likestillingsavdelingen"),
    "LMD": ("Matpolitisk avdeling", "Skog- og ressurspolitisk avdeling"),
    "NFD": ("Næringspolitisk avdeling", "Fiskeri- og sjømatavdelingen"),
    "SD": ("Luftfarts-, post- og teleavdelingen", "Veg- og trafikkavdelingen"),
    "UD": ("Regionavdelingen", "Avdeling for økonomi og utvikling"),
    "SMK": ("Politisk stab", "Sekretariatet for regjeringen"),
}
ADMIN_SECTIONS = (
    ("OKO", "Seksjon for økonomi og virksomhetsstyring"),
    ("HR", "Seksjon for personal og organisasjon"),
    ("IF", "Seksjon for informasjonsforvaltning"),
)
SUBJECT_SECTIONS = (("1", "Seksjon for analyse og utredning"), ("2", "Seksjon for regelverk"))

PROVIDER_UNITS = {
    "DSS": (
        (
            "SERV",
            "Avdeling for service og brukerstøtte",
            (("SERV-TORG", "Brukersenteret"), ("SERV-FAS", "Seksjon for fasilitetstjenester")),
        ),
        (
            "SIK",
            "Sikkerhetsavdelingen",
            (("SIK-PERS", "Seksjon for personellsikkerhet"), ("SIK-VAKT", "Vakt og resepsjon")),
        ),
        (
            "HRF",
            "Avdeling for HR-fellestjenester",
            (("HRF-REK", "Seksjon for rekruttering"), ("HRF-KOMP", "Seksjon for kompetanse")),
        ),
        ("OKO", "Økonomiavdelingen", ()),
    ),
    "DIO": (
        ("BRU", "Avdeling for brukerstøtte", (("BRU-1", "Førstelinje"), ("BRU-2", "Andrelinje"))),
        ("PLA", "Plattformavdelingen", ()),
        (
            "INF",
            "Avdeling for informasjonsforvaltning",
            (("INF-ARK", "Seksjon for arkiv"), ("INF-INN", "Seksjon for innsyn")),
        ),
    ),
}


class Persona(NamedTuple):
    username: str
    first_name: str
    last_name: str
    organisation: str
    title: str
    roles: tuple[str, ...]
    serves: tuple[str, ...] = ()


# The personas the README lists. Kari reports to Per; Per reports to his department head.
PERSONAS = (
    Persona(
        "per",
        "Per",
        "Hansen",
        "KUD",
        "Underdirektør",
        (Role.EMPLOYEE, Role.LINE_MANAGER, Role.BUDGET_HOLDER),
    ),
    Persona("kari", "Kari", "Nordmann", "KUD", "Seniorrådgiver", (Role.EMPLOYEE,)),
    Persona(
        "ingrid",
        "Ingrid",
        "Berg",
        "KUD",
        "Seniorkonsulent",
        (Role.EMPLOYEE, Role.ORDERING_COORDINATOR),
    ),
    Persona(
        "knut", "Knut", "Lie", "KUD", "Sikkerhetsleder", (Role.EMPLOYEE, Role.SECURITY_COORDINATOR)
    ),
    # Knut's deputy: an order a coordinator places (a re-clearance) is approved by another.
    Persona(
        "solveig",
        "Solveig",
        "Ruud",
        "KUD",
        "Sikkerhetsrådgiver",
        (Role.EMPLOYEE, Role.SECURITY_COORDINATOR),
    ),
    Persona(
        "eva", "Eva", "Dahl", "KUD", "Arkivleder", (Role.EMPLOYEE, Role.INFORMATION_COORDINATOR)
    ),
    Persona("ola", "Ola", "Nilsen", "FIN", "Rådgiver", (Role.EMPLOYEE,)),
    Persona(
        "frode",
        "Frode",
        "Vik",
        "FIN",
        "Sikkerhetskoordinator",
        (Role.EMPLOYEE, Role.SECURITY_COORDINATOR),
    ),
    Persona("ole", "Ole", "Bakken", "DSS", "Seniorkonsulent", (Role.EMPLOYEE, Role.PROVIDER_AGENT)),
    Persona(
        "marte",
        "Marte",
        "Solberg",
        "DSS",
        "Seksjonssjef",
        (Role.EMPLOYEE, Role.LINE_MANAGER, Role.PROVIDER_MANAGER),
    ),
    Persona(
        "lars",
        "Lars",
        "Eide",
        "DSS",
        "Kundekontakt",
        (Role.EMPLOYEE, Role.CUSTOMER_CONTACT),
        ("KUD", "FIN", "KLD"),
    ),
    Persona(
        "siri",
        "Siri",
        "Moen",
        "DSS",
        "Økonomisjef",
        (Role.EMPLOYEE, Role.LINE_MANAGER, Role.BUDGET_HOLDER, Role.PROVIDER_MANAGER),
    ),
    Persona(
        "sigrid",
        "Sigrid",
        "Aas",
        "DSS",
        "Sikkerhetsrådgiver",
        (Role.EMPLOYEE, Role.PROVIDER_AGENT),
    ),
    Persona("helene", "Helene", "Kvam", "DSS", "HR-rådgiver", (Role.EMPLOYEE, Role.PROVIDER_AGENT)),
    Persona("dag", "Dag", "Strand", "DIO", "Rådgiver", (Role.EMPLOYEE, Role.PROVIDER_AGENT)),
    Persona(
        "hilde", "Hilde", "Lund", "DIO", "Innsynsbehandler", (Role.EMPLOYEE, Role.PROVIDER_AGENT)
    ),
    Persona("anne", "Anne", "Haugen", "DFD", "Avdelingsdirektør", (Role.EMPLOYEE, Role.GOVERNANCE)),
    Persona("revisor", "Randi", "Revisor", "DFD", "Internrevisor", (Role.EMPLOYEE, Role.AUDITOR)),
    Persona("admin", "Ada", "Admin", "DSS", "Systemforvalter", (Role.EMPLOYEE, Role.ADMINISTRATOR)),
)


def is_loaded() -> bool:
    return Person.objects.filter(user__username="kari").exists()


def load(*, actor: Actor) -> None:
    """Load demo people into every organisation. Harmless to call twice."""
    if is_loaded():
        return
    rng = random.Random(2026)
    password = make_password(DEMO_PASSWORD)  # hash once; argon2 per user would take minutes
    organisations = {o.abbreviation: o for o in Organisation.objects.all()}
    with transaction.atomic():
        for abbreviation in SUBJECT_DEPARTMENTS:
            _load_ministry(actor, organisations[abbreviation], rng)
        for abbreviation, departments in PROVIDER_UNITS.items():
            _load_provider(actor, organisations[abbreviation], departments, rng)
        _place_personas(actor, organisations)
        User = get_user_model()
        User.objects.filter(person__isnull=False).update(password=password)
    # Then a month later, as it were: KUD's HR export imported as a background job.
    demo_import.run()


class _Counter:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.next = 1001
        self.used_emails: set[str] = set()


def _person(
    actor: Actor,
    counter: _Counter,
    rng: random.Random,
    title: str,
    unit: Unit | None,
    manager: Person | None,
    roles: tuple[str, ...] = (),
) -> Person:
    org = counter.organisation
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().translate(str.maketrans("æøå", "aoa"))
    email, n = f"{local}@{org.email_domain}", 2
    while email in counter.used_emails:
        email, n = f"{local}{n}@{org.email_domain}", n + 1
    counter.used_emails.add(email)
    person = services.save_person(
        actor=actor,
        organisation=org,
        values={
            "first_name": first,
            "last_name": last,
            "email": email,
            "employee_number": f"{org.abbreviation}{counter.next}",
            "title": title,
            "unit": unit,
            "line_manager": manager,
            "active": True,
        },
    )
    counter.next += 1
    for role in roles:
        services.assign_role(actor=actor, person=person, role=role, organisation=org)
    return person


def _load_ministry(actor: Actor, org: Organisation, rng: random.Random) -> None:
    counter = _Counter(org)
    top = services.save_unit(
        actor=actor, organisation=org, code="LED", name="Departementsråden", kind=Unit.Kind.OTHER
    )
    head = _person(actor, counter, rng, "Departementsråd", top, None)
    departments = [("ADM", "Administrasjonsavdelingen", ADMIN_SECTIONS)] + [
        (f"A{i}", name, tuple((f"A{i}-{code}", label) for code, label in SUBJECT_SECTIONS))
        for i, name in enumerate(SUBJECT_DEPARTMENTS[org.abbreviation], start=1)
    ]
    for code, name, sections in departments:
        dept = services.save_unit(
            actor=actor,
            organisation=org,
            code=code,
            name=name,
            kind=Unit.Kind.DEPARTMENT,
            parent=top,
        )
        director = _person(
            actor, counter, rng, "Ekspedisjonssjef", dept, head, (Role.BUDGET_HOLDER,)
        )
        for section_code, section_name in sections:
            full_code = section_code if "-" in section_code else f"{code}-{section_code}"
            section = services.save_unit(
                actor=actor,
                organisation=org,
                code=full_code,
                name=section_name,
                kind=Unit.Kind.SECTION,
                parent=dept,
            )
            chief = _person(actor, counter, rng, "Avdelingsdirektør", section, director)
            for _ in range(rng.randint(1, 2) if code == "ADM" else 2):
                _person(
                    actor,
                    counter,
                    rng,
                    rng.choice(["Rådgiver", "Seniorrådgiver", "Fagdirektør"]),
                    section,
                    chief,
                )
        if code == "ADM":
            coordinator = Person.objects.filter(
                organisation=org,
                unit__code="ADM-OKO",
                line_manager__isnull=False,
                title__in=["Rådgiver", "Seniorrådgiver", "Fagdirektør"],
            ).first()
            if coordinator:
                services.assign_role(
                    actor=actor,
                    person=coordinator,
                    role=Role.ORDERING_COORDINATOR,
                    organisation=org,
                )


def _load_provider(actor: Actor, org: Organisation, departments: tuple, rng: random.Random) -> None:
    counter = _Counter(org)
    top = services.save_unit(
        actor=actor, organisation=org, code="LED", name="Direktøren", kind=Unit.Kind.OTHER
    )
    head = _person(actor, counter, rng, "Direktør", top, None, (Role.PROVIDER_MANAGER,))
    for code, name, sections in departments:
        dept = services.save_unit(
            actor=actor,
            organisation=org,
            code=code,
            name=name,
            kind=Unit.Kind.DEPARTMENT,
            parent=top,
        )
        director = _person(
            actor, counter, rng, "Avdelingsdirektør", dept, head, (Role.PROVIDER_MANAGER,)
        )
        for section_code, section_name in sections:
            section = services.save_unit(
                actor=actor,
                organisation=org,
                code=section_code,
                name=section_name,
                kind=Unit.Kind.SECTION,
                parent=dept,
            )
            chief = _person(
                actor, counter, rng, "Seksjonssjef", section, director, (Role.PROVIDER_MANAGER,)
            )
            for _ in range(3):
                _person(actor, counter, rng, "Rådgiver", section, chief, (Role.PROVIDER_AGENT,))
    # A customer contact for every ministry, three ministries each.
    ministries = list(Organisation.objects.customers().order_by("abbreviation"))
    service_unit = Unit.objects.get(organisation=org, code=departments[0][0])
    for i in range(0, len(ministries), 3):
        contact = _person(actor, counter, rng, "Kundekontakt", service_unit, None)
        services.assign_role(
            actor=actor,
            person=contact,
            role=Role.CUSTOMER_CONTACT,
            organisation=org,
            served=ministries[i : i + 3],
        )


def _place_personas(actor: Actor, organisations: dict[str, Organisation]) -> None:
    """Create the README personas in sensible places of the generated trees."""
    User = get_user_model()
    created: dict[str, Person] = {}
    for persona in PERSONAS:
        org = organisations[persona.organisation]
        unit, manager = _persona_position(persona, org, created)
        person = services.save_person(
            actor=actor,
            organisation=org,
            values={
                "first_name": persona.first_name,
                "last_name": persona.last_name,
                "email": f"{persona.username}@{org.email_domain}",
                "employee_number": f"{org.abbreviation}-{persona.username.upper()}",
                "title": persona.title,
                "unit": unit,
                "line_manager": manager,
                "active": True,
            },
        )
        User.objects.filter(pk=person.user_id).update(username=persona.username)
        served = [organisations[a] for a in persona.serves]
        for role in persona.roles:
            services.assign_role(
                actor=actor,
                person=person,
                role=role,
                organisation=org,
                served=served if role == Role.CUSTOMER_CONTACT else (),
            )
        created[persona.username] = person
        if persona.username == "per":
            # Per leads the section Kari works in: its advisers report to him.
            for report in Person.objects.filter(
                organisation=org,
                unit__code="A1-1",
                title__in=["Rådgiver", "Seniorrådgiver", "Fagdirektør"],
            ):
                services.save_person(
                    actor=actor, organisation=org, values={"line_manager": person}, person=report
                )


def _persona_position(
    persona: Persona, org: Organisation, created: dict[str, Person]
) -> tuple[Unit | None, Person | None]:
    def unit(code: str) -> Unit:
        return Unit.objects.get(organisation=org, code=code)

    def chief_of(code: str) -> Person | None:
        return (
            Person.objects.filter(
                unit__code=code,
                organisation=org,
                title__in=["Avdelingsdirektør", "Seksjonssjef", "Ekspedisjonssjef"],
            )
            .order_by("employee_number")
            .first()
        )

    match persona.username:
        case "kari":
            return unit("A1-1"), created["per"]
        case "per":
            return unit("A1-1"), chief_of("A1")
        case "ingrid" | "eva" | "knut" | "solveig":
            code = {"ingrid": "ADM-OKO", "eva": "ADM-IF", "knut": "ADM", "solveig": "ADM"}[
                persona.username
            ]
            return unit(code), chief_of(code)
        case "ole":
            return unit("SERV-TORG"), created.get("marte")
        case "marte":
            return unit("SERV-TORG"), chief_of("SERV")
        case "lars" | "admin":
            return unit("SERV"), chief_of("SERV")
        case "siri":
            return unit("OKO"), chief_of("LED")
        case "dag":
            return unit("BRU-1"), chief_of("BRU-1")
        case "sigrid":
            return unit("SIK-PERS"), chief_of("SIK-PERS")
        case "helene":
            return unit("HRF-REK"), chief_of("HRF-REK")
        case "hilde":
            return unit("INF-INN"), chief_of("INF-INN")
        case _:
            return (Unit.objects.filter(organisation=org, code="A1").first(), chief_of("A1"))
