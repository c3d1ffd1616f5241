"""The workbench's ASGI application: one small view per page or action, each over the core
(`service.Workbench`), server-rendered Jinja pages and a little JavaScript for the forms."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from protocol_kit.errors import ProtokitError
from protocol_kit.formatting import dumps
from protocol_kit.loading import JsonProblem, Limits, decode, object_or_none, parse
from protocol_kit.schemas import KIND_BY_NAME, KIND_BY_URI
from protocol_kit.untrusted.images import MAX_IMAGE_FILE
from protocol_kit.untrusted.text import printable, quoted
from protocol_kit.workbench.explanation import flowing
from protocol_kit.workbench.folder import (
    NEW_FILE,
    Conflict,
    Folder,
    PathRefused,
    PictureRefused,
    PictureTaken,
    ordered_like,
)
from protocol_kit.workbench.forms import form_schema
from protocol_kit.workbench.guard import BodyTooSlow
from protocol_kit.workbench.preview import Previews, sheet_key
from protocol_kit.workbench.server import STILL_ANNOUNCED
from protocol_kit.workbench.service import LANGUAGES, NotPrintable, Workbench, finding_json
from protocol_kit.workbench.wording import prescription_for_the_form, with_the_phone_box

STATIC = Path(__file__).parent / "static"
IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")
PICKERS = [
    ("protocol.exercise_reference", "ref", "library-exercises"),
    ("common.media", "path", "media-pictures"),
]
RULE_CODE = re.compile(r"[A-Z]{2,8}[0-9]{3}")
# A page of a previewed sheet: 1 to 999,999 (no sheet has more).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
MAX_REQUEST = Limits().max_bytes
# How long a client sending a body too large to take may pause before it is answered (H586).
PAUSE_SECONDS = 5.0
# The members a request to an action may hold: their types, and how to say them.
REQUEST_MEMBERS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "path": (str, "a file name (a string)"),
    "data": (dict, "a file's data (an object)"),
    "version": (str, "a version (a string)"),
    "language": ((str, type(None)), "a language tag (a string) or null"),
    "large_print": (bool, "true or false"),
}


def inline_disposition(filename: str) -> str:
    """A Content-Disposition header naming `filename`, whatever it holds (H225): HTTP headers
    are Latin-1, so a Greek or Chinese file name cannot be sent as it is, and a quote or a
    semicolon would end the quoted name. An ASCII name with those characters replaced, for old
    browsers, and the exact name in UTF-8 percent-encoded (RFC 6266, RFC 5987)."""
    from urllib.parse import quote

    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;%' else "_" for c in filename
    )
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def create_app(folder: str | Path, workbench: Workbench | None = None) -> Starlette:
    """The application over `folder` (without the guard: `serve` wraps it)."""
    bench = workbench or Workbench(Folder(folder))
    previews = Previews()
    pages = Environment(
        loader=PackageLoader("protocol_kit.workbench", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    def page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.setdefault("folder", printable(bench.folder.root.name))
        return HTMLResponse(pages.get_template(name).render(**values), status_code=status)

    async def _dropped(stream: Any) -> None:
        """Read and drop what the client still sends of a body that is refused, until it
        pauses for `PAUSE_SECONDS`, ends, or takes the guard's BODY_SECONDS: a client sending
        a large picture whole before it reads (urllib, curl without Expect) is answered once
        it has sent it, not reset mid-way (an answer sent while its bytes still arrive, on a
        connection it asked to close, is a broken pipe to it); one that declared more than it
        sends is answered after the pause. `stream`: the body's parts (`_body_parts`), started
        or not."""
        with contextlib.suppress(StopAsyncIteration, asyncio.TimeoutError, BodyTooSlow):
            while True:
                await asyncio.wait_for(stream.__anext__(), PAUSE_SECONDS)

    async def _body_parts(request: Request) -> Any:
        """The body's parts as they come, an empty one when the server wakes the action
        without bytes (a chunk announced, H908): `request.stream()` skips those."""
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect
            yield message.get("body", b"")
            if not message.get("more_body", False):
                return

    def problem(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    async def limited_body(request: Request, limit: int) -> bytes:
        """The request's body, read no further than `limit` bytes, and refused as soon as the
        client has announced more: by its Content-Length, or by a chunk's size as the server
        tells it (`STILL_ANNOUNCED`)."""
        declared = request.headers.get("content-length", "")
        announced = request.scope.get("extensions", {}).get(STILL_ANNOUNCED, lambda: 0)
        parts = _body_parts(request).__aiter__()
        too_large = declared.isascii() and declared.isdigit() and int(declared[:30]) > limit
        received = bytearray()
        # Refused before its body (H586): a request declaring more than it may send
        # (`Content-Length: 99999999999999999999`) waited the guard's whole BODY_SECONDS
        # for bytes that never come, then got a 408 that did not say why; and so did a chunked
        # one announcing a chunk of 0xFFFFFFFF bytes (H908).
        while not too_large:
            try:
                received += await parts.__anext__()
            except StopAsyncIteration:
                return bytes(received)
            too_large = len(received) + announced() > limit
        await _dropped(parts)
        raise ProtokitError(f"the request is larger than {limit:,} bytes")

    async def body(request: Request, needs: tuple[str, ...] = ("path", "data")) -> dict[str, Any]:
        """The request's JSON object, with the members `needs` present and every member of
        `REQUEST_MEMBERS` it holds of its type; ProtokitError otherwise. Checked here, once,
        so that no action meets a list where it expects a file's data (an internal error)."""
        try:
            raw = await limited_body(request, MAX_REQUEST)
        except ProtokitError:
            raise ProtokitError("the request is larger than any protocol file may be") from None
        try:
            sent = parse(decode(raw), name="request").data
        except JsonProblem as error:
            raise ProtokitError(f"the request is not JSON: {error}") from None
        for name in needs:
            if name not in sent:
                raise ProtokitError(f"the request has no {quoted(name)}")
        for name, (types, what) in REQUEST_MEMBERS.items():
            if name in sent and not isinstance(sent[name], types):
                raise ProtokitError(f"the request's {quoted(name)} must be {what}")
        return sent

    # Pages ------------------------------------------------------------------------------

    async def browse(request: Request) -> HTMLResponse:
        query = request.query_params.get("q", "")
        shown = request.query_params.get("kind", "")
        summaries = [
            s
            for s in await run_in_threadpool(bench.summaries)
            if s.matches(query) and (not shown or s.kind == shown)
        ]
        # A patient is named only on a line the search found by them (docs/workbench.md).
        found_patients = {s.path for s in summaries if s.patient and s.found_by_patient(query)}
        return page(
            "browse.html",
            files=summaries,
            found_patients=found_patients,
            query=query,
            kind=shown,
            title="Browse",
        )

    async def edit(request: Request) -> HTMLResponse:
        relative = request.query_params.get("path", "")
        try:
            raw, version = bench.folder.read(relative)
        except PathRefused as error:
            return page("message.html", 404, title="Not found", message=str(error))
        if raw is None:
            return page("message.html", 404, title="Not found", message=f"{relative}: no such file")
        try:  # read as `protokit validate` reads it: a byte-order mark allowed (H210)
            data = parse(decode(raw), name=relative).data
        except JsonProblem as problem:
            message = f"{problem.at(relative)} (not strict JSON); fix it in a text editor first"
            return page("message.html", 422, title="Cannot open", message=message)
        uri = data.get("$schema")
        kind = KIND_BY_URI.get(uri) if isinstance(uri, str) else None
        if kind is None:
            return page(
                "message.html",
                422,
                title="Cannot open",
                message=f"{relative}: not a protocol-kit file (no known $schema)",
            )
        imported = bench.imported_note(relative, raw) if kind.name == "protocol" else None
        return editor(kind.name, relative, data, version, imported=imported)

    def editor(
        kind: str,
        relative: str,
        data: dict[str, Any],
        version: str,
        protocol: Any = None,
        imported: str | None = None,
        answers: dict[str, str] | None = None,
        changed: list[str] | None = None,
    ) -> HTMLResponse:
        """`answers`: a follow-up's earlier screening answers, shown after each question;
        `changed`: what changed in its protocol since the earlier prescription."""
        questions = bench.screening_questions(data) if kind == "prescription" else {}
        for question, answer in (answers or {}).items():
            if question in questions:
                questions[question] += f" ({answer})"
        document = {
            "kind": kind,
            "path": relative,
            "version": version,
            "data": data,
            "languages": LANGUAGES,
            # A prescription's sheet is in its protocol's languages (a protocol's own are in
            # its form).
            "sheet_languages": bench.sheet_languages(data) if kind == "prescription" else None,
            "screening_questions": questions,
            "prescribed_exercises": (
                bench.prescribed_exercises(data, protocol) if kind == "prescription" else []
            ),
        }
        what = {
            "protocol": "Protocol",
            "exercise": "Library exercise",
            "prescription": "Prescription",
        }[kind]
        # Inside <script type="application/json">: no "<", ">" or "&" can close the element.
        embedded = (
            json.dumps(document)
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
        )
        library = [x for x in bench.summaries() if x.kind == "exercise"]
        return page(
            "edit.html",
            library=library,
            title=f"{what}: {relative}",
            kind=kind,
            path=relative,
            document=Markup(embedded),
            new=version == NEW_FILE,
            imported=imported,
            changed=changed or [],
        )

    async def new(request: Request) -> HTMLResponse:
        from protocol_kit.templates import new_exercise, new_protocol

        kind = request.query_params.get("kind", "")
        identifier = request.query_params.get("id", "").strip()
        # The library exercises ticked, in the order they were ticked (static/new.js; without
        # scripts, the order the page lists them); the form moves them.
        chosen = request.query_params.getlist("exercise")
        # The conditions' codes, as `protokit new protocol --condition`: one or several,
        # separated by commas or spaces.
        condition = request.query_params.get("condition", "").strip()
        choices = await run_in_threadpool(bench.library_choices) if kind in ("protocol", "") else []

        def again(status: int, error: str) -> HTMLResponse:
            return page(
                "new.html",
                status,
                title="New",
                kind=kind or "protocol",
                identifier=identifier,
                choices=choices,
                chosen=chosen,
                condition=condition,
                error=error,
            )

        if kind not in ("protocol", "exercise") or not IDENTIFIER.match(identifier):
            error = (
                ""
                if not identifier
                else ("An id is lower-case letters, digits and hyphens, such as knee-rehab.")
            )
            return again(200 if not identifier else 422, error)
        known = {choice for choice, _ in choices}
        unknown = next((e for e in chosen if e not in known), None)
        if unknown is not None:
            return again(422, f"No library exercise {quoted(unknown)} in this folder's library.")
        relative = f"{identifier}.json" if kind == "protocol" else f"library/{identifier}.json"
        raw, version = bench.folder.read(relative)
        if raw is not None:
            return again(409, f"{relative} already exists: open it from Browse.")
        if kind == "protocol":
            from protocol_kit.starter.conditions import (
                WORKBENCH,
                ConditionError,
                condition_codings,
                with_conditions,
            )

            try:  # read as `protokit new protocol --condition` reads it, in the same words
                codings = await run_in_threadpool(
                    condition_codings, [condition] if condition else [], WORKBENCH
                )
            except ConditionError as error:
                return again(422, f"Condition {error}")
            data = new_protocol(identifier, library_refs=tuple(dict.fromkeys(chosen)))
            with_conditions(data, codings)
        else:
            data = new_exercise(identifier)
        return editor(kind, relative, data, version)

    async def prescribe(request: Request) -> HTMLResponse:
        from protocol_kit.app.check import load_protocol
        from protocol_kit.templates import new_prescription

        chosen = request.query_params.get("protocol", "")
        earlier = request.query_params.get("from", "")
        summaries = await run_in_threadpool(bench.summaries)
        protocols = [s for s in summaries if s.kind == "protocol"]
        prescriptions = [s for s in summaries if s.kind == "prescription"]
        # The follow-ups of each prescription, by its path: it is not offered to follow up
        # again, the follow-up is (as `new prescription --from` refuses it, H1622).
        followed = {s.path: s.followed_by for s in prescriptions if s.followed_by}

        def prescribe_page(status: int = 200, **error: str) -> HTMLResponse:
            return page(
                "prescribe.html",
                status,
                title="Prescribe",
                protocols=protocols,
                prescriptions=prescriptions,
                followed=followed,
                **error,
            )

        if earlier:
            try:  # as `protokit new prescription --from` writes it
                relative, data, protocol, answers, changed = await run_in_threadpool(
                    bench.follow_up, earlier
                )
            except (PathRefused, ProtokitError) as error:
                return prescribe_page(422, error=f"{earlier}: cannot be followed up: {error}")
            return editor(
                "prescription", relative, with_the_phone_box(data), NEW_FILE, protocol,
                answers=answers, changed=changed,
            )  # fmt: skip
        if not chosen:
            return prescribe_page()
        try:
            path = bench.folder.resolve(chosen)
            with bench.busy:
                protocol = load_protocol(str(path), bench.checker())
        except (PathRefused, ProtokitError) as error:
            return prescribe_page(422, error=f"{chosen}: cannot be prescribed: {error}")
        # No override to start with: every exercise as the protocol has it, until the
        # therapist adds one to change or leave out (each entry was a TODO to delete, H719).
        data = prescription_for_the_form(new_prescription(protocol, overrides=False))
        # The file template lists goals and measures as TODOs to delete when unused; in the
        # form they are lists the therapist adds to, so the form starts without them.
        for optional in ("goals", "measures"):
            data.pop(optional, None)
        day = dt.date.today().isoformat()
        number = 1
        while True:
            relative = f"prescriptions/{protocol.id}-{day}-{number}.json"
            if bench.folder.read(relative)[0] is None:
                break
            number += 1
        return editor("prescription", relative, data, NEW_FILE, protocol)

    def described(code: str):
        from protocol_kit.report.catalogue import describe

        return describe(code) if RULE_CODE.fullmatch(code) else None

    async def rule(request: Request) -> HTMLResponse:
        found = described(request.path_params["code"])
        if found is None:
            return page("message.html", 404, title="Not found", message="no such rule")
        return page(
            "rule.html",
            title=f"{found.code}: {found.name}",
            rule=found,
            text=flowing(found.help_text),
        )

    async def rule_text(request: Request) -> JSONResponse:
        """A rule's explanation for the page to show at a finding: the text `protokit rules
        CODE` prints (report.catalogue, from the rule's own documentation)."""
        found = described(request.path_params["code"])
        if found is None:
            return problem(404, "no such rule")
        return JSONResponse(
            {
                "code": found.code,
                "name": found.name,
                "level": found.level,
                "text": flowing(found.help_text),
            }
        )

    # Actions (JSON) ---------------------------------------------------------------------

    async def schema(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in KIND_BY_NAME:
            return problem(404, "no such kind of file")
        schema = copy.deepcopy(form_schema(kind))
        # Pickers: the field offers the folder's library exercises, or the pictures beside the
        # file (lists of the edit page the browser shows as the therapist types); it still
        # takes any value.
        for definition, member, choices in PICKERS:
            field = schema["definitions"].get(definition, {}).get("properties", {}).get(member)
            if field is not None:
                field["options"] = {"inputAttributes": {"list": choices}}
        return JSONResponse(schema)

    async def check(request: Request) -> JSONResponse:
        try:
            sent = await body(request)
            report = await run_in_threadpool(bench.check, str(sent["path"]), sent["data"])
        except (ProtokitError, KeyError, TypeError) as error:
            return problem(422, str(error))
        findings = await run_in_threadpool(bench.findings_json, report.findings, sent["data"])
        return JSONResponse(
            {
                "findings": findings,
                "rules_waiting": report.rules_waiting,
            }
        )

    async def save(request: Request) -> JSONResponse:
        try:
            sent = await body(request)
            relative, data = str(sent["path"]), sent["data"]
            if not isinstance(data.get("$schema"), str) or data["$schema"] not in KIND_BY_URI:
                return problem(422, "not a protocol-kit file")
            version = await run_in_threadpool(
                bench.folder.save, relative, data, str(sent.get("version", ""))
            )
        except Conflict as conflict:
            # Yours as it would be written, in the order of the file on disk: a line-by-line
            # comparison of the two shows only what differs.
            mine = dumps(ordered_like(data, object_or_none(conflict.theirs) or {}))
            return JSONResponse(
                {
                    "conflict": True,
                    "theirs": conflict.theirs,
                    "mine": mine,
                    "version": conflict.version,
                },
                status_code=409,
            )
        except PathRefused as error:
            return problem(403, str(error))
        except (ProtokitError, KeyError, TypeError) as error:
            return problem(422, str(error))
        findings = (await run_in_threadpool(bench.check, relative, data)).findings
        errors = sum(1 for f in findings if finding_json(f)["severity"] == "error")
        return JSONResponse(
            {
                "version": version,
                "errors": errors,
                "findings": await run_in_threadpool(bench.findings_json, findings, data),
            }
        )

    async def preview(request: Request) -> JSONResponse:
        """The sheet as the form holds it: its key and page count; the page asks for the
        pages it shows (`preview_page`)."""
        try:
            sent = await body(request)
            key = sheet_key(
                f"{sent['path']}\n{dumps(sent['data'])}\n{bench.folder_version()}",
                bool(sent.get("large_print")),
                sent.get("language") or None,
            )
            sheet = await run_in_threadpool(previews.sheet, key, lambda: warned_sheet(sent))
        except NotPrintable as error:
            return JSONResponse({"refused": str(error)})
        except (PathRefused, KeyError, TypeError) as error:
            return problem(422, str(error))
        except ProtokitError as error:
            return JSONResponse({"refused": str(error)})
        answer = {"sheet": sheet.key, "pages": sheet.pages, "warnings": list(sheet.warnings)}
        return JSONResponse(answer)

    async def preview_page(request: Request) -> Response:
        key, number = request.path_params["key"], request.path_params["number"]
        # Read here, not by the route's `int` convertor: a number of thousands of digits is
        # more than Python converts (an internal error in the router), and no sheet has it.
        page = int(number) if PAGE_NUMBER.fullmatch(number) else 0
        image = await run_in_threadpool(previews.page, key, page) if page else None
        if image is None:
            return problem(404, "no such sheet or page: preview the sheet again")
        return Response(image, media_type="image/jpeg")

    def warned_sheet(sent: dict[str, Any]) -> tuple[bytes, tuple[str, ...]]:
        """The sheet and what `protokit render` would warn of it, for the preview to show
        beside it (H876: the workbench said nothing of the clinic's English texts on a
        French sheet)."""
        warnings: list[str] = []
        return sheet_of(sent, warnings.append), tuple(warnings)

    def sheet_of(sent: dict[str, Any], warned=None) -> bytes:
        relative, data = str(sent["path"]), sent["data"]
        large, language = bool(sent.get("large_print")), sent.get("language") or None
        if language is not None and language not in LANGUAGES:
            raise NotPrintable(f"no sheet wording in {quoted(language)}")
        if data.get("$schema") == KIND_BY_NAME["prescription"].uri:
            return bench.prescription_sheet(relative, data, large, language, warned)
        if data.get("$schema") != KIND_BY_NAME["protocol"].uri:
            # A library exercise (or any other file) has no sheet of its own.
            raise NotPrintable(
                f"{printable(relative)}: only a protocol or a prescription prints a sheet; a "
                "library exercise is printed on the sheet of a protocol that uses it"
            )
        return bench.protocol_sheet(relative, data, large, language, warned)

    async def print_sheet(request: Request) -> Response:
        """The PDF of a saved prescription (or protocol), as the file on disk holds it."""
        relative = request.query_params.get("path", "")
        try:
            raw, _ = bench.folder.read(relative)
            if raw is None:
                raise NotPrintable(f"{relative}: not saved yet")
            try:
                data = parse(decode(raw), name=relative).data
            except JsonProblem as problem:
                raise NotPrintable(problem.at(relative)) from None
            pdf = await run_in_threadpool(
                sheet_of,
                {
                    "path": relative,
                    "data": data,
                    "large_print": request.query_params.get("large_print") == "1",
                    "language": request.query_params.get("language") or None,
                },
            )
        except PathRefused as error:
            return page("message.html", 403, title="Refused", message=str(error))
        except ProtokitError as error:
            return page("message.html", 422, title="Not printable", message=str(error))
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"content-disposition": inline_disposition(Path(relative).stem + ".pdf")},
        )

    async def pictures(request: Request) -> JSONResponse:
        """GET: the pictures in the media folder beside a file. POST (the picture's bytes):
        save one there, checked as a sheet checks what it prints, never over another."""
        relative = request.query_params.get("path", "")
        try:
            if request.method == "POST":
                data = await limited_body(request, MAX_IMAGE_FILE)
                name = request.query_params.get("name", "")
                saved = await run_in_threadpool(bench.folder.save_picture, relative, name, data)
                return JSONResponse({"path": saved, "pictures": bench.folder.pictures(relative)})
            return JSONResponse({"pictures": bench.folder.pictures(relative)})
        except PathRefused as error:
            return problem(403, str(error))
        except PictureRefused as error:
            return problem(409 if isinstance(error, PictureTaken) else 422, str(error))
        except ProtokitError as error:
            return problem(422, str(error))

    async def picture_file(request: Request) -> Response:
        """One picture of the media folder beside a file, for the list to show."""
        relative = request.query_params.get("path", "")
        try:
            data = bench.folder.picture_bytes(relative, request.query_params.get("name", ""))
        except PathRefused as error:
            return problem(403, str(error))
        if data is None:
            return problem(404, "no such picture beside this file")
        kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        return Response(data, media_type=kind)

    async def picture(request: Request) -> Response:
        try:
            sent = await body(request, needs=())
        except ProtokitError as error:
            return problem(422, str(error))
        try:
            shown = await run_in_threadpool(
                bench.picture, str(sent.get("path", "")), sent.get("data") or {}
            )
        except PathRefused as error:
            return problem(403, str(error))
        if shown is None:
            return Response(status_code=204)
        return JSONResponse(shown)

    async def codes(request: Request) -> JSONResponse:
        from protocol_kit.terminology.search import search_codes

        found = await run_in_threadpool(search_codes, request.query_params.get("q", "")[:200])
        return JSONResponse(
            {
                "codes": [
                    {
                        "system": m.system,
                        "system_name": m.system_name,
                        "code": m.code,
                        "display": m.display,
                        "billable": m.billable,
                    }
                    for m in found
                ]
            }
        )

    routes = [
        Route("/", browse),
        Route("/edit", edit),
        Route("/new", new),
        Route("/prescribe", prescribe),
        Route("/rules/{code}", rule),
        Route("/print", print_sheet),
        Route("/api/schema/{kind}", schema),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/preview", preview, methods=["POST"]),
        Route("/api/preview/{key:str}/{number:str}.jpg", preview_page),
        Route("/api/picture", picture, methods=["POST"]),
        Route("/api/pictures", pictures, methods=["GET", "POST"]),
        Route("/api/pictures/file", picture_file),
        Route("/api/rules/{code}", rule_text),
        Route("/api/codes", codes),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def failure(request: Request, error: Exception) -> Response:
        # One line, never a traceback in the page; the terminal keeps the details for a report.
        import traceback

        traceback.print_exception(error)
        message = f"internal error: {type(error).__name__}: {error} (please report this)"
        if request.url.path.startswith("/api/"):
            return problem(500, message)
        return page("message.html", 500, title="Internal error", message=message)

    async def too_slow(request: Request, error: Exception) -> Response:
        # The body is not read to its end: the connection is closed after the answer.
        answer = problem(408, str(error))
        answer.headers["connection"] = "close"
        return answer

    async def gone(request: Request, error: Exception) -> Response:
        # The client left before its body arrived (H543): nobody reads an answer, and it is
        # no internal error to print a traceback for.
        return Response(status_code=400, headers={"connection": "close"})

    return Starlette(
        routes=routes,
        exception_handlers={BodyTooSlow: too_slow, ClientDisconnect: gone, Exception: failure},
    )
