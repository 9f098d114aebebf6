"""Reference data from the review: the four model evaluations of chapter 4 and the
implementation portfolio of chapters 5–6 (one project per area and the follow-ups of
table 5, with their responsible organisations).

The review gives no numeric scores (its assessments are verbal), so each score below is the
review's own verdict put on a 1–5 scale (5 best; for risk, 5 = lowest implementation risk),
with the sentence it rests on quoted and its line in the review's text. Where the review
says nothing about a criterion for an alternative, the score is neutral (3) and the
justification says so. The weights follow the review's emphasis: «Departementsfellesskapets
beste er gjennomgående vektlagt» (4.1), quality first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

NEUTRAL = "Ikke drøftet særskilt i gjennomgangen for dette alternativet; nøytral skår."

# (code, name, weight): quality, cost, gain potential split into its three parts (4.1 and
# 4.4.2: «effektiv ressursbruk, utvikling og innovasjon og arealbesparelse i RKV»), and risk.
CRITERIA = (
    ("kvalitet", "Kvalitet", Decimal("0.30")),
    ("kostnad", "Kostnad", Decimal("0.20")),
    ("ressursbruk", "Gevinst: effektiv ressursbruk og stordriftsfordeler", Decimal("0.20")),
    ("innovasjon", "Gevinst: utvikling og innovasjon", Decimal("0.10")),
    ("areal", "Gevinst: redusert areal i nytt regjeringskvartal", Decimal("0.10")),
    ("risiko", "Risiko (implementering; 5 = lavest)", Decimal("0.10")),
)

Score = tuple[int, str, str]  # value, justification, source


def _s(value: int, quote: str = "", source: str = "") -> Score:
    return (value, quote or NEUTRAL, source)


EVALUATIONS: tuple[dict[str, Any], ...] = (
    {
        "code": "hr",
        "area": "hr",
        "title": "HR: organisering av HR-oppgaver",
        "recommendation": "Modell 1 (samhandlingsmodell) med DSS som leverandør: «Prosjektgruppen "
        "vurderer nærhet til departementene og mottakerne av HR-tjenestene som avgjørende for "
        "kvaliteten og at dette veier tyngre enn fordelene med å samle alle HR-ressursene under "
        "en ledelse. Prosjektgruppen anbefaler derfor modell 1.» (4.2)",
        "alternatives": (
            (
                "null",
                "0-alternativet: dagens organisering",
                {
                    "kvalitet": _s(
                        2,
                        "Vi anser derfor at dagens organisering ikke møter utfordringene og "
                        "vurderer ikke dette alternativet videre.",
                        "4.2 (l. 1849)",
                    ),
                    "kostnad": _s(3),
                    "ressursbruk": _s(1, "Dagens organisering møter ikke utfordringene.", "4.2"),
                    "innovasjon": _s(1, "Dagens organisering møter ikke utfordringene.", "4.2"),
                    "areal": _s(1, "Ingen endring i arealbruk.", "4.2"),
                    "risiko": _s(5, "Ingen omstilling, ingen implementeringsrisiko.", "4.1"),
                },
            ),
            (
                "modell-1",
                "Modell 1: samhandlingsmodell",
                {
                    "kvalitet": _s(
                        4,
                        "Dette vil bidra til en standardisering av kvaliteten og servicenivået "
                        "på HR-området.",
                        "4.2 (l. 2055)",
                    ),
                    "kostnad": _s(
                        3,
                        "Modell 1 forventes på kort sikt ikke å medføre reduserte kostnader.",
                        "4.2 (l. 2100)",
                    ),
                    "ressursbruk": _s(
                        4,
                        "Modell 1 forventes å gi gode muligheter for effektiv ressursbruk og "
                        "stordriftsfordeler.",
                        "4.2 (l. 2090)",
                    ),
                    "innovasjon": _s(3),
                    "areal": _s(
                        3,
                        "… potensial for redusert arealbruk i nytt regjeringskvartal, men dette "
                        "er ikke analysert videre.",
                        "4.2 (l. 2095)",
                    ),
                    "risiko": _s(
                        3,
                        "En risiko er at departementene vil bygge opp parallelle funksjoner "
                        "dersom kulturendringen ikke lykkes.",
                        "4.2 (l. 2126)",
                    ),
                },
            ),
            (
                "modell-2",
                "Modell 2: samordningsmodell (felles HR)",
                {
                    "kvalitet": _s(
                        3,
                        "Prosjektgruppen vurderer nærhet til departementene og mottakerne av "
                        "HR-tjenestene som avgjørende for kvaliteten.",
                        "4.2 (l. 2215)",
                    ),
                    "kostnad": _s(
                        3,
                        "Kostnadsbildet for modell 2 er forholdsvis likt som for modell 1.",
                        "4.2 (l. 2152)",
                    ),
                    "ressursbruk": _s(
                        5,
                        "Av de to vurderte modellene, anser prosjektgruppen at modell 2 har "
                        "størst potensial for effektiv ressursbruk.",
                        "4.2 (l. 2144)",
                    ),
                    "innovasjon": _s(3),
                    "areal": _s(3),
                    "risiko": _s(
                        2,
                        "Modell 2 vurderes å ha høy kompleksitet i implementeringsfasen.",
                        "4.2 (l. 2160)",
                    ),
                },
            ),
        ),
    },
    {
        "code": "informasjonsforvaltning",
        "area": "informasjonsforvaltning",
        "title": "Informasjonsforvaltning: organisering av arkiv- og informasjonsarbeid",
        "recommendation": "Modell 2 (helhetlig informasjonsforvaltning i DIO): «Prosjektgruppens "
        "samlede vurdering er at modell 2 kommer best ut når den måles opp mot kriteriene "
        "kvalitet, kostnad og gevinstpotensial.» (4.3)",
        "alternatives": (
            (
                "null",
                "0-alternativet: dagens organisering",
                {
                    "kvalitet": _s(2, "0-alternativet behandles derfor ikke videre.", "4.3"),
                    "kostnad": _s(
                        2,
                        "… de samme behovene vil gjøre seg gjeldende i et 0-alternativ.",
                        "4.3 (l. 2904)",
                    ),
                    "ressursbruk": _s(1, "0-alternativet behandles ikke videre.", "4.3"),
                    "innovasjon": _s(1, "0-alternativet behandles ikke videre.", "4.3"),
                    "areal": _s(1, "Ingen endring i arealbruk.", "4.3"),
                    "risiko": _s(5, "Ingen omstilling, ingen implementeringsrisiko.", "4.1"),
                },
            ),
            (
                "modell-1",
                "Modell 1: felles utviklingsmiljø og utvalgte oppgaver",
                {
                    "kvalitet": _s(
                        3,
                        "Det vil styrke fagmiljøet og bidra til at både kvalitet og kompetanse "
                        "for de utvalgte oppgavene ivaretas.",
                        "4.3 (l. 2720)",
                    ),
                    "kostnad": _s(
                        3,
                        "Det antas at investeringsbehovet vil være tilnærmet likt for både "
                        "modell 1 og 2.",
                        "4.3 (l. 2904)",
                    ),
                    "ressursbruk": _s(3),
                    "innovasjon": _s(
                        4,
                        "Modell 1 anses å bidra i høy grad til utvikling og innovasjon, men "
                        "modellen forutsetter tett samarbeid mellom DIO og departementene.",
                        "4.3 (l. 2752)",
                    ),
                    "areal": _s(2, "Oppgavene blir i hovedsak i departementene.", "4.3"),
                    "risiko": _s(
                        3,
                        "En negativ virkning av modellen er at departementene vil få en mer "
                        "sårbar ressurssituasjon enn i dag.",
                        "4.3 (l. 2732)",
                    ),
                },
            ),
            (
                "modell-2",
                "Modell 2: helhetlig informasjonsforvaltning i DIO",
                {
                    "kvalitet": _s(
                        5,
                        "Totalt sett er anser prosjektgruppen at modell 2 bidrar i større grad "
                        "til å nå målet om en helhetlig informasjonsforvaltning enn modell 1.",
                        "4.3 (l. 2788)",
                    ),
                    "kostnad": _s(
                        4,
                        "Modell 2 antas følgelig å legge best til rette for økt "
                        "kostnadseffektivitet.",
                        "4.3 (l. 2918)",
                    ),
                    "ressursbruk": _s(
                        5,
                        "Modell 2 er også den modellen som i størst grad bidrar til "
                        "stordriftsfordeler og økt kostnadseffektivitet på sikt.",
                        "4.3 (l. 2867)",
                    ),
                    "innovasjon": _s(4, "Et samlet fagmiljø i DIO.", "4.3"),
                    "areal": _s(3),
                    "risiko": _s(
                        3,
                        "Dette gjør modellen noe mer kompleks å gjennomføre enn modell 1.",
                        "4.3 (l. 2871)",
                    ),
                },
            ),
        ),
    },
    {
        "code": "sikkerhet",
        "area": "sikkerhet",
        "title": "Sikkerhet og beredskap: organisering av internt sikkerhetsarbeid",
        "recommendation": "Modell 3 (sikkerhet som fellestjeneste i DSS): «Prosjektgruppen "
        "anbefaler følgelig gjennomføring av modell 3.» (4.4.2)",
        "alternatives": (
            (
                "null",
                "0-alternativet: dagens organisering",
                {
                    "kvalitet": _s(
                        1, "… men med svært begrenset gevinstpotensial.", "4.4 (l. 3269)"
                    ),
                    "kostnad": _s(2),
                    "ressursbruk": _s(1, "… svært begrenset gevinstpotensial.", "4.4 (l. 3269)"),
                    "innovasjon": _s(1, "… svært begrenset gevinstpotensial.", "4.4 (l. 3269)"),
                    "areal": _s(1, "Ingen endring i arealbruk.", "4.4"),
                    "risiko": _s(5, "Ingen omstilling, ingen implementeringsrisiko.", "4.1"),
                },
            ),
            (
                "modell-1",
                "Modell 1: bedre samordning i nytt regjeringskvartal",
                {
                    "kvalitet": _s(
                        2,
                        "Modellen scorer derfor lavt på våre vurderingskriterier for kvalitet og "
                        "gevinstpotensial.",
                        "4.4.2 (l. 3579)",
                    ),
                    "kostnad": _s(
                        2,
                        "… men fremtidige driftskostnader vil preges av lav effektivitet.",
                        "4.4 (l. 3427)",
                    ),
                    "ressursbruk": _s(
                        2,
                        "Modellen forventes derfor å ha et lavt gevinstpotensial både på "
                        "kostnads- og kvalitetsområdet.",
                        "4.4 (l. 3433)",
                    ),
                    "innovasjon": _s(2, "Lavt gevinstpotensial.", "4.4 (l. 3433)"),
                    "areal": _s(2, "Lavt gevinstpotensial.", "4.4 (l. 3433)"),
                    "risiko": _s(
                        5,
                        "Implementeringsrisikoen er lav da modellen i hovedsak er kjent for "
                        "fagmiljøet i dag og det er lav kompleksitet i implementeringen.",
                        "4.4 (l. 3447)",
                    ),
                },
            ),
            (
                "modell-2",
                "Modell 2: styrkede og utvidede fellestjenester med delte fagmiljøer",
                {
                    "kvalitet": _s(
                        3,
                        "Etableringen av de utvidede fellestjenestene vil gi en likere standard "
                        "for sikkerhetsarbeidet i departementsfellesskapet.",
                        "4.4 (l. 3462)",
                    ),
                    "kostnad": _s(
                        3,
                        "… noen midler må overføres fra departementene til opprettelsen av den "
                        "nye fellesressursen eller tilføres som friske midler.",
                        "4.4 (l. 3476)",
                    ),
                    "ressursbruk": _s(
                        3,
                        "Gevinstpotensialet ligger i økt harmonisering av tjenestene gjennom en "
                        "styrket fellestjeneste som vil kunne gi noen små stordriftsfordeler.",
                        "4.4 (l. 3482)",
                    ),
                    "innovasjon": _s(
                        3,
                        "Sammenliknet med modell 1 scorer modell 2 noe høyere på kvalitet og "
                        "gevinstpotensial.",
                        "4.4.2 (l. 3585)",
                    ),
                    "areal": _s(2, "Fagmiljøene blir i hovedsak i departementene.", "4.4"),
                    "risiko": _s(
                        4,
                        "Modellen har lavere risiko enn modell 1 knyttet til kvalitet og "
                        "ressursutnyttelse.",
                        "4.4 (l. 3490)",
                    ),
                },
            ),
            (
                "modell-3",
                "Modell 3: sikkerhet som fellestjeneste i departementsfellesskapet",
                {
                    "kvalitet": _s(
                        5,
                        "Løsningen legger til rette for et samlet og robust kompetansemiljø som "
                        "på sikt vil styrke kvaliteten på sikkerhetsområdet.",
                        "4.4 (l. 3514)",
                    ),
                    "kostnad": _s(
                        4,
                        "På lengre sikt forventes modellen å gi lavere driftskostnader enn "
                        "dagens situasjon.",
                        "4.4 (l. 3537)",
                    ),
                    "ressursbruk": _s(
                        4,
                        "Gevinstpotensialet for denne modellen vurderes som moderat til stort.",
                        "4.4 (l. 3543)",
                    ),
                    "innovasjon": _s(
                        4,
                        "Den scorer også best på vurderingskriteriene kvalitet, kostnad og "
                        "gevinstpotensial.",
                        "4.4.2 (l. 3601)",
                    ),
                    "areal": _s(
                        4,
                        "Den scorer også best på vurderingskriteriene kvalitet, kostnad og "
                        "gevinstpotensial.",
                        "4.4.2 (l. 3601)",
                    ),
                    "risiko": _s(
                        2,
                        "Når det gjelder vurdering av risiko slår den noe høyere ut for modell 3 "
                        "enn de andre foreslått modellen.",
                        "4.4.2 (l. 3611)",
                    ),
                },
            ),
        ),
    },
    {
        "code": "servicetjenester",
        "area": "service",
        "title": "Kontorstøtte og servicetjenester: organisering av servicefunksjonene",
        "recommendation": "Modell 1 (samordning av servicetjenester i DSS): «Prosjektgruppen "
        "anbefaler samordning av servicetjenester i tråd med modell 1.» (4.5)",
        "alternatives": (
            (
                "null",
                "Modell 0: dagens organisering",
                {
                    "kvalitet": _s(
                        2, "Å fortsette som i dag anses derfor som lite aktuelt.", "4.5 (l. 4012)"
                    ),
                    "kostnad": _s(2),
                    "ressursbruk": _s(1, "Å fortsette som i dag anses som lite aktuelt.", "4.5"),
                    "innovasjon": _s(1, "Å fortsette som i dag anses som lite aktuelt.", "4.5"),
                    "areal": _s(1, "Ingen endring i arealbruk.", "4.5"),
                    "risiko": _s(5, "Ingen omstilling, ingen implementeringsrisiko.", "4.1"),
                },
            ),
            (
                "modell-1",
                "Modell 1: samordning av servicetjenester",
                {
                    "kvalitet": _s(
                        3,
                        "For departementer som har et høyt kvalitetsnivå i dag, kan samordning "
                        "medføre en opplevelse av et lavere kvalitetsnivå. For andre kan "
                        "samordning gi et kvalitetsløft.",
                        "4.5 (l. 4048)",
                    ),
                    "kostnad": _s(
                        3,
                        "Det forventes noen omstillingskostnader i forbindelse med etablering "
                        "av fellestjenesten.",
                        "4.5 (l. 4220)",
                    ),
                    "ressursbruk": _s(
                        5,
                        "Modellen vil dermed ha stort potensial for mer effektiv ressursbruk.",
                        "4.5 (l. 4060)",
                    ),
                    "innovasjon": _s(3),
                    "areal": _s(
                        4,
                        "… vil det være potensial for å redusere arealbruken i "
                        "departementsarealene i nytt regjeringskvartal.",
                        "4.5 (l. 4095)",
                    ),
                    "risiko": _s(
                        3,
                        "Ved misnøye med kvalitet og levering øker også risikoen for en "
                        "dublering av oppgaver ved at departementet begynner å utføre oppgaver "
                        "internt.",
                        "4.5 (l. 4087)",
                    ),
                },
            ),
            (
                "modell-2",
                "Modell 2: servicetjenester og kontorstøtte",
                {
                    "kvalitet": _s(
                        3,
                        "… å samordne kontorstøtte for politisk ledelse ikke nødvendigvis vil "
                        "øke kvaliteten utover å kunne bidra til et mer robust fagmiljø.",
                        "4.5 (l. 4133)",
                    ),
                    "kostnad": _s(
                        3,
                        "Det vurderes at det ikke vil bli økte kostnader forbundet med "
                        "samordning av kontorstøtte og lederstøtte.",
                        "4.5 (l. 4237)",
                    ),
                    "ressursbruk": _s(
                        3,
                        "Gevinstene og behovet for samordning antas derfor å være begrenset.",
                        "4.5 (l. 4147)",
                    ),
                    "innovasjon": _s(2, "Gevinstene antas å være begrenset.", "4.5 (l. 4147)"),
                    "areal": _s(3),
                    "risiko": _s(3),
                },
            ),
            (
                "modell-3",
                "Modell 3: hel samordning, også intranett og internkommunikasjon",
                {
                    "kvalitet": _s(
                        2,
                        "Dette kan gjøre at intranettet i mindre grad kan bidra til å styrke det "
                        "interne samholdet i departementet.",
                        "4.5 (l. 4172)",
                    ),
                    "kostnad": _s(
                        2,
                        "… kan det komme utviklingskostnader for å lage en mer sømløs løsning "
                        "mellom intranett for fellestjenester (Depweb) og departementenes egne "
                        "intranett.",
                        "4.5 (l. 4241)",
                    ),
                    "ressursbruk": _s(
                        3,
                        "Samlet vurderer prosjektgruppen gevinstpotensialet som begrenset ved "
                        "samordning av intranett og internkommunikasjon.",
                        "4.5 (l. 4186)",
                    ),
                    "innovasjon": _s(3),
                    "areal": _s(3),
                    "risiko": _s(
                        2, "Ikke drøftet i gjennomgangen; størst omfang, satt lavest.", "4.5"
                    ),
                },
            ),
        ),
    },
)

# Chapter 5–6: the implementation projects. Dates the review does not give are planning
# assumptions (marked in the description).
D = dt.date
EXTERNAL_DATES = (
    (
        "rkv-2026",
        "Innflytting i nytt regjeringskvartal (første departementer, 2026)",
        D(2026, 12, 31),
    ),
    ("ikt-plattform-2027", "Felles IKT-plattform innført for alle (2027)", D(2027, 12, 31)),
)

# Among the contributors: every ministry and SMK (the customers), as table 5 says «Alle
# departementene, SMK og …».
ALL_MINISTRIES = "*"
# code, name, area, chosen model, responsible, contributors, start, end, priority, description
PROJECTS: tuple[tuple[Any, ...], ...] = (
    (
        "styringsmodell",
        "Ny styringsmodell for fellestjenestene",
        None,
        "",
        "DFD",
        ("DSS", "DIO"),
        D(2026, 1, 1),
        D(2026, 12, 31),
        1,
        "Ny styringsmodell med kongelig resolusjon, hovedinstrukser for DSS og DIO, rådgivende "
        "organ og interimsorganisering (tabell 5, styring).",
    ),
    (
        "kostnadsdeling",
        "Gjennomgang av kostnadsdelingsmodellen",
        None,
        "",
        "DFD",
        ("FIN", "DSS", "DIO"),
        D(2026, 3, 1),
        D(2027, 6, 30),
        2,
        "Gjennomgang av bevilgning og brukerbetaling, prismodeller og mekanismer for "
        "prisendringer; én samlet bevilgningsramme for DSS og DIO (tabell 5, kostnadsdeling; "
        "ansvar DFD og FIN).",
    ),
    (
        "hr",
        "HR: samhandlingsmodell (modell 1)",
        "hr",
        "Modell 1 – samhandlingsmodell",
        "DFD",
        (ALL_MINISTRIES, "DSS"),
        D(2026, 3, 1),
        D(2027, 12, 31),
        2,
        "Raskt nedsatt implementeringsprosjekt: grensesnitt, kostnadsdeling og fordeling av "
        "HR-ressurser. Alle departementene, SMK og DSS bidrar (tabell 5, HR).",
    ),
    (
        "informasjonsforvaltning",
        "Informasjonsforvaltning: helhetlig i DIO (modell 2)",
        "informasjonsforvaltning",
        "Modell 2 – helhetlig informasjonsforvaltning i DIO",
        "DFD",
        (ALL_MINISTRIES, "DIO"),
        D(2026, 6, 1),
        D(2028, 6, 30),
        3,
        "Felles strategi (DFD/DIO) og overføring av porteføljen «så snart DIO er moden til å ta "
        "imot» den, tilpasset felles IKT-plattform 2027 (tabell 5, informasjonsforvaltning).",
    ),
    (
        "sikkerhet",
        "Sikkerhet og beredskap: fellestjeneste i DSS (modell 3)",
        "sikkerhet",
        "Modell 3 – sikkerhet som fellestjeneste",
        "DSS",
        (ALL_MINISTRIES, "DIO"),
        D(2026, 1, 1),
        D(2027, 12, 31),
        1,
        "DSS tildeles tre årsverk snarest for å lede arbeidet; fellestjenesten anslås til 15–25 "
        "årsverk i drift. Felles forskrift/instruks fra JD/DFD (tabell 5, sikkerhet).",
    ),
    (
        "servicetjenester",
        "Servicetjenester samordnet i DSS (modell 1)",
        "service",
        "Modell 1 – samordning av servicetjenester",
        "DFD",
        ("DSS", "DIO"),
        D(2026, 1, 1),
        D(2026, 12, 31),
        1,
        "Operativ fra innflytting i nytt regjeringskvartal i 2026; ansatte overføres «så raskt "
        "det er formålstjenlig», kundekontakter, bestillingsløsning (tabell 5, servicetjenester; "
        "implementeringsprosjektet ansvar DFD og DSS, samordningen DSS (og DIO)).",
    ),
    # The follow-ups table 5 names that have no project above (issue 22).
    (
        "kontorstotte",
        "Kontorstøtte til politisk ledelse og departementsråden",
        "service",
        "",
        "DFD",
        ("DSS",),
        D(2026, 3, 1),
        D(2026, 12, 31),
        2,
        "Vurdere hvordan å sikre en robust tjeneste for kontorstøtte til politisk ledelse og "
        "departementsråden, gitt at servicetjenester samordnes i DSS (tabell 5, kontorstøtte; "
        "ansvar DFD). Datoene er planforutsetninger.",
    ),
    (
        "intranett",
        "Intranett på én teknisk plattform, bedre integrert med Depweb",
        None,
        "",
        "DIO",
        (),
        D(2026, 6, 1),
        D(2027, 12, 31),
        3,
        "Alle intranett leveres fra samme tekniske plattform og integreres bedre med Depweb "
        "(tabell 5, intranett; ansvar DIO). Datoene er planforutsetninger.",
    ),
    (
        "sikkerhetsinstruks",
        "Felles forskrift/instruks for internsikkerhet i departementene",
        "sikkerhet",
        "",
        "JD",
        ("DFD", "DSS", "DIO"),
        D(2026, 3, 1),
        D(2027, 6, 30),
        2,
        "Etablere en felles forskrift/instruks for departementene på internsikkerhetsområdet "
        "(tabell 5, sikkerhet; ansvar JD/DFD, DSS og DIO berøres og bør bidra). Datoene er "
        "planforutsetninger.",
    ),
    (
        "informasjonsstrategi",
        "Felles strategi for informasjonsforvaltning",
        "informasjonsforvaltning",
        "",
        "DFD",
        ("DIO",),
        D(2026, 3, 1),
        D(2026, 12, 31),
        2,
        "Fastsette felles strategi for informasjonsforvaltningsområdet (tabell 5, "
        "informasjonsforvaltning; ansvar DFD/DIO). Datoene er planforutsetninger.",
    ),
    (
        "navn-dss",
        "Nytt navn på DSS",
        None,
        "",
        "DFD",
        ("DSS",),
        D(2026, 1, 1),
        D(2026, 12, 31),
        3,
        "Endre navn på DSS (tabell 5, styring; ansvar DFD). Datoene er planforutsetninger.",
    ),
)
# project, prerequisite, kind (fs = finish-to-start, ff = finish-to-finish), note
DEPENDENCIES = (
    (
        "servicetjenester",
        "rkv-2026",
        "ff",
        "Operativ fra innflytting i nytt regjeringskvartal.",
    ),
    (
        "informasjonsforvaltning",
        "ikt-plattform-2027",
        "ff",
        "Porteføljen flyttes på felles plattform.",
    ),
    ("hr", "styringsmodell", "fs", "Hovedinstruks og kostnadsdeling må være på plass."),
    ("sikkerhet", "styringsmodell", "ff", "Felles forskrift/instruks fra JD/DFD."),
    ("sikkerhet", "sikkerhetsinstruks", "ff", "Fellestjenesten bygger på den felles instruksen."),
    ("informasjonsforvaltning", "informasjonsstrategi", "fs", "Strategien fastsettes først."),
    ("navn-dss", "styringsmodell", "ff", "Nytt navn med de nye hovedinstruksene."),
)
# project, title, likelihood, consequence, measures, residual L, residual C, source quote
RISKS = (
    (
        "hr",
        "Parallelle HR-funksjoner i departementene",
        3,
        4,
        "Tydelig grensesnitt mellom lokal HR og DSS; ledere involveres tidlig.",
        2,
        3,
        "En risiko er at departementene vil bygge opp parallelle funksjoner dersom "
        "kulturendringen ikke lykkes. (4.2)",
    ),
    (
        "sikkerhet",
        "Implementering av fellestjenesten",
        3,
        4,
        "Trinnvis overføring; DSS får tre årsverk til å lede arbeidet fra start.",
        2,
        3,
        "Risiko knyttet til denne modellen er i hovedsak knyttet til implementering. (4.4)",
    ),
    (
        "servicetjenester",
        "Dublering av oppgaver ved misnøye med kvaliteten",
        3,
        3,
        "Kundekontakt per departement og kundedialog på tre nivåer; kvalitet måles fra dag én.",
        2,
        2,
        "Ved misnøye med kvalitet og levering øker også risikoen for en dublering av oppgaver "
        "ved at departementet begynner å utføre oppgaver internt. (4.5)",
    ),
    (
        "informasjonsforvaltning",
        "Kompleks gjennomføring før DIO er moden",
        3,
        3,
        "Overføring først når DIO er klar; tilpasses felles IKT-plattform.",
        2,
        3,
        "Dette gjør modellen noe mer kompleks å gjennomføre enn modell 1. (4.3)",
    ),
    (
        None,
        "Gevinstene kommer sent; pukkelkostnader først",
        4,
        3,
        "Nullpunktsanalyse per område og gevinstplaner med eiere, så gevinstene blir synlige.",
        3,
        2,
        "Departementsfellesskapet må akseptere at de største gevinstene vil realiseres på sikt. "
        "Store endringer medfører som oftest omstillings- og pukkelkostnader. (5)",
    ),
)
