"""Per-repository configuration: `protokit.toml`, or `[tool.protokit]` in `pyproject.toml`.

Found by walking up from the current folder to the first file that has it (not above a folder
named in $PROTOKIT_CEILING_DIRECTORIES). Validated with
cerberus (defaults, coercion, clear errors); a bad value is reported with the file and key.
Paths in the configuration are relative to the file that holds it.

Each part of the toolkit owns one section of `CONFIG_SCHEMA`: `lint` (rule selection,
severities, dosage bounds), `clinic` (the profile printed on every sheet and named as a bundle's
publisher) and `bundle` (the trust file).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from protocol_kit.errors import ConfigError, Place
from protocol_kit.findings import shown, shown_path
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.patterns import compiled, compiled_as_is
from protocol_kit.record import Record, init
from protocol_kit.templates import TODO_WORD as _PLACEHOLDER
from protocol_kit.untrusted.files import folders_upwards
from protocol_kit.untrusted.marks import STRAY_MARK, STRAY_MARK_PATTERN, stray_mark_message
from protocol_kit.untrusted.telephone import dialled_problem
from protocol_kit.untrusted.text import character_name, quoted

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

CONFIG_FILE = "protokit.toml"
PYPROJECT = "pyproject.toml"

_LIST_OF_STRINGS = {"type": "list", "schema": {"type": "string", "empty": False}}


def _bounds_schema() -> dict[str, Any]:
    """`lint.bounds.<exercise type>.<dosage field> = [warn_min, warn_max, error_max]`."""
    from protocol_kit.dosage import DEFAULT_BOUNDS

    number = {"type": "number", "nullable": True, "min": 0}
    bound = {"type": "list", "items": [number, number, number]}
    fields = sorted({name for table in DEFAULT_BOUNDS.values() for name in table})
    table = {"type": "dict", "schema": {name: bound for name in fields}}
    return {exercise_type: table for exercise_type in DEFAULT_BOUNDS}


CONFIG_SCHEMA: dict[str, Any] = {
    # (more folders than any clinic keeps: 130,000 spellings of one folder fit the file's 4 MB,
    # each resolved, H1610)
    "library": {**_LIST_OF_STRINGS, "default": [], "maxlength": 1000},
    "exclude": {**_LIST_OF_STRINGS, "default": []},
    "lint": {
        "type": "dict",
        "default": {},
        "schema": {
            "select": {**_LIST_OF_STRINGS, "nullable": True, "default": None},
            "ignore": {**_LIST_OF_STRINGS, "default": []},
            "severity": {
                "type": "dict",
                "default": {},
                "keysrules": {"type": "string", "regex": "^[A-Z]{2,5}[0-9]{3}$"},
                "valuesrules": {"type": "string", "allowed": ["error", "warning"]},
            },
            "warnings_as_errors": {"type": "boolean", "default": False},
            "options": {
                "type": "dict",
                "default": {},
                "keysrules": {"type": "string", "regex": "^[A-Z]{2,5}[0-9]{3}$"},
                "valuesrules": {"type": "dict"},
            },
            "bounds": {"type": "dict", "default": {}, "schema": _bounds_schema()},
        },
    },
    # The clinic profile printed on every prescription sheet, and a bundle's publisher.
    "clinic": {
        "type": "dict",
        "default": {},
        "schema": {
            # Every text printed on the sheet is checked here, by every command, as the sheet
            # checks it: a control or direction character passed CI and stopped the first print.
            # Repeated at the top of every page, and a bundle's publisher (at most 200 there).
            "name": {
                "type": "string",
                "empty": False,
                "check_with": "sheet_text",
                "maxlength": 200,
            },
            "address": {
                "type": "list",
                "coerce": "lines",
                "schema": {"type": "string", "empty": False, "check_with": "sheet_text"},
            },
            "phone": {"type": "string", "empty": False, "check_with": "phone"},
            # Printed in the stop box and on every page: the number to call in an emergency
            # where the patient lives (999, 112, 911), never guessed from a country; and,
            # optionally, where to go, as it completes "go to ..." in each sheet language.
            "emergency_number": {"type": "string", "empty": False, "check_with": "phone"},
            # Printed in the stop box's urgent group (a doctor the same day): the number to
            # call when the patient cannot see a doctor that day, at night or at a weekend
            # (NHS 111 in the UK), never guessed from a country.
            "urgent_number": {"type": "string", "empty": False, "check_with": "phone"},
            "emergency_place": {
                "type": ["string", "dict"],
                "empty": False,
                "check_with": "sheet_text",
                "keysrules": {"type": "string", "check_with": "language_tag"},
                "valuesrules": {"type": "string", "empty": False, "check_with": "sheet_text"},
            },
            "email": {"type": "string", "empty": False, "check_with": "email"},
            "contact": {"type": "string", "empty": False, "check_with": "sheet_text"},
            "website": {"type": "string", "empty": False, "check_with": "sheet_text"},
            "logo": {"type": "string", "empty": False, "check_with": "image_file"},
            "accent": {"type": "string", "check_with": "colour", "default": "#1F5C99"},
            "paper": {
                "type": "string",
                "coerce": "paper",
                "allowed": ["A4", "Letter"],
                "default": "A4",
            },
            "language": {"type": "string", "check_with": "language_tag"},
            # The clinic's texts a clinician has checked a patient can read on a sheet in
            # another language, by that language (`clinic.texts`): each text listed is no
            # longer named in the warning on such a sheet; a text changed or added since is.
            "checked_texts": {
                "type": "dict",
                "keysrules": {"type": "string", "check_with": "language_tag"},
                "valuesrules": {"type": "list", "schema": {"type": "string", "empty": False}},
            },
        },
    },
    # Bundles: the trust file listing the publishers' keys this clinic accepts.
    "bundle": {
        "type": "dict",
        "default": {},
        "schema": {"trust": {"type": "string", "empty": False}},
    },
    # FHIR exports: the publisher's canonical base URL (docs/fhir.md, "Identity").
    "fhir": {
        "type": "dict",
        "default": {},
        "schema": {"canonical_base": {"type": "string", "empty": False, "check_with": "http_url"}},
    },
}


# What cerberus makes of an empty configuration, written out so that a repository without a
# configuration file does not pay for importing cerberus on every `protokit validate` (a
# test keeps the two equal).
DEFAULTS: dict[str, Any] = {
    "library": [],
    "exclude": [],
    "lint": {
        "select": None,
        "ignore": [],
        "severity": {},
        "warnings_as_errors": False,
        "options": {},
        "bounds": {},
    },
    "clinic": {"accent": "#1F5C99", "paper": "A4"},
    "bundle": {},
    "fhir": {},
}


class Config(Record):
    """The validated configuration; `source` is the file it came from (None: defaults)."""

    __slots__ = ("values", "source")
    values: dict[str, Any]
    source: Path | None

    def __init__(self, values: dict[str, Any] | None = None, source: Path | None = None) -> None:
        init(self, "values", {} if values is None else values)
        init(self, "source", source)

    @property
    def root(self) -> Path:
        """The folder that relative paths in the configuration are resolved against."""
        return self.source.parent if self.source else Path.cwd()

    @property
    def shown(self) -> str:
        """The configuration file as messages name it: as the user would (it is found by a
        resolved path, which named their whole working folder), or "defaults"."""
        return shown_path(self.source) if self.source else "defaults"

    def section(self, name: str) -> dict[str, Any]:
        return self.values.get(name, {})

    def table_name(self, name: str) -> str:
        """Where the table `name` is written, for messages: `[clinic] in protokit.toml`, or
        `[tool.protokit.clinic] in pyproject.toml` when the configuration is there."""
        if self.source is not None and self.source.name == PYPROJECT:
            return f"[tool.protokit.{name}] in {PYPROJECT}"
        return f"[{name}] in {CONFIG_FILE}"

    def path(self, value: str) -> Path:
        return (self.root / value).resolve()

    @property
    def library_dirs(self) -> tuple[Path, ...]:
        """`library`: extra library folders, relative to the configuration file, each once
        (a list naming one folder 200,000 times resolved each name: a minute a run, H1610)."""
        named = dict.fromkeys(self.values.get("library", ()))
        return tuple(dict.fromkeys(self.path(value) for value in named))

    @property
    def exclude(self) -> tuple[str, ...]:
        """`exclude`: glob patterns relative to the configuration file, made absolute."""
        root = self.root.resolve()
        return tuple(os.path.join(root, value) for value in self.values.get("exclude", ()))


def find_config_file(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest `protokit.toml`, or `pyproject.toml` with a `[tool.protokit]` table."""
    folder = (start or Path.cwd()).resolve()
    for candidate in folders_upwards(folder):
        own = candidate / CONFIG_FILE
        pyproject = candidate / PYPROJECT
        if _is_file(own):
            _refuse_two_files(own, pyproject)
            return own, _read_toml(own)
        if _is_file(pyproject):
            table = _protokit_table(pyproject, _read_toml(pyproject))
            if table is not None:
                return pyproject, table
    return None


