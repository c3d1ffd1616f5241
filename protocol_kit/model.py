"""The protocol model: plain frozen data built from schema-valid JSON.

Lint rules, the PDF renderer and the bundle writer all read protocols through these classes
instead of raw dictionaries, so the format is interpreted in one place. Every element keeps its
`origin` (file and JSON pointer) so that a finding about it can name the exact place. In the
models `validate` builds, a part many files have alike is built once and shared
(`protocol_kit.shared_parts`): its origins keep the pointer and name no file (`ANY_FILE`).

Builders assume the document has passed the schema; they do not re-check it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from operator import attrgetter

from protocol_kit.errors import MissingTranslation
from protocol_kit.jsontext.pointers import escape_token
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.dates import dt
from protocol_kit.record import Record, init

if TYPE_CHECKING:
    from typing import Any

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10WHO = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"
SYSTEM_NAMES = {ICD10CM: "ICD-10-CM", ICD10WHO: "WHO ICD-10", SNOMED: "SNOMED CT"}


class Origin(Record):
    """Where a piece of the model was written: a file and an RFC 6901 JSON pointer in it."""

    __slots__ = ("path", "pointer")
    path: str
    pointer: str

    def __init__(self, path: str, pointer: str = "") -> None:
        init(self, "path", path)
        init(self, "pointer", pointer)

    def child(self, *tokens: str | int) -> Origin:
        pointer = self.pointer
        for token in tokens:
            pointer = f"{pointer}/{escape_token(token)}"
        return Origin(self.path, pointer)


NOWHERE = Origin("")  # the default origin of a dosage or red flag made without one
# The file of a place in a part shared between files (`protocol_kit.shared_parts`): none. Its
# pointer is the same in each of them; a finding takes its file from the protocol checked.
ANY_FILE = ""


class Text(Record):
    """Patient-facing text in one or more languages (language tag -> string)."""

    __slots__ = ("values", "origin")
    values: Mapping[str, str]
    origin: Origin
    _not_compared = ("origin",)

    def __init__(self, values: Mapping[str, str], origin: Origin) -> None:
        init(self, "values", values)
        init(self, "origin", origin)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.values)

    def has(self, language: str) -> bool:
        return lookup(self.values, language) is not None

    def get(self, language: str) -> str:
        """The text in `language`, falling back only within that language (`en-GB` -> `en`).

        Never falls back to another language: a missing translation raises MissingTranslation.
        """
        found = lookup(self.values, language)
        if found is None:
            raise MissingTranslation(language, self.origin.pointer)
        return found


def lookup(values: Mapping[str, str], language: str) -> str | None:
    """RFC 4647 lookup: try the tag, then drop subtags from the end."""
    tag = language
    while tag:
        if tag in values:
            return values[tag]
        tag = tag.rpartition("-")[0]
    return None


class Coding(Record):
    __slots__ = ("system", "code", "display", "origin")
    system: str
    code: str
    display: str
    origin: Origin
    _not_compared = ("origin",)

    def __init__(self, system: str, code: str, display: str, origin: Origin) -> None:
        init(self, "system", system)
        init(self, "code", code)
        init(self, "display", display)
        init(self, "origin", origin)

    @property
    def system_name(self) -> str:
        return SYSTEM_NAMES.get(self.system, self.system)

    def __str__(self) -> str:
        return f"{self.system_name} {self.code} {self.display}"


class Contraindication(Record):
    __slots__ = ("description", "coding", "origin", "id")
    description: str
    coding: Coding | None
    origin: Origin
    id: str | None  # what a screening question names in `decides`

    def __init__(
        self, description: str, coding: Coding | None, origin: Origin, id: str | None = None
    ) -> None:
        init(self, "description", description)
        init(self, "coding", coding)
        init(self, "origin", origin)
        init(self, "id", id)


class Precaution(Record):
    __slots__ = ("description", "coding", "management", "patient_advice", "origin", "id")
    description: str
    coding: Coding | None
    management: str | None
    patient_advice: Text | None
    origin: Origin
    id: str | None  # what a screening question names in `decides`

    def __init__(
        self,
        description: str,
        coding: Coding | None,
        management: str | None,
        patient_advice: Text | None,
        origin: Origin,
        id: str | None = None,
    ) -> None:
        init(self, "description", description)
        init(self, "coding", coding)
        init(self, "management", management)
        init(self, "patient_advice", patient_advice)
        init(self, "origin", origin)
        init(self, "id", id)


class Person(Record):
    """An author, a reviewer or a prescription's prescriber; only a prescriber has a `phone`
    (the number the patient reaches them on, printed beside their name)."""

    __slots__ = ("name", "credentials", "role", "email", "phone")
    name: str
    credentials: str
    role: str | None
    email: str | None
    phone: str | None

    def __init__(
        self,
        name: str,
        credentials: str,
        role: str | None = None,
        email: str | None = None,
        phone: str | None = None,
    ) -> None:
        init(self, "name", name)
        init(self, "credentials", credentials)
        init(self, "role", role)
        init(self, "email", email)
        init(self, "phone", phone)


class SignOff(Record):
    """The clinical approval of a protocol version: who, with which registration, and when."""

    __slots__ = ("name", "profession", "registration_body", "registration_number", "date")
    name: str
    profession: str
    registration_body: str
    registration_number: str
    date: dt.date

    def __init__(
        self,
        name: str,
        profession: str,
        registration_body: str,
        registration_number: str,
        date: dt.date,
    ) -> None:
        init(self, "name", name)
        init(self, "profession", profession)
        init(self, "registration_body", registration_body)
        init(self, "registration_number", registration_number)
        init(self, "date", date)

    @property
    def registration(self) -> str:
        return f"{self.registration_body} {self.registration_number}"


class Reference(Record):
    __slots__ = ("citation", "url", "doi")
    citation: str
    url: str | None
    doi: str | None

    def __init__(self, citation: str, url: str | None = None, doi: str | None = None) -> None:
        init(self, "citation", citation)
        init(self, "url", url)
        init(self, "doi", doi)


class Media(Record):
    __slots__ = ("kind", "path", "url", "caption", "alt", "author", "licence", "source", "origin")
    kind: str  # "image" or "video"
    path: str | None  # as written, relative to the file that names it
    url: str | None
    caption: Text | None
    alt: Text | None
    author: str
    licence: str
    source: str | None
    origin: Origin

    def __init__(
        self,
        kind: str,
        path: str | None,
        url: str | None,
        caption: Text | None,
        alt: Text | None,
        author: str,
        licence: str,
        source: str | None,
        origin: Origin,
    ) -> None:
        init(self, "kind", kind)
        init(self, "path", path)
        init(self, "url", url)
        init(self, "caption", caption)
        init(self, "alt", alt)
        init(self, "author", author)
        init(self, "licence", licence)
        init(self, "source", source)
        init(self, "origin", origin)

    @property
    def file(self) -> str | None:
        """The image's location on disk, resolved against the file that names it."""
        if self.path is None:
            return None
        import os.path

        base = os.path.dirname(self.origin.path) if self.origin.path != "-" else "."
        return os.path.normpath(os.path.join(base, self.path))

    @property
    def outside(self) -> str | None:
        """Why the image is not the file's own, when its path leads, through a symbolic
        link, out of the folder of the file that names it (the schema already refuses `..`
        and absolute paths); None when it stays inside. A picture is printed and shared as
        part of the protocol: a link to a photo elsewhere (a patient's, a private folder)
        went into the bundle sent to other clinics (H234)."""
        file = self.file
        if file is None:
            return None
        import os.path

        from protocol_kit.findings import shown

        try:
            folder = os.path.realpath(os.path.dirname(self.origin.path) or ".")
            target = os.path.realpath(file)
        except (OSError, ValueError):  # a NUL in the path: the reader refuses it (H122)
            return None
        if target == folder or target.startswith(folder.rstrip(os.sep) + os.sep):
            return None
        return (
            f"the image {shown(self.path)} is a link to a file outside the folder of the file "
            "that names it: copy the picture into that folder"
        )



