"""The field's vocabularies. Values are stable wire/storage codes; `label` is what a youth worker reads."""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class Vocab(StrEnum):
    """A StrEnum whose members carry a plain-English label."""

    _label: str

    def __new__(cls, value: str, label: str = "") -> Vocab:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label or value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Gender(Vocab):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other / self-described"
    NOT_KNOWN = "not_known", "Not known"


class AgeBand(Vocab):
    UNDER_10 = "under_10", "Under 10"
    A10_13 = "10_13", "10–13"
    A14_15 = "14_15", "14–15"
    A16_17 = "16_17", "16–17"
    A18_21 = "18_21", "18–21"
    A22_24 = "22_24", "22–24"
    OVER_24 = "25_plus", "25 and over"
    NOT_KNOWN = "not_known", "Not known"

    @classmethod
    def for_age(cls, age: int | None) -> AgeBand:
        if age is None:
            return cls.NOT_KNOWN
        for upper, band in _AGE_BANDS:  # (a module constant: a member looked up on the class is slow, and a
            if age <= upper:  # quarter's figures ask this for every young person reached)
                return band
        return cls.OVER_24


@cache
def age_band_code(age: int | None) -> str:
    """The code of the age band for an age (AgeBand.for_age(age).value), remembered: reports ask it per person."""
    return AgeBand.for_age(age).value


_AGE_BANDS: tuple[tuple[int, AgeBand], ...] = (
    (9, AgeBand.UNDER_10),
    (13, AgeBand.A10_13),
    (15, AgeBand.A14_15),
    (17, AgeBand.A16_17),
    (21, AgeBand.A18_21),
    (24, AgeBand.A22_24),
)


class Ethnicity(Vocab):
    """ONS 2021 census categories (England and Wales), plus 'not stated'."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian – Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian – Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian – Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian – Pakistani"
    ASIAN_OTHER = "asian_other", "Asian – any other Asian background"
    BLACK_AFRICAN = "black_african", "Black – African"
    BLACK_CARIBBEAN = "black_caribbean", "Black – Caribbean"
    BLACK_OTHER = "black_other", "Black – any other Black background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed – White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed – White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed – White and Black Caribbean"
    MIXED_OTHER = "mixed_other", "Mixed – any other mixed background"
    WHITE_BRITISH = "white_british", "White – English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White – Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White – Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White – Roma"
    WHITE_OTHER = "white_other", "White – any other White background"
    OTHER_ARAB = "other_arab", "Other – Arab"
    OTHER_ANY = "other_any", "Other – any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"

    @property
    def group(self) -> str:
        return self.label.split(" – ")[0]


class SessionType(Vocab):
    DETACHED = "detached", "Detached"
    OUTREACH = "outreach", "Outreach"
    YOUTH_TRUCK = "youth_truck", "Youth truck"
    POP_UP = "pop_up", "Pop-up"
    KICKS = "kicks", "Kicks football"
    GROUP_WORK = "group_work", "Group work"
    ONE_TO_ONE = "one_to_one", "1:1"


class SessionStatus(Vocab):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for sign-off"
    APPROVED = "approved", "Signed off"
    RETURNED = "returned", "Returned to worker"


class Rag(Vocab):
    RED = "red", "Red – still offending or at large"
    AMBER = "amber", "Amber – engaging to some extent"
    GREEN = "green", "Green – fully engaged"


class CoreActivity(Vocab):
    PREVENTION = "prevention", "Prevention"
    IDENTIFICATION = "identification", "Identification"
    ENGAGEMENT = "engagement", "Engagement"
    DIVERSION = "diversion", "Diversion"
    SUPPORT = "support", "Support"
    PROTECTION = "protection", "Protection"
    DISRUPTION = "disruption", "Disruption"
    ENFORCEMENT = "enforcement", "Enforcement"


class RiskIndicator(Vocab):
    CCE = "cce", "Criminal exploitation / county lines"
    CSE = "cse", "Sexual exploitation"
    MISSING = "missing", "Missing episodes"
    WEAPON = "weapon", "Weapon carrying"
    GANG = "gang", "Gang association"
    SUBSTANCE = "substance", "Substance misuse"
    EXCLUSION = "exclusion", "School exclusion or alternative provision"
    NEET = "neet", "Not in education, employment or training"
    SEND = "send", "Special educational needs (SEND/EHCP)"
    LOOKED_AFTER = "looked_after", "Looked-after child"
    VICTIM_VIOLENCE = "victim_violence", "Victim of violence"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse at home"


class EducationStatus(Vocab):
    IN_SCHOOL = "in_school", "In school"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    EXCLUDED = "excluded", "Excluded"
    COLLEGE = "college", "College or sixth form"
    EMPLOYMENT = "employment", "Employed"
    TRAINING = "training", "Training or apprenticeship"
    NEET = "neet", "NEET"
    NOT_KNOWN = "not_known", "Not known"


class SocialCare(Vocab):
    """Children's social care involvement (Children Act 1989 s.17 and s.47)."""

    NONE = "none", "None known"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    EARLY_HELP = "early_help", "Early Help"


class LawfulBasis(Vocab):
    CONSENT = "consent", "Consent"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    PUBLIC_TASK = "public_task", "Public task"
    VITAL_INTERESTS = "vital_interests", "Vital interests"
    LEGAL_CLAIMS = "legal_claims", "Legal claims"


class ConsentGivenBy(Vocab):
    YOUNG_PERSON = "young_person", "The young person"
    PARENT_CARER = "parent_carer", "A parent or carer"


class Role(Vocab):
    WORKER = "worker", "Youth worker"
    SUPERVISOR = "supervisor", "Supervisor"
    RECEIVING = "receiving", "Receiving-team worker"
    PARTNER = "partner", "Partner staff"
    ADMIN = "admin", "Administrator"


class TeamKind(Vocab):
    DETACHED = "detached", "Detached youth work (TYS)"
    TYS = "tys", "Targeted Youth Support"
    IGT = "igt", "Integrated Gangs Team"
    PARTNER = "partner", "Partner organisation"


class Sensitivity(Vocab):
    """How a field must be handled: special category and criminal-offence data are need-to-know."""

    ORDINARY = "ordinary", "Personal data"
    SPECIAL = "special", "Special category data"
    CRIMINAL = "criminal", "Criminal-offence data"


DEFAULT_AGENCIES: tuple[tuple[str, str], ...] = (
    ("tys", "Targeted Youth Support (TYS)"),
    ("igt", "Integrated Gangs Team (IGT)"),
    ("yos", "Youth Offending Service (YOS)"),
    ("csct", "Children's Services Contact Team"),
    ("early_help", "Families First / Early Help"),
    ("camhs", "CAMHS"),
    ("st_giles", "St Giles Trust"),
    ("abianda", "Abianda"),
    ("redthread", "Redthread"),
    ("other", "Other"),
)
