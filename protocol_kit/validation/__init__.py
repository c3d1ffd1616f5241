"""Schema checks turned into findings.

Two engines, one contract. jsonschema-rs answers the yes/no question for every file (it is an
order of magnitude faster); only the files it rejects are run through the jsonschema library,
whose errors carry their location and keyword as data, to produce readable messages. A test
checks that both engines agree on every file of the benchmark corpus.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from protocol_kit.findings import Finding
from protocol_kit.findings import shown as _shown
from protocol_kit.jsontext.pointers import escape_token, pointer_tokens
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.jsonschema_engine import jsonschema_rs
from protocol_kit.patterns import compiled
from protocol_kit.schemas import (
    KIND_BY_URI,
    SCHEMA_BASE,
    DocumentKind,
    all_schemas,
    kind_hint,
    required_only,
)
from protocol_kit.suggestions import did_you_mean
from protocol_kit.untrusted.text import QUOTED_LIMIT, capped, quoted
from protocol_kit.validation import known_parts, schema_verdicts
from protocol_kit.validation.known_parts import KnownParts

if TYPE_CHECKING:
    from typing import Any

NO_SCHEMA = "SCHEMA001"
SCHEMA_VIOLATION = "SCHEMA002"

# The date pattern and the date format say one thing, so that one mistake is one finding.
_NOT_A_DATE = "is not a real calendar date (YYYY-MM-DD, in the years 1800 to 2199)"
# Plain-language readings of the patterns in schemas/, keyed by the pattern itself.
_PATTERN_HELP = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "is not a valid id: use lower-case letters and digits in words "
    "joined by single hyphens, for example 'glute-bridge'",
    "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$": "is not a "
    "semantic version: write MAJOR.MINOR.PATCH, for example '1.2.0'",
    # (The date pattern of common.schema.json: YYYY-MM-DD with a real month and day.)
    "^(?:1[89]|2[01])[0-9]{2}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-"
    "(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$": _NOT_A_DATE,
    "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$": "is not a BCP 47 language tag such "
    "as 'en', 'en-GB' or 'pt-BR'",
    "^[A-TV-Z][0-9][0-9AB](\\.[0-9A-TV-Z]{1,4})?$": "is not an ICD-10-CM code: a capital letter, "
    "two characters, then optionally a dot and up to four more, for example 'M54.50'",
    "^[1-9][0-9]{5,17}$": "is not a SNOMED CT identifier: 6 to 18 digits, not starting with 0",
    "^[A-Z]{2,5}[0-9]{3}$": "is not a rule code such as 'DOS001'",
    # No user name before the host: "https://nhs.uk@elsewhere.example" reads as nhs.uk.
    # (A character of `_UNENCODED` has a message of its own.)
    '^https?://[^/?#@\\s"<>\\\\`]+([/?#][^\\s"<>\\\\`]*)?$': "is not a web link (http:// "
    "or https://) to the site it shows: no user name and @ before the address",
    '^https://[^/?#@\\s"<>\\\\`]+([/?#][^\\s"<>\\\\`]*)?$': "is not an https:// link to the "
    "site it shows: no user name and @ before the address",
    "^10\\.[0-9]{4,9}/\\S+$": "is not a DOI such as '10.1136/bmj.g1687'",
    "^[A-Za-z0-9.+-]+$": "is not a licence identifier such as 'CC-BY-4.0'",
    '^[^@\\s"<>\\\\`]+@[^@\\s"<>\\\\`]+$': "is not an e-mail address",
    # (The telephone pattern of common.schema.json's `phone`, as the configuration's `phone`.)
    "^[+(]{0,2}[0-9][^0-9]*[0-9]": "is not a telephone number: write the digits to dial first "
    "(0113 496 0000), and any note after the number",
}
# What a link or an e-mail address never holds unencoded (RFC 3986 keeps them out of a URI):
# a quote, an angle bracket, a backslash or a backquote. A receiving system writes the link
# into a page's or an XML file's attribute, which such a character ends (H1188, as H1144 for
# the canonical base).
_UNENCODED = frozenset('"<>\\`')
_LINK_PATTERNS = frozenset(pattern for pattern in _PATTERN_HELP if "<>" in pattern)
# The characters that break a line (common.schema.json's `line`, a name or number printed
# beside its label): the schema says `"not": {"pattern": _LINE_BREAK}`.
_LINE_BREAK = "[\n\r\x0b\x0c\x85\u2028\u2029]"
_ON_MORE_THAN_ONE_LINE = (
    "has a line break: it is printed on one line beside its label, and a second line would "
    "print apart from it; write it on one line"
)
# Why a field may not be given where another field rules it out (a `false` schema in a
# then), keyed by the field. The schemas carry no messages of their own: keywords such as
# `errorMessage` are not JSON Schema, and strict validators refuse them.
_RULED_OUT = {
    "dosage": 'an exercise left out ("omit": true) has no dosage: delete "dosage", or delete '
    '"omit" to change the dosage instead',
}
_MEDIA_PATH = "is not a relative path to a .png or .jpg file inside the protocol's folder"
# A bundle's file list names what a bundle may hold; a picture path is one a protocol names.
_BUNDLE_PATH = (
    "is not a path a bundle holds: protocols/<id>.json, protocols/media/<sha-256>.png or .jpg, "
    "schemas/<name>.schema.json, fhir/<id>.json or fhir/definitions.bundle.json"
)


def _path_help(pattern: str) -> str | None:
    if "fhir/" in pattern:
        return _BUNDLE_PATH
    return _MEDIA_PATH if "png" in pattern else None


def wants_structure(finding: Finding) -> bool:
    """Whether a schema finding says an object or a list is missing where a value stands: the
    document's shape is wrong there, whatever the value is (a `TODO` in place of the whole
    screening, a text where a stage's dosage belongs)."""
    return finding.message.startswith("expected ") and any(
        _TYPE_NAMES[kind] in finding.message.split(", got ")[0] for kind in ("object", "array")
    )