def library_contents(protocol: Protocol) -> tuple[tuple[str, bytes], ...] | None:
    """Each library exercise's file of `protocol` by path and digest (`LibrarySource.content`),
    in order: what answers kept about the whole file depend on besides its text; None when one
    was read without its file's digest."""
    libraries = []
    for exercise in protocol.exercises:
        library = exercise.library
        if library is not None:
            if not library.digest:
                return None
            libraries.append(library.content)
    return tuple(libraries)

class PropPlacement(Record):
    """A prop in a pose: which one, and against which body landmark."""

    __slots__ = ("prop", "at", "position", "origin", "gap")
    prop: str
    at: str | None
    position: str  # "under", "behind" or "in-front"
    origin: Origin
    gap: float  # cm between the landmark and a prop behind or in front of it

    def __init__(
        self, prop: str, at: str | None, position: str, origin: Origin, gap: float = 0.0
    ) -> None:
        init(self, "prop", prop)
        init(self, "at", at)
        init(self, "position", position)
        init(self, "origin", origin)
        init(self, "gap", gap)


class Pose(Record):
    """One position of an exercise, for its illustration (see docs/illustrations.md)."""

    __slots__ = ("posture", "view", "joints", "lean", "props", "origin")
    posture: str
    view: str | None
    joints: Mapping[str, Mapping[str, float]]  # joint -> movement -> degrees, as written
    lean: float  # degrees: positive tips the body's top towards its front
    props: tuple[PropPlacement, ...]
    origin: Origin

    def __init__(
        self,
        posture: str,
        view: str | None,
        joints: Mapping[str, Mapping[str, float]],
        lean: float,
        props: tuple[PropPlacement, ...],
        origin: Origin,
    ) -> None:
        init(self, "posture", posture)
        init(self, "view", view)
        init(self, "joints", joints)
        init(self, "lean", lean)
        init(self, "props", props)
        init(self, "origin", origin)


