"""Demo security and preparedness data: Sigrid (DSS) on the handling team of the security
services, the security leaders' forum and the coordinators' network as arenas, incidents
in several ministries and quarters, KUD's ROS analysis under a `sik-ros` order waiting for
Per's sign-off and a joint analysis for the government quarter, the exercise plan, the
emergency stock, a graded procurement and self-reports.
DEMO DATA: invented records, metadata only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.governance import services as governance_services
from felles.orders import services as order_services
from felles.organisations.models import Organisation, Person, Role
from felles.preparedness import rules, services
from felles.preparedness.models import Analysis, Incident, SelfReport
from felles.security.models import Level

TEAM_SERVICES = (
    "sik-ros",
    "sik-trussel",
    "sik-hendelse",
    "sik-ovelse",
    "sik-beredskapslager",
    "sik-anskaffelse",
)
FORUM = "Sikkerhetslederforum"
NETWORK = "Nettverk for sikkerhetskoordinatorer"


def _team(actor: Actor, sigrid: Person) -> None:
    catalog_services.join_handling_team(actor=actor, codes=TEAM_SERVICES, person=sigrid)


def _arenas(actor: Actor, org: dict[str, Organisation], person: dict[str, Person]) -> None:
    ministries = list(Organisation.objects.customers())
    ros = Service.objects.get(code="sik-ros")
    today = timezone.localdate()
    forum = governance_services.create_arena(
        actor=actor,
        provider=org["DSS"],
        name_nb=FORUM,
        name_en="Security leaders' forum",
        members=ministries,
        member_roles=[Role.SECURITY_COORDINATOR],
        service=ros,
        level="strategic",
        customer_contact=person["sigrid"],
        starts_on=today.replace(month=1, day=1),
    )
    network = governance_services.create_arena(
        actor=actor,
        provider=org["DSS"],
        name_nb=NETWORK,
        name_en="Security coordinators' network",
        members=ministries,
        member_roles=[Role.SECURITY_COORDINATOR],
        service=ros,
        level="tactical",
        customer_contact=person["sigrid"],
        starts_on=today.replace(month=1, day=1),
    )
    if network.meetings.exists():
        return
    governance_services.record_meeting(
        actor=actor,
        series=network,
        held_on=today - dt.timedelta(days=40),
        agenda="Hendelser siste kvartal; felles øvelse; ROS for regjeringskvartalet",
        minutes="Gikk gjennom hendelsesstatistikken og planen for fellesøvelsen.",
        participants=[person["sigrid"], person["knut"], person["frode"]],
        actions=[
            ("Spille inn scenario til fellesøvelsen", person["knut"], today + dt.timedelta(14)),
            ("Oppdatere varslingslisten", person["frode"], today - dt.timedelta(5)),
        ],
    )
    governance_services.record_meeting(
        actor=actor,
        series=forum,
        held_on=today + dt.timedelta(days=20),
        agenda="Trusselbildet for departementsfellesskapet; årets egenrapportering",
    )


def _incidents(actor: Actor, person: dict[str, Person]) -> None:
    now = timezone.now()
    K = Incident.Kind
    rows = [
        ("kari", K.LOSS, 3, 2, True, False, "Mistet adgangskort på vei hjem."),
        ("kari", K.DIGITAL, 20, 1, False, False, "Mistenkelig e-post med lenke."),
        ("per", K.PHYSICAL, 45, 3, False, True, "Forsøk på uautorisert adgang i resepsjonen."),
        ("eva", K.HANDLING, 60, 2, False, False, "Dokument lagt igjen på skriver."),
        ("ingrid", K.LOSS, 100, 1, False, False, "Glemt bærbar PC på møterom (funnet)."),
        ("kari", K.THREAT, 130, 2, False, False, "Ubehagelig oppmerksomhet på arrangement."),
        ("per", K.ACCESS, 140, 2, True, False, "Besøkende uten følge i kontorlandskap."),
        ("eva", K.DIGITAL, 150, 1, False, False, "Phishing-forsøk rapportert."),
        ("ola", K.LOSS, 10, 2, False, False, "Mistet mobiltelefon."),
        ("ola", K.DIGITAL, 110, 1, False, False, "Mistenkelig SMS."),
    ]
    for who, kind, days, severity, nsm, police, summary in rows:
        incident = services.report_incident(
            actor=actor,
            reporter=person[who],
            kind=kind,
            occurred_at=now - dt.timedelta(days=days),
            severity=severity,
            summary=summary,
            report_nsm=nsm,
            report_police=police,
        )
        if who == "kari" and days == 3:
            services.add_incident_action(
                actor=actor,
                incident=incident,
                text="Sperre kortet og utstede nytt",
                owner=person["knut"],
                due_on=timezone.localdate() + dt.timedelta(days=2),
            )


def _analyses(actor: Actor, org: dict[str, Organisation], person: dict[str, Person]) -> None:
    knut, sigrid, per = person["knut"], person["sigrid"], person["per"]
    ros = Service.objects.get(code="sik-ros")
    order = order_services.submit_order(
        actor=actor,
        orderer=per,  # the coordinator approves orders of sik-* services: not his own
        service=ros,
        answers={
            f.key: {
                "label": f.label_nb,
                "value": "ROS for KUDs kontorlokaler og møteromsbruk"
                if f.key == "beskrivelse"
                else None,
            }
            for f in ros.fields.all()
        },
    )
    kud = services.create_analysis(
        actor=actor,
        title="ROS-analyse KUD 2026",
        scope="KUDs kontorlokaler, møterom og håndtering av skjermingsverdig informasjon.",
        assets="Beslutningsgrunnlag til politisk ledelse; møterom; adgangskontroll.",
        ministries=[org["KUD"]],
        order=order,
        created_by=knut,
    )
    for asset, threat, vuln, lc, rlc in (
        ("Møterom", "Avlytting", "Mobiltelefoner i møter", (3, 4), (2, 3)),
        ("Adgangskontroll", "Uautorisert adgang", "Besøkende uten følge", (3, 3), (2, 2)),
        ("Beslutningsgrunnlag", "Lekkasje", "Utskrift på fellesskriver", (2, 4), (1, 4)),
        ("IKT-utstyr", "Tyveri", "Bærbare PC-er på reise", (4, 2), (3, 2)),
    ):
        services.add_risk(
            actor=actor,
            analysis=kud,
            asset=asset,
            threat=threat,
            vulnerability=vuln,
            likelihood=lc[0],
            consequence=lc[1],
            residual_likelihood=rlc[0],
            residual_consequence=rlc[1],
        )
    today = timezone.localdate()
    services.add_measure(
        actor=actor,
        analysis=kud,
        text="Mobilskap ved møterommene",
        owner=sigrid,
        due_on=today + dt.timedelta(days=60),
    )
    services.add_measure(
        actor=actor,
        analysis=kud,
        text="Rutine for følge av besøkende",
        owner=knut,
        due_on=today + dt.timedelta(days=30),
    )
    joint = services.create_analysis(
        actor=actor,
        title="Felles ROS for regjeringskvartalet",
        scope="Felles arealer, adkomst og egenberedskap i det nye regjeringskvartalet.",
        ministries=[org["KUD"], org["FIN"], org["KLD"]],
        created_by=knut,
    )
    services.add_risk(
        actor=actor,
        analysis=joint,
        asset="Felles adkomst",
        threat="Sabotasje",
        vulnerability="Én hovedinngang",
        likelihood=2,
        consequence=5,
        residual_likelihood=1,
        residual_consequence=5,
    )
    # KUD's leader (the top of its line) signs KUD's part; the others' leaders have not yet.
    leader = (
        Person.objects.filter(
            organisation=org["KUD"], line_manager__isnull=True, roles__role=Role.LINE_MANAGER
        )
        .order_by("employee_number")
        .first()
    )
    if leader is not None and leader.user is not None:
        services.sign_analysis(actor=Actor(user=leader.user), analysis=joint)


def _work(actor: Actor, org: dict[str, Organisation], person: dict[str, Person]) -> None:
    today = timezone.localdate()
    sigrid, knut = person["sigrid"], person["knut"]
    ministries = list(Organisation.objects.customers())
    services.plan_exercise(
        actor=actor,
        title="Fellesøvelse evakuering av regjeringskvartalet",
        scenario="Evakuering og samling etter brannalarm; varsling til alle departementene.",
        ministries=ministries,
        planned_on=today + dt.timedelta(days=45),
        observers="DSB, DFD",
        created_by=sigrid,
    )
    held = services.plan_exercise(
        actor=actor,
        title="KUD skrivebordsøvelse: tap av adgangskort",
        scenario="Et adgangskort er tapt; håndtering og varsling.",
        ministries=[org["KUD"]],
        planned_on=today - dt.timedelta(days=90),
        created_by=knut,
    )
    services.evaluate_exercise(
        actor=actor,
        exercise=held,
        evaluation="Varslingen fungerte; sperring av kort tok for lang tid utenom arbeidstid.",
        lessons=[("Vaktordning for sperring av kort", sigrid, today + dt.timedelta(days=20))],
    )
    for name, qty, unit, location, expires, reorder, months in (
        ("Drikkevann (5 l)", 400, "kanner", "Lager U1", today + dt.timedelta(days=300), 200, 6),
        ("Tørrmat (dagsrasjon)", 120, "rasjoner", "Lager U1", today + dt.timedelta(30), 150, 6),
        ("Førstehjelpsutstyr", 40, "sett", "Lager U2", today + dt.timedelta(days=500), 20, 12),
        ("Lommelykter", 80, "stk", "Lager U2", None, 50, 12),
        ("Nødstrømsaggregat, drivstoff", 2000, "liter", "Teknisk rom", None, 1000, 3),
    ):
        services.save_stock_item(
            actor=actor,
            name=name,
            quantity=qty,
            unit=unit,
            location=location,
            expires_on=expires,
            reorder_level=reorder,
            check_months=months,
        )
    services.register_contract(
        actor=actor,
        ministry=org["KUD"],
        title="Sikring av graderte møterom",
        supplier="Sikkerhet og Teknikk AS",
        agreement_on=today - dt.timedelta(days=400),
        clearance_level=Level.KONFIDENSIELT,
        clearance_expires_on=today + dt.timedelta(days=120),
        parts=[("Installasjon", Level.BEGRENSET), ("Skjermingstiltak", Level.KONFIDENSIELT)],
    )
    last_year = today.year - 1
    answers = {
        "KUD": ("yes", "yes", "partly", "yes", "yes", "partly"),
        "FIN": ("yes", "partly", "yes", "yes", "yes", "yes"),
        "KLD": ("partly", "no", "no", "yes", "partly", "no"),
        "JD": ("yes", "yes", "yes", "yes", "yes", "yes"),
    }
    for abbreviation, values in answers.items():
        if abbreviation not in org:
            continue
        services.submit_self_report(
            actor=actor,
            ministry=org[abbreviation],
            year=last_year,
            answers=dict(zip(rules.SELF_REPORT_QUESTIONS, values, strict=True)),
        )


def load(*, actor: Actor) -> None:
    """Harmless to call twice: nothing is added once the demo analyses exist."""
    org = {o.abbreviation: o for o in Organisation.objects.all()}
    person = {p.user.username: p for p in Person.objects.filter(user__isnull=False)}
    needed = {"kari", "per", "knut", "frode", "sigrid", "eva", "ingrid", "ola"}
    if not needed <= set(person):
        return
    _team(actor, person["sigrid"])
    _arenas(actor, org, person)
    if Analysis.objects.exists() or SelfReport.objects.exists():
        return
    _incidents(actor, person)
    _analyses(actor, org, person)
    _work(actor, org, person)