def _refuse_two_files(own: Path, pyproject: Path) -> None:
    """protokit.toml and a [tool.protokit] table in the pyproject.toml beside it: only the first
    is read (files are not merged), so a lead's `warnings_as_errors` or `ignore` written in
    pyproject.toml was silently not applied, and CI passed what it was set to fail."""
    from protocol_kit.untrusted.files import open_regular

    try:  # a regular file only: a named pipe would be waited on for ever (H916)
        with open_regular(pyproject) as handle:
            text = handle.read()
    except OSError:
        return  # none there (or unreadable, or not a file: it is not the file read)
    if b"protokit" not in text or _protokit_table(pyproject, _read_toml(pyproject)) is None:
        return
    raise ConfigError(
        f"{shown_path(own)} and {shown_path(pyproject)} both hold protokit settings, and only "
        f"{CONFIG_FILE} is read: move what is under [tool.protokit] in {PYPROJECT} into "
        f"{CONFIG_FILE} (without the tool.protokit prefix: [tool.protokit.lint] becomes "
        f"[lint]), then delete it from {PYPROJECT}"
    )


def _protokit_table(pyproject: Path, table: dict[str, Any]) -> dict[str, Any] | None:
    """`[tool.protokit]` of a pyproject.toml, None when it has none. `tool` or `tool.protokit`
    written as something other than a table (`tool = 1`, `[[tool.protokit]]`) is an error
    naming the file; it was `internal error: AttributeError` (H215)."""
    tool = table.get("tool", {})
    found = tool.get("protokit") if isinstance(tool, dict) else None
    if isinstance(tool, dict) and (found is None or isinstance(found, dict)):
        return found
    where = "tool" if not isinstance(tool, dict) else "tool.protokit"
    raise ConfigError(
        f"{where} is not a table: write the settings under [tool.protokit]",
        Place(shown_path(pyproject)),
    )


