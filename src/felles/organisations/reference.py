"""Reference data: the ministry community and its providers (pure data, no Django).

Organisation numbers come from docs/rules-norway.md §5 where it lists them (all pass
mod-11). Where that document marks a number as unconfirmed (DFD, DIO) or gives none (DFØ,
Statsbygg), a clearly marked *test number* from the 99999xxxx range stands in, flagged
`org_number_is_test` and shown as such in the UI, until the real number is verified
against Brønnøysund.
"""

from __future__ import annotations

from typing import NamedTuple


class OrganisationRecord(NamedTuple):
    abbreviation: str
    name_nb: str
    name_en: str
    org_number: str
    kind: str  # "ministry" or "provider"
    email_domain: str
    org_number_is_test: bool = False
    is_governing: bool = False
    in_government_quarter: bool = True


MINISTRIES: tuple[OrganisationRecord, ...] = (
    OrganisationRecord(
        "AID",
        "Arbeids- og inkluderingsdepartementet",
        "Ministry of Labour and Social Inclusion",
        "983887457",
        "ministry",
        "aid.dep.no",
    ),
    OrganisationRecord(
        "BFD",
        "Barne- og familiedepartementet",
        "Ministry of Children and Families",
        "972417793",
        "ministry",
        "bfd.dep.no",
    ),
    OrganisationRecord(
        "DFD",
        "Digitaliserings- og forvaltningsdepartementet",
        "Ministry of Digitalisation and Public Governance",
        "999990010",
        "ministry",
        "dfd.dep.no",
        org_number_is_test=True,
        is_governing=True,
    ),
    OrganisationRecord(
        "ED", "Energidepartementet", "Ministry of Energy", "977161630", "ministry", "ed.dep.no"
    ),
    OrganisationRecord(
        "FIN", "Finansdepartementet", "Ministry of Finance", "972417807", "ministry", "fin.dep.no"
    ),
    OrganisationRecord(
        "FD",
        "Forsvarsdepartementet",
        "Ministry of Defence",
        "972417823",
        "ministry",
        "fd.dep.no",
        in_government_quarter=False,
    ),
    OrganisationRecord(
        "HOD",
        "Helse- og omsorgsdepartementet",
        "Ministry of Health and Care Services",
        "983887406",
        "ministry",
        "hod.dep.no",
    ),
    OrganisationRecord(
        "JD",
        "Justis- og beredskapsdepartementet",
        "Ministry of Justice and Public Security",
        "972417831",
        "ministry",
        "jd.dep.no",
    ),
    OrganisationRecord(
        "KDD",
        "Kommunal- og distriktsdepartementet",
        "Ministry of Local Government and Regional Development",
        "972417858",
        "ministry",
        "kdd.dep.no",
    ),
    OrganisationRecord(
        "KLD",
        "Klima- og miljødepartementet",
        "Ministry of Climate and Environment",
        "972417882",
        "ministry",
        "kld.dep.no",
    ),
    OrganisationRecord(
        "KD",
        "Kunnskapsdepartementet",
        "Ministry of Education and Research",
        "872417842",
        "ministry",
        "kd.dep.no",
    ),
    OrganisationRecord(
        "KUD",
        "Kultur- og likestillingsdepartementet",
        "Ministry of Culture and Equality",
        "972417866",
        "ministry",
        "kud.dep.no",
    ),
    OrganisationRecord(
        "LMD",
        "Landbruks- og matdepartementet",
        "Ministry of Agriculture and Food",
        "972417874",
        "ministry",
        "lmd.dep.no",
    ),
    OrganisationRecord(
        "NFD",
        "Nærings- og fiskeridepartementet",
        "Ministry of Trade, Industry and Fisheries",
        "912660680",
        "ministry",
        "nfd.dep.no",
    ),
    OrganisationRecord(
        "SD",
        "Samferdselsdepartementet",
        "Ministry of Transport",
        "972417904",
        "ministry",
        "sd.dep.no",
    ),
    OrganisationRecord(
        "UD",
        "Utenriksdepartementet",
        "Ministry of Foreign Affairs",
        "972417920",
        "ministry",
        "ud.dep.no",
    ),
    OrganisationRecord(
        "SMK",
        "Statsministerens kontor",
        "Office of the Prime Minister",
        "972417777",
        "ministry",
        "smk.dep.no",
    ),
)

PROVIDERS: tuple[OrganisationRecord, ...] = (
    OrganisationRecord(
        "DSS",
        "Departementenes sikkerhets- og serviceorganisasjon",
        "Norwegian Government Security and Service Organisation",
        "974761424",
        "provider",
        "dss.dep.no",
    ),
    OrganisationRecord(
        "DIO",
        "Departementenes digitaliseringsorganisasjon",
        "Digitalisation Organisation of the Ministries",
        "999990029",
        "provider",
        "dio.dep.no",
        org_number_is_test=True,
    ),
    OrganisationRecord(
        "DFØ",
        "Direktoratet for forvaltning og økonomistyring",
        "Norwegian Agency for Public and Financial Management",
        "999990037",
        "provider",
        "dfo.no",
        org_number_is_test=True,
        in_government_quarter=False,
    ),
    OrganisationRecord(
        "SB",
        "Statsbygg",
        "Norwegian Directorate of Public Construction and Property",
        "999990045",
        "provider",
        "statsbygg.no",
        org_number_is_test=True,
        in_government_quarter=False,
    ),
)

ALL_ORGANISATIONS = MINISTRIES + PROVIDERS
