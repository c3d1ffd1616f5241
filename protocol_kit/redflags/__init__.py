"""The red-flag sets: which red flags a patient sheet for a condition must carry, and where
each sends the patient. The content is data (`red_flags.json`, with its sources); this module
only reads it and answers three questions for the lint rules: which families a protocol's
indications belong to, which items a text names, and how two actions compare.

An action is `emergency` (the emergency number or an emergency department now), `urgent` (a
doctor the same day, or the urgent medical line when that cannot be done), `maternity` (the
patient's midwife or maternity unit straight away, day or night: a pregnancy's signs only) or
`clinician` (stop and contact the clinician, as the sheet's stop criteria say). A text that
names an item must send the patient where the item needs (`reaches`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from protocol_kit.bounded import text_cache
from protocol_kit.model import Coding
from protocol_kit.package_data import read_json
from protocol_kit.pattern_needs import Needed, lowered, may_match, needs, plain
from protocol_kit.pattern_sets import PatternSet
from protocol_kit.patterns import Compiled, compiled, compiled_as_is
from protocol_kit.record import Record, init
from protocol_kit.redflags.spelling import as_meant, as_meant_with_places
from protocol_kit.terminology.crosswalk import at_or_below

# Higher is more urgent. `clinician` is where stop criteria and advice send the patient.
# The maternity unit is not a step on the line clinician < urgent < emergency but beside it
# (`reaches`); its rank only orders the fix a finding proposes for a text naming several signs.
ACTION_RANK = {"clinician": 0, "urgent": 1, "maternity": 2, "emergency": 3}


class Item(Record):
    __slots__ = (
        "id",
        "summary",
        "action",
        "sources",
        "patterns",
        "signs",
        "elements",
        "plays_down",
        "alternatives",
        "starting_text",
    )
    id: str
    summary: str
    action: str
    sources: tuple[str, ...]
    patterns: Mapping[str, re.Pattern[str]]  # language -> one pattern of all alternatives
    # language -> (sign name, pattern): the item's separate signs, any one of which is reason
    # enough to act ("all the time", "at night", "not eased by rest"); SAFE008 reports "and"
    # between two of them.
    signs: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]]
    # language -> (what it is, pattern): the parts of the sign its source tells the patient
    # about, each of which the sheet's red flags must name where they name the item (SAFE007;
    # "tingling" and "between your legs" of the saddle area, the patient card's words: H363).
    elements: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]]
    # language -> the words that play this item down and no other ("chest pain that does not
    # go away after rest": a wait that the night-pain red flag rightly names, H465); the
    # words the patient would read as the reason to wait are the pattern's group `words`.
    plays_down: Mapping[str, tuple[re.Pattern[str], ...]]
    # language -> each alternative of `patterns` on its own: the text names the item when one
    # of them matches, and each is a small search, made only when the text holds its words
    # (`RedFlagSets.item_patterns`; the whole alternation was the lint's costliest search).
    alternatives: Mapping[str, tuple[re.Pattern[str], ...]]
    # The red flag `protokit new protocol --condition` writes for the item, where the summary
    # (the messages' words, which list every medicine or sign) would read too hard on a
    # patient's sheet; None: the summary as a sentence (H1571).
    starting_text: str | None

    def __init__(
        self,
        id: str,
        summary: str,
        action: str,
        sources: tuple[str, ...],
        patterns: Mapping[str, re.Pattern[str]],
        signs: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]],
        elements: Mapping[str, tuple[tuple[str, re.Pattern[str]], ...]] | None = None,
        plays_down: Mapping[str, tuple[re.Pattern[str], ...]] | None = None,
        alternatives: Mapping[str, tuple[re.Pattern[str], ...]] | None = None,
        starting_text: str | None = None,
    ) -> None:
        init(self, "id", id)
        init(self, "summary", summary)
        init(self, "action", action)
        init(self, "sources", sources)
        init(self, "patterns", patterns)
        init(self, "signs", signs)
        init(self, "elements", elements or {})
        init(self, "plays_down", plays_down or {})
        init(
            self,
            "alternatives",
            alternatives or {language: (p,) for language, p in patterns.items()},
        )
        init(self, "starting_text", starting_text)

    def left_out(self, text: str, language: str) -> list[str]:
        """The parts of the sign (`elements`) that `text` does not name, in its language."""
        parts = self.elements.get(language.split("-")[0], ())
        line = as_meant(one_line(text), language)  # once, not once per part
        return [says for says, pattern in parts if not pattern.search(line)]

    def played_down(
        self,
        text: str,
        language: str,
        negation: re.Pattern[str],
        searched: set[int] | None = None,
    ) -> str | None:
        """The words of `text` that play this item down (`plays_down`), or None; words after
        `negation` ("do not wait until ...") do not count. `searched`: the ids of patterns
        already searched in this `text` with this `negation` and found nothing, skipped and
        added to (the emergency items share one list of patterns, H690: a text naming ten of
        them searched it ten times)."""
        line = one_line(text)
        # Read once a text, not once a pattern; a look-alike letter: every pattern searched.
        read = lowered(line) if plain(line) else None
        for pattern in self.plays_down.get(language.split("-")[0], ()):
            if searched is not None:
                if id(pattern) in searched:
                    continue
                searched.add(id(pattern))
            if read is not None and not may_match(needs(pattern), read):
                continue  # lacks the pattern's words: most texts (the lazy scans cost, H716)
            for found in pattern.finditer(line):
                group = "words" if "words" in pattern.groupindex else 0
                if not negation.search(line[: found.start(group)]):
                    return found.group(group)
        return None

    def named_in(self, text: str, language: str) -> bool | None:
        """Whether `text` names the item; None when the set has no patterns in `language`."""
        pattern = self.patterns.get(language.split("-")[0])
        if pattern is None:
            return None
        return pattern.search(as_meant(one_line(text), language)) is not None


class Family(Record):
    __slots__ = (
        "id",
        "title",
        "all_protocols",
        "codes",
        "required",
        "needed_by_actions",
        "without_it",
        "needed_by_items",
        "without_it_named",
        "named_says_it",
        "typical_signs",
        "item_actions",
        "signs_alone",
    )
    id: str
    title: str
    all_protocols: bool
    codes: Mapping[str, tuple[str, ...]]  # system -> codes (ICD codes cover those below them)
    required: tuple[str, ...]
    # The red-flag actions right only on a sheet of this family (`maternity`: the midwife is
    # the place for a pregnant patient alone; twenty-fourth sitting, H972).
    needed_by_actions: tuple[str, ...]
    # What goes wrong on a sheet with such a red flag and not the family, and the fix.
    without_it: str
    # The items that are signs of this family's condition alone (the pregnancy's), and what
    # goes wrong when a red flag names one on a sheet not coded for the family: the same harm
    # as the action's, whatever box it is in (twenty-fifth sitting, H1002).
    needed_by_items: tuple[str, ...]
    without_it_named: str
    # language -> (words that say the family's condition, words that say the time after it):
    # a red flag naming a `needed_by_items` item in words of its own is the family's when it
    # says the first and not the second ("while pregnant", not "after the birth": the
    # pregnancy's words also name a postnatal bleed or a bleed after the menopause).
    named_says_it: Mapping[str, tuple[re.Pattern[str], re.Pattern[str] | None]]
    # item -> the signs of it (names in its `signs`) that are usual with this family's
    # conditions and are not, alone, a red flag on its sheets (night pain that wakes the
    # patient, with a frozen shoulder or a rotator cuff: twenty-fifth sitting, H1005).
    typical_signs: Mapping[str, frozenset[str]]
    # item -> (the action it needs on this family's sheets, the sources that say so): where
    # the item sends the patient on any sheet of the family, whatever its other families (a
    # fever in pregnancy to the maternity unit, on a pregnancy sheet coded for back pain too:
    # one place for the sign, not two; twenty-sixth sitting, H1032).
    item_actions: Mapping[str, tuple[str, tuple[str, ...]]]
    # item -> the signs of it (names in its `signs`) that name it on this family's sheets
    # without the words its patterns also ask for: on a pregnancy sheet "a bad headache with
    # flashing lights" is pre-eclampsia's sign though it says nothing of the pregnancy (its
    # patterns ask for "pregnant" or "your baby", so that a migraine on a neck sheet is not
    # the midwife's: twenty-ninth sitting, H1214).
    signs_alone: Mapping[str, frozenset[str]]

    def __init__(
        self,
        id: str,
        title: str,
        all_protocols: bool,
        codes: Mapping[str, tuple[str, ...]],
        required: tuple[str, ...],
        needed_by_actions: tuple[str, ...] = (),
        without_it: str = "",
        needed_by_items: tuple[str, ...] = (),
        without_it_named: str = "",
        named_says_it: Mapping[str, tuple[re.Pattern[str], re.Pattern[str] | None]] | None = None,
        typical_signs: Mapping[str, frozenset[str]] | None = None,
        item_actions: Mapping[str, tuple[str, tuple[str, ...]]] | None = None,
        signs_alone: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        init(self, "id", id)
        init(self, "title", title)
        init(self, "all_protocols", all_protocols)
        init(self, "codes", codes)
        init(self, "required", required)
        init(self, "needed_by_actions", needed_by_actions)
        init(self, "without_it", without_it)
        init(self, "needed_by_items", needed_by_items)
        init(self, "without_it_named", without_it_named)
        init(self, "named_says_it", named_says_it or {})
        init(self, "typical_signs", typical_signs or {})
        init(self, "item_actions", item_actions or {})
        init(self, "signs_alone", signs_alone or {})

    def says_it(self, text: str, language: str) -> bool:
        """Whether `text` says the family's condition in its own words (`named_says_it`), and
        not the time after it; False in a language it has no words for."""
        words = self.named_says_it.get(language.split("-")[0])
        if words is None:
            return False
        line = one_line(text)
        return words[0].search(line) is not None and not (words[1] and words[1].search(line))

    def covers(self, coding: Coding) -> bool:
        """Whether the condition is one of the family's, or below one of them."""
        return any(
            at_or_below(coding.system, coding.code, c) for c in self.codes.get(coding.system, ())
        )