def _is_file(path: Path) -> bool:
    """Whether a configuration file is there; a folder above that this user may not look
    into (Permission denied) holds none that protokit could read. A name that is there but
    is no regular file (a folder, a named pipe, a link to nothing) is an error: skipped, the
    run went on under another file's settings, or the defaults, without a word."""
    from protocol_kit.untrusted.files import kind_of

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            message = "is a link to nothing: no configuration is read there"
            raise ConfigError(message, Place(shown_path(path))) from None
        return False
    except OSError:
        return False
    what = kind_of(mode)
    if what:
        raise ConfigError(f"is {what}, not a configuration file", Place(shown_path(path)))
    return True


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """Load and validate the configuration; defaults when there is none."""
    if explicit is not None:
        # A named pipe, a folder or a link to nothing given by name is said to be one, as
        # when it is found (H952): "no such configuration file" sent the user looking for
        # a file that is there.
        if not _is_file(explicit):
            raise ConfigError("no such configuration file", Place(str(explicit)))
        table = _read_toml(explicit)
        if explicit.name == PYPROJECT:
            table = _protokit_table(explicit, table) or {}
        found: tuple[Path, dict[str, Any]] | None = (explicit, table)
    else:
        found = find_config_file(start)
    return _validated(found)


def load_config_without_clinic(start: Path | None = None) -> Config:
    """The configuration without the clinic's table, which only the sheets print: what the
    commands that print nothing need. `protokit init` writes the clinic with a TODO in every
    value, and until it is filled in
    - `protokit new` (library folders, lint settings) refused to write a draft, though README
      and init said that `new` still writes drafts (H903);
    - `protokit bundle verify` and `import` (the trust file, and the lint settings, library
      folders and limits the received protocols are checked with; the publisher's details come
      from the bundle) refused the bundle a clinic was sent (H1426).
    `validate`, `render` and `build` still refuse a clinic's TODO."""
    return _validated(find_config_file(start), without="clinic")


def _validated(found: tuple[Path, dict[str, Any]] | None, without: str | None = None) -> Config:
    """The configuration `found` (its file and table; None: none found, the defaults),
    validated without its table `without`."""
    if found is None:
        return Config(_copied(DEFAULTS), None)
    source, table = found
    if without is not None:
        table = {key: value for key, value in table.items() if key != without}
    return Config(validate_config(table, shown_path(source)), source)


def config_key(where: str, dotted: str) -> str:
    """A configuration key as it is written in the file `where` names, for messages: in
    `pyproject.toml` under `[tool.protokit]` (`[tool.protokit] bundle.trust`), in
    `protokit.toml` at the top level (`[bundle] trust`, `exclude`)."""
    if Path(where).name == PYPROJECT:
        return f"[tool.protokit] {dotted}"
    table, dot, rest = dotted.partition(".")
    return f"[{table}] {rest}" if dot else dotted


def key_error(where: str, dotted: str, said: str, at: str = "value") -> ConfigError:
    """The error `KEY: SAID` about a configuration key, the key written as the file `where`
    writes it, placed at the key's line and the column of its value, or of the key itself
    when `at` is "key" (a key that should not be there)."""
    return ConfigError(f"{config_key(where, dotted)}: {said}", config_place(where, dotted, at))


def validate_config(table: dict[str, Any], where: str) -> dict[str, Any]:
    values = _plain_values(table)
    if values is None:
        validator = _config_validator()(CONFIG_SCHEMA)
        if not validator.validate(table):
            key, message = _first_error(validator.errors, table)
            # A key that should not be there (unknown, or no rule code) is pointed at; for a
            # value of the wrong type or range, its value.
            a_code = key.split(".")[-2:-1] in (["severity"], ["options"])
            about_key = message == "unknown field" or (a_code and "match regex" in message)
            at = "key" if about_key else "value"
            shown = config_key(where, _items_counted(table, key))
            place = config_place(where, key, at)
            explained = _explained(key, message, where, _value_at(table, key))
            if message == _PLACEHOLDER_LEFT:
                explained += _todos_besides(table, key, where)
            raise ConfigError(f"{shown}: {explained}", place)
        values = validator.document
    _check_paths(values, where)
    _check_option_texts(values, where)
    _check_clinic_numbers(values.get("clinic", {}), where)
    return values


def _check_option_texts(values: dict[str, Any], where: str) -> None:
    """A rule's text option holds no control character: GOV004's `revision` with a line
    break made the rule check nothing (git is asked one name a line), and with a NUL it was
    an internal error (H1520). No git revision, and no other option's value, holds one."""
    for code, options in values.get("lint", {}).get("options", {}).items():
        for name, value in options.items():
            hidden = _control_character(value) if isinstance(value, str) else None
            if hidden is not None:
                raise key_error(
                    where,
                    f"lint.options.{code}.{name}",
                    f"holds U+{ord(hidden):04X} ({character_name(hidden)}), which no "
                    "option's value can hold: type it again",
                )


def _control_character(value: str) -> str | None:
    return next((c for c in value if c < " " or "\x7f" <= c <= "\x9f"), None)


def _items_counted(table: dict[str, Any], dotted: str) -> str:
    """`dotted` with each item of a list named as a reader counts it, `address (item 1)`,
    not `address.0` (a therapist filling in the file `protokit init` wrote read "address.0");
    a table's key that is a number stays as written."""
    node: Any = table
    shown = []
    for part in dotted.split("."):
        if isinstance(node, list) and part.isdigit():
            shown[-1] += f" (item {int(part) + 1})"
            node = node[int(part)] if int(part) < len(node) else None
            continue
        shown.append(part)
        node = node.get(part) if isinstance(node, dict) else None
    return ".".join(shown)