class Poses(Record):
    """The start and (for a movement) end position, drawn by protocol-kit."""

    __slots__ = ("start", "end", "side", "layout", "alt", "origin", "data")
    start: Pose
    end: Pose | None
    side: str  # the side that works: "left", "right" or "both"
    layout: str  # "overlay" or "side-by-side"
    alt: Text | None  # the author's description of the picture, used instead of the generated
    origin: Origin
    # The poses as the file writes them, for exports that carry them whole (FHIR).
    data: Mapping[str, Any]
    _not_compared = ("data",)
    _not_shown = ("data",)

    def __init__(
        self,
        start: Pose,
        end: Pose | None,
        side: str,
        layout: str,
        alt: Text | None,
        origin: Origin,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        init(self, "start", start)
        init(self, "end", end)
        init(self, "side", side)
        init(self, "layout", layout)
        init(self, "alt", alt)
        init(self, "origin", origin)
        init(self, "data", {} if data is None else data)


class Dosage(Record):
    __slots__ = (
        "sets",
        "side",
        "sessions_per_day",
        "days_per_week",
        "intensity",
        "repetitions",
        "hold_seconds",
        "duration_seconds",
        "rest_seconds",
        "weeks",
        "origin",
    )
    sets: int
    side: str
    sessions_per_day: int
    days_per_week: int
    intensity: Text
    repetitions: int | None
    hold_seconds: float | None
    duration_seconds: float | None
    rest_seconds: float | None
    weeks: int | None
    origin: Origin
    _not_compared = ("origin",)

    def __init__(
        self,
        sets: int,
        side: str,
        sessions_per_day: int,
        days_per_week: int,
        intensity: Text,
        repetitions: int | None = None,
        hold_seconds: float | None = None,
        duration_seconds: float | None = None,
        rest_seconds: float | None = None,
        weeks: int | None = None,
        origin: Origin = NOWHERE,
    ) -> None:
        init(self, "sets", sets)
        init(self, "side", side)
        init(self, "sessions_per_day", sessions_per_day)
        init(self, "days_per_week", days_per_week)
        init(self, "intensity", intensity)
        init(self, "repetitions", repetitions)
        init(self, "hold_seconds", hold_seconds)
        init(self, "duration_seconds", duration_seconds)
        init(self, "rest_seconds", rest_seconds)
        init(self, "weeks", weeks)
        init(self, "origin", origin)

    def fields(self) -> dict[str, Any]:
        """The dosage's numbers and side as a JSON-like mapping (fields not given left out),
        the shape `protocol_kit.dosage` works on."""
        names = (
            "sets",
            "side",
            "sessions_per_day",
            "days_per_week",
            "repetitions",
            "hold_seconds",
            "duration_seconds",
            "rest_seconds",
            "weeks",
        )
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


class LibrarySource(Record):
    """Where a protocol's exercise came from when it refers to the shared library."""

    __slots__ = (
        "ref", "path", "version", "dosage_override", "note", "entry", "digest", "provenance",
    )  # fmt: skip
    ref: str
    path: str
    version: str
    dosage_override: Mapping[str, Any]
    note: str | None
    entry: Origin  # the protocol's `{"ref": ...}` entry
    digest: bytes  # of the library file's text (`library.LibraryEntry.digest`)
    # The library file's authors' and references' strings, each with its JSON pointer there:
    # a bundle carries them with the exercise (`x-library`), so the lint reads them too.
    provenance: tuple[tuple[str, str], ...]
    _not_compared = ("provenance",)  # the digest says the same
    _not_shown = ("provenance",)

    @property
    def content(self) -> tuple[str, bytes]:
        """The library file as a key for answers about what it holds: its path and digest."""
        return self.path, self.digest

    def __init__(
        self,
        ref: str,
        path: str,
        version: str,
        dosage_override: Mapping[str, Any],
        note: str | None,
        entry: Origin,
        digest: bytes = b"",
        provenance: tuple[tuple[str, str], ...] = (),
    ) -> None:
        init(self, "ref", ref)
        init(self, "path", path)
        init(self, "version", version)
        init(self, "dosage_override", dosage_override)
        init(self, "note", note)
        init(self, "entry", entry)
        init(self, "digest", digest)
        init(self, "provenance", provenance)


class Exercise(Record):
    __slots__ = (
        "id",
        "name",
        "type",
        "laterality",
        "purpose",
        "muscles",
        "regions",
        "equipment",
        "starting_position",
        "steps",
        "cues",
        "common_mistakes",
        "dosage",
        "progression",
        "regression",
        "contraindications",
        "precautions",
        "media",
        "origin",
        "library",
        "poses",
    )
    id: str
    name: Text
    type: str
    laterality: str
    purpose: Text
    muscles: tuple[str, ...]
    regions: tuple[str, ...]
    equipment: tuple[Text, ...]
    starting_position: Text
    steps: tuple[Text, ...]
    cues: tuple[Text, ...]
    common_mistakes: tuple[Text, ...]
    dosage: Dosage
    progression: Text | None
    regression: Text | None
    contraindications: tuple[Contraindication, ...]
    precautions: tuple[Precaution, ...]
    media: tuple[Media, ...]
    origin: Origin
    library: LibrarySource | None
    poses: Poses | None

    def __init__(
        self,
        id: str,
        name: Text,
        type: str,
        laterality: str,
        purpose: Text,
        muscles: tuple[str, ...],
        regions: tuple[str, ...],
        equipment: tuple[Text, ...],
        starting_position: Text,
        steps: tuple[Text, ...],
        cues: tuple[Text, ...],
        common_mistakes: tuple[Text, ...],
        dosage: Dosage,
        progression: Text | None,
        regression: Text | None,
        contraindications: tuple[Contraindication, ...],
        precautions: tuple[Precaution, ...],
        media: tuple[Media, ...],
        origin: Origin,
        library: LibrarySource | None = None,
        poses: Poses | None = None,
    ) -> None:
        init(self, "id", id)
        init(self, "name", name)
        init(self, "type", type)
        init(self, "laterality", laterality)
        init(self, "purpose", purpose)
        init(self, "muscles", muscles)
        init(self, "regions", regions)
        init(self, "equipment", equipment)
        init(self, "starting_position", starting_position)
        init(self, "steps", steps)
        init(self, "cues", cues)
        init(self, "common_mistakes", common_mistakes)
        init(self, "dosage", dosage)
        init(self, "progression", progression)
        init(self, "regression", regression)
        init(self, "contraindications", contraindications)
        init(self, "precautions", precautions)
        init(self, "media", media)
        init(self, "origin", origin)
        init(self, "library", library)
        init(self, "poses", poses)

    @property
    def unilateral(self) -> bool:
        return self.laterality == "unilateral"


class RedFlag(Record):
    __slots__ = ("text", "action", "covers", "origin")
    text: Text
    action: str  # "emergency", "maternity" or "urgent"
    covers: tuple[str, ...]  # ids of required red-flag items (protocol_kit.redflags)
    origin: Origin
    _not_compared = ("origin",)

    def __init__(
        self, text: Text, action: str, covers: tuple[str, ...] = (), origin: Origin = NOWHERE
    ) -> None:
        init(self, "text", text)
        init(self, "action", action)
        init(self, "covers", covers)
        init(self, "origin", origin)


class PainGuide(Record):
    __slots__ = ("green_max", "amber_max", "green", "amber", "red", "origin")
    green_max: int
    amber_max: int
    green: Text
    amber: Text
    red: Text
    origin: Origin

    def __init__(
        self, green_max: int, amber_max: int, green: Text, amber: Text, red: Text, origin: Origin
    ) -> None:
        init(self, "green_max", green_max)
        init(self, "amber_max", amber_max)
        init(self, "green", green)
        init(self, "amber", amber)
        init(self, "red", red)
        init(self, "origin", origin)


class Safety(Record):
    __slots__ = (
        "contraindications",
        "precautions",
        "red_flags",
        "stop_criteria",
        "pain_guide",
        "general_advice",
    )
    contraindications: tuple[Contraindication, ...]
    precautions: tuple[Precaution, ...]
    red_flags: tuple[RedFlag, ...]
    stop_criteria: tuple[Text, ...]
    pain_guide: PainGuide
    general_advice: tuple[Text, ...]

    def __init__(
        self,
        contraindications: tuple[Contraindication, ...],
        precautions: tuple[Precaution, ...],
        red_flags: tuple[RedFlag, ...],
        stop_criteria: tuple[Text, ...],
        pain_guide: PainGuide,
        general_advice: tuple[Text, ...],
    ) -> None:
        init(self, "contraindications", contraindications)
        init(self, "precautions", precautions)
        init(self, "red_flags", red_flags)
        init(self, "stop_criteria", stop_criteria)
        init(self, "pain_guide", pain_guide)
        init(self, "general_advice", general_advice)


class Delivery(Record):
    __slots__ = (
        "setting",
        "supervision",
        "format",
        "provider_profession",
        "provider_qualifications",
        "programme_weeks",
        "starting_level",
        "tailoring",
        "adherence_method",
        "adherence_description",
        "education",
        "progression_rule",
        "motivation",
        "adverse_events",
        "non_exercise_components",
        "warm_up",
        "cool_down",
    )
    setting: tuple[str, ...]
    supervision: str
    format: str
    provider_profession: str
    provider_qualifications: str
    programme_weeks: int
    starting_level: str
    tailoring: str
    adherence_method: str
    adherence_description: str
    education: tuple[Text, ...]
    progression_rule: str | None
    motivation: str | None
    adverse_events: str | None
    non_exercise_components: str | None
    warm_up: Text | None
    cool_down: Text | None

    def __init__(
        self,
        setting: tuple[str, ...],
        supervision: str,
        format: str,
        provider_profession: str,
        provider_qualifications: str,
        programme_weeks: int,
        starting_level: str,
        tailoring: str,
        adherence_method: str,
        adherence_description: str,
        education: tuple[Text, ...],
        progression_rule: str | None = None,
        motivation: str | None = None,
        adverse_events: str | None = None,
        non_exercise_components: str | None = None,
        warm_up: Text | None = None,
        cool_down: Text | None = None,
    ) -> None:
        init(self, "setting", setting)
        init(self, "supervision", supervision)
        init(self, "format", format)
        init(self, "provider_profession", provider_profession)
        init(self, "provider_qualifications", provider_qualifications)
        init(self, "programme_weeks", programme_weeks)
        init(self, "starting_level", starting_level)
        init(self, "tailoring", tailoring)
        init(self, "adherence_method", adherence_method)
        init(self, "adherence_description", adherence_description)
        init(self, "education", education)
        init(self, "progression_rule", progression_rule)
        init(self, "motivation", motivation)
        init(self, "adverse_events", adverse_events)
        init(self, "non_exercise_components", non_exercise_components)
        init(self, "warm_up", warm_up)
        init(self, "cool_down", cool_down)


class ScreeningQuestion(Record):
    """A yes/no question asked before prescribing; a yes brings the contraindications and
    precautions named in `decides` (by id) into force for that patient."""

    __slots__ = ("id", "question", "decides", "origin")
    id: str
    question: Text
    decides: tuple[str, ...]
    origin: Origin

    def __init__(self, id: str, question: Text, decides: tuple[str, ...], origin: Origin) -> None:
        init(self, "id", id)
        init(self, "question", question)
        init(self, "decides", decides)
        init(self, "origin", origin)


class Stage(Record):
    """Weeks `first_week` to `last_week` of the programme, with their own dosage fields per
    exercise id (merged over the exercise's dosage) and the rule for moving on to them."""

    __slots__ = ("first_week", "last_week", "entry", "dosage", "origin")
    first_week: int
    last_week: int
    entry: Text | None
    dosage: Mapping[str, Mapping[str, Any]]
    origin: Origin

    def __init__(
        self,
        first_week: int,
        last_week: int,
        entry: Text | None,
        dosage: Mapping[str, Mapping[str, Any]],
        origin: Origin,
    ) -> None:
        init(self, "first_week", first_week)
        init(self, "last_week", last_week)
        init(self, "entry", entry)
        init(self, "dosage", dosage)
        init(self, "origin", origin)


class Suppression(Record):
    __slots__ = ("rule", "at", "reason")
    rule: str
    at: str | None
    reason: str

    def __init__(self, rule: str, at: str | None, reason: str) -> None:
        init(self, "rule", rule)
        init(self, "at", at)
        init(self, "reason", reason)


class Protocol(Record):
    __slots__ = (
        "id",
        "version",
        "title",
        "summary",
        "status",
        "language",
        "translations",
        "authors",
        "reviewer",
        "sign_off",
        "updated",
        "next_review",
        "licence",
        "references",
        "indications",
        "safety",
        "delivery",
        "exercises",
        "suppressions",
        "origin",
        "screening",
        "stages",
        "measures",
    )
    id: str
    version: str
    title: Text
    summary: Text
    status: str
    language: str
    translations: tuple[str, ...]
    authors: tuple[Person, ...]
    reviewer: Person | None  # deprecated: the approval is `sign_off`
    sign_off: SignOff | None
    updated: dt.date  # when the content last changed (an older file's `last_reviewed`)
    next_review: dt.date
    licence: str
    references: tuple[Reference, ...]
    indications: tuple[Coding, ...]
    safety: Safety
    delivery: Delivery
    exercises: tuple[Exercise, ...]
    suppressions: tuple[Suppression, ...]
    origin: Origin
    screening: tuple[ScreeningQuestion, ...]
    stages: tuple[Stage, ...]
    measures: tuple[str, ...]  # standard outcome measures the programme is followed with

    def __init__(
        self,
        id: str,
        version: str,
        title: Text,
        summary: Text,
        status: str,
        language: str,
        translations: tuple[str, ...],
        authors: tuple[Person, ...],
        reviewer: Person | None,
        sign_off: SignOff | None,
        updated: dt.date,
        next_review: dt.date,
        licence: str,
        references: tuple[Reference, ...],
        indications: tuple[Coding, ...],
        safety: Safety,
        delivery: Delivery,
        exercises: tuple[Exercise, ...],
        suppressions: tuple[Suppression, ...],
        origin: Origin,
        screening: tuple[ScreeningQuestion, ...] = (),
        stages: tuple[Stage, ...] = (),
        measures: tuple[str, ...] = (),
    ) -> None:
        init(self, "id", id)
        init(self, "version", version)
        init(self, "title", title)
        init(self, "summary", summary)
        init(self, "status", status)
        init(self, "language", language)
        init(self, "translations", translations)
        init(self, "authors", authors)
        init(self, "reviewer", reviewer)
        init(self, "sign_off", sign_off)
        init(self, "updated", updated)
        init(self, "next_review", next_review)
        init(self, "licence", licence)
        init(self, "references", references)
        init(self, "indications", indications)
        init(self, "safety", safety)
        init(self, "delivery", delivery)
        init(self, "exercises", exercises)
        init(self, "suppressions", suppressions)
        init(self, "origin", origin)
        init(self, "screening", screening)
        init(self, "stages", stages)
        init(self, "measures", measures)

    @property
    def languages(self) -> tuple[str, ...]:
        """The primary language first, then the declared translations."""
        return (self.language, *self.translations)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


class DosageOverride(Record):
    __slots__ = ("exercise", "omit", "dosage", "reason", "origin")
    exercise: str
    omit: bool
    dosage: Mapping[str, Any]
    reason: str
    origin: Origin

    def __init__(
        self, exercise: str, omit: bool, dosage: Mapping[str, Any], reason: str, origin: Origin
    ) -> None:
        init(self, "exercise", exercise)
        init(self, "omit", omit)
        init(self, "dosage", dosage)
        init(self, "reason", reason)
        init(self, "origin", origin)


class Patient(Record):
    __slots__ = ("name", "date_of_birth", "identifier")
    name: str
    date_of_birth: dt.date | None
    identifier: str | None

    def __init__(
        self, name: str, date_of_birth: dt.date | None = None, identifier: str | None = None
    ) -> None:
        init(self, "name", name)
        init(self, "date_of_birth", date_of_birth)
        init(self, "identifier", identifier)


class Goal(Record):
    """What the patient wants to be able to do, in their words, and by when."""

    __slots__ = ("text", "by", "origin")
    text: Text
    by: dt.date | None
    origin: Origin

    def __init__(self, text: Text, by: dt.date | None, origin: Origin) -> None:
        init(self, "text", text)
        init(self, "by", by)
        init(self, "origin", origin)


class MeasureRecord(Record):
    """An outcome measure of one prescription: a standard one by `code`
    (protocol_kit/prescribing/measures.json) or a clinic-defined one (`custom`)."""

    __slots__ = (
        "code",
        "custom",
        "activity",
        "baseline",
        "baseline_date",
        "subscore",
        "target",
        "target_by",
        "retests",
        "origin",
    )
    code: str | None
    custom: Mapping[str, Any] | None
    activity: Text | None
    baseline: float
    baseline_date: dt.date | None
    subscore: float | None
    target: float | None
    target_by: dt.date | None
    retests: tuple[dt.date, ...]
    origin: Origin

    def __init__(
        self,
        code: str | None,
        custom: Mapping[str, Any] | None,
        activity: Text | None,
        baseline: float,
        baseline_date: dt.date | None,
        subscore: float | None,
        target: float | None,
        target_by: dt.date | None,
        retests: tuple[dt.date, ...],
        origin: Origin,
    ) -> None:
        init(self, "code", code)
        init(self, "custom", custom)
        init(self, "activity", activity)
        init(self, "baseline", baseline)
        init(self, "baseline_date", baseline_date)
        init(self, "subscore", subscore)
        init(self, "target", target)
        init(self, "target_by", target_by)
        init(self, "retests", retests)
        init(self, "origin", origin)


class Prescription(Record):
    __slots__ = (
        "protocol_id",
        "protocol_version",
        "patient",
        "therapist",
        "date",
        "start_date",
        "review_date",
        "notes",
        "overrides",
        "origin",
        "screening",
        "goals",
        "measures",
        "stages",
        "follows_date",
    )
    protocol_id: str
    protocol_version: str | None
    patient: Patient
    therapist: Person
    date: dt.date
    start_date: dt.date
    review_date: dt.date | None
    notes: tuple[Text, ...]
    overrides: tuple[DosageOverride, ...]
    origin: Origin
    screening: Mapping[str, str]  # question id -> "yes"/"no"
    goals: tuple[Goal, ...]
    measures: tuple[MeasureRecord, ...]
    stages: tuple[Stage, ...]
    # The date of the earlier prescription this one follows (a progression), printed on the
    # sheet; None for a first prescription.
    follows_date: dt.date | None

    def __init__(
        self,
        protocol_id: str,
        protocol_version: str | None,
        patient: Patient,
        therapist: Person,
        date: dt.date,
        start_date: dt.date,
        review_date: dt.date | None,
        notes: tuple[Text, ...],
        overrides: tuple[DosageOverride, ...],
        origin: Origin,
        screening: Mapping[str, str] | None = None,
        goals: tuple[Goal, ...] = (),
        measures: tuple[MeasureRecord, ...] = (),
        stages: tuple[Stage, ...] = (),
        follows_date: dt.date | None = None,
    ) -> None:
        init(self, "protocol_id", protocol_id)
        init(self, "protocol_version", protocol_version)
        init(self, "patient", patient)
        init(self, "therapist", therapist)
        init(self, "date", date)
        init(self, "start_date", start_date)
        init(self, "review_date", review_date)
        init(self, "notes", notes)
        init(self, "overrides", overrides)
        init(self, "origin", origin)
        init(self, "screening", {} if screening is None else screening)
        init(self, "goals", goals)
        init(self, "measures", measures)
        init(self, "stages", stages)
        init(self, "follows_date", follows_date)


# ---------------------------------------------------------------------------------------------
# Builders: schema-valid JSON -> model. `language` is the language plain strings are written in.


def build_text(value: str | Mapping[str, str], language: str, origin: Origin) -> Text:
    if isinstance(value, str):
        return Text({language: value}, origin)
    return Text(dict(value), origin)


# The builders below locate what they build by writing its pointer out (`f"{at}/name"`) rather
# than with `Origin.child`: a protocol has about eighty located parts, and `child`'s general
# loop (any number of tokens, each escaped when it holds "~" or "/") cost a third of building
# the model. Every token written out here is a field name of the format or an index, neither
# of which ever needs escaping.


# And they make each Origin and Text from its slots' own setters, without the class's
# `__init__`: a protocol has about 85 Origins and 49 Texts, and a call of the class (a Python
# frame, then a set by name for each field) cost about a third more than this. The records
# are the same (equal, hashed, shown and frozen alike; `tests/test_model_records.py`).
_new = object.__new__
_set_path, _set_pointer = Origin.path.__set__, Origin.pointer.__set__  # type: ignore[attr-defined]
_set_values, _set_origin = Text.values.__set__, Text.origin.__set__  # type: ignore[attr-defined]


def origin_at(path: str, pointer: str) -> Origin:
    """`Origin(path, pointer)`, made faster (see above)."""
    origin = _new(Origin)
    _set_path(origin, path)
    _set_pointer(origin, pointer)
    return origin


def _text(value: str | Mapping[str, str], language: str, path: str, pointer: str) -> Text:
    """`build_text(value, language, Origin(path, pointer))`, made faster (see above)."""
    origin = _new(Origin)
    _set_path(origin, path)
    _set_pointer(origin, pointer)
    text = _new(Text)
    _set_values(text, {language: value} if isinstance(value, str) else dict(value))
    _set_origin(text, origin)
    return text


def _texts(data: Mapping, key: str, language: str, origin: Origin) -> tuple[Text, ...]:
    """The list of texts at `key` of `data` (empty when absent), each located at its index."""
    values = data.get(key)
    if not values:
        return ()
    path, pointer = origin.path, f"{origin.pointer}/{key}"
    return tuple([_text(v, language, path, f"{pointer}/{i}") for i, v in enumerate(values)])


def _optional_text(data: Mapping, key: str, language: str, origin: Origin) -> Text | None:
    if key not in data:
        return None
    return _text(data[key], language, origin.path, f"{origin.pointer}/{key}")


def build_coding(data: Mapping, origin: Origin) -> Coding:
    return Coding(data["system"], data["code"], data["display"], origin)


def _contraindications(data: Mapping, origin: Origin) -> tuple[Contraindication, ...]:
    items = data.get("contraindications")
    if not items:
        return ()
    path, at = origin.path, f"{origin.pointer}/contraindications"
    return tuple(
        [
            Contraindication(
                item["description"],
                build_coding(item["coding"], origin_at(path, f"{at}/{i}/coding"))
                if "coding" in item
                else None,
                origin_at(path, f"{at}/{i}"),
                item.get("id"),
            )
            for i, item in enumerate(items)
        ]
    )


def _precautions(data: Mapping, language: str, origin: Origin) -> tuple[Precaution, ...]:
    items = data.get("precautions")
    if not items:
        return ()
    path, at = origin.path, f"{origin.pointer}/precautions"
    found = []
    for i, item in enumerate(items):
        here = origin_at(path, f"{at}/{i}")
        found.append(
            Precaution(
                item["description"],
                build_coding(item["coding"], origin_at(path, f"{at}/{i}/coding"))
                if "coding" in item
                else None,
                item.get("management"),
                _optional_text(item, "patient_advice", language, here),
                here,
                item.get("id"),
            )
        )
    return tuple(found)


def build_person(data: Mapping) -> Person:
    return Person(
        data["name"], data["credentials"], data.get("role"), data.get("email"), data.get("phone")
    )


def build_dosage(
    data: Mapping, language: str, origin: Origin, intensity: Text | None = None
) -> Dosage:
    """A dosage from its JSON; with `intensity`, that text instead of one built from the
    data's (a library exercise's own, kept where a protocol overrides only numbers)."""
    get = data.get
    return Dosage(
        data["sets"],
        data["side"],
        data["sessions_per_day"],
        data["days_per_week"],
        _text(data["intensity"], language, origin.path, f"{origin.pointer}/intensity")
        if intensity is None
        else intensity,
        get("repetitions"),
        get("hold_seconds"),
        get("duration_seconds"),
        get("rest_seconds"),
        get("weeks"),
        origin,
    )


def merge_dosage(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Override fields replace the base's; `x-` extension fields are not dosage and are dropped."""
    merged = {k: v for k, v in base.items() if not k.startswith("x-")}
    merged.update({k: v for k, v in override.items() if not k.startswith("x-")})
    return merged


def build_exercise(
    data: Mapping,
    language: str,
    origin: Origin,
    library: LibrarySource | None = None,
    dosage_data: Mapping | None = None,
    dosage_origin: Origin | None = None,
) -> Exercise:
    """An exercise from its JSON. For a library exercise, `origin` is in the library file and
    `dosage_data` is the merged dosage, located at the protocol's reference entry."""
    targets = data["targets"]
    path, at = origin.path, origin.pointer
    media = data.get("media")
    return Exercise(
        data["id"],
        _text(data["name"], language, path, f"{at}/name"),
        data["type"],
        data["laterality"],
        _text(data["purpose"], language, path, f"{at}/purpose"),
        tuple(targets.get("muscles", ())),
        tuple(targets["regions"]),
        _texts(data, "equipment", language, origin),
        _text(data["starting_position"], language, path, f"{at}/starting_position"),
        _texts(data, "steps", language, origin),
        _texts(data, "cues", language, origin),
        _texts(data, "common_mistakes", language, origin),
        build_dosage(
            dosage_data if dosage_data is not None else data["dosage"],
            language,
            dosage_origin or origin_at(path, f"{at}/dosage"),
        ),
        _optional_text(data, "progression", language, origin),
        _optional_text(data, "regression", language, origin),
        _contraindications(data, origin),
        _precautions(data, language, origin),
        tuple(
            [
                _media(item, language, origin_at(path, f"{at}/media/{i}"))
                for i, item in enumerate(media)
            ]
        )
        if media
        else (),
        origin,
        library,
        build_poses(data["poses"], data["laterality"], language, origin_at(path, f"{at}/poses"))
        if "poses" in data
        else None,
    )


def shared_exercise(data: Mapping, language: str, index: int) -> Exercise:
    """An exercise written in a protocol at `/exercises/{index}`, for every file that has the
    same one there (`protocol_kit.shared_parts`): its places name no file (`ANY_FILE`)."""
    return build_exercise(data, language, origin_at(ANY_FILE, f"/exercises/{index}"))


def exercise_in_file(
    shared: Exercise, data: Mapping, language: str, path: str, at: str
) -> Exercise:
    """A shared exercise (`shared_exercise`) as the exercise of the file `path` at the
    pointer `at`: itself, when it has no images; else with its own place and its images built
    again, located in this file (an image is found beside the file that names it,
    `Media.file`), the rest the shared records."""
    if not shared.media:
        return shared
    origin = origin_at(path, at)
    media = tuple(
        [
            _media(item, language, origin_at(path, f"{at}/media/{i}"))
            for i, item in enumerate(data["media"])
        ]
    )
    return exercise_changed(shared, origin=origin, media=media)


def exercise_changed(exercise: Exercise, **changes: Any) -> Exercise:
    """`exercise` with the fields named in `changes` replaced, the others the same records:
    written out field by field in order (`record.replace` goes through a mapping of every
    field by name, too slow for an exercise built for every file of a run)."""
    fields = list(_EXERCISE_FIELDS(exercise))
    for name, value in changes.items():
        fields[_EXERCISE_SLOT[name]] = value
    return Exercise(*fields)


_EXERCISE_FIELDS = attrgetter(*Exercise.__slots__)
_EXERCISE_SLOT = {name: i for i, name in enumerate(Exercise.__slots__)}


def build_poses(data: Mapping, laterality: str, language: str, origin: Origin) -> Poses:
    """The poses of an exercise. Left out, the side is `both` for a bilateral exercise and
    `right` for a unilateral one."""
    side = data.get("side") or ("both" if laterality == "bilateral" else "right")
    path, at = origin.path, origin.pointer
    return Poses(
        start=_pose(data["start"], origin_at(path, f"{at}/start")),
        end=_pose(data["end"], origin_at(path, f"{at}/end")) if "end" in data else None,
        side=side,
        layout=data.get("layout", "overlay"),
        alt=_optional_text(data, "alt", language, origin),
        origin=origin,
        data=data,
    )


def _pose(data: Mapping, origin: Origin) -> Pose:
    lean = data.get("lean", {})
    props = data.get("props")
    path, at = origin.path, origin.pointer
    return Pose(
        data["posture"],
        data.get("view"),
        {
            joint: {m: float(v) for m, v in movements.items() if not m.startswith("x-")}
            for joint, movements in data.get("joints", {}).items()
            if not joint.startswith("x-")
        },
        float(lean.get("forwards", 0)) - float(lean.get("backwards", 0)),
        tuple(
            [
                PropPlacement(
                    item["prop"],
                    item.get("at"),
                    item.get("position", "under"),
                    origin_at(path, f"{at}/props/{i}"),
                    float(item.get("gap", 0)),
                )
                for i, item in enumerate(props)
            ]
        )
        if props
        else (),
        origin,
    )


def _media(data: Mapping, language: str, origin: Origin) -> Media:
    return Media(
        kind=data["kind"],
        path=data.get("path"),
        url=data.get("url"),
        caption=_optional_text(data, "caption", language, origin),
        alt=_optional_text(data, "alt", language, origin),
        author=data["author"],
        licence=data["licence"],
        source=data.get("source"),
        origin=origin,
    )


def _safety(data: Mapping, language: str, origin: Origin) -> Safety:
    guide = data["pain_guide"]
    path, at = origin.path, origin.pointer
    guide_at = f"{at}/pain_guide"
    return Safety(
        _contraindications(data, origin),
        _precautions(data, language, origin),
        tuple(
            [
                RedFlag(
                    _text(flag["text"], language, path, f"{at}/red_flags/{i}/text"),
                    flag["action"],
                    tuple(flag.get("covers", ())),
                    origin_at(path, f"{at}/red_flags/{i}"),
                )
                for i, flag in enumerate(data["red_flags"])
            ]
        ),
        _texts(data, "stop_criteria", language, origin),
        PainGuide(
            guide["green_max"],
            guide["amber_max"],
            _text(guide["green"], language, path, f"{guide_at}/green"),
            _text(guide["amber"], language, path, f"{guide_at}/amber"),
            _text(guide["red"], language, path, f"{guide_at}/red"),
            origin_at(path, guide_at),
        ),
        _texts(data, "general_advice", language, origin),
    )


def _delivery(data: Mapping, language: str, origin: Origin) -> Delivery:
    return Delivery(
        setting=tuple(data["setting"]),
        supervision=data["supervision"],
        format=data["format"],
        provider_profession=data["provider"]["profession"],
        provider_qualifications=data["provider"]["qualifications"],
        programme_weeks=data["programme_weeks"],
        starting_level=data["starting_level"],
        tailoring=data["tailoring"],
        adherence_method=data["adherence"]["method"],
        adherence_description=data["adherence"]["description"],
        education=_texts(data, "education", language, origin),
        progression_rule=data.get("progression_rule"),
        motivation=data.get("motivation"),
        adverse_events=data.get("adverse_events"),
        non_exercise_components=data.get("non_exercise_components"),
        warm_up=_optional_text(data, "warm_up", language, origin),
        cool_down=_optional_text(data, "cool_down", language, origin),
    )


def build_protocol(
    data: Mapping, path: str, exercises: tuple[Exercise, ...], shared: Any = None
) -> Protocol:
    """A protocol from its JSON; `exercises` are built by the caller, which resolves library
    references (see `protocol_kit.library.resolve_exercises`). With `shared`
    (`shared_parts.SharedParts`), everything but its id, title, exercises and file is what
    was built for an earlier file with the same, and its places name no file (`ANY_FILE`):
    files copied from one another differ mostly in those."""
    language = data["language"]
    if shared is None:
        fields = list(_protocol_fields(data, path))
    else:
        # Written once for the schema check and the part table, when the check did
        # (`shared_parts.writing_of`); else the table writes what it is given.
        writing = shared.writing_of(data)
        if writing is None:
            rest, written = {k: v for k, v in data.items() if k not in OWN_FIELDS}, None
        else:
            rest, written = data, writing[0]
        fields = list(
            shared.protocols.part(
                "protocol", language, rest, _protocol_fields, data, ANY_FILE, written=written
            )
        )
    fields[_ID] = data["id"]
    fields[_TITLE] = _text(data["title"], language, path, "/title")
    fields[_EXERCISES] = exercises
    fields[_ORIGIN] = Origin(path)
    return Protocol(*fields)


# What each file has of its own (`build_protocol`), and where it goes among the fields. The
# rest is one shared part, for the model and for the schema check (`validation.known_parts`).
OWN_FIELDS = frozenset({"id", "title", "exercises"})
_ID, _TITLE, _EXERCISES, _ORIGIN, _SAFETY = (
    Protocol.__slots__.index(name) for name in ("id", "title", "exercises", "origin", "safety")
)


def protocol_part_anchor(fields: tuple[Any, ...]) -> Safety:
    """What a protocol built from a shared part (`build_protocol`'s fields) is told by: its
    safety section, made anew with each part and held by every protocol built from it."""
    return fields[_SAFETY]


def _protocol_fields(data: Mapping, path: str) -> tuple[Any, ...]:
    """A protocol's fields in order, but those `build_protocol` fills in for each file."""
    language = data["language"]
    origin = Origin(path)
    return (
        None,  # id
        data["version"],
        None,  # title
        _text(data["summary"], language, path, "/summary"),
        data["status"],
        language,
        tuple(data.get("translations", ())),
        tuple(build_person(a) for a in data["authors"]),
        build_person(data["reviewer"]) if "reviewer" in data else None,
        build_sign_off(data["sign_off"]) if "sign_off" in data else None,
        dt.date.fromisoformat(data.get("updated") or data["last_reviewed"]),
        dt.date.fromisoformat(data["next_review"]),
        data["licence"],
        tuple(
            Reference(r["citation"], r.get("url"), r.get("doi")) for r in data.get("references", ())
        ),
        tuple(
            [
                build_coding(c, origin_at(path, f"/indications/{i}"))
                for i, c in enumerate(data["indications"])
            ]
        ),
        _safety(data["safety"], language, origin_at(path, "/safety")),
        _delivery(data["delivery"], language, origin_at(path, "/delivery")),
        None,  # exercises
        build_suppressions(data),
        None,  # origin
        tuple(
            ScreeningQuestion(
                q["id"],
                _text(q["question"], language, path, f"/screening/{i}/question"),
                tuple(q["decides"]),
                origin_at(path, f"/screening/{i}"),
            )
            for i, q in enumerate(data.get("screening", ()))
        ),
        build_stages(data, language, origin),
        tuple(data.get("measures", ())),
    )


def build_stages(data: Mapping, language: str, origin: Origin) -> tuple[Stage, ...]:
    """The `stages` of a protocol or prescription."""
    return tuple(
        Stage(
            s["weeks"]["from"],
            s["weeks"]["to"],
            _optional_text(s, "entry", language, origin.child("stages", i)),
            {k: dict(v) for k, v in s.get("dosage", {}).items()},
            origin.child("stages", i),
        )
        for i, s in enumerate(data.get("stages", ()))
    )


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def build_measure(data: Mapping, language: str, origin: Origin) -> MeasureRecord:
    baseline, target = data["baseline"], data.get("target", {})
    return MeasureRecord(
        code=data.get("measure"),
        custom=data.get("custom"),
        activity=_optional_text(data, "activity", language, origin),
        baseline=baseline["value"],
        baseline_date=_day(baseline.get("date")),
        subscore=baseline.get("subscore"),
        target=target.get("value"),
        target_by=_day(target.get("by")),
        retests=tuple(dt.date.fromisoformat(d) for d in data.get("retests", ())),
        origin=origin,
    )


def build_sign_off(data: Mapping) -> SignOff:
    registration = data["registration"]
    return SignOff(
        data["name"],
        data["profession"],
        registration["body"],
        registration["number"],
        dt.date.fromisoformat(data["date"]),
    )


def build_suppressions(data: Mapping) -> tuple[Suppression, ...]:
    """The `suppress` entries of a protocol or library exercise file."""
    return tuple(Suppression(s["rule"], s.get("at"), s["reason"]) for s in data.get("suppress", ()))


def build_prescription(data: Mapping, path: str, language: str) -> Prescription:
    """A prescription from its JSON; a text written as one string (a note, a goal, a stage's
    rule) is taken to be in `language`: the protocol's."""
    origin = Origin(path)
    patient = data["patient"]
    dob = patient.get("date_of_birth")
    review = data.get("review_date")
    return Prescription(
        protocol_id=data["protocol"]["id"],
        protocol_version=data["protocol"].get("version"),
        patient=Patient(
            patient["name"], dt.date.fromisoformat(dob) if dob else None, patient.get("identifier")
        ),
        therapist=build_person(data["therapist"]),
        date=dt.date.fromisoformat(data["date"]),
        start_date=dt.date.fromisoformat(data["start_date"]),
        review_date=dt.date.fromisoformat(review) if review else None,
        notes=_texts(data, "notes", language, origin),
        overrides=tuple(
            DosageOverride(
                o["exercise"],
                o.get("omit", False),
                o.get("dosage", {}),
                o["reason"],
                origin.child("overrides", i),
            )
            for i, o in enumerate(data.get("overrides", ()))
        ),
        origin=origin,
        screening=dict(data.get("screening", {})),
        goals=tuple(
            Goal(
                build_text(g["text"], language, origin.child("goals", i, "text")),
                _day(g.get("by")),
                origin.child("goals", i),
            )
            for i, g in enumerate(data.get("goals", ()))
        ),
        measures=tuple(
            build_measure(m, language, origin.child("measures", i))
            for i, m in enumerate(data.get("measures", ()))
        ),
        stages=build_stages(data, language, origin),
        follows_date=_day(data.get("follows", {}).get("date")),
    )


def iter_texts(protocol: Protocol) -> Iterator[Text]:
    """Every patient-facing text of a protocol, in reading order."""
    yield from iter_protocol_texts(protocol)
    for exercise in protocol.exercises:
        yield from iter_exercise_texts(exercise)


def iter_protocol_texts(protocol: Protocol) -> list[Text]:
    """The patient-facing texts of a protocol that are not part of an exercise, in reading
    order. A list made in one call, not a generator: the translation check and several lint
    rules go through them for every protocol, and a generator's step for each text cost more
    than the list."""
    safety = protocol.safety
    guide = safety.pain_guide
    delivery = protocol.delivery
    texts = [
        protocol.title,
        protocol.summary,
        *[flag.text for flag in safety.red_flags],
        *safety.stop_criteria,
        guide.green,
        guide.amber,
        guide.red,
        *safety.general_advice,
    ]
    for precaution in safety.precautions:
        if precaution.patient_advice:
            texts.append(precaution.patient_advice)
    texts += delivery.education
    if delivery.warm_up:
        texts.append(delivery.warm_up)
    if delivery.cool_down:
        texts.append(delivery.cool_down)
    for stage in protocol.stages:
        if stage.entry is not None:
            texts.append(stage.entry)
    return texts


def exercise_notes(exercise: Exercise) -> Iterator[tuple[str, str]]:
    """The strings of an exercise that are not patient texts (`iter_exercise_texts`), each
    with its JSON pointer: the muscles it works, its conditions' descriptions, codes' displays
    and management notes, its pictures' and videos' credits and places, and a library
    exercise's authors and references (`LibrarySource.provenance`)."""
    origin = exercise.origin
    if exercise.library is not None:
        yield from exercise.library.provenance
    for index, muscle in enumerate(exercise.muscles):
        yield origin.child("targets", "muscles", index).pointer, muscle
    for item in (*exercise.contraindications, *exercise.precautions):
        yield item.origin.child("description").pointer, item.description
        if item.coding is not None:
            yield item.coding.origin.child("display").pointer, item.coding.display
        management = getattr(item, "management", None)
        if management is not None:
            yield item.origin.child("management").pointer, management
    for media in exercise.media:
        for field in ("path", "url", "author", "licence", "source"):
            value = getattr(media, field)
            if value is not None:
                yield media.origin.child(field).pointer, value


def iter_exercise_texts(exercise: Exercise) -> list[Text]:
    """The patient-facing texts of an exercise, in reading order (a list: see above)."""
    texts = [
        exercise.name,
        exercise.purpose,
        *exercise.equipment,
        exercise.starting_position,
        *exercise.steps,
        *exercise.cues,
        *exercise.common_mistakes,
        exercise.dosage.intensity,
    ]
    if exercise.progression:
        texts.append(exercise.progression)
    if exercise.regression:
        texts.append(exercise.regression)
    for precaution in exercise.precautions:
        if precaution.patient_advice:
            texts.append(precaution.patient_advice)
    for media in exercise.media:
        if media.caption:
            texts.append(media.caption)
        if media.alt:
            texts.append(media.alt)
    if exercise.poses is not None and exercise.poses.alt is not None:
        texts.append(exercise.poses.alt)
    return texts