class RedFlagSets:
    """The sets as read: compared and hashed by identity (one per process), and holding its
    answers (`pattern_languages`), so a plain class rather than a Record."""

    def __init__(
        self,
        items: Mapping[str, Item],
        families: tuple[Family, ...],
        sources: Mapping[str, str],
        actions: Mapping[str, str],
        routing: RoutingWords,
        plays_down_sets: Mapping[str, tuple[str, ...]] | None = None,
        plays_down_sets_description: str = "",
    ) -> None:
        self.items = items
        self.families = families
        self.sources = sources
        self.actions = actions
        self.routing = routing
        # The named lists of `plays_down` words (name -> the ids of the items using it), and
        # what they are: for docs/safety/red-flags.md.
        self.plays_down_sets = plays_down_sets or {}
        self.plays_down_sets_description = plays_down_sets_description
        self._item_patterns: dict[str, tuple[tuple[str, ...], PatternSet]] = {}
        self._sign_patterns: dict[str, tuple[tuple[str, ...], PatternSet]] = {}
        self._plays_down_needs: dict[str, tuple[tuple[re.Pattern[str], Needed], ...]] = {}

    def families_for(self, indications: Iterable[Coding]) -> list[Family]:
        """The families a protocol with these indications belongs to, in the file's order."""
        codings = list(indications)
        return [
            family
            for family in self.families
            if family.all_protocols or any(family.covers(c) for c in codings)
        ]

    def typical_signs(self, families: Iterable[Family]) -> tuple[tuple[str, frozenset[str]], ...]:
        """The signs usual with every one of a sheet's families (those of every protocol left
        aside), as (item, signs): () when the sheet has no family of its own or one of its
        families has none (night pain is a red flag on a shoulder sheet also coded for the
        back: H1005). A hashable key."""
        own = [family for family in families if not family.all_protocols]
        if not own:
            return ()
        found = []
        for item_id, signs in own[0].typical_signs.items():
            for family in own[1:]:
                signs = signs & family.typical_signs.get(item_id, frozenset())
            if signs:
                found.append((item_id, signs))
        return tuple(found)

    def not_typical(
        self,
        named: tuple[str, ...],
        text: str,
        language: str,
        typical: tuple[tuple[str, frozenset[str]], ...],
    ) -> tuple[str, ...]:
        """`named` (the items `text` names) without those it names by usual signs alone
        (`typical_signs`): "shoulder pain at night is common" on a shoulder sheet names no
        red flag; "pain at night that is not eased by rest" still does."""
        usual = dict(typical)
        if not usual.keys() & set(named):
            return named
        said: dict[str, set[str]] = {}
        for _, _, label in self.signs_in(text, language):
            item_id, _, sign = label.partition("/")
            said.setdefault(item_id, set()).add(sign)
        return tuple(
            item_id
            for item_id in named
            if not (item_id in usual and said.get(item_id) and said[item_id] <= usual[item_id])
        )

    def signs_alone(self, families: Iterable[Family]) -> tuple[tuple[str, frozenset[str]], ...]:
        """The signs that name an item by themselves on a sheet of these families
        (`Family.signs_alone`), as (item, signs): () on nearly every sheet. A hashable key."""
        found: dict[str, frozenset[str]] = {}
        for family in families:
            for item_id, signs in family.signs_alone.items():
                found[item_id] = found.get(item_id, frozenset()) | signs
        return tuple(found.items())

    def with_signs_alone(
        self,
        named: tuple[str, ...],
        text: str,
        language: str,
        alone: tuple[tuple[str, frozenset[str]], ...],
    ) -> tuple[str, ...]:
        """`named` (the items `text` names) with those it names on this sheet by one of
        their `signs_alone`: "a bad headache with flashing lights" names pre-eclampsia on a
        pregnancy sheet."""
        if not alone:
            return named
        wanted = dict(alone)
        added = [
            item_id
            for _, _, label in self.signs_in(text, language)
            for item_id, _, sign in (label.partition("/"),)
            if item_id not in named and sign in wanted.get(item_id, ())
        ]
        return (*named, *dict.fromkeys(added)) if added else named

    def item_actions(self, families: Iterable[Family]) -> tuple[tuple[str, str], ...]:
        """The actions a sheet of these families needs for items other than their own
        (`Family.item_actions`), as (item, action) in the file's order: () on nearly every
        sheet. Two families naming one item: the higher rank. A hashable key."""
        found: dict[str, str] = {}
        for family in families:
            for item_id, (action, _) in family.item_actions.items():
                found[item_id] = most_needed((action, found.get(item_id, action)))
        return tuple(found.items())

    def needed(self, item_id: str, actions: tuple[tuple[str, str], ...] = ()) -> str:
        """The action `item_id` needs on a sheet whose `item_actions` are `actions`."""
        for overridden, action in actions:
            if overridden == item_id:
                return action
        return self.items[item_id].action

    @functools.cached_property
    def pattern_languages(self) -> frozenset[str]:
        """The languages some item has patterns in."""
        return frozenset(lang for item in self.items.values() for lang in item.patterns)

    def item_patterns(self, language: str) -> tuple[tuple[str, ...], PatternSet]:
        """The item id of each alternative of the items' patterns in `language` (its first
        part), items in the file's order, and the alternatives as one set (searched together:
        `pattern_sets`)."""
        found = self._item_patterns.get(language)
        if found is None:
            found = self._item_patterns[language] = _labelled_set(
                (item.id, alternative)
                for item in self.items.values()
                for alternative in item.alternatives.get(language, ())
            )
        return found

    def sign_patterns(self, language: str) -> tuple[tuple[str, ...], PatternSet]:
        """The "item/sign" of each separate sign of an item in `language`, in the file's order,
        and their patterns as one set."""
        found = self._sign_patterns.get(language)
        if found is None:
            found = self._sign_patterns[language] = _labelled_set(
                (f"{item.id}/{name}", pattern)
                for item in self.items.values()
                for name, pattern in item.signs.get(language, ())
            )
        return found

    def plays_down_patterns(self, language: str) -> tuple[re.Pattern[str], ...]:
        """Every item's words that play it down (`Item.plays_down`) in `language`, each
        pattern once (the emergency items share theirs, H690), in the file's order."""
        return tuple(pattern for pattern, _ in self._plays_down(language))

    def _plays_down(self, language: str) -> tuple[tuple[re.Pattern[str], Needed], ...]:
        """`plays_down_patterns`, each with what it needs (`pattern_needs`)."""
        found = self._plays_down_needs.get(language)
        if found is None:
            distinct = {
                id(pattern): pattern
                for item in self.items.values()
                for pattern in item.plays_down.get(language, ())
            }
            found = self._plays_down_needs[language] = tuple(
                (pattern, needs(pattern)) for pattern in distinct.values()
            )
        return found

    def named_in(self, text: str, language: str) -> tuple[str, ...]:
        """The ids of the items `text` names (for a language the set has patterns in)."""
        return _named_in(self, one_line(text), language.split("-")[0])

    def signs_in(self, text: str, language: str) -> list[tuple[int, int, str]]:
        """(start, end, item/sign) for each separate sign of an item that `text` names; the
        places are `text`'s (each space, line break or tab read as one space)."""
        return list(_signs_in(self, _SPACE.sub(" ", text), language.split("-")[0]))