def _check_clinic_numbers(clinic: dict[str, Any], where: str) -> None:
    """The numbers the sheet tells a patient to call, judged when the configuration is loaded:
    a clinic's CI (`protokit validate`) refuses a profile that `render` would refuse, with the
    same line, instead of the first therapist who prints."""
    place = clinic.get("emergency_place")
    places = list(place.items()) if isinstance(place, dict) else [("", place)] if place else []
    numbers = (clinic.get("phone"), clinic.get("emergency_number"), clinic.get("urgent_number"))
    if numbers[0] or clinic.get("contact"):
        from protocol_kit.clinic.numbers import check_clinic_lines

        check_clinic_lines(
            where,
            {"clinic.phone": numbers[0], "clinic.contact": clinic.get("contact")},
            numbers[1],
        )
    if numbers[1] or numbers[2] or places:
        from protocol_kit.clinic.numbers import check_numbers

        check_numbers(where, *numbers, places)
    if places:
        from protocol_kit.clinic.places import check_places

        check_places(where, places, numbers[1])
    if numbers[1] or numbers[2]:
        from protocol_kit.clinic.places import check_number_notes

        english = [p for tag, p in places if not tag or tag.split("-")[0].lower() == "en"]
        check_number_notes(where, numbers[1], numbers[2], english[0] if english else None)


def _plain_values(table: dict[str, Any]) -> dict[str, Any] | None:
    """The validated configuration of a table written plainly, without cerberus; None for
    anything else, which cerberus then checks, coerces and explains.

    Importing cerberus costs more than the rest of validating one file's configuration, and a
    pre-commit hook pays it on every run. Most configurations are plain: every key known,
    every value of its type and already in its normal form (an address as a list of lines,
    paper written `A4` or `Letter`). For those the answer is the table with the schema's
    defaults filled in, which is what cerberus makes of it (tests/test_config_fast_path.py
    compares the two). Only the rules `CONFIG_SCHEMA` uses are understood; a rule that is
    not, or any doubt, leaves the table to cerberus."""
    try:
        if not _plainly_valid(table, {"type": "dict", "schema": CONFIG_SCHEMA}):
            return None
    except Exception:  # a value cerberus must judge (a TOML date, say): let it
        return None
    return _with_defaults(_copied(table), CONFIG_SCHEMA)


# The rules `_plainly_valid` understands; `default` and `coerce` are normalisation (a value
# that coercion would change fails the type or `allowed` check, and goes to cerberus).
_PLAIN_RULES = frozenset(
    ("type", "schema", "empty", "nullable", "allowed", "items", "min", "maxlength",
     "keysrules", "valuesrules", "regex", "check_with", "default", "coerce")
)  # fmt: skip
_PLAIN_TYPES = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
}


def _plainly_valid(value: Any, rules: dict[str, Any]) -> bool:
    """Whether cerberus would accept `value` under `rules` without changing it (strictly: a
    False may still be valid, and cerberus decides)."""
    if not _PLAIN_RULES.issuperset(rules):
        return False
    if value is None:
        return bool(rules.get("nullable"))
    types = rules.get("type", ())
    types = [types] if isinstance(types, str) else types
    if not any(_PLAIN_TYPES[name](value) for name in types):
        return False
    if rules.get("empty") is False and len(value) == 0:
        return False
    if "allowed" in rules and value not in rules["allowed"]:
        return False
    if "min" in rules and value < rules["min"]:
        return False
    if "maxlength" in rules and len(value) > rules["maxlength"]:
        return False
    if "regex" in rules and not _pattern(rules["regex"]).fullmatch(value):
        return False
    if "check_with" in rules:
        check = _CHECKS[rules["check_with"]][0]
        if isinstance(value, str) and _PLACEHOLDER.search(value):
            return False
        if not (check(value) if callable(check) else _pattern(check).fullmatch(value)):
            return False
        more = _MORE_CHECKS.get(rules["check_with"])
        if more is not None and more(value) is not None:
            return False
    if "items" in rules:
        items = rules["items"]
        if len(value) != len(items):
            return False
        if not all(_plainly_valid(v, r) for v, r in zip(value, items, strict=True)):
            return False
    schema = rules.get("schema")
    if isinstance(value, list) and schema is not None:
        return all(_plainly_valid(item, schema) for item in value)
    if isinstance(value, dict):
        if schema is not None:
            return all(k in schema and _plainly_valid(v, schema[k]) for k, v in value.items())
        keys, values = rules.get("keysrules"), rules.get("valuesrules")
        return all(
            (keys is None or _plainly_valid(k, keys))
            and (values is None or _plainly_valid(v, values))
            for k, v in value.items()
        )
    return True


def _copied(value: Any) -> Any:
    """A deep copy of plain configuration data (tables, arrays and scalars): `copy.deepcopy`'s
    result for them, without importing `copy` at every start-up."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _with_defaults(values: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`values` with every missing key that has a default given it, at every level."""
    for name, rules in schema.items():
        if name not in values and "default" in rules:
            values[name] = _copied(rules["default"])
        if isinstance(values.get(name), dict) and isinstance(rules.get("schema"), dict):
            _with_defaults(values[name], rules["schema"])
    return values


