"""The seed bundles: «Ny medarbeider» (onboarding), «Fratredelse» (offboarding) and
«Intern flytting» (a move to a new unit in the same ministry). Data only: the provider's
managers maintain them afterwards (services.save_item). Field map values: a bundle field's
key, «@frist» for the child's deadline, or «=text» for a fixed text."""

from __future__ import annotations

from typing import Any

F = dict[str, Any]


def field(
    key: str, label: str, label_en: str, kind: str, required: bool = False, **extra: Any
) -> F:
    return {
        "key": key,
        "label_nb": label,
        "label_en": label_en,
        "kind": kind,
        "required": required,
        "help_text": extra.get("help_text", ""),
        "choices": list(extra.get("choices", ())),
        # Not kept on the parent order (only the children that need it get it).
        "private": extra.get("private", False),
    }


NAME = field("navn", "Navn på medarbeideren", "Name of the employee", "text", True)
# The identity the HR import links the order on (never the name alone); kept on the bundle
# order, not in the parent's answers.
EMAIL = field(
    "epost", "E-postadresse (om kjent)", "E-mail address (if known)", "text", private=True
)
NUMBER = field(
    "ansattnummer", "Ansattnummer (om kjent)", "Employee number (if known)", "text", private=True
)
UNIT = field("enhet", "Enhet", "Unit", "unit", True)
ROLE = field("stilling", "Stilling", "Position", "text", True)
NOTE = field("merknad", "Merknad", "Note", "long_text")
CLEARANCE = ("Ingen", "KONFIDENSIELT", "HEMMELIG", "STRENGT HEMMELIG")
NEEDS = ("PC", "Mobiltelefon", "Adgangskort", "Arbeidsplass", "Introduksjonskurs")

WHO = {"gjelder": "navn", "beskrivelse": "stilling", "frist": "@frist"}
EQUIPMENT = {
    "mottaker": "navn",
    "variant": "=Standard",
    "leveringsdato": "@frist",
    "merknad": "merknad",
}


def item(code: str, offset: int, fmap: F, when: tuple[str, str, str] = ("", "", "")) -> F:
    return {
        "service": code,
        "offset_days": offset,
        "field_map": fmap,
        "condition_key": when[0],
        "condition_op": when[1],
        "condition_value": when[2],
    }


BUNDLES: dict[str, F] = {
    "hr-onboarding": {
        "anchor_key": "startdato",
        "fields": [
            NAME,
            EMAIL,
            NUMBER,
            UNIT,
            field("startdato", "Første arbeidsdag", "First working day", "date", True),
            ROLE,
            field(
                "klarering",
                "Klareringsbehov",
                "Security clearance needed",
                "choice",
                True,
                choices=CLEARANCE,
                private=True,
            ),
            field("behov", "Behov", "Needs", "multi_choice", choices=NEEDS),
            NOTE,
        ],
        "items": [
            item("ikt-tilgang", -5, {**WHO, "beskrivelse": "=Brukerkonto og e-post"}),
            item("ikt-pc", -5, EQUIPMENT, ("behov", "contains", "PC")),
            item("srv-mobil", -3, EQUIPMENT, ("behov", "contains", "Mobiltelefon")),
            item("srv-adgangskort", -3, EQUIPMENT, ("behov", "contains", "Adgangskort")),
            item(
                "srv-eiendom",
                -5,
                {"beskrivelse": "=Arbeidsplass til ny medarbeider", "onsket_dato": "@frist"},
                ("behov", "contains", "Arbeidsplass"),
            ),
            item(
                "hr-akademiet",
                10,
                {"deltaker": "navn", "kurs": "=Introduksjonsdager", "merknad": "merknad"},
                ("behov", "contains", "Introduksjonskurs"),
            ),
            item(
                "sik-klarering",
                -15,
                {"gjelder": "navn", "niva": "klarering", "begrunnelse": "stilling"},
                ("klarering", "not_equals", "Ingen"),
            ),
        ],
    },
    "hr-offboarding": {
        "anchor_key": "siste_dag",
        "fields": [
            NAME,
            EMAIL,
            NUMBER,
            UNIT,
            field("siste_dag", "Siste arbeidsdag", "Last working day", "date", True),
            field(
                "klarering",
                "Har klarering eller autorisasjon",
                "Holds a clearance or authorisation",
                "choice",
                True,
                choices=("Nei", "Ja"),
                private=True,
            ),
            NOTE,
        ],
        "items": [
            item("ikt-tilgang", 0, {**WHO, "beskrivelse": "=Steng brukerkonto og tilganger"}),
            item("srv-ikt-bestilling", 1, {**EQUIPMENT, "merknad": "=Innlevering av utstyr"}),
            item("srv-adgangskort", 0, {**EQUIPMENT, "merknad": "=Innlevering av adgangskort"}),
            item(
                "hr-personaladministrasjon",
                -5,
                {**WHO, "beskrivelse": "=Melding til DFØ om sluttoppgjør"},
            ),
            item(
                "sik-autorisasjon",
                0,
                {"gjelder": "navn", "niva": "=KONFIDENSIELT", "begrunnelse": "=Avslutning"},
                ("klarering", "equals", "Ja"),
            ),
        ],
    },
    "hr-intern-flytting": {
        "anchor_key": "flyttedato",
        "fields": [
            NAME,
            EMAIL,
            NUMBER,
            field("enhet", "Ny enhet", "New unit", "unit", True),
            field("flyttedato", "Første dag i ny enhet", "First day in the new unit", "date", True),
            field(
                "behov",
                "Behov",
                "Needs",
                "multi_choice",
                choices=("Nytt adgangskort", "Ny arbeidsplass"),
            ),
            NOTE,
        ],
        "items": [
            item("ikt-tilgang", -3, {**WHO, "beskrivelse": "=Tilganger for ny enhet"}),
            item(
                "srv-adgangskort",
                -2,
                {**EQUIPMENT, "merknad": "=Nye soner for ny enhet"},
                ("behov", "contains", "Nytt adgangskort"),
            ),
            item(
                "srv-eiendom",
                -3,
                {"beskrivelse": "=Arbeidsplass i ny enhet", "onsket_dato": "@frist"},
                ("behov", "contains", "Ny arbeidsplass"),
            ),
        ],
    },
}