def _labelled_set(
    labelled: Iterable[tuple[str, re.Pattern[str]]],
) -> tuple[tuple[str, ...], PatternSet]:
    """The labels of `(label, pattern)` pairs, in order, and their patterns as one set."""
    pairs = list(labelled)
    return tuple(label for label, _ in pairs), PatternSet([pattern for _, pattern in pairs])


# The patterns are written with single spaces, and `.` does not cross a line break: a text is
# read as the sheet shows it, on one line with single spaces. "chest\npain" (a note typed over
# two lines), "pain in  your chest", "pain in\u00a0your chest" name the sign all the same.
_SPACE = compiled(r"\s")


def one_line(text: str) -> str:
    """`text` with every run of spaces, line breaks and tabs (any Unicode space) as one space."""
    return " ".join(text.split())


@text_cache()
def _signs_in(sets: RedFlagSets, text: str, language: str) -> tuple[tuple[int, int, str], ...]:
    # One answer per text and run: the same red flags recur in most of a clinic's protocols.
    # Only the signs whose words the text holds are searched (`pattern_sets`), in order.
    # Read with its misspellings put right (`spelling`), the places those of `text`.
    read, places = as_meant_with_places(text, language)
    signs, patterns = sets.sign_patterns(language)
    found_in = (
        (found.start(), found.end(), signs[i])
        for i in patterns.may_match(read)
        for found in patterns.patterns[i].finditer(read)
    )
    if places is None:
        return tuple(found_in)
    return tuple((places[start], places[end], sign) for start, end, sign in found_in)