def _explained(dotted: str, message: str, where: str, value: Any = None) -> str:
    """Cerberus's message, with what the user needs to correct it: the allowed values, the
    key they probably meant, or where a `[tool.protokit]` table belongs. `value` is what the
    file holds at `dotted`."""
    parts = dotted.split(".")
    rules = _rules_at(parts)
    if message == "unknown field":
        if parts == ["tool"] and Path(where).name == CONFIG_FILE:
            return (
                "unknown field: [tool.protokit] tables belong in pyproject.toml; in "
                "protokit.toml write them without the prefix: [clinic], [lint], [bundle]"
            )
        from protocol_kit.suggestions import did_you_mean

        siblings = _rules_at(parts[:-1])
        names = sorted((siblings or {}).get("schema", CONFIG_SCHEMA if len(parts) == 1 else {}))
        # Keys are short words, so a looser spelling counts ('telephone' for 'phone').
        hint = did_you_mean(parts[-1], names, cutoff=0.6)
        if hint:
            return f"unknown field{hint}"
        if len(parts) > 1 and parts[-1] in CONFIG_SCHEMA:
            return (
                f"unknown field: {parts[-1]} is a key of its own, not of [{parts[0]}]: write it "
                f"{_written_where([parts[-1]], where)}"
            )
        return f"unknown field (known here: {', '.join(names)})" if names else message
    if message.startswith("unallowed value") and rules:
        allowed = rules.get("allowed") or rules.get("valuesrules", {}).get("allowed")
        if allowed:
            return _not_allowed(value, parts, allowed)
    if message == "empty values not allowed":
        # (a list's item is named "select (item 1)"; the key's own line holds the list)
        if parts[-1].isdigit():
            return f"is empty ({shown(value)}): write its value, or take it out of the list"
        return "is empty: write its value, or delete the line to leave it out"
    return _in_plain_words(message, parts, rules, value, where)


# What a value with a fixed set of allowed ones is, for "'eror' is not a severity".
_ALLOWED_WHAT = {"severity": "a severity", "paper": "a paper size protokit prints"}


def _not_allowed(value: Any, parts: list[str], allowed: list[str]) -> str:
    """`"eror" is not a severity (did you mean 'error'?): write error or warning`, not
    cerberus's "unallowed value eror" (a clinic lead's typo in `[lint] severity`)."""
    from protocol_kit.suggestions import did_you_mean

    named = next((_ALLOWED_WHAT[p] for p in reversed(parts) if p in _ALLOWED_WHAT), None)
    what = named or "one of the values protokit allows here"
    hint = did_you_mean(value, allowed) if isinstance(value, str) and value else ""
    choices = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
    return f"{shown(value)} is not {what}{hint}: write {choices}"


def _written_where(parts: list[str], where: str) -> str:
    """Where the key `parts` is written in the file `where`, for "write it ...": above the
    first table for a key of the top level, else under its table's heading."""
    pyproject = Path(where).name == PYPROJECT
    if len(parts) == 1 and pyproject:
        return "in [tool.protokit], above its other tables"
    if len(parts) == 1:
        return "above the first [table] of the file"
    table = ".".join(parts[:-1])
    return f"under [tool.protokit.{table}]" if pyproject else f"under [{table}]"


def _value_at(table: dict[str, Any], dotted: str) -> Any:
    """What `table` holds at the dotted key (a list's item by its index), or None."""
    node: Any = table
    for part in dotted.split("."):
        node = _entry(node, int(part) if isinstance(node, list) and part.isdigit() else part)
    return node


# What each of cerberus's types is written as in TOML, for "must be of list type".
_WRITTEN_AS = {
    "list": 'a list in square brackets, such as ["..."]',
    "boolean": "true or false, without quotes",
    "string": 'text in quotes, such as "..."',
    "number": "a number, without quotes",
    "integer": "a whole number, without quotes",
    "dict": "a table: its own [heading] line, with key = value lines under it",
}
_BOUND = "three numbers in square brackets: [usual min, usual max, safe limit]"
_RULE_CODE = compiled(r"[A-Z]{2,5}[0-9]{3}")


def _in_plain_words(
    message: str, parts: list[str], rules: dict[str, Any] | None, value: Any, where: str
) -> str:
    """Cerberus's wording of a wrong type, a list of the wrong length, a negative bound or a
    key that is not a rule code, said as what to write (a clinic lead editing protokit.toml
    was told "must be of list type" and "does not match regex '^[A-Z]{2,5}[0-9]{3}$'")."""
    bound = bool(rules and rules.get("items"))
    typed = re.fullmatch(r"must be of (.+) type", message)
    types = re.findall(r"\w+", typed.group(1)) if typed else []
    if types and all(name in _WRITTEN_AS for name in types):
        wanted = _BOUND if bound else ", or ".join(_WRITTEN_AS[name] for name in types)
        if isinstance(value, dict) and not parts[-1].isdigit():
            kind = "bound" if bound else types[0]
            return f"must be {wanted}, not a table{_as_key(parts, kind, value, where)}"
        return f"must be {wanted}"
    counted = re.fullmatch(r"length of list should be \d+, it is (\d+)", message)
    if counted:
        return f"must be {_BOUND}; it has {counted.group(1)}"
    if message == "min value is 0":
        return "must not be negative"
    longest = re.fullmatch(r"max length is (\d+)", message)
    if longest and rules and rules.get("type") == "list":
        return f"lists more than {int(longest.group(1)):,} items: name each one once"
    if longest:
        return f"is longer than {longest.group(1)} characters: shorten it"
    if message.startswith("value does not match regex") and parts[-2:-1] in (
        ["severity"],
        ["options"],
    ):
        capitals = parts[-1].upper()
        hint = f" (did you mean '{capitals}'?)" if _RULE_CODE.fullmatch(capitals) else ""
        return (
            f"{shown(parts[-1])} is not a rule code such as DOSE002{hint}: protokit rules "
            "lists them"
        )
    return message


# A value of each type to write in "write library = [...]", when the table written in its
# place does not give one.
_EXAMPLE = {"list": '["..."]', "string": '"..."', "boolean": "true or false", "bound": "[...]"}