_TYPE_NAMES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "array": "a list [ ... ]",
    "object": "an object { ... }",
    "boolean": "true or false",
    "null": "null",
}
_UNEXPECTED = compiled(r"\((.*) (?:was|were) unexpected\)")


def _value_at(document: Any, path: Iterable[Any]) -> Any:
    for token in path:
        document = document[token]
    return document


def pointer_of(path: Iterable[Any]) -> str:
    return "".join("/" + escape_token(p) for p in path)


# Text that reads as the number or truth value a field wants ("6" for 6): the quotes of a
# template's `"TODO: the score today"` kept when the score was written in.
_NUMBER_TEXT = compiled(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def _unquoted_hint(instance: Any, wanted: list[str]) -> str:
    """How to write `instance`, a text, as the number or `true`/`false` the field wants; ""
    when it does not read as one."""
    if not isinstance(instance, str):
        return ""
    value = instance.strip()
    number = _NUMBER_TEXT.fullmatch(value) and (
        "number" in wanted or ("integer" in wanted and "." not in value)
    )
    truth = "boolean" in wanted and value in ("true", "false")
    if number or truth:
        # The number itself only when it is short enough to quote (a value of thousands of
        # digits is not written out again).
        written = value if len(value) <= QUOTED_LIMIT else "it"
        return f" {_shown(instance)}: write {written} without the quotes"
    return ""


# JSON Schema's name of a parsed value's type, bool before int (a bool is an int in Python).
_JSON_TYPES = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def _json_type(value: Any) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")


def kind_of(data: dict[str, Any]) -> DocumentKind | Finding:
    """The document kind named by `$schema`, or a finding saying what is wrong with it."""
    uri = data.get("$schema")
    if uri is None:
        return Finding("", NO_SCHEMA, f'no "$schema" says what this file is: {kind_hint()}')
    kind = KIND_BY_URI.get(uri) if isinstance(uri, str) else None
    if kind is not None:
        return kind
    if isinstance(uri, str) and uri.startswith(SCHEMA_BASE.rsplit("/v1/", 1)[0]):
        message = (
            f'"$schema" {_shown(uri, 90)} is not a schema this version of protokit knows: '
            f"{kind_hint()}"
        )
    else:
        message = f'"$schema" {_shown(uri, 90)} is not a protocol-kit schema: {kind_hint()}'
    return Finding("", NO_SCHEMA, message, pointer="/$schema")


class SchemaChecker:
    """Validators for every document kind, built once per run (or per worker process)."""

    def __init__(self) -> None:
        self._fast: dict[str, Any] = {}
        # For protocols, the validators that trust the parts of a document that passed
        # before (`known_parts`); None for the other kinds.
        self._trusting: dict[str, Any] = {}
        self._known = KnownParts()
        self._detailed: dict[str, Any] = {}
        self._vocabulary: list[str] | None = None
        self._document: Any = None  # the document `findings` is describing
        self._root: Any = None  # and the schema it is described by

    def is_valid(self, kind: DocumentKind, data: Any) -> bool:
        # A document that passed in an earlier run is not checked again while this process
        # has not built the engine (protocol_kit/validation/schema_verdicts.py); once built,
        # the engine answers, in less time than the key takes.
        found = schema_verdicts.key(kind.uri, data) if schema_verdicts.asking() else None
        if found is not None and not _engine_built() and schema_verdicts.passed(found):
            return True
        trusting = self._trusting_of(kind)
        if trusting is None:
            valid = self._fast_of(kind).is_valid(data)
        else:
            valid = self._known.is_valid(data, trusting)
        if valid and found is not None:
            schema_verdicts.remember(found)
        return valid

    def engine_passes(self, kind: DocumentKind, data: Any) -> bool:
        """`is_valid`, always from the engine and never kept between runs: for parts of a
        document (a bundle manifest's batches, `bundle.manifest_parts`), whose verdicts no
        later run asks again and which would take the keys of the files that follow."""
        return self._fast_of(kind).is_valid(data)

    def prepare(self, kinds: Iterable[DocumentKind]) -> None:
        """Build the fast validators of `kinds` now, as `is_valid` would at its first
        question: a run does it before forking its workers, which otherwise each build their
        own. Verdicts are the same either way (the same validator, built earlier)."""
        for kind in kinds:
            self._trusting_of(kind)  # made with the fast validator it holds

    def _fast_of(self, kind: DocumentKind) -> Any:
        """The fast validator of `kind`'s schema, made at the first question."""
        validator = self._fast.get(kind.name)
        if validator is None:
            validator = self._fast[kind.name] = _fast_validator(all_schemas()[kind.uri])
        return validator

    def _trusting_of(self, kind: DocumentKind) -> known_parts.Validators | None:
        """The validators of `kind` that trust the parts that passed before
        (`_trusting_validators`), made at the first question, or None."""
        trusting = self._trusting.get(kind.name, _UNMADE)
        if trusting is _UNMADE:
            trusting = self._trusting[kind.name] = _trusting_validators(kind, self._fast_of(kind))
        return trusting

    def findings(self, kind: DocumentKind, data: Any) -> list[Finding]:
        """Every schema problem in `data`, one finding each (locations not yet filled in)."""
        validator = self._detailed.get(kind.name)
        if validator is None:
            validator = self._detailed[kind.name] = _detailed_validator(kind)
        found: dict[tuple[str, str], Finding] = {}
        cascades: list[Finding] = []
        self._document = data
        self._root = all_schemas()[kind.uri]
        for error in validator.iter_errors(data):
            for finding, cascade in self._describe_all(error):
                if cascade:
                    cascades.append(finding)
                else:
                    # `unevaluatedProperties` makes jsonschema visit a subschema more than once.
                    found.setdefault((finding.pointer, finding.message), finding)
            _let_go(error)
        # Never an empty list for an invalid file, whatever the error was.
        return list(found.values()) or cascades[:1]

    def _describe_all(self, error: Any) -> Iterator[tuple[Finding, bool]]:
        """Each finding of an error, and whether it only follows from another: a field the
        schema does know, called "unevaluated" because the part of the schema that declares
        it failed for another reason (a wrong value elsewhere in a library exercise would
        otherwise make every one of its fields an "unknown field")."""
        if error.validator != "unevaluatedProperties":
            for finding in self._describe(error):
                yield finding, False
            return
        allowed = _declared_names(error.schema)
        for extra in _unexpected_keys(error):
            yield self._unknown_key(error, extra, allowed), extra in allowed

    def _other_form(self, error: Any) -> str | None:
        """The field that makes a value the other form, when the value failed the `else` of
        an `if` that asks for one field (`"if": {"required": ["ref"]}`), else None."""
        path = list(error.absolute_schema_path)
        if "else" not in path:
            return None
        holder = _schema_at(self._root, path[: len(path) - 1 - path[::-1].index("else")])
        condition = holder.get("if") if isinstance(holder, dict) else None
        required = condition.get("required") if isinstance(condition, dict) else None
        return required[0] if isinstance(required, list) and len(required) == 1 else None

    def check(self, kind: DocumentKind, data: Any) -> list[Finding]:
        if self.is_valid(kind, data):
            return []
        # The fast validator's verdict stands: were the detailed one to find nothing (the two
        # read a pattern differently, H214), the fast one's own first error is reported.
        return self.findings(kind, data) or self._fast_finding(kind, data)

    def _fast_finding(self, kind: DocumentKind, data: Any) -> list[Finding]:
        error = next(iter(self._fast[kind.name].iter_errors(data)), None)
        message = error.message if error is not None else "does not pass its schema"
        pointer = pointer_of(error.instance_path) if error is not None else ""
        return [Finding("", SCHEMA_VIOLATION, message, pointer=pointer)]

    # -- messages --------------------------------------------------------------------------

    def _describe(self, error: Any) -> Iterator[Finding]:
        pointer = pointer_of(error.absolute_path)
        keyword = error.validator
        value = error.validator_value
        instance = error.instance

        def finding(
            message: str, at: str = pointer, at_key: bool = False, form: str | None = None
        ) -> Finding:
            return Finding(
                "", SCHEMA_VIOLATION, message, pointer=at, at_key=at_key, form_message=form
            )

        if "propertyNames" in error.relative_schema_path:
            # The error is about a property's name, reported at that name.
            yield finding(
                f"{_shown(instance)} is not a BCP 47 language tag such as 'en' or 'fr'",
                f"{pointer}/{escape_token(instance)}",
                at_key=True,
            )
            return

        if keyword in ("anyOf", "oneOf"):
            branches_required = [required_only(b) for b in value]
            if all(branches_required):
                names = ", ".join(f"'{name}'" for branch in branches_required for name in branch)
                yield finding(f"needs at least one of {names}")
                return
            branch_types = {b.get("type") for b in value if isinstance(b, dict)}
            own_type = _json_type(instance)
            if branch_types == {"string", "object"} and own_type not in branch_types:
                expected = "text (a string, or an object from language tag to string)"
                yield finding(f"expected {expected}, got {_TYPE_NAMES[own_type]}")
                return
            from jsonschema.exceptions import best_match

            # The branch of the value's own type says what is wrong with it: an empty step
            # ("" where a text goes, as the workbench's "Add" makes one) was told "expected an
            # object", the other branch's complaint, instead of "must not be empty".
            same_type = {
                i
                for i, branch in enumerate(value)
                if isinstance(branch, dict) and branch.get("type") == own_type
            }
            own = [e for e in error.context if e.relative_schema_path[0] in same_type]
            best = best_match(own or error.context)
            if best is not None:
                yield from self._describe(best)
                return
            yield finding(error.message)
        elif keyword == "required" and instance == {} and (other := self._other_form(error)):
            # An empty entry that could be either of two forms (a library exercise's `ref`,
            # or an exercise written out): the workbench's "Add item" makes one, and it was
            # told the ten fields of the second form as if the first did not exist.
            names = ", ".join(f"'{name}'" for name in value)
            message = f"is empty: give '{other}', or fill in {names}"
            yield finding(message, form=message)
        elif keyword == "required":
            for name in value:
                if isinstance(instance, dict) and name not in instance:
                    # The form draws every required field, and leaves an empty one out of
                    # what it sends: there the field is on screen, empty, not missing.
                    yield finding(
                        f"missing required field '{name}'",
                        form=f"'{name}' is empty: fill it in (it is required)",
                    )
        elif keyword in ("additionalProperties", "unevaluatedProperties"):
            allowed = _declared_names(error.schema)
            for extra in _unexpected_keys(error):
                yield self._unknown_key(error, extra, allowed)
        elif keyword == "enum":
            options = ", ".join(str(v) for v in value)
            yield finding(f"{_shown(instance)} is not one of: {options}")
        elif keyword == "const":
            yield finding(f"must be {_shown(value, 90)}")
        elif keyword == "type":
            wanted = [value] if isinstance(value, str) else list(value)
            if set(wanted) == {"string", "object"}:
                expected = "text (a string, or an object from language tag to string)"
            else:
                expected = " or ".join(_TYPE_NAMES[t] for t in wanted)
            got = _TYPE_NAMES[_json_type(instance)]
            yield finding(f"expected {expected}, got {got}{_unquoted_hint(instance, wanted)}")
        elif keyword in ("minLength",) or (keyword == "pattern" and value == "\\S"):
            yield finding("must not be empty or blank")
        elif keyword == "pattern":
            help_text = _PATTERN_HELP.get(value) or _path_help(value)
            if value in _LINK_PATTERNS and isinstance(instance, str):
                unencoded = next((c for c in instance if c in _UNENCODED), None)
                if unencoded is not None:
                    help_text = (
                        f"holds {unencoded!r}, which a link or an e-mail address cannot hold: "
                        "percent-encode it, or copy the address again from the browser"
                    )
            if help_text is None:
                help_text = f"does not match the pattern {value}"
            yield finding(f"{_shown(instance)} {help_text}")
        elif keyword == "format":
            yield finding(f"{_shown(instance)} {_NOT_A_DATE}")
        elif keyword == "minItems":
            yield finding("must not be empty" if value == 1 else f"needs at least {value} items")
        elif keyword == "maxItems":
            yield finding(f"has {len(instance)} items: at most {value} are allowed")
        elif keyword == "maxLength":
            yield finding(f"is longer than {value} characters")
        elif keyword == "minProperties":
            yield finding("must not be empty" if value == 1 else f"needs at least {value} fields")
        elif keyword == "uniqueItems":
            yield finding("lists the same item more than once")
        elif keyword == "minimum":
            yield finding(f"{_shown(instance)} is too small: the least allowed is {value}")
        elif keyword == "exclusiveMinimum":
            yield finding(f"{_shown(instance)} is too small: it must be more than {value}")
        elif keyword == "maximum":
            yield finding(f"{_shown(instance)} is too large: the most allowed is {value}")
        elif keyword == "not" and isinstance(value, dict) and value.get("pattern") == _LINE_BREAK:
            yield finding(f"{_shown(instance)} {_ON_MORE_THAN_ONE_LINE}")
        elif keyword == "not" and isinstance(value, dict) and "required" in value:
            # A schema may say why in the `description` beside its `not` (an annotation, so
            # strict validators accept it): "give 'flexion' or 'extension', not both: ...".
            reason = error.schema.get("description") if isinstance(error.schema, dict) else None
            if reason:
                reason = reason[0].lower() + reason[1:].rstrip(".")
            for name in value["required"]:
                message = reason or f"'{name}' is not allowed here"
                yield finding(message, f"{pointer}/{escape_token(name)}")
        elif keyword is None and error.schema is False:
            # A field ruled out by another (`"properties": {"dosage": false}` in a then).
            # jsonschema gives the object's place, not the field's: find the field in it.
            parent = _value_at(self._document, error.absolute_path)
            names = (
                [k for k, v in parent.items() if v is instance] if isinstance(parent, dict) else []
            )
            if not names:
                yield finding(error.message)
            for name in names:
                reason = _RULED_OUT.get(name, f"'{name}' is not allowed here")
                yield finding(reason, f"{pointer}/{escape_token(name)}")
        else:
            # jsonschema's own words quote the whole value: keep a report line readable.
            message = error.message
            yield finding(capped(message, 300))

    def _unknown_key(self, error: Any, name: str, allowed: set[str]) -> Finding:
        """The finding about a key the schema does not allow there, at the key."""
        pointer = f"{pointer_of(error.absolute_path)}/{escape_token(name)}"
        message = self._unknown_field(name, allowed)
        return Finding("", SCHEMA_VIOLATION, message, pointer=pointer, at_key=True)

    def _unknown_field(self, name: str, allowed: set[str]) -> str:
        """`unknown field "hold" (did you mean 'hold_seconds'?)`, the suggestion chosen among
        the fields allowed at that place; a field of other objects in the wrong place says so
        (and lists the few fields that belong, when they are few)."""
        hint = did_you_mean(name, sorted(allowed))
        if hint:
            return f"unknown field {_shown(name)}{hint}"
        if self._vocabulary is None:
            self._vocabulary = sorted(_property_names(all_schemas().values()))
        if name in self._vocabulary:
            here = ""
            if 0 < len(allowed) <= 8:
                here = ": the fields here are " + ", ".join(f"'{n}'" for n in sorted(allowed))
            return f"field {_shown(name)} does not belong here{here}"
        return f"unknown field {_shown(name)}{did_you_mean(name, self._vocabulary)}"


def _unexpected_keys(error: Any) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "additionalProperties":
        schema = error.schema
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        return [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]
    # unevaluatedProperties: jsonschema names the keys in its message only.
    match = _UNEXPECTED.search(error.message)
    if match:
        import ast  # only to explain an invalid file (issue 17)

        try:
            names = ast.literal_eval(f"({match.group(1)},)")
            return [n for n in names if isinstance(n, str)]
        except (ValueError, SyntaxError):
            pass
    return ["?"]


def _declared_names(schema: Any) -> set[str]:
    """The property names a subschema declares for the object it checks: its own
    `properties` and those of every subschema it applies in place ($ref, allOf, anyOf, oneOf,
    then/else), however those resolve."""
    names: set[str] = set()
    seen: set[int] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        names.update(node.get("properties", {}))
        if isinstance(node.get("$ref"), str):
            stack.append(_resolve(node["$ref"], node))
        for keyword in ("allOf", "anyOf", "oneOf"):
            stack.extend(node.get(keyword, []))
        stack.extend(node[keyword] for keyword in ("then", "else") if keyword in node)
    return names


def _schema_at(root: Any, path: list[Any]) -> Any:
    """The subschema at a jsonschema error's `schema_path` from the document's schema; the
    path leaves out the `$ref`s it went through, which are followed here."""
    node = root
    for key in path:
        while isinstance(node, dict) and key not in node and isinstance(node.get("$ref"), str):
            node = _resolve(node["$ref"], node)
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return None
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and "if" not in node:
        node = _resolve(node["$ref"], node)
    return node


def _resolve(reference: str, holder: dict[str, Any]) -> Any:
    """The subschema a `$ref` names. Every `$ref` in schemas/ is absolute or `#/...` within
    the document that holds it."""
    uri, _, fragment = reference.partition("#")
    document = all_schemas().get(uri) if uri else _document_of(holder)
    node: Any = document
    for token in pointer_tokens(fragment):
        if not isinstance(node, dict):
            return None
        node = node.get(token)
    return node


_DOCUMENT_OF: dict[int, Any] = {}


def _document_of(node: dict[str, Any]) -> Any:
    """The schema document that holds `node` (one walk over all schemas, on first use)."""
    if not _DOCUMENT_OF:
        from protocol_kit.validation.passing_parts import dicts_within

        for document in all_schemas().values():
            for item in dicts_within(document):
                _DOCUMENT_OF[id(item)] = document
    return _DOCUMENT_OF.get(id(node))


def _property_names(schemas: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    stack = list(schemas)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return names


def _engine_built() -> bool:
    """Whether this process has built the fast engine's registry (then it answers in less
    time than a kept verdict's key takes to work out)."""
    return _fast_registry.cache_info().currsize > 0


# What `SchemaChecker._trusting` holds for a kind whose validators are not made yet.
_UNMADE = object()


def _trusting_validators(kind: DocumentKind, whole: Any) -> known_parts.Validators | None:
    """The fast validators of a protocol (`whole`, the schema's own, and those that trust
    the parts that passed before: `known_parts.Validators`), or None: another kind, or a
    protocol schema of a shape the shortcut does not rely on."""
    schema = all_schemas()[kind.uri]
    if kind.name != "protocol" or not known_parts.shape_allows(schema):
        return None
    return known_parts.Validators(whole, _fast_validator, schema)


def _fast_validator(schema: dict[str, Any]) -> Any:
    return jsonschema_rs().Draft202012Validator(
        schema, registry=_fast_registry(), validate_formats=True
    )


@functools.cache
def _fast_registry() -> Any:
    """Every schema, as the fast validators look their `$ref`s up: built once, shared by the
    kinds (a protocol's library exercises need the exercise validator as well)."""
    return jsonschema_rs().Registry(list(all_schemas().items()))


def _detailed_validator(kind: DocumentKind) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (uri, Resource.from_contents(schema)) for uri, schema in all_schemas().items()
    )
    # A schema's `pattern` is an ECMA-262 regular expression, as the fast validator reads it.
    # jsonschema looks every `$ref` up again each time it meets one (a third of its time on
    # a protocol): each is looked up once per validator instead. The same keyword, the same
    # errors; the schemas use no `$dynamicRef`, the only reference whose target depends on
    # the path taken to it.
    # And `properties` and `items` go only into the fields and items the fast engine fails
    # (`passing_parts`): a failing file's detailed pass went into every one of them.
    from protocol_kit.validation import passing_parts

    validator = validators.extend(
        Draft202012Validator,
        {
            "pattern": _ecma_pattern_keyword,
            "$ref": _ReferenceOnce(),
            **passing_parts.keywords(),
        },
    )
    return validator(
        all_schemas()[kind.uri], registry=registry, format_checker=FormatChecker(["date"])
    )


def _ecma_pattern_keyword(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """jsonschema's `pattern`, with the pattern read as ECMA-262 reads it (`python_regex`)."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not python_regex(pattern).search(instance):
        yield ValidationError(f"{quoted(instance)} does not match {pattern!r}")


# ECMA-262's white space and line terminators: what `\s` means in a schema's pattern.
_ECMA_SPACE = "\t\n\v\f\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# Outside a character class: ECMA-262's meaning of each, written for Python's `re`. (`$` is
# the end of the text: Python's also matches before a final line break, so an id "back\n"
# passed the detailed check that the fast one refused, and the file was "all valid": H214.)
_ECMA_OUTSIDE = {
    "$": r"\Z",
    ".": "[^\\n\\r\\u2028\\u2029]",
    r"\s": f"[{_ECMA_SPACE}]",
    r"\S": f"[^{_ECMA_SPACE}]",
    r"\d": "[0-9]",
    r"\D": "[^0-9]",
    r"\w": "[A-Za-z0-9_]",
    r"\W": "[^A-Za-z0-9_]",
}
_ECMA_INSIDE = {r"\s": _ECMA_SPACE, r"\d": "0-9", r"\w": "A-Za-z0-9_"}


@functools.lru_cache(maxsize=256)
def python_regex(pattern: str) -> re.Pattern[str]:
    """A schema's `pattern` (ECMA-262) as a Python regular expression that matches the same
    texts: `$`, `.`, `\\s`, `\\d` and `\\w` mean other things to Python's `re` (a line
    break before the end, U+001F as a space, Arabic digits as digits)."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        piece = pattern[index : index + 2] if char == "\\" else char
        index += len(piece)
        if in_class:
            out.append(_ECMA_INSIDE.get(piece, piece))
            in_class = piece != "]"
        elif piece == "[":
            out.append(piece)
            # A class's first "]" (or "^]") is a character, not its end.
            for opener in ("^", "]"):
                if pattern.startswith(opener, index):
                    out.append(opener)
                    index += 1
            in_class = True
        else:
            out.append(_ECMA_OUTSIDE.get(piece, piece))
    return re.compile("".join(out))


class _ReferenceOnce:
    """jsonschema's `$ref` keyword, each reference resolved once from each base URI. It reads
    the validator's resolver (not public API): where that is not as expected, or a reference
    does not resolve, jsonschema's own keyword does the work, with its own errors.

    A part of the document that the fast validator finds valid against the reference's
    target is not gone through again: jsonschema would find no error there either (the two
    read every keyword alike: `pattern` as ECMA-262, and the fast one checks formats the
    detailed one leaves), and a file that fails its schema has its mistake in one place, so
    the detailed pass visits that place and not the whole document (an exercise, a text,
    a dosage at a time: a failing file cost 4 ms, most of it the valid parts; H410)."""

    def __init__(self) -> None:
        self._resolved: dict[tuple[str, str], tuple[Any, Any]] = {}

    def __call__(self, validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
        base = getattr(getattr(validator, "_resolver", None), "_base_uri", None)
        resolved, fast = self._resolved.get((base, ref), (None, None))
        if resolved is None and isinstance(base, str):
            try:
                resolved = validator._resolver.lookup(ref)
            except Exception:  # unresolvable: jsonschema says so in its own words below
                resolved = None
            else:
                fast = _fast_target(base, ref)
                self._resolved[(base, ref)] = resolved, fast
        if resolved is None:
            yield from validator._validate_reference(ref=ref, instance=instance)
            return
        if fast is not None and fast.is_valid(instance):
            return
        yield from validator.descend(instance, resolved.contents, resolver=resolved.resolver)


def _fast_target(base: str, ref: str) -> Any:
    """The fast validator of what a reference names from a base URI, or None if it cannot be
    made (the detailed pass then goes through that part as before); one for each target a
    process, for `_ReferenceOnce` and `passing_parts` alike."""
    from urllib.parse import urljoin

    return _fast_target_at(urljoin(base, ref))


@functools.cache
def _fast_target_at(uri: str) -> Any:
    try:
        return jsonschema_rs().Draft202012Validator(
            {"$ref": uri}, registry=_fast_registry(), validate_formats=True
        )
    except Exception:
        return None


def _let_go(error: Any) -> None:
    """Unlink an error described already from the errors in its context, each of which
    names it as its parent: a reference cycle that only the cyclic collector frees, and that
    holds what the error was about (the instance: for a file's missing field, the whole
    document) until it runs."""
    stack = [error]
    while stack:
        each = stack.pop()
        stack.extend(each.context)
        each.context = []
        each.parent = None
