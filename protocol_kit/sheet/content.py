"""A sheet's content: a `SheetRequest` in, a `document.Sheet` out, in reading order.

The order is the same in every format: the clinic, the title, the "Stop and seek care" box
(whole, first), the protocol's summary, the patient and prescriber (with the line where the
clinician signs), the pain guide, the clinician's notes, what to do before starting, one card
per exercise, about the programme, the cool-down, the credits, the weekly log, and with
`clinician` the clinician's page.

Every text comes through `_Builder.text` (a translated patient text), `_Builder.plain` (a
name, code or link) or `_Builder.word` (the sheet's own wording): each is read in the sheet's
language, never another, and checked against the font once. Nothing is printed twice: the
warm-up once, the patient's details once (no sentence repeats the patient block), the pain
bands' meanings once (the log's scale shows only the colours).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from protocol_kit.dosage import field_value
from protocol_kit.errors import MissingTranslation
from protocol_kit.model import (
    DosageOverride,
    Exercise,
    Origin,
    Protocol,
    RedFlag,
    Text,
    lookup,
)
from protocol_kit.sheet.document import (
    Block,
    Card,
    Caution,
    ClinicHeader,
    Field,
    Fields,
    Frame,
    Inline,
    Items,
    Labelled,
    LogGrid,
    PainBand,
    PainGuide,
    Para,
    Picture,
    Section,
    Sheet,
    Span,
    StopBox,
    StopGroup,
    Title,
    Video,
    plain,
)
from protocol_kit.sheet.dosage import dosage_grid, log_sessions
from protocol_kit.sheet.fitting import card_stages, clinician_blocks, goals_section, stage_logs
from protocol_kit.sheet.pictures import clinic_picture, exercise_picture
from protocol_kit.sheet.request import SheetRequest
from protocol_kit.sheet.text import TextCheck, TextError
from protocol_kit.sheet.wording import wording_for

DASH = "\u2013"
NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d)")
DOT = " \u00b7 "


def build_sheet(request: SheetRequest, check: TextCheck | None = None) -> Sheet:
    """The sheet's content. Raises InputError (one line, naming the file and place) for a
    text missing in the language or a character the font cannot show (`check`)."""
    return _Builder(request, check or TextCheck()).sheet()


class _Builder:
    def __init__(self, request: SheetRequest, check: TextCheck) -> None:
        self.request = request
        self.protocol: Protocol = request.protocol
        self.language = request.language
        self.words = wording_for(request.language)
        self.check = check
        self.clinic = request.clinic

    # -- text: every string on the sheet comes through one of these ---------------------------

    def text(self, value: Text) -> str:
        """A patient-facing text in the sheet's language, checked."""
        try:
            found = value.get(self.language)
        except MissingTranslation:
            prescription = self.request.prescription
            if prescription is not None and value.origin.path == prescription.origin.path:
                raise TextError(value.origin, self.untranslated_prescription()) from None
            raise TextError(
                value.origin,
                f"no '{self.language}' translation of this text: a sheet is printed only when "
                f"every text is translated (list '{self.language}' in the file's "
                f'"translations" and write each text as {{"{self.protocol.language}": "...", '
                f'"{self.language}": "..."}}, see docs/format.md#text)',
            ) from None
        return self.check(found, value.origin)

    def untranslated_prescription(self) -> str:
        """Why a prescription's text is refused on a sheet in another language: the therapist
        writes it in the patient's language, and says which that is (H835)."""
        own, sheet = self.protocol.language, self.language
        return (
            f"no '{sheet}' version of this text: the sheet is in '{sheet}', and a prescription's "
            f"text written as one string is in the protocol's language ('{own}'); write it in "
            f'the patient\'s language as {{"{sheet}": "..."}} (see docs/languages.md)'
        )

    def texts(self, values: Iterable[Text]) -> tuple[str, ...]:
        return tuple(self.text(value) for value in values)

    def plain(self, value: str, where: Origin | str) -> str:
        """A text that is not translated (names, codes, links), checked; `where` is its place
        in a JSON file, or names another source."""
        return self.check(value, where)

    def word(self, key: str, **fields: str) -> str:
        """The sheet's own wording, with `fields` (already checked) filled in."""
        wording = self.check(self.words[key], f"sheet wording ({self.words.language}): {key}")
        return wording.format(**fields) if fields else wording

    def configured(self, key: str, value: str) -> str:
        return self.plain(value, f"{self.clinic.where}: clinic.{key}")

    # -- the document ------------------------------------------------------------------------

    def sheet(self) -> Sheet:
        protocol = self.protocol
        title = self.text(protocol.title)
        body: list[Block | Section] = [
            Title(title),
            self.stop_box(),
            Para(plain(self.text(protocol.summary)), "lead"),
            self.people(),
            Section("pain", self.word("pain_guide"), (self.pain_guide(),)),
        ]
        body += self.notes()
        body += goals_section(self)
        body += self.before_you_start()
        body.append(
            Section(
                "exercises",
                self.word("your_exercises"),
                tuple(
                    self.card(number, exercise)
                    for number, exercise in enumerate(protocol.exercises, start=1)
                ),
            )
        )
        # "About your programme" (reassurance and the programme's advice) after the cards:
        # page 1 keeps the stop box and "Before you start", and the first card starts there
        # (the lead's decision, docs/sheets.md "Decisions for the clinical lead").
        body += self.about_programme()
        cool_down = protocol.delivery.cool_down
        if cool_down is not None:
            body.append(
                Section("cool_down", self.word("cool_down"), (Para(plain(self.text(cool_down))),))
            )
        # The credits in small type before the log, which ends the sheet: a sheet never ends
        # on a page that holds only the credits (the log moves whole to a page of its own).
        body += self.credits()
        body.append(self.log())
        if self.request.clinician:
            body.append(self.clinician_page())
        card_names = tuple(
            f"{number}. {self.text(exercise.name)}"
            for number, exercise in enumerate(protocol.exercises, start=1)
        )
        return Sheet(
            language=self.language,
            title=title,
            subject=self.text(protocol.summary),
            author=self.author(),
            keywords=(protocol.id, f"version {protocol.version}"),
            created=self.request.created
            or dt.datetime.combine(protocol.updated, dt.time(), dt.timezone.utc),
            clinic=self.clinic_header(),
            frame=self.frame(title),
            body=tuple(body),
            card_names=card_names,
            large_print=self.request.large_print,
            paper=self.clinic.paper,
            accent=self.clinic.accent,
            source=protocol.origin.path,
        )

    def author(self) -> str:
        prescription = self.request.prescription
        if prescription is not None:
            return prescription.therapist.name
        return self.clinic.name or ", ".join(a.name for a in self.protocol.authors)

    def phone(self) -> str:
        assert self.clinic.phone is not None  # required before a sheet is built (app.render)
        return self.configured("phone", self.clinic.phone)

    def emergency_number(self) -> str:
        assert self.clinic.emergency_number is not None
        return self.configured("emergency_number", self.clinic.emergency_number)

    def urgent_number(self) -> str:
        assert self.clinic.urgent_number is not None
        return self.configured("urgent_number", self.clinic.urgent_number)

    def emergency_place(self) -> str:
        """Where to go in an emergency: the clinic's own words for the language, else the
        sheet's (the nearest emergency department)."""
        # Language tags are the same in any case (`EN`, `en-gb`); a plain string in the
        # configuration is the clinic's words in every language (tag ""), which no language
        # lookup reaches. Both were left off every sheet, silently (H289).
        places = {tag.casefold(): words for tag, words in self.clinic.emergency_place}
        configured = (
            lookup(places, self.language.casefold())
            or lookup(places, self.words.language.casefold())
            or places.get("")
        )
        if configured is not None:
            return self.configured("emergency_place", configured)
        return self.word("emergency_place")

    def frame(self, title: str) -> Frame:
        protocol, prescription = self.protocol, self.request.prescription
        header = [title]
        # Large print leaves the clinic's name out of the running header (one 16 pt line
        # fewer on every later page; the lead's decision, docs/sheets.md): the name is on
        # page 1 and the clinic's telephone in every page's footer.
        if self.clinic.name and not self.request.large_print:
            header.insert(0, self.configured("name", self.clinic.name))
        if prescription is not None:
            where = prescription.origin.child("patient", "name")
            header.append(self.plain(prescription.patient.name, where))
        # "version 1.0.0" is kept on one line when a long id makes the footer wrap.
        version = self.word("version", version=protocol.version).replace(" ", "\u00a0")
        identity = self.plain(f"{protocol.id}{DOT}{version}", protocol.origin.path)
        # A number is never broken over two lines, nor parted from its label.
        pattern = self.word("footer_contact").replace(" {", "\u00a0{")
        contact = pattern.format(
            phone=NUMBER_SPACE.sub("\u00a0", self.phone()),
            number=NUMBER_SPACE.sub("\u00a0", self.emergency_number()),
        )
        return Frame(
            draft_banner=self.word("draft_banner") if protocol.status == "draft" else None,
            running_header=DOT.join(header),
            footer=(Span(contact, strong=True), Span(f"{DOT}{identity}")),
            page_words=self.word("page"),
            continued=self.word("continued"),
        )

    def clinic_header(self) -> ClinicHeader:
        clinic = self.clinic
        details = [self.configured("address", line) for line in clinic.address]
        details += [self.configured(key, getattr(clinic, key)) for key in ("email", "website")
                    if getattr(clinic, key)]  # fmt: skip
        return ClinicHeader(
            name=self.configured("name", clinic.name) if clinic.name else None,
            phone=self.word("clinic_phone", phone=self.phone()),
            details=tuple(details),
            logo=clinic.logo,
        )

    # -- the first page ------------------------------------------------------------------------

    def stop_box(self) -> StopBox:
        """Emergency red flags (call the emergency number, or go to the emergency
        department), a pregnancy's maternity ones (the midwife or maternity unit straight
        away), urgent ones (a doctor the same day), then the stop criteria (call the clinic);
        a group with nothing in it is left out."""
        safety = self.protocol.safety
        emergency = [f.text for f in safety.red_flags if f.action == "emergency"]
        maternity = [f for f in safety.red_flags if f.action == "maternity"]
        urgent = [f.text for f in safety.red_flags if f.action == "urgent"]
        number = self.emergency_number()
        groups = [
            StopGroup(
                "emergency",
                self.word("emergency_intro"),
                self.texts(emergency),
                self.action("emergency_action", number=number, place=self.emergency_place()),
            ),
            StopGroup(
                "maternity",
                self.maternity_intro(maternity),
                self.texts(f.text for f in maternity),
                self.action("maternity_action", number=self.urgent_number()) if maternity else (),
            ),
            StopGroup(
                "urgent",
                self.word("urgent_intro"),
                self.texts(urgent),
                self.action("urgent_action", number=self.urgent_number()),
            ),
            StopGroup(
                "stop",
                self.word("stop_intro"),
                self.texts(safety.stop_criteria),
                self.action("stop_action", phone=self.phone()),
            ),
        ]
        return StopBox(self.word("stop_heading"), tuple(g for g in groups if g.items))

    def maternity_intro(self, flags: list[RedFlag]) -> str:
        """The maternity group's heading; TextError, at the first `maternity` red flag, for a
        sheet whose wording has no clinician-reviewed words for the group (every language
        but English today): a machine translation of where a pregnant woman goes is not
        printed, nor is the sign printed in English or without its box."""
        if not flags:
            return ""
        words = self.words
        if not words.reviewed or "maternity_intro" not in words:
            raise TextError(
                flags[0].origin.child("action"),
                f"a red flag with action 'maternity' cannot be printed on a sheet in "
                f"'{self.language}': that language's sheet wording is not reviewed by a "
                "clinician who is a native speaker, and has no words for the maternity box "
                "(docs/languages.md); print this sheet in English",
            )
        return self.word("maternity_intro")

    def action(self, key: str, **fields: str) -> Inline:
        """What to do, with the numbers in bold: "Call **999** or go to **…**."."""
        pattern = self.word(key)
        spans: list[Span] = []
        rest = pattern
        while "{" in rest:
            before, _, after = rest.partition("{")
            name, _, rest = after.partition("}")
            if before:
                spans.append(Span(before, strong=False))
            spans.append(Span(fields[name], strong=True))
        if rest:
            spans.append(Span(rest))
        return tuple(spans)

    def people(self) -> Fields:
        """Who the programme is for, who prescribed and approved it, the dates, and the line
        where the clinician signs; blank lines on a sheet without a prescription."""
        prescription, words = self.request.prescription, self.word
        approval = self.approval()
        if prescription is None:
            fields = [
                Field(words("patient")),
                Field(words("date_of_birth")),
                Field(words("prescribed_by")),
                Field(words("prescription_date")),
                Field(words("start_date")),
                Field(words("review_date")),
            ]
        else:
            where = prescription.origin
            patient, therapist = prescription.patient, prescription.therapist
            name = self.plain(patient.name, where.child("patient", "name"))
            fields = [Field(words("patient"), name)]
            if patient.date_of_birth:
                fields.append(Field(words("date_of_birth"), patient.date_of_birth.isoformat()))
            if patient.identifier:
                identifier = self.plain(patient.identifier, where.child("patient", "identifier"))
                fields.append(Field(words("identifier"), identifier))
            clinician = self.plain(
                f"{therapist.name}, {therapist.credentials}", where.child("therapist")
            )
            if therapist.phone:
                # Who prescribed it and how to reach them, for the patient's questions; the
                # stop box keeps the clinic's number, answered when the prescriber is away.
                phone = self.plain(therapist.phone, where.child("therapist", "phone"))
                number = NUMBER_SPACE.sub("\u00a0", phone)
                # Not parted from its label, as in the footer: "telephone" ended a line and
                # the number began the next where the prescriber's line wrapped (H1543).
                pattern = self.word("prescriber_phone").replace(" {phone}", "\u00a0{phone}")
                clinician = pattern.format(prescriber=clinician, phone=number)
            fields += [
                Field(words("prescribed_by"), clinician),
                Field(words("prescription_date"), prescription.date.isoformat()),
                Field(words("start_date"), prescription.start_date.isoformat()),
            ]
            if prescription.review_date:
                fields.append(Field(words("review_date"), prescription.review_date.isoformat()))
            if prescription.follows_date:
                # A progression: the patient and any clinician reading the sheet see which
                # programme it replaces (the earlier sheet may still be on the fridge).
                follows = prescription.follows_date.isoformat()
                fields.append(Field(words("follows_prescription"), follows))
        if approval:
            fields.append(Field(words("approved_by"), approval))
        return Fields(tuple(fields), signature=Field(words("signature")))

    def approval(self) -> str | None:
        """Who approved the protocol for patients: its sign-off (the approving clinician,
        profession, registration, date). A draft prints none, even with a `sign_off` (kept from
        an earlier version, or written ahead of the review): its banner says it is not reviewed,
        and "Approved by" beside it would say the opposite."""
        sign_off = self.protocol.sign_off
        if sign_off is None or self.protocol.status == "draft":
            return None
        approved = (
            f"{sign_off.name}, {sign_off.profession} ({sign_off.registration}), "
            f"{sign_off.date.isoformat()}"
        )
        return self.plain(approved, self.protocol.origin.child("sign_off"))

    def pain_guide(self) -> PainGuide:
        """The pain guide's bands (colour, range, meaning); an empty band is left out."""
        return PainGuide(
            self.word("pain_scale"),
            tuple(PainBand(c, span, self.text(t)) for c, span, t in self.bands()),
        )

    def bands(self) -> list[tuple[str, str, Text]]:
        guide = self.protocol.safety.pain_guide
        bands = [("green", 0, guide.green_max, guide.green)]
        if guide.amber_max > guide.green_max:
            bands.append(("amber", guide.green_max + 1, guide.amber_max, guide.amber))
        bands.append(("red", guide.amber_max + 1, 10, guide.red))
        return [
            (colour, f"{low}{DASH}{high}" if high > low else str(low), text)
            for colour, low, high, text in bands
        ]

    def notes(self) -> list[Section]:
        prescription = self.request.prescription
        if prescription is None or not prescription.notes:
            return []
        items = tuple(plain(t) for t in self.texts(prescription.notes))
        return [Section("notes", self.word("notes"), (Items(items),))]

    def before_you_start(self) -> list[Section]:
        safety, delivery = self.protocol.safety, self.protocol.delivery
        advice: list[Inline] = [plain(t) for t in self.texts(safety.general_advice)]
        if delivery.warm_up is not None:
            warm_up = self.text(delivery.warm_up)
            advice.append((Span(f"{self.word('warm_up')}: ", strong=True), Span(warm_up)))
        blocks: list[Block] = [Items(tuple(advice))] if advice else []
        cautions = [p.patient_advice for p in safety.precautions if p.patient_advice]
        if cautions:
            blocks.append(Caution(self.word("take_care"), self.texts(cautions)))
        if not blocks:
            return []
        return [Section("before", self.word("before_you_start"), tuple(blocks))]

    def about_programme(self) -> list[Section]:
        education = self.protocol.delivery.education
        if not education:
            return []
        items = Items(tuple(plain(t) for t in self.texts(education)))
        return [Section("about", self.word("about_programme"), (items,))]

    # -- exercise cards ------------------------------------------------------------------------

    def card(self, number: int, exercise: Exercise) -> Card:
        picture = exercise_picture(exercise, self.language, self.text)
        cautions = [p.patient_advice for p in exercise.precautions if p.patient_advice]
        steps = Items(tuple(plain(t) for t in self.texts(exercise.steps)), ordered=True)
        beside = (
            self.labelled("starting_position", Para(plain(self.text(exercise.starting_position)))),
            self.labelled("steps", steps),
        )
        after: list[Labelled] = []
        if exercise.equipment:
            after.append(self.labelled("equipment", self.items(exercise.equipment)))
        after.append(self.labelled("intensity", Para(plain(self.text(exercise.dosage.intensity)))))
        if exercise.cues:
            after.append(self.labelled("cues", self.items(exercise.cues)))
        if exercise.common_mistakes:
            after.append(self.labelled("common_mistakes", self.items(exercise.common_mistakes)))
        if exercise.regression is not None:
            after.append(self.labelled("easier", Para(plain(self.text(exercise.regression)))))
        # The harder version is for when the clinician moves the patient on, at a review:
        # printed on the clinician's copy only (docs/sheets.md, "What the patient's sheet
        # prints, and why").
        if exercise.progression is not None and self.request.clinician:
            after.append(self.labelled("harder", Para(plain(self.text(exercise.progression)))))
        first_stage, later_stages = card_stages(self, exercise)
        return Card(
            number=number,
            title=f"{number}. {self.text(exercise.name)}",
            purpose=self.text(exercise.purpose),
            dosage=first_stage or dosage_grid(exercise.dosage, self.words),
            picture=picture,
            take_care=Caution(self.word("take_care"), self.texts(cautions)) if cautions else None,
            beside=beside,
            after=(*later_stages, *after),
            media=self.more_media(exercise, picture),
        )

    def labelled(self, key: str, block: Block) -> Labelled:
        return Labelled(self.word(key), (block,))

    def items(self, values: Iterable[Text]) -> Items:
        return Items(tuple(plain(t) for t in self.texts(values)))

    def more_media(self, exercise: Exercise, shown: Picture | None) -> tuple[Picture | Video, ...]:
        """The clinic's other pictures and its videos (a QR code and the link)."""
        media: list[Picture | Video] = []
        for item in exercise.media:
            if item.kind == "image" and item.file:
                picture = clinic_picture(item, self.text)
                if shown is None or picture.file != shown.file or picture.alt != shown.alt:
                    media.append(picture)
            elif item.kind == "video" and item.url:
                media.append(
                    Video(
                        url=self.plain(item.url, item.origin.child("url")),
                        label=self.word("video"),
                        caption=self.text(item.caption) if item.caption is not None else None,
                    )
                )
        return tuple(media)

    # -- log, credits --------------------------------------------------------------------------

    def log(self) -> Section:
        """A box to tick for every prescribed session (sessions a day, on each exercise day
        of the week) and a pain score per day, for each week of the programme."""
        words = self.word
        guide = self.protocol.safety.pain_guide
        scale = tuple(
            (score, "green" if score <= guide.green_max else
             "amber" if score <= guide.amber_max else "red")
            for score in range(11)
        )  # fmt: skip

        def grid(per_day: int, days: int, weeks: Iterable[int]) -> LogGrid:
            return LogGrid(
                corner=words("day"),
                columns=tuple(str(day) for day in range(1, days + 1)),
                boxes=per_day,
                weeks=tuple(words("week", n=str(week)) for week in weeks),
                ticks_label=words("sessions_done"),
                pain_label=words("pain_score"),
                scale_label=words("pain_guide"),
                scale=scale,
            )

        instructions = Para(plain(words("log_instructions", phone=self.phone())))
        if self.protocol.stages:  # one grid per stage, each with its own sessions
            blocks = list(stage_logs(self, grid))
            grids = [i for i, block in enumerate(blocks) if isinstance(block, LogGrid)]
            for i in grids[1:]:  # the pain guide's scale once, above the first stage's weeks
                blocks[i] = dataclasses.replace(blocks[i], scale=())
            return Section("log", words("log_heading"), (instructions, *blocks))
        per_day, days = log_sessions(e.dosage for e in self.protocol.exercises)
        weeks = range(1, self.protocol.delivery.programme_weeks + 1)
        return Section("log", words("log_heading"), (instructions, grid(per_day, days, weeks)))

    def credits(self) -> list[Section]:
        lines = []
        for exercise in self.protocol.exercises:
            for item in exercise.media:
                kind = self.word("image" if item.kind == "image" else "video_credit")
                where = item.origin
                line = self.word(
                    "credit",
                    what=f"{self.text(exercise.name)} ({kind})",
                    author=self.plain(item.author, where.child("author")),
                    licence=self.plain(item.licence, where.child("licence")),
                )
                if item.source:
                    line += f" {DASH} {self.plain(item.source, where.child('source'))}"
                lines.append(Para(plain(line), "note"))
        if not lines:
            return []
        return [Section("credits", self.word("credits"), tuple(lines))]

    # -- for the clinician -----------------------------------------------------------------------

    def clinician_page(self) -> Section:
        protocol = self.protocol
        origin = protocol.origin
        blocks: list[Block] = []

        def block(key: str, lines: list[str]) -> None:
            if lines:
                blocks.append(Labelled(self.word(key), (Items(tuple(plain(x) for x in lines)),)))

        block("indications", [self.plain(str(c), c.origin) for c in protocol.indications])
        contraindications = [
            self.plain(
                c.description + (f" ({c.coding.system_name} {c.coding.code})" if c.coding else ""),
                c.origin,
            )
            for c in protocol.safety.contraindications
        ]
        for exercise in protocol.exercises:
            name = self.text(exercise.name)
            contraindications += [
                f"{name}: " + self.plain(c.description, c.origin)
                for c in exercise.contraindications
            ]
        block("contraindications", contraindications)
        precautions = []
        for p in (
            *protocol.safety.precautions,
            *(p for e in protocol.exercises for p in e.precautions),
        ):
            text = p.description + (f" {DASH} {p.management}" if p.management else "")
            precautions.append(self.plain(text, p.origin))
        block("precautions", precautions)
        # The patient's sheet leaves the harder versions out (docs/sheets.md, "What the
        # patient's sheet prints, and why"): said here, with the rule for moving on, where the
        # clinician who decides it reads.
        moving_on = []
        if protocol.delivery.progression_rule:
            where = origin.child("delivery", "progression_rule")
            moving_on.append(self.plain(protocol.delivery.progression_rule, where))
        if any(e.progression is not None for e in protocol.exercises):
            moving_on.append(self.word("harder_not_on_sheet"))
        block("moving_on", moving_on)
        references = []
        for i, ref in enumerate(protocol.references):
            extra = f" https://doi.org/{ref.doi}" if ref.doi else f" {ref.url}" if ref.url else ""
            references.append(self.plain(ref.citation + extra, origin.child("references", i)))
        block("references", references)
        people = [
            self.plain(f"{a.name}, {a.credentials}", origin.child("authors", i))
            for i, a in enumerate(protocol.authors)
        ]
        block("authors", people)
        if protocol.reviewer is not None:
            reviewer = f"{protocol.reviewer.name}, {protocol.reviewer.credentials}"
            block("reviewer", [self.plain(reviewer, origin.child("reviewer"))])
        dates = f"{self.word('next_review')}: {protocol.next_review.isoformat()}"
        if protocol.sign_off is not None:
            dates = f"{self.word('signed_off')}: {protocol.sign_off.date.isoformat()}{DOT}{dates}"
        blocks.append(Para(plain(dates)))
        blocks += clinician_blocks(self)
        prescription = self.request.prescription
        if prescription is not None and prescription.overrides:
            changes = []
            for o in prescription.overrides:
                what = (
                    self.word("left_out")
                    if o.omit
                    else ", ".join(
                        f"{k} = {self.changed_value(o, k, v)}"
                        for k, v in o.dosage.items()
                        if not k.startswith("x-")
                    )
                )
                changes.append(self.plain(f"{o.exercise}: {what} {DASH} {o.reason}", o.origin))
            block("changes", changes)
        return Section("clinician", self.word("for_clinician"), tuple(blocks), new_page=True)

    def changed_value(self, override: DosageOverride, field: str, value: Any) -> str:
        """A dosage field a prescription changes, as the clinician's page records it: the
        intensity in the sheet's language (it was left out, and an override of the intensity
        alone read "glute-bridge:  – reason", H1243), a number with the digits it was written
        with ("1e-05" was Python's text for 0.00001, H389's class)."""
        where = override.origin.child("dosage", field)
        said = field_value(field, value, self.protocol.language, where)
        return self.text(said) if isinstance(said, Text) else said