def _as_key(parts: list[str], kind: str, table: dict[str, Any], where: str) -> str:
    """`: write library = ["lib"] above the first [table] of the file`, for a key written as
    a table of its own (`[library]` with `paths = "lib"` under it was told only "library: must
    be a list"); the one text the table holds is taken as the value meant."""
    held = list(table.values())
    texts = held[0] if len(held) == 1 else None
    texts = [texts] if isinstance(texts, str) else texts
    if isinstance(texts, list) and 0 < len(texts) <= 3 and all(isinstance(t, str) for t in texts):
        if kind == "list":
            example = "[" + ", ".join(shown(text) for text in texts) + "]"
        else:
            example = shown(texts[0]) if kind == "string" and len(texts) == 1 else None
    else:
        example = None
    example = example or _EXAMPLE.get(kind)
    if example is None:
        return ""
    said = f": write {parts[-1]} = {example} {_written_where(parts, where)}"
    found = _position_of(where, ".".join(parts))
    lines = _lines_of(where)
    if found and found[0] <= len(lines) and lines[found[0] - 1].lstrip().startswith("["):
        heading = ".".join(parts)
        heading = f"tool.protokit.{heading}" if Path(where).name == PYPROJECT else heading
        said += f", in place of the [{heading}] table"  # (not an inline `{ ... }`)
    return said


def _rules_at(parts: list[str]) -> dict[str, Any] | None:
    """The cerberus rules of the key at `parts` (a dict's `valuesrules` stand for any key)."""
    rules: dict[str, Any] | None = {"schema": CONFIG_SCHEMA}
    for part in parts:
        if rules is None:
            return None
        children = rules.get("schema")
        if isinstance(children, dict) and part in children:
            rules = children[part]
        elif "valuesrules" in rules:
            rules = rules["valuesrules"]
        else:
            return None
    return rules


def config_place(where: str, dotted: str, at: str = "value") -> Place:
    """Where the key is in the TOML file `where`: its line and the column of its value, or of
    the key itself when `at` is "key"; the file alone when it cannot be found."""
    found = _position_of(where, dotted)
    if found is None:
        return Place(where)
    number, key_column, value_column = found
    return Place(where, number, key_column if at == "key" else value_column)


def _line_of(where: str, dotted: str) -> int | None:
    found = _position_of(where, dotted)
    return found[0] if found else None


def _position_of(where: str, dotted: str) -> tuple[int, int, int] | None:
    """The line of the key in the configuration file, the column of the key and that of its
    value (`tomlfile.position_of`); a key under `[tool.protokit]` in pyproject.toml."""
    from protocol_kit.tomlfile import position_of

    target = dotted.split(".")
    if Path(where).name == PYPROJECT:
        target = ["tool", "protokit", *target]
    return position_of(_lines_of(where), target)


def entry_place(where: str, dotted: str, entry: str) -> Place:
    """Where one entry of a key's value is (an item of a list such as
    `ignore = ["TEXT001", "SAFE"]`, written over one line or several, or a key of a table
    such as `[lint.severity] SAFE005 = ...`): the first place, from the key's line on, where
    the entry is written quoted or as a bare key, outside comments. Without it, the key's
    (`config_place`)."""
    first = _line_of(where, dotted)
    if first is not None:
        lines = _lines_of(where)
        wanted = re.compile(
            rf"(?P<q>[\"']){re.escape(entry)}(?P=q)|(?<![\w-]){re.escape(entry)}(?=\s*=)"
        )
        for number in range(first, len(lines) + 1):
            code = _without_comment(lines[number - 1])
            found = wanted.search(code)
            if found:
                return Place(where, number, found.start() + 1)
    return config_place(where, dotted)