@text_cache()
def _named_in(sets: RedFlagSets, text: str, language: str) -> tuple[str, ...]:
    # `Item.named_in`, with the text on one line and the language's first part worked out
    # once for all the items (the callers do), not once per item. An item's pattern is not
    # searched for in a text that lacks the words it needs (`pattern_sets`: one scan of the
    # text for the words of every item; it could not match there), which is most items in
    # most texts.
    # An item is named when one of its alternatives matches (as its whole alternation would),
    # so its other alternatives are not searched once one has.
    # Its misspellings of a red flag's words put right ("nock your hed": `spelling`).
    text = as_meant(text, language)
    ids, alternatives = sets.item_patterns(language)
    named: list[str] = []
    for i in alternatives.may_match(text):
        item_id = ids[i]
        if (not named or named[-1] != item_id) and alternatives.patterns[i].search(text):
            named.append(item_id)
    return tuple(named)


@functools.lru_cache(maxsize=1)
def red_flag_sets() -> RedFlagSets:
    """The shipped red-flag sets, read once per process."""
    data = read_json(__name__, "red_flags.json")
    return parse(data)


def parse(data: Mapping) -> RedFlagSets:
    """Red-flag sets from their JSON; raises ValueError for an item, family or source that
    refers to something the file does not define (a test checks the shipped file)."""
    actions = data["actions"]
    sources = data["sources"]
    items: dict[str, Item] = {}
    # One compiled pattern per played-down pattern: the emergency items share theirs ("go to
    # A&E if it gets bad", H690), and compiling each item's copy cost a run ~80 M instructions.
    once: dict[str, re.Pattern[str]] = {}
    named_sets = data.get("plays_down_sets", {})
    users: dict[str, list[str]] = {name: [] for lists in named_sets.values()
                                   if isinstance(lists, dict) for name in lists}  # fmt: skip
    for item_id, raw in data["items"].items():
        if raw["action"] not in ACTION_RANK:
            raise ValueError(f"red-flag item {item_id}: unknown action {raw['action']!r}")
        unknown = [s for s in raw["sources"] if s not in sources]
        if unknown or not raw["sources"]:
            raise ValueError(f"red-flag item {item_id}: no source, or unknown sources {unknown}")
        # The whole alternation, compiled only if `Item.named_in` asks (`Compiled`).
        patterns = Compiled(
            {
                language: "|".join(f"(?:{p})" for p in alternatives)
                for language, alternatives in raw["patterns"].items()
            },
            re.IGNORECASE,
        )
        signs = {
            language: tuple((name, compiled(p, re.IGNORECASE)) for name, p in named.items())
            for language, named in raw.get("signs", {}).items()
        }
        elements = {
            language: tuple((says, compiled(p, re.IGNORECASE)) for says, p in named.items())
            for language, named in raw.get("elements", {}).items()
        }
        plays_down = {
            language: tuple(
                once.get(p) or once.setdefault(p, compiled(p, re.IGNORECASE))
                for p in _with_sets(item_id, alternatives, named_sets.get(language, {}), users)
            )
            for language, alternatives in raw.get("plays_down", {}).items()
        }
        each = {
            language: tuple(compiled(p, re.IGNORECASE) for p in alternatives)
            for language, alternatives in raw["patterns"].items()
        }
        items[item_id] = Item(
            item_id,
            raw["summary"],
            raw["action"],
            tuple(raw["sources"]),
            patterns,
            signs,
            elements,
            plays_down,
            each,
            raw.get("starting_text"),
        )
    families = []
    for raw in data["families"]:
        named = tuple(raw.get("needed_by_items", ()))
        typical = {i: frozenset(signs) for i, signs in raw.get("typical_signs", {}).items()}
        alone = {i: frozenset(signs) for i, signs in raw.get("signs_alone", {}).items()}
        missing = [i for i in (*raw["required"], *named, *typical, *alone) if i not in items]
        if missing:
            raise ValueError(f"red-flag family {raw['id']}: unknown items {missing}")
        for field, given in (("typical signs", typical), ("signs alone", alone)):
            unknown = [
                (i, sign)
                for i, signs in given.items()
                for sign in signs
                if not any(sign == name for pairs in items[i].signs.values() for name, _ in pairs)
            ]
            if unknown:
                raise ValueError(f"red-flag family {raw['id']}: unknown {field} {unknown}")
        needed_by = tuple(raw.get("needed_by_actions", ()))
        if any(action not in ACTION_RANK for action in needed_by):
            raise ValueError(f"red-flag family {raw['id']}: unknown actions {list(needed_by)}")
        item_actions = _item_actions(raw, items, sources)
        families.append(
            Family(
                raw["id"],
                raw["title"],
                raw.get("all_protocols", False),
                {system: tuple(codes) for system, codes in raw.get("codes", {}).items()},
                tuple(raw["required"]),
                needed_by,
                raw.get("without_it", ""),
                named,
                raw.get("without_it_named", ""),
                {
                    language: (
                        compiled(says, re.IGNORECASE),
                        compiled(after, re.IGNORECASE) if after else None,
                    )
                    for language, says in raw.get("named_says_it", {}).items()
                    for after in (raw.get("named_after_it", {}).get(language),)
                },
                typical,
                item_actions,
                alone,
            )
        )
    words = data.get("routing_words", {})
    routing = _routing_words(words.get("en", {}), words.get("description", ""))
    return RedFlagSets(
        items,
        tuple(families),
        sources,
        actions,
        routing,
        {name: tuple(ids) for name, ids in users.items()},
        named_sets.get("description", ""),
    )


