"""Column mappings: which heading of a source's sheet fills which field. Two come ready (an Upshot attendee export
and a simple paper-register sheet); a worker saves their own per source (`IMPORT_MAPPINGS`), and a saved mapping
with a built-in's name replaces it."""

from __future__ import annotations

from dataclasses import dataclass, field

from youthwork.domain.validation import Problem, ValidationError
from youthwork.store.profile import Profile
from youthwork.store.settings import IMPORT_MAPPINGS

# What a column can fill, and how the preview names it.
TARGETS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "full_name": "Full name (first and last)",
    "known_as": "Known as",
    "date_of_birth": "Date of birth",
    "age": "Age (estimated)",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "postcode": "Postcode",
    "area": "Area or estate",
    "address": "Address",
    "phone": "Phone",
    "email": "Email",
    "school": "School or college",
    "session_date": "Session date",
    "start_time": "Session start",
    "end_time": "Session end",
    "place": "Session place",
    "session_type": "Session type",
    "attended": "Attended (yes or no)",
    "ignore": "Not imported",
}
# Any of these mapped makes each row a line of a session's register as well as a young person.
SESSION_TARGETS = frozenset({"session_date", "start_time", "end_time", "place", "session_type", "attended"})
PERSON_NAME_TARGETS = frozenset({"first_name", "last_name", "full_name", "known_as"})


@dataclass(frozen=True, slots=True)
class Mapping:
    name: str
    label: str
    columns: dict[str, str] = field(default_factory=dict)  # heading (any case) -> target

    def target_of(self, heading: str) -> str | None:
        return self._lower().get(heading.strip().lower())

    def _lower(self) -> dict[str, str]:
        return {h.strip().lower(): t for h, t in self.columns.items()}

    def fit(self, headings: list[str]) -> int:
        """How many of a sheet's headings this mapping knows (to suggest one for a new file)."""
        known = self._lower()
        return sum(1 for h in headings if h.strip().lower() in known)


UPSHOT = Mapping(
    "upshot",
    "Upshot attendee export",
    {
        "Participant ID": "ignore",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Surname": "last_name",
        "Preferred Name": "known_as",
        "Date of Birth": "date_of_birth",
        "Gender": "gender",
        "Ethnicity": "ethnicity",
        "Postcode": "postcode",
        "Email": "email",
        "Email Address": "email",
        "Mobile": "phone",
        "Phone": "phone",
        "Telephone": "phone",
        "Address Line 1": "address",
        "School": "school",
        "Activity": "ignore",
        "Session Name": "ignore",
        "Session Date": "session_date",
        "Start Time": "start_time",
        "End Time": "end_time",
        "Venue": "place",
        "Attended": "attended",
    },
)
REGISTER = Mapping(
    "register",
    "Simple register sheet",
    {
        "Date": "session_date",
        "Start": "start_time",
        "End": "end_time",
        "Place": "place",
        "Estate": "area",
        "Area": "area",
        "Type": "session_type",
        "Name": "full_name",
        "Known as": "known_as",
        "Age": "age",
        "Date of birth": "date_of_birth",
        "DOB": "date_of_birth",
        "Gender": "gender",
        "Postcode": "postcode",
    },
)
BUILT_IN = (UPSHOT, REGISTER)


def mappings(profile: Profile) -> list[Mapping]:
    """The built-in mappings and every saved one; a saved mapping replaces a built-in of the same name."""
    saved = profile.get_setting(IMPORT_MAPPINGS)
    out = {m.name: m for m in BUILT_IN}
    for name, columns in saved.items():
        label = next((m.label for m in BUILT_IN if m.name == name), name)
        out[name] = Mapping(name, label, dict(columns))
    return list(out.values())


def mapping_named(profile: Profile, name: str) -> Mapping:
    for m in mappings(profile):
        if m.name == name:
            return m
    known = ", ".join(m.name for m in mappings(profile))
    raise ValidationError([Problem("mapping", f"There is no column mapping called “{name}” (there are: {known}).")])


def best_for(profile: Profile, headings: list[str]) -> Mapping:
    """The mapping that knows most of a sheet's headings (ties: the first listed)."""
    return max(mappings(profile), key=lambda m: m.fit(headings))


def save_mapping(profile: Profile, name: str, columns: dict[str, str]) -> Mapping:
    name = name.strip()
    if not name:
        raise ValidationError([Problem("mapping", "Give the mapping a name (the source, such as “Old database”).")])
    wrong = sorted(t for t in columns.values() if t not in TARGETS)
    if wrong:
        raise ValidationError([Problem("mapping", f"“{wrong[0]}” is not something a column can fill.")])
    if not PERSON_NAME_TARGETS & set(columns.values()):
        raise ValidationError([Problem("mapping", "Say which column holds the young person's name.")])
    saved = dict(profile.get_setting(IMPORT_MAPPINGS))
    saved[name] = dict(columns)
    profile.set_setting(IMPORT_MAPPINGS, saved)
    return Mapping(name, next((m.label for m in BUILT_IN if m.name == name), name), dict(columns))