def _without_comment(line: str) -> str:
    """A TOML line up to its comment (a `#` outside a string)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index]
    return line


@functools.cache
def _lines_of(where: str) -> tuple[str, ...]:
    """The configuration file's lines (read once: messages are built for keys that may be
    fine, as `lint` names each key it checks)."""
    from protocol_kit.tomlfile import read_toml_text

    try:
        return tuple(read_toml_text(Path(where), ConfigError).splitlines())
    except ConfigError:
        return ()


def _check_paths(values: dict[str, Any], where: str) -> None:
    """Files and folders the configuration names must exist: a wrong path found only when a
    sheet is printed (a logo) or never (a library folder) would be a silent mistake."""
    root = Path(where).parent
    folders = dict.fromkeys(values.get("library", ()))  # each once (H1610)
    named = [("library", value) for value in folders]
    named += [
        (f"{table}.{key}", values.get(table, {}).get(key))
        for table, key in (("clinic", "logo"), ("bundle", "trust"))
    ]
    for dotted, value in named:
        unusable = _unusable_path(value) if value else None
        if unusable:
            raise key_error(where, dotted, unusable)
    for value in folders:
        if not (root / value).is_dir():
            raise key_error(
                where, "library", f"no such folder {shown(value)} (relative to {root / '.'})"
            )
    logo = values.get("clinic", {}).get("logo")
    if logo and not os.path.lexists(root / logo):
        raise key_error(
            where, "clinic.logo", f"no such file {shown(logo)} (relative to {root / '.'})"
        )
    if logo:
        problem = _logo_problem(root / logo)
        if problem:
            raise key_error(where, "clinic.logo", f"{shown(logo)} {problem}")


def _logo_problem(path: Path) -> str | None:
    """Why the clinic's logo cannot be printed, or None: judged when the configuration is
    loaded, by every command, so that `validate` (CI) refuses the logo `render` would refuse
    (a damaged or renamed file, a pipe or a device) instead of the first therapist who
    prints. The file is read as the sheet reads it; a logo is a few kilobytes."""
    from protocol_kit.untrusted.files import open_regular
    from protocol_kit.untrusted.images import MAX_IMAGE_FILE, image_problem

    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_IMAGE_FILE + 1)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if len(data) > MAX_IMAGE_FILE:
        return f"is larger than {MAX_IMAGE_FILE:,} bytes: not a logo for a sheet"
    problem = image_problem(data)
    return f"cannot be printed: the file {problem}" if problem else None


# The longest path and file name the systems protokit runs on can open (Linux's PATH_MAX and
# NAME_MAX, in bytes).
_LONGEST_PATH, _LONGEST_NAME = 4096, 255


def _unusable_path(value: str) -> str | None:
    """Why `value` can name no file on any system (a NUL character, a name or path longer
    than a system allows), or None. Found when the configuration is read, not when a command
    opens the file: Path.resolve raised ValueError for a NUL (an internal error) (H211)."""
    if "\x00" in value:
        return "holds a NUL character, which no file name can"
    encoded = value.encode("utf-8", "surrogateescape")
    if len(encoded) >= _LONGEST_PATH:
        return f"is {len(encoded):,} bytes long: no system opens a path longer than 4,095"
    longest = max(len(part) for part in encoded.replace(b"\\", b"/").split(b"/"))
    if longest > _LONGEST_NAME:
        return f"holds a name of {longest:,} bytes: no file system holds one longer than 255"
    return None


# The schema's patterns, compiled from the cache (`protocol_kit.patterns`) once a run: the
# telephone number's is the longest a valid configuration meets.
_pattern = functools.lru_cache(maxsize=None)(compiled)


# A value `protokit init` wrote for the clinic to replace (the word TODO, as the lint looks for
# it in the files `protokit new` writes): printed on every sheet, a clinic's name "TODO: ..."
# passed every check (H435).
_PLACEHOLDER_LEFT = "still says TODO: write your clinic's own details in its place"


def _todos_besides(table: dict[str, Any], key: str, where: str) -> str:
    """` (N more still say TODO: KEYS)` when other keys than `key` hold a TODO too: a
    fresh `protokit init` file was refused for its clinic's name alone, and a therapist who
    filled that in was refused again for the address, then the phone, seven times over."""
    others = dict.fromkeys(
        dotted
        for dotted, _ in _todo_values(table)
        if dotted != key and not dotted.startswith(f"{key}.")
    )
    if not others:
        return ""
    named = ", ".join(config_key(where, dotted) for dotted in others)
    return f" ({len(others)} more still say TODO: {named})"


def _todo_values(value: Any, dotted: str = "") -> Iterator[tuple[str, str]]:
    """(dotted key, text) of each string under `value` that holds the word TODO; an item of a
    list is named by its list's key."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _todo_values(item, f"{dotted}.{name}" if dotted else str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _todo_values(item, dotted)
    elif isinstance(value, str) and _PLACEHOLDER.search(value):
        yield dotted, value


# The `check_with` rules: a pattern the whole value must match, and the message if not.
def _sheet_text_problem(value: Any) -> str | None:
    """Why a clinic's text cannot be printed on the sheet, whatever the font (a control,
    format, direction or separator character; a stray or overlay combining mark), or None.
    A table of texts by language is checked text by text (its `valuesrules`)."""
    if not isinstance(value, str):
        return None
    if _PLACEHOLDER.search(value):
        return _PLACEHOLDER_LEFT
    hidden = next((c for c in value if not c.isprintable()), None)
    if hidden is not None:
        name = character_name(hidden)
        return (
            f"holds U+{ord(hidden):04X} ({name}), which cannot be seen or printed on the sheet: "
            "type the text again"
        )
    stray = STRAY_MARK.search(value)
    if stray is not None:
        return f"holds {stray_mark_message(value, stray)}; type it again"
    return _read_otherwise(value)


def _read_otherwise(value: str) -> str | None:
    """TEXT004's words for a clinic's text that prints as something else than the checks read
    (a look-alike letter of another alphabet or of none, a ligature, raised digits), as for a
    protocol's text (H706): the emergency place and the numbers are read by the checks of
    `clinic.numbers` and `clinic.places`. ASCII text holds none of them."""
    if value.isascii():
        return None
    from protocol_kit.lint.rules.unprintable_character import text_problem

    return text_problem(value)


# What a telephone value must start with to be read as one (else the pattern's own message).
_DIALLABLE = compiled_as_is(r"[+(]{0,2}[0-9]")


def _phone_problem(value: Any) -> str | None:
    """Why a telephone value reads otherwise to the patient than to the checks, or None."""
    if not isinstance(value, str):
        return None
    if not _DIALLABLE.match(value):
        return None  # the pattern's own message
    return dialled_problem(value) or _read_otherwise(value)


_CHECKS = {
    # A callable instead of a pattern: the fast path (`_plainly_valid`) calls it.
    "sheet_text": (lambda value: _sheet_text_problem(value) is None, "is printable text"),
    "colour": (r"#[0-9A-Fa-f]{6}", "must be a colour written #RRGGBB, for example #1F5C99"),
    "email": (r"[^@\s]+@[^@\s]+\.[^@\s]+", "must be an e-mail address"),
    "image_file": (r"(?is).+\.(png|jpe?g)", "must be a PNG or JPEG file"),
    # A number to dial: it starts with a digit, + or (, and has at least 2 digits (15 is
    # an emergency number in France); a note may follow ("01632 960000 (not a real
    # number)"). "TBD" is not a number.
    # No combining mark except on a letter (H313, `untrusted.marks`): on a digit, U+0336
    # prints "9̶9̶9" struck through; the letters of a note may carry accents.
    "phone": (
        rf"(?!.*{STRAY_MARK_PATTERN})(?=(?:\D*\d){{2}})[+(]{{0,2}}[0-9].*",
        "must be a telephone number starting with the digits to dial (0113 496 0000, or "
        "111 for NHS 111; a note may follow the number)",
    ),
    "language_tag": (
        r"(?=.{2,35}\Z)[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*",  # at most 35 characters (BCP 47)
        "must be a language tag such as en, fr or de-CH",
    ),
    "http_url": (
        r"https?://[^\s/?#]+(/[^\s?#]*)?",
        "must be an http(s) URL without query or fragment, such as https://fhir.clinic.example",
    ),
}


