"""The seed catalogue, drawn from the review (chapter 3.3.1, 4.2–4.5 and appendices 2–7).

Prices are DEMO DATA (`PriceVersion.is_demo`): real prices come from the cost model and an
approved price list. Each row: code, area, provider, name (nb), name (en), summary,
cost kind, funding, UN/ECE Rec 20 unit code, unit label, approval policy, order form,
demo unit price (None for appropriation-funded services), keywords, mandatory.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

AREAS = (
    ("hr", "HR og kompetanse", "HR and competence", 1),
    ("informasjonsforvaltning", "Informasjonsforvaltning og arkiv", "Information management", 2),
    ("sikkerhet", "Sikkerhet og beredskap", "Security and preparedness", 3),
    ("service", "Service- og kontorstøttefunksjoner", "Service functions", 4),
    ("ikt", "IKT og brukerstøtte", "ICT and user support", 5),
)

F = dict[str, Any]

# The order forms' labels in English (`FormField.label_en`, shown with `|local:"label"`).
LABELS_EN = {
    "Hva trenger du?": "What do you need?",
    "Ønsket dato": "Preferred date",
    "Stillingstittel": "Job title",
    "Antall stillinger": "Number of positions",
    "Ansettelsesform": "Type of employment",
    "Kontaktperson i departementet": "Contact person in the ministry",
    "Ønsket utlysningsdato": "Preferred advertising date",
    "Om stillingen": "About the position",
    "Dato": "Date",
    "Tidsrom (f.eks. 09:00–11:30)": "Time (e.g. 09:00–11:30)",
    "Antall deltakere": "Number of participants",
    "Oppsett": "Layout",
    "Servering": "Catering",
    "Merknad": "Note",
    "Hvem skal ha utstyret?": "Who is the equipment for?",
    "Variant": "Variant",
    "Ønsket leveringsdato": "Preferred delivery date",
    "Gjelder": "Concerns",
    "Beskrivelse": "Description",
    "Frist": "Deadline",
    "Enhet": "Unit",
    "Hva gjelder oppdraget?": "What is the assignment about?",
    "Omfang (hyllemeter eller antall saker)": "Scope (shelf metres or number of cases)",
    "Vedlegg": "Attachment",
    "Person som skal klareres": "Person to be cleared",
    "Klareringsnivå": "Clearance level",
    "Tjenstlig behov": "Official need",
    "Fra klokken": "From (time)",
    "Til klokken": "To (time)",
    "Sted (bygg, etasje, rom)": "Place (building, floor, room)",
    "Deltaker": "Participant",
    "Kurs": "Course",
    "Gjelder (ansatt)": "Employee",
    "Ansattnummer i DFØ": "Employee number (DFØ)",
    "Endring": "Change",
    "Gjelder fra": "Effective from",
    "Nytt lønnstrinn": "New salary step",
    "Nytt beløp (kroner per år)": "New amount (NOK per year)",
    "Ny stillingsprosent": "New percentage of full time",
    "Begrunnelse": "Reason",
}


def field(
    key: str,
    label: str,
    kind: str,
    required: bool = False,
    help_text: str = "",
    choices: tuple[str, ...] = (),
    min_value: int | None = None,
) -> F:
    return {
        "key": key,
        "label_nb": label,
        "label_en": LABELS_EN.get(label, ""),
        "kind": kind,
        "required": required,
        "help_text": help_text,
        "choices": list(choices),
        "min_value": min_value,
    }


DESCRIBE = field(
    "beskrivelse", "Hva trenger du?", "long_text", True, "Beskriv behovet så konkret som mulig."
)
WANTED_DATE = field("onsket_dato", "Ønsket dato", "date")
FORMS: dict[str, list[F]] = {
    "generic": [DESCRIBE, WANTED_DATE],
    "recruitment": [
        field("stillingstittel", "Stillingstittel", "text", True),
        field("antall", "Antall stillinger", "number", True, min_value=1),
        field(
            "ansettelsesform",
            "Ansettelsesform",
            "choice",
            True,
            choices=("Fast", "Midlertidig", "Vikariat"),
        ),
        field("kontaktperson", "Kontaktperson i departementet", "person", True),
        field("utlysningsdato", "Ønsket utlysningsdato", "date"),
        field("beskrivelse", "Om stillingen", "long_text"),
    ],
    "meeting": [
        field("dato", "Dato", "date", True),
        field("tidspunkt", "Tidsrom (f.eks. 09:00–11:30)", "text", True),
        field("deltakere", "Antall deltakere", "number", True, min_value=1),
        field(
            "oppsett",
            "Oppsett",
            "choice",
            True,
            choices=("Langbord", "U-bord", "Klasserom", "Kinosal"),
        ),
        field("servering", "Servering", "multi_choice", choices=("Kaffe og te", "Frukt", "Lunsj")),
        field("merknad", "Merknad", "long_text"),
    ],
    "equipment": [
        field("mottaker", "Hvem skal ha utstyret?", "person", True),
        field("variant", "Variant", "choice", True, choices=("Standard", "Utvidet")),
        field("leveringsdato", "Ønsket leveringsdato", "date"),
        field("merknad", "Merknad", "long_text"),
    ],
    "person_case": [
        field("gjelder", "Gjelder", "person", True),
        field("beskrivelse", "Beskrivelse", "long_text", True),
        field("frist", "Frist", "date"),
    ],
    # The salary-change message to DFØ (felles.hr: SalaryChange records the kind, the date
    # and DFØ's case reference when DSS has sent it).
    "salary_change": [
        field("gjelder", "Gjelder (ansatt)", "person", True),
        field("ansattnummer", "Ansattnummer i DFØ", "text", True),
        field(
            "endring",
            "Endring",
            "choice",
            True,
            choices=(
                "Ny lønn (lønnstrinn eller kronebeløp)",
                "Tillegg, nytt eller endret",
                "Tillegg som opphører",
                "Endret stillingsprosent",
            ),
        ),
        field("gjelder_fra", "Gjelder fra", "date", True),
        field("lonnstrinn", "Nytt lønnstrinn", "number", min_value=1),
        field("belop", "Nytt beløp (kroner per år)", "number", min_value=0),
        field("stillingsprosent", "Ny stillingsprosent", "number", min_value=0),
        field(
            "begrunnelse",
            "Begrunnelse",
            "long_text",
            True,
            "F.eks. lokale forhandlinger, opprykk eller endret stilling.",
        ),
    ],
    "archive": [
        field("enhet", "Enhet", "unit", True),
        field("beskrivelse", "Hva gjelder oppdraget?", "long_text", True),
        field("omfang", "Omfang (hyllemeter eller antall saker)", "number", min_value=0),
        field("vedlegg", "Vedlegg", "attachment"),
    ],
    "clearance": [
        field("gjelder", "Person som skal klareres", "person", True),
        field(
            "niva",
            "Klareringsnivå",
            "choice",
            True,
            choices=("KONFIDENSIELT", "HEMMELIG", "STRENGT HEMMELIG"),
        ),
        field(
            "begrunnelse",
            "Tjenstlig behov",
            "long_text",
            True,
            "Hvorfor trenger personen tilgang til gradert informasjon?",
        ),
    ],
    "extra_hours": [
        field("dato", "Dato", "date", True),
        field("fra", "Fra klokken", "text", True, "F.eks. 16:00"),
        field("til", "Til klokken", "text", True, "F.eks. 20:00"),
        field("sted", "Sted (bygg, etasje, rom)", "text", True),
        field("merknad", "Merknad", "long_text"),
    ],
    "course": [
        field("deltaker", "Deltaker", "person", True),
        field(
            "kurs",
            "Kurs",
            "choice",
            True,
            choices=(
                "Introduksjonsdager",
                "Forvaltningskompetanse",
                "Lederutvikling",
                "Klart språk",
            ),
        ),
        field("merknad", "Merknad", "long_text"),
    ],
}


class SeedService(NamedTuple):
    code: str
    area: str
    provider: str
    name_nb: str
    name_en: str
    summary: str
    cost_kind: str
    funding: str
    unit_code: str
    unit_label: str
    policy: str
    form: str
    price: Decimal | None
    keywords: str = ""
    mandatory: bool = False


A, INV, CA = "appropriation", "invoicing", "charging_authorisation"
BASIC, FIXED, VAR, VOL, DEV = "basic", "fixed_addon", "variable_addon", "volume", "development"
NONE, LM, LMB, SEC, GRP = (
    "none",
    "line_manager",
    "line_manager_budget",
    "security_coordinator",
    "approver_group",
)
D = Decimal

SERVICES: tuple[SeedService, ...] = (
    # --- HR (appendix 2, model 1: central HR in DSS) -----------------------------------
    SeedService(
        "hr-toppleder",
        "hr",
        "DSS",
        "Rekruttering av toppledere",
        "Top-manager recruitment",
        "Full bistand ved rekruttering av toppledere.",
        VAR,
        INV,
        "EA",
        "rekruttering",
        LMB,
        "recruitment",
        D("185000"),
        "rekruttering ansettelse leder",
    ),
    SeedService(
        "hr-rekruttering",
        "hr",
        "DSS",
        "Full rekrutteringsbistand",
        "Full recruitment assistance",
        "Utlysning, utvelgelse, intervjuer og referanser.",
        VAR,
        INV,
        "EA",
        "rekruttering",
        LMB,
        "recruitment",
        D("42000"),
        "rekruttering ansettelse utlysning",
    ),
    SeedService(
        "hr-kandidattest",
        "hr",
        "DSS",
        "Kandidattesting",
        "Candidate testing",
        "Evne- og personlighetstester av kandidater.",
        VAR,
        INV,
        "EA",
        "kandidat",
        LM,
        "person_case",
        D("6500"),
        "rekruttering test",
    ),
    SeedService(
        "hr-jobbnorge",
        "hr",
        "DSS",
        "Utlysning i Jobbnorge",
        "Job posting (Jobbnorge)",
        "Publisering av stillingsannonser.",
        BASIC,
        A,
        "EA",
        "annonse",
        LM,
        "recruitment",
        None,
        "rekruttering annonse",
        True,
    ),
    SeedService(
        "hr-rekrutteringsveiledning",
        "hr",
        "DSS",
        "Rekrutteringsveiledning",
        "Recruitment guidance",
        "Råd til ledere om rekrutteringsprosessen.",
        BASIC,
        A,
        "HUR",
        "time",
        NONE,
        "generic",
        None,
        "rekruttering råd",
        True,
    ),
    SeedService(
        "hr-personaladministrasjon",
        "hr",
        "DSS",
        "Personaladministrasjon",
        "Personnel administration",
        "Arbeidsavtaler, endringer og dialogen med DFØ om lønnsdata.",
        BASIC,
        A,
        "EA",
        "sak",
        NONE,
        "person_case",
        None,
        "personal arbeidsavtale lønn dfø",
        True,
    ),
    SeedService(
        "hr-lonnsendring",
        "hr",
        "DSS",
        "Lønnsendring til DFØ",
        "Salary change to DFØ",
        "Ny lønn, tillegg eller stillingsprosent for en ansatt: DSS sender meldingen til DFØ.",
        BASIC,
        A,
        "EA",
        "endring",
        NONE,
        "salary_change",
        None,
        "lønn lønnsendring lønnstrinn tillegg dfø",
    ),
    SeedService(
        "hr-juridisk",
        "hr",
        "DSS",
        "Juridisk bistand i personalsaker",
        "Legal assistance in HR cases",
        "Bistand i arbeidsrettslige saker: varsling, oppsigelse, avskjed og konflikter.",
        BASIC,
        A,
        "HUR",
        "time",
        NONE,
        "person_case",
        None,
        "juridisk personalsak varsling oppsigelse avskjed",
        True,
    ),
    SeedService(
        "hr-statistikk",
        "hr",
        "DSS",
        "HR-statistikk og målinger",
        "HR statistics",
        "Felles statistikk om sykefravær, turnover og bemanning.",
        BASIC,
        A,
        "EA",
        "rapport",
        NONE,
        "generic",
        None,
        "statistikk sykefravær",
        True,
    ),
    SeedService(
        "hr-medarbeiderundersokelse",
        "hr",
        "DSS",
        "Medarbeiderundersøkelse",
        "Employee survey",
        "Gjennomføring og analyse av medarbeiderundersøkelse.",
        FIXED,
        A,
        "EA",
        "undersøkelse",
        LM,
        "generic",
        None,
        "undersøkelse",
    ),
    SeedService(
        "hr-personalhandbok",
        "hr",
        "DSS",
        "Digital personalhåndbok",
        "Digital personnel handbook",
        "Felles personalhåndbok med lokale tillegg.",
        BASIC,
        A,
        "EA",
        "endring",
        NONE,
        "generic",
        None,
        "håndbok",
        True,
    ),
    SeedService(
        "hr-onboarding",
        "hr",
        "DSS",
        "Onboarding av nyansatte",
        "Onboarding",
        "Tilgang, utstyr og introduksjon klart til første arbeidsdag.",
        BASIC,
        A,
        "EA",
        "nyansatt",
        LM,
        "person_case",
        None,
        "nyansatt start introduksjon",
        True,
    ),
    SeedService(
        "hr-offboarding",
        "hr",
        "DSS",
        "Offboarding ved fratreden",
        "Offboarding",
        "Innlevering av utstyr og stenging av tilganger.",
        BASIC,
        A,
        "EA",
        "person",
        LM,
        "person_case",
        None,
        "sluttet fratreden",
        True,
    ),
    SeedService(
        "hr-intern-flytting",
        "hr",
        "DSS",
        "Intern flytting",
        "Internal move",
        "Ny enhet i samme departement: tilganger, kort og arbeidsplass følger med.",
        BASIC,
        A,
        "EA",
        "person",
        NONE,
        "person_case",
        None,
        "flytting ny enhet omplassering",
    ),
    SeedService(
        "hr-akademiet",
        "hr",
        "DSS",
        "Departementsakademiet – kurs",
        "The ministries' academy",
        "Introduksjonsdager, master og kurs.",
        VAR,
        INV,
        "EA",
        "deltaker",
        LMB,
        "course",
        D("3500"),
        "kurs kompetanse opplæring",
    ),
    SeedService(
        "hr-mentor",
        "hr",
        "DSS",
        "Mentorprogram",
        "Mentoring programme",
        "Mentorordning for nye ledere og medarbeidere.",
        FIXED,
        A,
        "EA",
        "deltaker",
        LM,
        "person_case",
        None,
        "mentor kompetanse",
    ),
    SeedService(
        "hr-karrieredag",
        "hr",
        "DSS",
        "Karrieredager",
        "Career days",
        "Felles deltakelse på karrieredager.",
        BASIC,
        A,
        "EA",
        "arrangement",
        NONE,
        "generic",
        None,
        "rekruttering studenter",
    ),
    SeedService(
        "hr-vikar",
        "hr",
        "DSS",
        "Innleie av vikar (rammeavtale)",
        "Temporary staff",
        "Innleie av vikarer på felles rammeavtale.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "person_case",
        D("720"),
        "vikar innleie",
    ),
    SeedService(
        "hr-akan",
        "hr",
        "DSS",
        "AKAN-koordinering",
        "AKAN coordination",
        "Rådgivning om rus, spill og avhengighet.",
        BASIC,
        A,
        "EA",
        "sak",
        NONE,
        "person_case",
        None,
        "akan rus",
    ),
    SeedService(
        "hr-bht",
        "hr",
        "DSS",
        "Bedriftshelsetjeneste",
        "Occupational health service",
        "Arbeidsmiljøkartlegging, ergonomi og helsekontroller.",
        FIXED,
        A,
        "EA",
        "konsultasjon",
        NONE,
        "person_case",
        None,
        "bht helse ergonomi",
        True,
    ),
    # --- Information management (model 2, DIO) ----------------------------------------
    SeedService(
        "if-arkivtjeneste",
        "informasjonsforvaltning",
        "DIO",
        "Arkiv- og dokumentforvaltning",
        "Records management",
        "Journalføring, arkivering og kvalitetssikring etter arkivlova.",
        BASIC,
        A,
        "EA",
        "oppdrag",
        NONE,
        "archive",
        None,
        "arkiv journalføring noark",
        True,
    ),
    SeedService(
        "if-innsyn",
        "informasjonsforvaltning",
        "DIO",
        "Behandling av innsynskrav",
        "FOI request handling",
        "Saksforberedelse av innsynskrav etter offentleglova.",
        BASIC,
        A,
        "EA",
        "krav",
        NONE,
        "archive",
        None,
        "innsyn offentleglova",
        True,
    ),
    SeedService(
        "if-periodisering",
        "informasjonsforvaltning",
        "DIO",
        "Periodisering av arkiv",
        "Archive periodisation",
        "Avslutning og periodisering av arkivperioder.",
        BASIC,
        A,
        "EA",
        "oppdrag",
        LM,
        "archive",
        None,
        "periodisering arkiv",
        True,
    ),
    SeedService(
        "if-deponering",
        "informasjonsforvaltning",
        "DIO",
        "Deponering og avlevering",
        "Deposit and transfer",
        "Deponering og avlevering til Arkivverket.",
        BASIC,
        A,
        "EA",
        "oppdrag",
        LM,
        "archive",
        None,
        "avlevering arkivverket",
        True,
    ),
    SeedService(
        "if-papirarkiv",
        "informasjonsforvaltning",
        "DIO",
        "Ordning av eldre papirarkiv",
        "Older paper archives",
        "Ordning, listing og bevaringsvurdering.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "archive",
        D("890"),
        "papirarkiv ordning",
    ),
    SeedService(
        "if-digitalisering",
        "informasjonsforvaltning",
        "DIO",
        "Skanning og mediekonvertering",
        "Media conversion",
        "Digitalisering av papirdokumenter.",
        VOL,
        INV,
        "EA",
        "side",
        LMB,
        "archive",
        D("2.50"),
        "skanning digitalisering",
    ),
    SeedService(
        "if-utvalg",
        "informasjonsforvaltning",
        "DIO",
        "Arkivstøtte til utvalg",
        "Support to boards and committees",
        "Arkivbistand til offentlige utvalg.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "archive",
        D("890"),
        "utvalg arkiv",
    ),
    SeedService(
        "if-kurs",
        "informasjonsforvaltning",
        "DIO",
        "Kurs i informasjonsforvaltning",
        "Courses in records management",
        "Kurs i arkiv, journalføring og innsyn.",
        BASIC,
        A,
        "EA",
        "deltaker",
        NONE,
        "course",
        None,
        "kurs arkiv",
    ),
    SeedService(
        "if-brukerstotte",
        "informasjonsforvaltning",
        "DIO",
        "Brukerstøtte i saksbehandlingssystemet",
        "Case system user support",
        "Hjelp med dokumentfangst og saksbehandling.",
        BASIC,
        A,
        "EA",
        "henvendelse",
        NONE,
        "generic",
        None,
        "sak arkiv hjelp",
        True,
    ),
    SeedService(
        "if-kassasjon",
        "informasjonsforvaltning",
        "DIO",
        "Bevaring og kassasjon",
        "Retention and disposal",
        "Kassasjonsvedtak og gjennomføring.",
        BASIC,
        A,
        "EA",
        "oppdrag",
        LM,
        "archive",
        None,
        "kassasjon bevaring",
    ),
    # --- Security and preparedness (model 3, DSS) ----------------------------------------
    SeedService(
        "sik-klarering",
        "sikkerhet",
        "DSS",
        "Søknad om sikkerhetsklarering",
        "Security clearance request",
        "Forberedelse og innsending av klareringssøknad.",
        BASIC,
        A,
        "EA",
        "søknad",
        SEC,
        "clearance",
        None,
        "klarering sikkerhetsklarering personellsikkerhet",
        True,
    ),
    SeedService(
        "sik-autorisasjon",
        "sikkerhet",
        "DSS",
        "Autorisasjon – forberedelse",
        "Authorisation preparation",
        "Forberedelse av autorisasjonssamtale.",
        BASIC,
        A,
        "EA",
        "person",
        SEC,
        "clearance",
        None,
        "autorisasjon",
        True,
    ),
    SeedService(
        "sik-ros",
        "sikkerhet",
        "DSS",
        "Risiko- og sårbarhetsanalyse (ROS)",
        "Risk and vulnerability analysis",
        "Prosessveiledning og rådgivning i ROS-analyser.",
        BASIC,
        A,
        "EA",
        "analyse",
        SEC,
        "generic",
        None,
        "ros risiko analyse",
        True,
    ),
    SeedService(
        "sik-trussel",
        "sikkerhet",
        "DSS",
        "Trusselvurdering",
        "Threat assessment",
        "Rådgivning om trusselvurderinger.",
        BASIC,
        A,
        "EA",
        "vurdering",
        SEC,
        "generic",
        None,
        "trussel",
        True,
    ),
    SeedService(
        "sik-ovelse",
        "sikkerhet",
        "DSS",
        "Beredskapsøvelse",
        "Preparedness exercise",
        "Planlegging, gjennomføring og evaluering av øvelser.",
        BASIC,
        A,
        "EA",
        "øvelse",
        SEC,
        "generic",
        None,
        "øvelse beredskap",
        True,
    ),
    SeedService(
        "sik-gradert-moterom",
        "sikkerhet",
        "DSS",
        "Gradert møterom",
        "Graded meeting room",
        "Booking og drift av graderte møterom.",
        BASIC,
        A,
        "EA",
        "møte",
        SEC,
        "meeting",
        None,
        "møterom gradert",
        True,
    ),
    SeedService(
        "sik-anskaffelse",
        "sikkerhet",
        "DSS",
        "Sikkerhetsgraderte anskaffelser",
        "Security-graded procurement",
        "Merkantil støtte til graderte anskaffelser.",
        BASIC,
        A,
        "EA",
        "anskaffelse",
        SEC,
        "generic",
        None,
        "anskaffelse gradert",
    ),
    SeedService(
        "sik-opplaering",
        "sikkerhet",
        "DSS",
        "Sikkerhetsopplæring",
        "Security training",
        "Opplæring i sikkerhet og beredskap.",
        BASIC,
        A,
        "EA",
        "deltaker",
        NONE,
        "course",
        None,
        "kurs sikkerhet",
    ),
    SeedService(
        "sik-hendelse",
        "sikkerhet",
        "DSS",
        "Melding av sikkerhetshendelse",
        "Security incident report",
        "Håndtering av sikkerhetshendelser og avvik.",
        BASIC,
        A,
        "EA",
        "hendelse",
        NONE,
        "generic",
        None,
        "hendelse avvik",
        True,
    ),
    SeedService(
        "sik-nbn",
        "sikkerhet",
        "DSS",
        "Tilgang til begrenset nasjonalt nett (NBN)",
        "Restricted national network access",
        "Felles forvaltning av NBN.",
        BASIC,
        A,
        "EA",
        "tilgang",
        SEC,
        "clearance",
        None,
        "nbn nett",
        True,
    ),
    SeedService(
        "sik-beredskapslager",
        "sikkerhet",
        "DSS",
        "Beredskapslager",
        "Emergency stock",
        "Forvaltning av beredskapslager for RKV.",
        BASIC,
        A,
        "EA",
        "uttak",
        LM,
        "generic",
        None,
        "beredskap lager",
    ),
    SeedService(
        "sik-vakt-fd",
        "sikkerhet",
        "DSS",
        "Vakthold for FD",
        "Guarding for FD",
        "Vakt- og sikringstjenester for Forsvarsdepartementet.",
        FIXED,
        INV,
        "HUR",
        "time",
        LMB,
        "extra_hours",
        D("690"),
        "vakt",
    ),
    # --- Service functions (appendix 7) and today's mandatory services (3.3.1) ----------
    SeedService(
        "srv-vakt-resepsjon",
        "service",
        "DSS",
        "Vakt og resepsjon",
        "Guarding and reception",
        "Adgangskontroll, vakthold og resepsjon i RKV.",
        BASIC,
        A,
        "MON",
        "måned",
        NONE,
        "generic",
        None,
        "vakt resepsjon adgangskort",
        True,
    ),
    SeedService(
        "srv-ekstra-vakt",
        "service",
        "DSS",
        "Ekstra vakthold",
        "Extra guarding",
        "Vakthold utover ordinær åpningstid.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "extra_hours",
        D("690"),
        "vakt arrangement",
    ),
    SeedService(
        "srv-utvidet-resepsjon",
        "service",
        "DSS",
        "Utvidet resepsjonstid",
        "Extended reception hours",
        "Bemannet resepsjon utover ordinær tid.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "extra_hours",
        D("610"),
        "resepsjon kveld",
    ),
    SeedService(
        "srv-renhold",
        "service",
        "DSS",
        "Renhold",
        "Cleaning",
        "Ordinært renhold av kontorer og fellesarealer.",
        BASIC,
        A,
        "MON",
        "måned",
        NONE,
        "generic",
        None,
        "renhold vask",
        True,
    ),
    SeedService(
        "srv-ekstra-renhold",
        "service",
        "DSS",
        "Ekstra renhold",
        "Extra cleaning",
        "Renhold etter arrangementer eller ved særskilt behov.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "extra_hours",
        D("560"),
        "renhold vask arrangement",
    ),
    SeedService(
        "srv-moterom",
        "service",
        "DSS",
        "Møterom og konferanse",
        "Meeting rooms and conferences",
        "Booking og oppsett av møterom og konferansesal.",
        BASIC,
        A,
        "EA",
        "møte",
        NONE,
        "meeting",
        None,
        "møterom konferanse booking",
        True,
    ),
    SeedService(
        "srv-servering",
        "service",
        "DSS",
        "Servering til møter",
        "Meeting catering",
        "Kaffe, frukt og lunsj til møter.",
        VAR,
        INV,
        "EA",
        "kuvert",
        LMB,
        "meeting",
        D("145"),
        "møterom mat servering lunsj",
    ),
    SeedService(
        "srv-post",
        "service",
        "DSS",
        "Post og bud",
        "Post and courier",
        "Intern post, budtjeneste og utsendelser.",
        BASIC,
        A,
        "EA",
        "forsendelse",
        NONE,
        "generic",
        None,
        "post bud",
        True,
    ),
    SeedService(
        "srv-mobil",
        "service",
        "DSS",
        "Mobiltelefon og abonnement",
        "Mobile phone and subscription",
        "Mobiltelefon med abonnement på statens avtale.",
        VOL,
        INV,
        "MON",
        "abonnement per måned",
        LMB,
        "equipment",
        D("289"),
        "mobil telefon abonnement",
        True,
    ),
    SeedService(
        "srv-telefoni",
        "service",
        "DSS",
        "Telefoniadministrasjon",
        "Telephony administration",
        "Nummer, viderekobling og sentralbord.",
        BASIC,
        A,
        "EA",
        "endring",
        NONE,
        "person_case",
        None,
        "telefon sentralbord",
        True,
    ),
    SeedService(
        "srv-ikt-bestilling",
        "service",
        "DSS",
        "Bestilling av IKT-utstyr",
        "ICT equipment ordering",
        "Praktisk koordinering av utstyr til ansatte.",
        BASIC,
        A,
        "EA",
        "bestilling",
        LM,
        "equipment",
        None,
        "pc skjerm utstyr",
        True,
    ),
    SeedService(
        "srv-profil",
        "service",
        "DSS",
        "Grafisk profil og design",
        "Graphic profile",
        "Maler, trykksaker og grafisk design.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "generic",
        D("950"),
        "design trykk maler",
    ),
    SeedService(
        "srv-sprak",
        "service",
        "DSS",
        "Språktjenester",
        "Language services",
        "Klarspråk, korrektur og oversettelse.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "generic",
        D("850"),
        "språk oversettelse korrektur",
    ),
    SeedService(
        "srv-mobler",
        "service",
        "DSS",
        "Møbler og kontorutstyr",
        "Furniture and office equipment",
        "Bestilling og flytting av møbler.",
        VOL,
        INV,
        "EA",
        "enhet",
        LMB,
        "equipment",
        D("4200"),
        "møbler kontor flytting",
    ),
    SeedService(
        "srv-avtaler",
        "service",
        "DSS",
        "Avtaleforvaltning",
        "Agreement management",
        "Forvaltning av felles rammeavtaler.",
        BASIC,
        A,
        "EA",
        "sak",
        NONE,
        "generic",
        None,
        "avtale rammeavtale",
        True,
    ),
    SeedService(
        "srv-eiendom",
        "service",
        "DSS",
        "Eiendomsforvaltning og lokaler",
        "Property management",
        "Lokaler, ombygging og kontakt med Statsbygg.",
        BASIC,
        A,
        "EA",
        "sak",
        LM,
        "generic",
        None,
        "lokaler bygg rkv",
        True,
    ),
    SeedService(
        "srv-innkjop",
        "service",
        "DSS",
        "Innkjøpsrådgivning",
        "Procurement advice",
        "Råd om anskaffelser og regelverk.",
        BASIC,
        A,
        "HUR",
        "time",
        NONE,
        "generic",
        None,
        "anskaffelse innkjøp juridisk",
        True,
    ),
    SeedService(
        "srv-vikarpool",
        "service",
        "DSS",
        "Vikarpool for kontorstøtte",
        "Substitute pool",
        "Vikar for kontorstøtte til politisk ledelse.",
        VAR,
        INV,
        "HUR",
        "time",
        LMB,
        "extra_hours",
        D("650"),
        "vikar kontorstøtte",
    ),
    SeedService(
        "srv-adgangskort",
        "service",
        "DSS",
        "Adgangskort",
        "Access card",
        "Nytt eller erstatning av adgangskort.",
        BASIC,
        A,
        "EA",
        "kort",
        LM,
        "equipment",
        None,
        "adgang kort",
        True,
    ),
    # --- ICT and user support (DIO) -------------------------------------------------------
    SeedService(
        "ikt-plattform",
        "ikt",
        "DIO",
        "Drift av felles IKT-plattform",
        "ICT platform operations",
        "Drift av departementenes felles IKT-plattform.",
        BASIC,
        A,
        "MON",
        "måned",
        NONE,
        "generic",
        None,
        "ikt drift plattform",
        True,
    ),
    SeedService(
        "ikt-brukerservice",
        "ikt",
        "DIO",
        "Brukerservice",
        "User service",
        "Hjelp med PC, programvare, pålogging og skriver.",
        BASIC,
        A,
        "EA",
        "henvendelse",
        NONE,
        "generic",
        None,
        "pc hjelp feil passord skriver",
        True,
    ),
    SeedService(
        "ikt-pc",
        "ikt",
        "DIO",
        "Bærbar PC",
        "Laptop",
        "Standard bærbar PC med dokking.",
        FIXED,
        A,
        "EA",
        "pc",
        LM,
        "equipment",
        None,
        "pc datamaskin",
        True,
    ),
    SeedService(
        "ikt-ekstra-skjerm",
        "ikt",
        "DIO",
        "Ekstra skjerm",
        "Extra monitor",
        "Ekstra skjerm utover standardoppsett.",
        VAR,
        INV,
        "EA",
        "skjerm",
        LMB,
        "equipment",
        D("3200"),
        "skjerm utstyr",
    ),
    SeedService(
        "ikt-programvare",
        "ikt",
        "DIO",
        "Programvare og lisens",
        "Software and licence",
        "Installasjon av programvare utenfor standard.",
        VOL,
        INV,
        "MON",
        "lisens per måned",
        LMB,
        "equipment",
        D("120"),
        "programvare lisens",
    ),
    SeedService(
        "ikt-tilgang",
        "ikt",
        "DIO",
        "Tilgang til fagsystem",
        "System access",
        "Tilgang til fagsystem eller fellesområde.",
        BASIC,
        A,
        "EA",
        "tilgang",
        LM,
        "person_case",
        None,
        "tilgang system",
        True,
    ),
    SeedService(
        "ikt-videomote",
        "ikt",
        "DIO",
        "Videomøteutstyr",
        "Video meeting equipment",
        "Utstyr og støtte til videomøter.",
        BASIC,
        A,
        "EA",
        "møte",
        NONE,
        "meeting",
        None,
        "video møterom teams",
    ),
    SeedService(
        "ikt-sharepoint",
        "ikt",
        "DIO",
        "SharePoint-område",
        "SharePoint site",
        "Nytt samhandlingsområde, f.eks. for rekruttering.",
        FIXED,
        A,
        "EA",
        "område",
        LM,
        "generic",
        None,
        "sharepoint samhandling rekruttering",
    ),
    SeedService(
        "ikt-utvikling",
        "ikt",
        "DIO",
        "Endring eller ny digital tjeneste",
        "Change or new digital service",
        "Brukerinitiert utvikling av digitale fellestjenester.",
        DEV,
        INV,
        "HUR",
        "time",
        LMB,
        "generic",
        D("1250"),
        "utvikling endring digital",
    ),
    SeedService(
        "ikt-intranett",
        "ikt",
        "DIO",
        "Intranett på felles plattform",
        "Intranet on the common platform",
        "Intranett integrert med Depweb.",
        BASIC,
        A,
        "EA",
        "sak",
        NONE,
        "generic",
        None,
        "intranett depweb nyheter",
    ),
)


# Confidentiality classes (issue 18): code → (class, why in bokmål, why in English). Every
# other service is open. A restricted service's orders are seen by the orderer, the person
# the order is for, the approvers in the order's own chain and the service's handling team
# at the provider; a security service's also by the ministry's security coordinators. None
# of them goes to the line manager by default: the case may be about the leader.
RESTRICTED, SECURITY = "restricted", "security"
CONFIDENTIALITY: dict[str, tuple[str, str, str]] = {
    "hr-juridisk": (
        RESTRICTED,
        "Saker om varsling, oppsigelse og andre arbeidsrettslige forhold kan gjelde din egen "
        "leder. Bare du, den saken gjelder og DSS' juridiske team ser bestillingen.",
        "Whistleblowing, dismissal and other employment-law cases may concern your own "
        "manager. Only you, the person concerned and DSS's legal team see the order.",
    ),
    "hr-akan": (
        RESTRICTED,
        "AKAN-saker handler om rus, spill og avhengighet: helseopplysninger som bare du og "
        "DSS' AKAN-team ser. Lederen din godkjenner ikke og ser ikke saken.",
        "AKAN cases concern substance abuse, gambling and addiction: health data only you "
        "and DSS's AKAN team see. Your manager neither approves nor sees the case.",
    ),
    "hr-bht": (
        RESTRICTED,
        "Helsekontroller og tilrettelegging er helseopplysninger. Bare du og "
        "bedriftshelsetjenestens team ser bestillingen.",
        "Health checks and workplace adjustments are health data. Only you and the "
        "occupational health team see the order.",
    ),
    "hr-personaladministrasjon": (
        RESTRICTED,
        "Arbeidsavtaler, lønn og personalforhold er personopplysninger. Bare partene og DSS' "
        "personalteam ser saken, ikke bestillerkoordinatoren eller andre saksbehandlere.",
        "Employment contracts, pay and personnel matters are personal data. Only the parties "
        "and DSS's personnel team see the case, not the ordering coordinator or other agents.",
    ),
    "hr-lonnsendring": (
        RESTRICTED,
        "Arbeidsavtaler, lønn og personalforhold er personopplysninger. Bare partene og DSS' "
        "personalteam ser saken, ikke bestillerkoordinatoren eller andre saksbehandlere.",
        "Employment contracts, pay and personnel matters are personal data. Only the parties "
        "and DSS's personnel team see the case, not the ordering coordinator or other agents.",
    ),
    "sik-klarering": (
        SECURITY,
        "Klareringssaker er personellsikkerhet etter sikkerhetsloven. Sikkerhetskoordinatoren "
        "godkjenner og ser saken sammen med DSS' klareringsteam.",
        "Clearance cases are personnel security under the Security Act. The security "
        "coordinator approves and sees the case together with DSS's clearance team.",
    ),
    "sik-autorisasjon": (
        SECURITY,
        "Autorisasjon gjelder tilgang til gradert informasjon. Sikkerhetskoordinatoren "
        "godkjenner og ser saken sammen med DSS' klareringsteam.",
        "Authorisation concerns access to classified information. The security coordinator "
        "approves and sees the case together with DSS's clearance team.",
    ),
    "sik-trussel": (
        SECURITY,
        "Trusselvurderinger kan gjelde enkeltpersoner og sårbarheter. Bare partene, "
        "sikkerhetskoordinatorene og DSS' sikkerhetsteam ser saken.",
        "Threat assessments may concern individuals and vulnerabilities. Only the parties, "
        "the security coordinators and DSS's security team see the case.",
    ),
    "sik-hendelse": (
        SECURITY,
        "Sikkerhetshendelser kan avsløre sårbarheter og gjelde enkeltpersoner. Departementets "
        "sikkerhetskoordinatorer og DSS' hendelsesteam ser meldingen, ingen andre.",
        "Security incidents may reveal vulnerabilities and concern individuals. The ministry's "
        "security coordinators and DSS's incident team see the report, nobody else.",
    ),
}


# --- service levels (issue 18; docs/service-levels.md gives the basis) ---------------------
# Business hours (the provider's office hours, 7.75 h a day) to first response and to
# resolution per priority (low, normal, high, critical), the opening hours the customer
# sees, and the work process in steps written for the customer ({provider} is filled in).
# The review gives no clock times; where it or the rules say something it is cited here.
OFFICE_DAY = "Hverdager 08:00–15:45 (sommer 08:00–15:00)"
OFFICE_DAY_EN = "Weekdays 08:00–15:45 (summer 08:00–15:00)"


class SeedLevel(NamedTuple):
    targets: tuple[tuple[float, float], ...]  # (response, resolution): low, normal, high, critical
    opening_hours: str
    work_process: str
    basis: str
    # English for the English pages; the same {provider} placeholder.
    opening_hours_en: str = ""
    work_process_en: str = ""


LEVELS: dict[str, SeedLevel] = {
    "standard": SeedLevel(
        ((16, 80), (8, 40), (4, 16), (2, 8)),
        OFFICE_DAY,
        "1. Du bestiller i Felles; bestillingen godkjennes der tjenesten krever det.\n"
        "2. {provider} tar saken og avklarer detaljer med deg.\n"
        "3. {provider} leverer, og du bekrefter at saken er løst.",
        "Standard for tjenester uten egne krav: statens kontortid, normal sak løst innen en uke.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. You order in Felles; the order is approved where the service requires it.\n"
            "2. {provider} takes the case and clarifies the details with you.\n"
            "3. {provider} delivers, and you confirm that the case is resolved."
        ),
    ),
    "user_support": SeedLevel(
        ((8, 40), (2, 16), (1, 4), (0.5, 2)),
        OFFICE_DAY + "; telefon og chat",
        "1. Meld saken i Felles, på telefon eller chat.\n"
        "2. {provider} svarer og prøver å løse saken med en gang.\n"
        "3. Saker som ikke løses straks, går videre til riktig fagmiljø; "
        "du får beskjed underveis.\n"
        "4. Du bekrefter at saken er løst.",
        "Felles brukerservice er obligatorisk (kap. 3.3.1); kort svartid fordi "
        "brukeren står stille.",
        opening_hours_en=OFFICE_DAY_EN + "; phone and chat",
        work_process_en=(
            "1. Report the case in Felles, by phone or chat.\n"
            "2. {provider} answers and tries to resolve the case at once.\n"
            "3. Cases not resolved at once go on to the right specialist team; "
            "you are kept informed along the way.\n"
            "4. You confirm that the case is resolved."
        ),
    ),
    "platform": SeedLevel(
        ((8, 80), (4, 24), (1, 8), (0.5, 4)),
        "Driften overvåkes hele døgnet; brukerservice " + OFFICE_DAY.lower(),
        "1. Meld feil eller behov i Felles eller til brukerservice.\n"
        "2. {provider} vurderer konsekvens og setter prioritet (kritisk: mange brukere rammet).\n"
        "3. {provider} retter feilen og melder fra når tjenesten virker igjen.",
        "IKT-plattformdrift er obligatorisk fellestjeneste (kap. 3.3.1).",
        opening_hours_en="Operations are monitored around the clock; user support "
        + OFFICE_DAY_EN.lower(),
        work_process_en=(
            "1. Report faults or needs in Felles or to user support.\n"
            "2. {provider} assesses the impact and sets the priority "
            "(critical: many users affected).\n"
            "3. {provider} fixes the fault and lets you know when the service works again."
        ),
    ),
    "guard": SeedLevel(
        ((8, 40), (4, 16), (1, 4), (0.25, 2)),
        "Resepsjonen: hverdager 07:00–17:00. Vakt: hele døgnet, alle dager.",
        "1. Meld behovet i Felles; haster det, kontakt vakten direkte.\n"
        "2. {provider} bekrefter og setter inn vakt eller resepsjon.\n"
        "3. Du bekrefter at oppdraget er utført.",
        "Vakt og resepsjon er obligatorisk (kap. 3.3.1); utvidet åpningstid er en "
        "tilleggstjeneste, så ordinær resepsjonstid må være fast.",
        opening_hours_en="Reception: weekdays 07:00–17:00. Guards: around the clock, every day.",
        work_process_en=(
            "1. Report the need in Felles; if it is urgent, contact the guards directly.\n"
            "2. {provider} confirms and assigns guards or reception staff.\n"
            "3. You confirm that the assignment has been carried out."
        ),
    ),
    "extra_hours": SeedLevel(
        ((8, 40), (8, 24), (4, 8), (1, 4)),
        OFFICE_DAY + "; bestill senest to virkedager før",
        "1. Bestill i Felles med dato og tidsrom, helst to virkedager før.\n"
        "2. {provider} bekrefter bemanningen.\n"
        "3. Oppdraget utføres, og timene faktureres etter uttak.",
        "Ekstra vakthold, renhold og utvidet resepsjonstid er brukerbetalte tillegg (kap. 3.3.1).",
        opening_hours_en=OFFICE_DAY_EN + "; order at least two working days ahead",
        work_process_en=(
            "1. Order in Felles with date and time, preferably two working days ahead.\n"
            "2. {provider} confirms the staffing.\n"
            "3. The assignment is carried out, and the hours used are invoiced."
        ),
    ),
    "booking": SeedLevel(
        ((4, 16), (2, 8), (1, 4), (0.5, 2)),
        OFFICE_DAY,
        "1. Bestill rom, servering eller utstyr i Felles.\n"
        "2. {provider} bekrefter bestillingen.\n"
        "3. Rommet er klart til avtalt tid; meld avvik i saken.",
        "Møter bestilles på kort varsel; bekreftelse samme dag.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Book a room, catering or equipment in Felles.\n"
            "2. {provider} confirms the booking.\n"
            "3. The room is ready at the agreed time; report any deviation in the case."
        ),
    ),
    "equipment": SeedLevel(
        ((16, 78), (8, 40), (4, 16), (2, 8)),
        OFFICE_DAY,
        "1. Bestill i Felles; leder godkjenner der det kreves.\n"
        "2. {provider} bestiller eller tar utstyret fra lager og avtaler utlevering.\n"
        "3. Du får utstyret og bekrefter mottak.",
        "Utstyr fra lager innen en uke; to uker når det må bestilles.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order in Felles; your manager approves where required.\n"
            "2. {provider} orders the equipment or takes it from stock and arranges the handover.\n"
            "3. You receive the equipment and confirm receipt."
        ),
    ),
    "access": SeedLevel(
        ((8, 40), (4, 16), (2, 8), (1, 4)),
        OFFICE_DAY,
        "1. Bestill tilgangen i Felles med tjenstlig behov.\n"
        "2. {provider} kontrollerer bestillingen og gir tilgangen.\n"
        "3. Du bekrefter at tilgangen virker.",
        "Nyansatte og endrede oppgaver skal ikke vente på tilgang: normalt innen to dager.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order the access in Felles, stating the business need.\n"
            "2. {provider} checks the order and grants the access.\n"
            "3. You confirm that the access works."
        ),
    ),
    "case": SeedLevel(
        ((16, 78), (8, 40), (4, 16), (2, 8)),
        OFFICE_DAY,
        "1. Bestill i Felles og beskriv saken.\n"
        "2. En saksbehandler hos {provider} tar kontakt og avklarer.\n"
        "3. Saken behandles; du holdes orientert i Felles.\n"
        "4. Du bekrefter at saken er løst.",
        "Personalsaker: svar innen en dag, normalt løst innen en uke.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order in Felles and describe the case.\n"
            "2. A case officer at {provider} contacts you and clarifies.\n"
            "3. The case is processed; you are kept informed in Felles.\n"
            "4. You confirm that the case is resolved."
        ),
    ),
    "legal": SeedLevel(
        ((8, 155), (4, 78), (2, 40), (1, 16)),
        OFFICE_DAY,
        "1. Bestill i Felles; saken er skjermet og leses bare av saksbehandlerteamet.\n"
        "2. En jurist hos {provider} tar kontakt innen svarfristen.\n"
        "3. Du får en vurdering eller bistand i saken.\n"
        "4. Du bekrefter at saken er løst.",
        "Personalsaker haster ofte (frister i arbeidsmiljøloven): raskt svar, "
        "to uker til vurdering.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order in Felles; the case is restricted and read only by the handling team.\n"
            "2. A lawyer at {provider} contacts you within the response time.\n"
            "3. You receive an assessment or assistance in the case.\n"
            "4. You confirm that the case is resolved."
        ),
    ),
    "recruitment": SeedLevel(
        ((24, 620), (16, 465), (8, 310), (4, 155)),
        OFFICE_DAY,
        "1. Bestill i Felles med stilling og ønsket utlysningsdato.\n"
        "2. {provider} avtaler oppstartsmøte med deg.\n"
        "3. Utlysning, utvelgelse, intervjuer og referanser.\n"
        "4. Innstilling til departementet; du bekrefter at oppdraget er fullført.",
        "Rekruttering tar uker: normalt løst innen 12 uker (465 timer).",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order in Felles with the position and the preferred advertising date.\n"
            "2. {provider} arranges a start-up meeting with you.\n"
            "3. Advertising, shortlisting, interviews and references.\n"
            "4. Recommendation to the ministry; you confirm that the assignment is completed."
        ),
    ),
    "assignment": SeedLevel(
        ((40, 620), (16, 310), (8, 155), (4, 78)),
        OFFICE_DAY,
        "1. Bestill i Felles og beskriv oppdraget og fristen.\n"
        "2. {provider} avtaler omfang og plan med deg.\n"
        "3. Oppdraget gjennomføres etter planen.\n"
        "4. Du godkjenner leveransen.",
        "Oppdrag med plan og omfang: svar innen to dager, normalt levert innen åtte uker.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order in Felles and describe the assignment and the deadline.\n"
            "2. {provider} agrees the scope and plan with you.\n"
            "3. The assignment is carried out according to the plan.\n"
            "4. You approve the delivery."
        ),
    ),
    "course": SeedLevel(
        ((16, 155), (16, 78), (8, 40), (4, 16)),
        OFFICE_DAY,
        "1. Meld deg på i Felles.\n"
        "2. {provider} bekrefter plass og sender praktisk informasjon.\n"
        "3. Du deltar på kurset.",
        "Påmelding bekreftes innen to dager.",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Sign up in Felles.\n"
            "2. {provider} confirms your place and sends practical information.\n"
            "3. You attend the course."
        ),
    ),
    "foi": SeedLevel(
        ((8, 23), (4, 23), (2, 8), (1, 4)),
        OFFICE_DAY,
        "1. Innsynskravet registreres i Felles.\n"
        "2. {provider} vurderer kravet og innhenter uttalelse fra fagavdelingen ved behov.\n"
        "3. Vedtak om innsyn eller avslag med hjemmel sendes.",
        "Offentleglova § 29: uten ugrunnet opphold – samme dag, senest 1–3 virkedager "
        "(23 timer) for vanlige krav (JDs rettleiar, Sivilombudet).",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. The request for access is registered in Felles.\n"
            "2. {provider} assesses the request and obtains a statement from the specialist "
            "department where needed.\n"
            "3. A decision granting access, or a refusal stating its legal basis, is sent."
        ),
    ),
    "clearance": SeedLevel(
        ((24, 465), (16, 310), (8, 155), (4, 78)),
        OFFICE_DAY,
        "1. Bestill i Felles; sikkerhetskoordinatoren godkjenner.\n"
        "2. {provider} kontrollerer søknaden og sender den til klareringsmyndigheten.\n"
        "3. Du får beskjed om vedtaket; saken er skjermet hele veien.",
        "Klarering avhenger av klareringsmyndigheten: normalt åtte uker (310 timer).",
        opening_hours_en=OFFICE_DAY_EN,
        work_process_en=(
            "1. Order in Felles; the security coordinator approves.\n"
            "2. {provider} checks the application and sends it to the clearance authority.\n"
            "3. You are informed of the decision; the case is restricted throughout."
        ),
    ),
    "incident": SeedLevel(
        ((8, 40), (4, 24), (1, 8), (0.25, 4)),
        OFFICE_DAY + "; sikkerhetsvakten hele døgnet på telefon",
        "1. Meld hendelsen i Felles; ring sikkerhetsvakten ved pågående hendelse.\n"
        "2. {provider} vurderer alvorlighet og varsler etter sikkerhetsinstruksen.\n"
        "3. Hendelsen håndteres og lukkes med en kort rapport til deg.",
        "Sikkerhetshendelser må håndteres straks; kritisk: svar innen et kvarter.",
        opening_hours_en=OFFICE_DAY_EN + "; the security duty officer by phone around the clock",
        work_process_en=(
            "1. Report the incident in Felles; call the security duty officer during an "
            "ongoing incident.\n"
            "2. {provider} assesses the severity and gives notice according to the "
            "security instructions.\n"
            "3. The incident is handled and closed with a short report to you."
        ),
    ),
    "cleaning": SeedLevel(
        ((8, 40), (4, 16), (2, 8), (1, 4)),
        "Renhold på kveldstid hverdager; henvendelser " + OFFICE_DAY.lower(),
        "1. Meld behov eller avvik i Felles.\n"
        "2. {provider} bekrefter og legger det inn i renholdsplanen.\n"
        "3. Du bekrefter at det er utført.",
        "Ordinært renhold er obligatorisk (kap. 3.3.1); avvik rettes innen to dager.",
        opening_hours_en="Cleaning on weekday evenings; enquiries " + OFFICE_DAY_EN.lower(),
        work_process_en=(
            "1. Report a need or deviation in Felles.\n"
            "2. {provider} confirms and adds it to the cleaning schedule.\n"
            "3. You confirm that it has been done."
        ),
    ),
}

# Which level each seed service starts with; a service not named here gets "standard".
SERVICE_LEVELS: dict[str, str] = {
    **dict.fromkeys(("if-brukerstotte", "ikt-brukerservice"), "user_support"),
    "ikt-plattform": "platform",
    **dict.fromkeys(("srv-vakt-resepsjon", "sik-vakt-fd"), "guard"),
    **dict.fromkeys(
        ("srv-ekstra-vakt", "srv-utvidet-resepsjon", "srv-ekstra-renhold", "srv-vikarpool"),
        "extra_hours",
    ),
    **dict.fromkeys(
        ("srv-moterom", "srv-servering", "sik-gradert-moterom", "ikt-videomote"), "booking"
    ),
    **dict.fromkeys(
        (
            "srv-mobil",
            "srv-ikt-bestilling",
            "srv-mobler",
            "ikt-pc",
            "ikt-ekstra-skjerm",
            "ikt-programvare",
        ),
        "equipment",
    ),
    **dict.fromkeys(("ikt-tilgang", "srv-adgangskort", "srv-telefoni", "ikt-sharepoint"), "access"),
    **dict.fromkeys(
        (
            "hr-personaladministrasjon",
            "hr-lonnsendring",
            "hr-onboarding",
            "hr-offboarding",
            "hr-intern-flytting",
            "hr-kandidattest",
            "hr-mentor",
            "hr-bht",
            "hr-vikar",
            "hr-akan",
        ),
        "case",
    ),
    "hr-juridisk": "legal",
    **dict.fromkeys(("hr-toppleder", "hr-rekruttering"), "recruitment"),
    **dict.fromkeys(
        (
            "hr-statistikk",
            "hr-medarbeiderundersokelse",
            "if-papirarkiv",
            "if-digitalisering",
            "if-utvalg",
            "if-periodisering",
            "if-deponering",
            "if-kassasjon",
            "sik-ros",
            "sik-trussel",
            "sik-ovelse",
            "sik-anskaffelse",
            "srv-profil",
            "srv-sprak",
            "ikt-utvikling",
            "srv-eiendom",
            "srv-innkjop",
            "srv-avtaler",
        ),
        "assignment",
    ),
    **dict.fromkeys(("hr-akademiet", "if-kurs", "sik-opplaering"), "course"),
    "if-innsyn": "foi",
    **dict.fromkeys(("sik-klarering", "sik-autorisasjon", "sik-nbn"), "clearance"),
    "sik-hendelse": "incident",
    "srv-renhold": "cleaning",
}