def _item_actions(
    raw: Mapping, items: Mapping[str, Item], sources: Mapping[str, str]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """A family's `item_actions` as read; ValueError for an unknown item, action or source,
    or one without a source."""
    found = {}
    for item_id, given in raw.get("item_actions", {}).items():
        action, cited = given.get("action"), tuple(given.get("sources", ()))
        if item_id not in items or action not in ACTION_RANK:
            raise ValueError(f"red-flag family {raw['id']}: item_actions {item_id!r}: {given}")
        if not cited or any(s not in sources for s in cited):
            raise ValueError(f"red-flag family {raw['id']}: item_actions {item_id!r}: sources")
        found[item_id] = (action, cited)
    return found


def _with_sets(
    item_id: str, listed: Iterable, sets: Mapping[str, list[str]], users: dict[str, list[str]]
) -> list[str]:
    """An item's `plays_down` patterns, each `{"set": NAME}` replaced by the named set's
    patterns in its place (`plays_down_sets`: lists several items share), the item noted
    among the set's `users`; ValueError for a name the file does not define."""
    patterns: list[str] = []
    for entry in listed:
        if isinstance(entry, str):
            patterns.append(entry)
            continue
        name = entry.get("set") if isinstance(entry, dict) else None
        if name not in sets:
            raise ValueError(f"red-flag item {item_id}: unknown plays_down set {entry!r}")
        patterns += sets[name]
        if item_id not in users[name]:
            users[name].append(item_id)
    return patterns


def reaches(action: str, needed: str) -> bool:
    """Whether `action` sends the patient where a sign needing `needed` must go. A pregnancy's
    sign for the maternity unit is sent right by `maternity` or `emergency` (999 for it is
    over-referral, not harm), never by `urgent` (a GP or 111 is a detour) or `clinician`; and
    the maternity unit is right for nothing else (the midwife does not see chest pain or a
    fever of the back). Otherwise higher is enough."""
    if needed == "maternity":
        return action in ("maternity", "emergency")
    if action == "maternity":
        return False
    return ACTION_RANK[action] >= ACTION_RANK[needed]


def most_needed(actions: Iterable[str]) -> str:
    """The action a text naming signs with these `actions` is proposed (the highest rank)."""
    return max(actions, key=ACTION_RANK.__getitem__)


class RoutingWords(Record):
    """Where a text outside the stop box sends the patient, by its words (`routing_words` in
    the data): "call 999", "go to A&E" is the emergency; "call your midwife" is the maternity
    unit; "see a doctor today" is urgent; anything else is the clinician. Negated words ("this
    is not an emergency", "no need to call 999") do not count, and maternity or urgent words
    do not count in a text that puts the sign off to a later appointment unless it says not
    to wait for it."""

    __slots__ = (
        "emergency",
        "urgent",
        "negated_emergency",
        "negated_urgent",
        "later",
        "no_waiting",
        "description",
        "lower",
        "plays_down",
        "plays_down_negation",
        "maternity",
        "negated_maternity",
    )
    emergency: re.Pattern[str]
    urgent: re.Pattern[str]
    negated_emergency: re.Pattern[str]
    negated_urgent: re.Pattern[str]
    later: re.Pattern[str]
    no_waiting: re.Pattern[str]
    description: str
    # level -> the words that send the patient there and no further ("see your GP", "ring
    # your physiotherapist"): a red flag in a higher box must not say them (H364).
    lower: Mapping[str, re.Pattern[str]]
    # Words that play a sign down ("this is rarely an emergency", "wait to see if it
    # settles"), and the negation before them that makes them the right advice (H393).
    plays_down: re.Pattern[str]
    plays_down_negation: re.Pattern[str]
    maternity: re.Pattern[str]
    negated_maternity: re.Pattern[str]

    def __init__(
        self,
        emergency: re.Pattern[str],
        urgent: re.Pattern[str],
        negated_emergency: re.Pattern[str],
        negated_urgent: re.Pattern[str],
        later: re.Pattern[str],
        no_waiting: re.Pattern[str],
        description: str = "",
        lower: Mapping[str, re.Pattern[str]] | None = None,
        plays_down: re.Pattern[str] | None = None,
        plays_down_negation: re.Pattern[str] | None = None,
        maternity: re.Pattern[str] | None = None,
        negated_maternity: re.Pattern[str] | None = None,
    ) -> None:
        init(self, "emergency", emergency)
        init(self, "urgent", urgent)
        init(self, "negated_emergency", negated_emergency)
        init(self, "negated_urgent", negated_urgent)
        init(self, "later", later)
        init(self, "no_waiting", no_waiting)
        init(self, "description", description)
        init(self, "lower", lower or {})
        init(self, "plays_down", plays_down or _NOTHING)
        init(self, "plays_down_negation", plays_down_negation or _NOTHING)
        init(self, "maternity", maternity or _NOTHING)
        init(self, "negated_maternity", negated_maternity or _NOTHING)

    @property
    def searched(self) -> PatternSet:
        """Every pattern above as one set: a text is scanned once for the words they need,
        and a pattern whose words are not there is not searched (`pattern_sets`; issue 17).
        Made once for these words (worked out from the fields: not a field of its own)."""
        kept = _SEARCHED.get(id(self))
        if kept is None or kept[0] is not self:
            patterns = PatternSet(
                (
                    self.emergency,  # _EMERGENCY and so on: their places in the set
                    self.urgent,
                    self.maternity,
                    self.negated_emergency,
                    self.negated_urgent,
                    self.negated_maternity,
                    self.later,
                    self.plays_down,
                    *(self.lower.get(level, _NOTHING) for level in _LOWER),
                )
            )
            kept = _SEARCHED[id(self)] = (self, patterns)
        return kept[1]

    def level(self, text: str) -> str:
        may = self.searched.may_search(text)
        if _found(self.emergency, self.negated_emergency, text, may, _EMERGENCY):
            return "emergency"
        if _found(self.maternity, self.negated_maternity, text, may, _MATERNITY) and not (
            self.defers(text)
        ):
            return "maternity"
        if _found(self.urgent, self.negated_urgent, text, may, _URGENT) and not self.defers(text):
            return "urgent"
        return "clinician"

    def defers(self, text: str) -> bool:
        """Whether the text puts the patient off to a later appointment ("mention it at your
        next appointment"), not counting "do not wait until your next appointment"."""
        if _LATER not in self.searched.may_search(text):
            return False
        return any(
            not self.no_waiting.search(text[: found.start()]) for found in self.later.finditer(text)
        )

    def waits(self, text: str) -> bool:
        """Whether the text tells the patient to wait, or that the sign is not urgent: words a
        red flag in the emergency or urgent box must not carry."""
        may = self.searched.may_search(text)
        return (
            self.defers(text)
            or (_NEGATED + _EMERGENCY in may and self.negated_emergency.search(text) is not None)
            or (_NEGATED + _URGENT in may and self.negated_urgent.search(text) is not None)
            or (_NEGATED + _MATERNITY in may and self.negated_maternity.search(text) is not None)
        )

    def played_down(self, text: str) -> str | None:
        """The words that play a sign down ("this is rarely an emergency", "wait to see if it
        settles", "try resting first"), or None; negated ones ("do not wait to see if it
        settles") are the right advice and do not count."""
        if _PLAYS_DOWN not in self.searched.may_search(text):
            return None
        for found in self.plays_down.finditer(text):
            if not self.plays_down_negation.search(text[: found.start()]):
                return found.group(0)
        return None

    def sends_lower(self, text: str, box: str) -> str | None:
        """The lower level a red flag's own words send the patient to ("see your GP" in the
        emergency box, "ring your physiotherapist" in the emergency or urgent box), or None;
        words of the box's level or above, or negated ones, do not count."""
        may = self.searched.may_search(text)
        if _found(self.emergency, self.negated_emergency, text, may, _EMERGENCY):
            return None
        if box == "urgent" and _found(self.urgent, self.negated_urgent, text, may, _URGENT):
            return None
        if box == "maternity" and _found(
            self.maternity, self.negated_maternity, text, may, _MATERNITY
        ):
            return None
        for place, level in enumerate(_LOWER, _FIRST_LOWER):
            if ACTION_RANK[level] >= ACTION_RANK[box]:
                continue
            words = self.lower.get(level)
            found = words.search(text) if words is not None and place in may else None
            if found:
                return level
        return None


# The places of the routing words in `RoutingWords.searched`: each level's words, then the
# same negated (`_NEGATED` later), then the words that put a sign off, play it down, and the
# lower levels' words in `_LOWER`'s order.
_EMERGENCY, _URGENT, _MATERNITY, _NEGATED, _LATER, _PLAYS_DOWN, _FIRST_LOWER = 0, 1, 2, 3, 6, 7, 8
_LOWER = ("urgent", "clinician")


def _found(
    words: re.Pattern[str], negated: re.Pattern[str], text: str, may: frozenset[int], place: int
) -> bool:
    """Whether `words` (at `place` in `RoutingWords.searched`, their negated form at
    `place + _NEGATED`) are in `text` once the negated ones ("no need to call 999") are
    blanked out; `may`, the places of the patterns that may match `text`
    (`PatternSet.may_search`). A text where nothing is negated is searched as it is, and only
    when the words may be there; blanking words out joins what was around them, so then the
    search is always made."""
    if place + _NEGATED not in may:
        return place in may and words.search(text) is not None
    return words.search(negated.sub(" ", text)) is not None


_NOTHING = compiled_as_is(r"(?!)")
# RoutingWords -> its patterns as one set (`RoutingWords.searched`), by identity: a record
# has no room for what it works out, and equal words read from two files are two sets. Each
# entry holds its words, so that their identity is not another's.
_SEARCHED: dict[int, tuple[RoutingWords, PatternSet]] = {}


def _routing_words(raw: Mapping, description: str = "") -> RoutingWords:
    def words(alternatives: Iterable[str]) -> str:
        return r"\b(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")\b"

    def any_case(pattern: str) -> re.Pattern[str]:
        return compiled(pattern, re.IGNORECASE)

    emergency, urgent = words(raw.get("emergency", ())), words(raw.get("urgent", ()))
    maternity = words(raw.get("maternity", ())) if raw.get("maternity") else r"(?!)"
    negation = raw.get("negation", r"(?!)")
    return RoutingWords(
        any_case(emergency),
        any_case(urgent),
        any_case(negation + emergency),
        any_case(negation + urgent),
        any_case("|".join(f"(?:{p})" for p in raw.get("later", ())) or r"(?!)"),
        any_case(raw.get("no_waiting", r"(?!)")),
        description,
        {level: any_case(words(ws)) for level, ws in raw.get("lower", {}).items()},
        any_case("|".join(f"(?:{p})" for p in raw.get("plays_down", ())) or r"(?!)"),
        any_case(raw.get("plays_down_negation", r"(?!)")),
        any_case(maternity),
        any_case(negation + maternity),
    )


def routing_words() -> RoutingWords:
    """The English routing words of the shipped red-flag sets."""
    return red_flag_sets().routing


def stated_level(text: str) -> str:
    """The level a free text (advice, education, a cue) sends the patient to, by its words."""
    return routing_words().level(one_line(text))