# The checks of a `check_with` rule besides its pattern (the fast path asks them too).
_MORE_CHECKS = {"phone": _phone_problem}


def _config_validator() -> Any:
    """A cerberus validator with the clinic profile's coercions and checks (cerberus is
    imported only when a configuration file exists)."""
    from cerberus import Validator

    class ConfigValidator(Validator):
        def _normalize_coerce_lines(self, value: Any) -> Any:
            """An address may be one string with line breaks, or a list of lines."""
            if isinstance(value, str):
                return [line.strip() for line in value.splitlines() if line.strip()]
            return value

        def _normalize_coerce_paper(self, value: Any) -> Any:
            names = {"a4": "A4", "letter": "Letter"}
            return names.get(value.lower(), value) if isinstance(value, str) else value

        def _check_with_pattern(self, name: str, field: str, value: Any) -> None:
            pattern, message = _CHECKS[name]
            if isinstance(value, str) and _PLACEHOLDER.search(value):
                self._error(field, _PLACEHOLDER_LEFT)
            elif isinstance(value, str) and not re.fullmatch(pattern, value):
                self._error(field, f"{message}, not {quoted(value)}")

        def _check_with_colour(self, field: str, value: Any) -> None:
            self._check_with_pattern("colour", field, value)

        def _check_with_email(self, field: str, value: Any) -> None:
            self._check_with_pattern("email", field, value)

        def _check_with_image_file(self, field: str, value: Any) -> None:
            self._check_with_pattern("image_file", field, value)

        def _check_with_phone(self, field: str, value: Any) -> None:
            stray = STRAY_MARK.search(value) if isinstance(value, str) else None
            if stray is not None:
                self._error(
                    field, f"holds {stray_mark_message(value, stray)}; type the number again"
                )
                return
            problem = _phone_problem(value)
            if problem is not None:
                self._error(field, problem)
                return
            self._check_with_pattern("phone", field, value)

        def _check_with_sheet_text(self, field: str, value: Any) -> None:
            problem = _sheet_text_problem(value)
            if problem is not None:
                self._error(field, problem)

        def _check_with_language_tag(self, field: str, value: Any) -> None:
            self._check_with_pattern("language_tag", field, value)

        def _check_with_http_url(self, field: str, value: Any) -> None:
            self._check_with_pattern("http_url", field, value)

    return ConfigValidator


def _first_error(errors: dict[Any, Any], document: Any, prefix: str = "") -> tuple[str, str]:
    """Cerberus nests errors by key; flatten to the first `dotted.key` and its message, first
    in the order the file writes its keys (a clinic's name before its address, as `protokit
    init` writes them; sorted by name, a fresh file's refusal named the address first)."""
    key = min(errors, key=lambda k: _written_order(document, k))
    value = errors[key]
    dotted = f"{prefix}.{key}" if prefix else str(key)
    inner = _entry(document, key)
    while isinstance(value, list) and value:
        head = value[0]
        if isinstance(head, dict):
            return _first_error(head, inner, dotted)
        return dotted, str(head)
    return dotted, str(value)


def _written_order(document: Any, key: Any) -> tuple[int, str]:
    """Where `key` comes in `document` (a table's keys in the file's order, a list's items by
    index); a key the document lacks (a missing required one) after those it has."""
    if isinstance(document, dict):
        keys = list(document)
        return (keys.index(key), "") if key in document else (len(keys), str(key))
    if isinstance(document, list) and isinstance(key, int):
        return (key, "")
    return (0, str(key))


def _entry(document: Any, key: Any) -> Any:
    """The value under `key` in a table or list, or None."""
    if isinstance(document, dict):
        return document.get(key)
    if isinstance(document, list) and isinstance(key, int) and 0 <= key < len(document):
        return document[key]
    return None


# The parsed configuration files, kept by the digest of their text (`protocol_kit.cache`): a
# configuration that has not changed since the last run is not parsed again, and the TOML
# parser is not even imported (about as much CPU as the rest of reading and checking it). Only a
# text that parsed is kept, and only its parse: the file is still read, decoded and found
# where it was, and its values are still checked, on every run.
_PARSED = "configuration.marshal"
_PARSED_LABEL = "parsed TOML 1"
_PARSED_KEPT = 8  # texts kept (several repositories, a file being edited)


def _read_toml(path: Path) -> dict[str, Any]:
    from protocol_kit.cache import store, stored
    from protocol_kit.digests import blake2b
    from protocol_kit.tomlfile import parse_toml, read_toml_text

    text = read_toml_text(Path(shown_path(path)), ConfigError)
    key = blake2b(text.encode("utf-8", "surrogatepass")).digest()
    kept = stored(_PARSED, _PARSED_LABEL)
    kept = kept if isinstance(kept, dict) else {}
    table = kept.get(key)
    if isinstance(table, dict):
        return table
    table = parse_toml(text, shown_path(path), ConfigError)
    kept.pop(key, None)  # (a damaged entry under this key)
    kept = dict(list(kept.items())[-(_PARSED_KEPT - 1) :])  # the newest, with this one
    kept[key] = table
    store(_PARSED, _PARSED_LABEL, kept)  # nothing when a value is no plain data (a date)
    return table
