"""The desk's pages: choose, fill in, check, preview, download; and CSV batches.

Nothing is kept between requests except a batch's report while it is fetched: the case travels
in the form itself (the preview's download buttons post the case YAML back), so closing the
browser tab forgets it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import PathLike, StaticFiles

from standardgen.cases.wording import WordingError
from standardgen.core.problems import InputError
from standardgen.core.templates import chain_of
from standardgen.desk import casedata, security
from standardgen.desk.batch import MAX_HELD, ZIP_SECONDS, BatchRunner, Busy, Job
from standardgen.desk.casedata import MAX_CASE, Issue, packed_size
from standardgen.desk.engine import Checked, Desk, repeat_counts
from standardgen.desk.fields import all_fields
from standardgen.desk.recent import Recent
from standardgen.letters.memo import MemoError
from standardgen.render.templating import environment

#: Request body limits. A filled-in form is small. The preview's downloads and "Ret sagen" post
#: the case back packed: sized for any case the desk takes (casedata.MAX_CASE, checked when the
#: case comes in). An upload may be larger, so that a file too large gets that located problem
#: with its size rather than this layer's bare refusal.
FORM_LIMIT = 256 * 1024
UPLOAD_LIMIT = 2 * 1024 * 1024 + 64 * 1024
CASE_FORM_LIMIT = packed_size(MAX_CASE) + 64 * 1024
BATCH_LIMIT = 4 * 1024 * 1024
MAX_FIELDS = 1000
ZIP_CHUNK = 256 * 1024  # a batch's zip is sent from the disk this much at a time

_TITLES = {400: "Forkert forespørgsel", 401: "Adgangsnøgle mangler", 403: "Afvist",
           404: "Siden findes ikke", 405: "Metoden er ikke tilladt", 408: "For langsom",
           413: "For stor", 500: "Der skete en fejl", 503: "Prøv igen om lidt"}
_TEXTS = {403: "Formularen var udløbet eller kom ikke fra skrivebordet. Gå tilbage, genindlæs "
               "siden og prøv igen.",
          404: "Adressen findes ikke på skrivebordet.",
          500: "Der skete en uventet fejl. Intet er gemt. Prøv igen, eller kontakt "
               "IT-supporten, hvis fejlen gentager sig."}


def limit_for(path: str) -> int:
    if path.startswith("/batch"):
        return BATCH_LIMIT
    if path == "/sag/indlaes":
        return UPLOAD_LIMIT
    if path == "/sag/ret" or path.startswith("/sag/hent/"):
        return CASE_FORM_LIMIT
    return FORM_LIMIT


@dataclass
class _Context:
    desk: Desk
    batches: BatchRunner
    csrf: security.Csrf
    templates: Path
    recent: Recent


def create_app(desk: Desk, *, token: str | None = None,
               allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "[::1]"),
               batches: BatchRunner | None = None) -> Any:
    """The ASGI app: the routes inside the guards (headers and errors, token, size limits).
    ``batches``: the batch runner, for a caller that closes it when the desk stops."""
    ctx = _Context(desk, batches or BatchRunner(desk.standard_paths, desk.folder,
                                                memo=desk.memo_for_all),
                   security.Csrf(), desk.folder, Recent())
    pages = _Pages(ctx)
    routes = [
        Route("/", pages.index),
        Route("/sag", pages.case_form, methods=["GET", "POST"]),
        Route("/sag/vis/{key}", pages.shown),
        Route("/sag/ret", pages.edit, methods=["POST"]),
        Route("/sag/kladde", pages.draft, methods=["POST"]),
        Route("/sag/samme-borger", pages.same_citizen, methods=["POST"]),
        Route("/sag/indlaes", pages.upload, methods=["POST"]),
        Route("/sag/hent/{what}", pages.download, methods=["POST"]),
        Route("/batch", pages.batch, methods=["GET", "POST"]),
        Route("/batch/skabelon.csv", pages.batch_template),
        Route("/batch/{job}", pages.batch_status),
        Route("/batch/{job}/afviste.csv", pages.batch_rejected),
        Route("/batch/{job}/status.json", pages.batch_json),
        Route("/batch/{job}/breve.zip", pages.batch_zip),
        Mount("/static", _Static([folder / "desk" / "static"
                                  for folder in chain_of(ctx.templates)]), name="static"),
    ]
    # An upload stays in memory (BodyLimit bounds it): never spooled to a file on disk.
    MultiPartParser.spool_max_size = BATCH_LIMIT
    app = Starlette(routes=routes, exception_handlers={
        HTTPException: pages.http_error, Exception: pages.server_error})
    hosts = set(allowed_hosts)

    async def host_check(scope: Any, receive: Any, send: Any) -> None:
        # DNS rebinding: a web page elsewhere must not reach the desk through a name of its own.
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if scope["type"] == "http" and "*" not in hosts and name not in hosts:
            response = HTMLResponse(pages.error_page(400, "Ukendt værtsnavn."), 400)
            await response(scope, receive, send)
            return
        await app(scope, receive, send)

    guarded: Any = security.BodyLimit(host_check, limit_for, pages.error_page)
    if token:
        guarded = security.AccessToken(guarded, token, pages.error_page)
    return security.Guard(guarded, pages.error_page)


class _Pages:
    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.env = environment(ctx.templates)

    # --- helpers -------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        cookie = request.cookies.get(security.CSRF_COOKIE)
        fresh = cookie is None
        if cookie is None:
            cookie = security.Csrf.new_cookie()
        html = self.env.get_template(f"desk/{name}").render(
            csrf=self.ctx.csrf.token(cookie), kinds=self.ctx.desk.kinds(), **values)
        response = HTMLResponse(html, status)
        if fresh:
            # Secure behind a TLS proxy: the cookie never travels in plain text after that.
            response.set_cookie(security.CSRF_COOKIE, cookie, httponly=True, samesite="strict",
                                path="/", secure=request.url.scheme == "https")
        return response

    def error_page(self, status: int, message: str) -> bytes:
        html = self.env.get_template("desk/error.html").render(
            title=_TITLES.get(status, "Fejl"), message=message or _TEXTS.get(status, ""))
        return html.encode("utf-8")

    async def http_error(self, request: Request, exc: Exception) -> Response:
        status = int(getattr(exc, "status_code", 500))
        return HTMLResponse(self.error_page(status, ""), status)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        # Starlette raises the exception again after this page; security.Guard logs its type.
        return HTMLResponse(self.error_page(500, ""), 500)

    async def posted(self, request: Request) -> FormData | Response:
        """The posted form once its CSRF token and origin are right; else a 403 page."""
        form = await request.form(max_files=1, max_fields=MAX_FIELDS)
        token = form.get(security.CSRF_FIELD)
        cookie = request.cookies.get(security.CSRF_COOKIE)
        if not (isinstance(token, str) and self.ctx.csrf.valid(cookie, token)
                and security.same_origin(request.headers, request.url.scheme)):
            await form.close()
            return HTMLResponse(self.error_page(403, ""), 403)
        return form

    async def posted_file(self, request: Request) -> bytes | Response:
        """The bytes of the posted file field ``fil`` (empty when none was chosen), read into
        memory and the form closed at once; a 403 page when the post is not the desk's own."""
        form = await self.posted(request)
        if isinstance(form, Response):
            return form
        upload = form.get("fil")
        raw = await upload.read() if isinstance(upload, UploadFile) else b""
        await form.close()
        return raw

    def case_page(self, request: Request, standard: str, kind: str, values: Mapping[str, str],
                  issues: Sequence[Issue] = (), repeats: Mapping[str, int] | None = None,
                  status: int = 200) -> Response:
        desk = self.ctx.desk
        groups = desk.groups(standard, kind, repeats)
        at_field = {issue.field.name: issue.message for issue in issues if issue.field}
        shown = casedata.as_typed(values, all_fields(groups))
        return self.render(request, "case.html", status, standard=desk.by_slug[standard],
                           kind=kind, kind_label=desk.kind_label(kind), groups=groups,
                           values=shown, issues=issues, at_field=at_field,
                           caseworkers=desk.caseworkers)

    async def checked_page(self, request: Request, checked: Checked, *,
                           values: Mapping[str, str],
                           repeats: Mapping[str, int] | None = None) -> Response:
        """The preview when the case may get a letter, else the form with every problem."""
        data = checked.data
        standard, kind = str(data.get("standard", "")), str(data.get("result", ""))
        if checked.ok and checked.source is not None:
            case = checked.source.case
            try:
                letter = self.ctx.desk.letter(case)
            except WordingError as exc:  # a fault in the letter's wording file, not the case
                return HTMLResponse(self.error_page(500, f"Brevskabelonen har en fejl: {exc}"),
                                    500)
            pages = await run_in_threadpool(self.ctx.desk.page_images, checked.yaml, case)
            return self.render(request, "preview.html", letter=letter,
                               packed=casedata.pack(checked.yaml), pages=pages,
                               follow_up=self.ctx.desk.has_follow_up(case),
                               memo=self.ctx.desk.has_memo(case))
        if not self.ctx.desk.valid_choice(standard, kind):
            return self.render(request, "index.html", 422, **self.index_values(),
                               issues=list(checked.issues) or [Issue(
                                   "sagen nævner ingen kendt standard og brevtype")])
        return self.case_page(request, standard, kind, values, checked.issues, repeats, 422)

    def index_values(self) -> dict[str, Any]:
        return {"municipalities": self.ctx.desk.municipalities()}

    # --- pages ---------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        return self.render(request, "index.html", **self.index_values(), issues=[])

    async def case_form(self, request: Request) -> Response:
        desk = self.ctx.desk
        if request.method == "GET":
            standard = request.query_params.get("standard", "")
            kind = request.query_params.get("kind", "")
            if not desk.valid_choice(standard, kind):
                return self.render(request, "index.html", 422, **self.index_values(),
                                   issues=_choice_issues(desk, standard, kind))
            return self.case_page(request, standard, kind, desk.defaults(dt.date.today()))
        posted = await self.posted_case_form(request)
        if isinstance(posted, Response):
            return posted
        values, standard, kind = posted
        added, removed = values.pop("tilfoej", ""), values.pop("fjern", "")
        if removed:  # "Fjern mål": the form again, without that goal
            return self.redirect(request, casedata.without_slot(values, removed), "form")
        return self.redirect(request, values, f"add:{added}" if added else "check")

    def redirect(self, request: Request, values: Mapping[str, str], mode: str,
                 raw: bytes = b"") -> Response:
        """Post/Redirect/Get: the posted values (or case file) in memory, the page behind a
        GET."""
        owner = request.cookies.get(security.CSRF_COOKIE, "")
        key = self.ctx.recent.put(owner, values, mode, raw)
        return RedirectResponse(f"/sag/vis/{key}", 303)

    async def shown(self, request: Request) -> Response:
        """The page a post led to: the preview, the form with its problems, or the form."""
        desk = self.ctx.desk
        entry = self.ctx.recent.get(request.path_params["key"],
                                    request.cookies.get(security.CSRF_COOKIE, ""))
        if entry is None:
            return HTMLResponse(self.error_page(404, _EXPIRED), 404)
        values = dict(entry.values)
        standard, kind = values.get("standard", ""), values.get("result", "")
        if not desk.valid_choice(standard, kind):
            return HTMLResponse(self.error_page(404, _EXPIRED), 404)
        repeats = desk.posted_repeats(values, standard, kind)
        if entry.mode.startswith("add:"):
            name = entry.mode.removeprefix("add:")
            repeats[name] = max(1, repeats.get(name, 0)) + 1
        if entry.mode != "check":
            return self.case_page(request, standard, kind, values, repeats=repeats)
        if entry.raw:  # an uploaded case file: checked as `standardgen letter` reads it
            checked = await run_in_threadpool(desk.check_yaml, entry.raw)
            return await self.checked_page(request, checked,
                                           values=casedata.to_form(checked.data),
                                           repeats=_repeats(checked.data))
        checked = await run_in_threadpool(desk.check_form, values, standard, kind, repeats)
        if checked.form_rules:
            # The form's own rules failed: show what was typed, slot for slot.
            return await self.checked_page(request, checked, values=values, repeats=repeats)
        return await self.checked_page(request, checked,
                                       values=casedata.to_form(checked.data),
                                       repeats=_repeats(checked.data))

    async def edit(self, request: Request) -> Response:
        """Back from the preview to the form, filled in with the case."""
        form = await self.posted(request)
        if isinstance(form, Response):
            return form
        checked = await run_in_threadpool(self._check_packed, form)
        data = checked.data
        standard, kind = str(data.get("standard", "")), str(data.get("result", ""))
        if not self.ctx.desk.valid_choice(standard, kind):
            return await self.checked_page(request, checked, values={})
        return self.redirect(request, casedata.to_form(data), "form")

    async def same_citizen(self, request: Request) -> Response:
        """"Nyt brev til samme borger": a new case of the chosen kind, with the standard, the
        citizen, the caseworker and the case number kept."""
        desk = self.ctx.desk
        form = await self.posted(request)
        if isinstance(form, Response):
            return form
        checked = await run_in_threadpool(self._check_packed, form)
        kind = form.get("kind")
        standard = str(checked.data.get("standard", ""))
        if not isinstance(kind, str) or not desk.valid_choice(standard, kind):
            return self.render(request, "index.html", 422, **self.index_values(),
                               issues=_choice_issues(desk, standard, str(kind or "")))
        kept = {key: checked.data[key] for key in _KEPT if key in checked.data}
        values = {**casedata.to_form(kept), **desk.defaults(dt.date.today()),
                  "standard": standard, "result": kind}
        return self.redirect(request, values, "form")

    async def posted_case_form(self, request: Request
                               ) -> Response | tuple[dict[str, str], str, str]:
        """A posted case form's values, standard and letter kind; or the page to answer with
        (a refused post, or the start page when the standard or kind is not one offered)."""
        form = await self.posted(request)
        if isinstance(form, Response):
            return form
        values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        standard, kind = values.get("standard", ""), values.get("result", "")
        if not self.ctx.desk.valid_choice(standard, kind):
            return self.render(request, "index.html", 422, **self.index_values(),
                               issues=_choice_issues(self.ctx.desk, standard, kind))
        return values, standard, kind

    async def draft(self, request: Request) -> Response:
        """"Gem kladde": the case as it is, problems and all, marked as a draft."""
        desk = self.ctx.desk
        posted = await self.posted_case_form(request)
        if isinstance(posted, Response):
            return posted
        values, standard, kind = posted
        repeats = desk.posted_repeats(values, standard, kind)
        body, name = desk.draft(values, standard, kind, repeats)
        return Response(body, media_type="application/yaml", headers={
            "content-disposition": f'attachment; filename="{name}"'})

    async def upload(self, request: Request) -> Response:
        raw = await self.posted_file(request)
        if isinstance(raw, Response):
            return raw
        if not raw:
            return self.render(request, "index.html", 422, **self.index_values(),
                               issues=[Issue("vælg en sags-YAML-fil at indlæse")])
        checked = await run_in_threadpool(self.ctx.desk.check_yaml, casedata.undrafted(raw))
        data = checked.data
        if not self.ctx.desk.valid_choice(str(data.get("standard", "")),
                                          str(data.get("result", ""))):
            return await self.checked_page(request, checked, values=casedata.to_form(data))
        # A draft or a finished case: checked again behind a GET, so Back never re-posts.
        return self.redirect(request, casedata.to_form(data), "check", checked.yaml)

    async def download(self, request: Request) -> Response:
        what = request.path_params["what"]
        if what not in _DOWNLOADS:
            return HTMLResponse(self.error_page(404, ""), 404)
        form = await self.posted(request)
        if isinstance(form, Response):
            return form
        if what == "brev.pdf":  # the letter just previewed: the very bytes its pages showed
            kept = self.ctx.desk.checked_pdf(_unpacked(form))
            if kept is not None:
                return Response(kept[1], media_type="application/pdf", headers={
                    "content-disposition": f'attachment; filename="{kept[0]}.pdf"'})
        checked = await run_in_threadpool(self._check_packed, form)
        source = checked.source
        if not checked.ok or source is None:  # a case with any error produces nothing
            return await self.checked_page(request, checked,
                                           values=casedata.to_form(checked.data),
                                           repeats=_repeats(checked.data))
        case = source.case
        suffix, media = _DOWNLOADS[what]
        if what == "sag.yaml":
            body = checked.yaml
        elif what == "brev.memo.xml":
            if not self.ctx.desk.has_memo(case):
                return HTMLResponse(self.error_page(404, "Kommunefilen mangler CVR-nummeret, "
                                                    "som Digital Post-beskeden skal have."), 404)
            try:
                body = await run_in_threadpool(self.ctx.desk.memo, case)
            except MemoError as exc:  # e.g. an address line too long for remote print
                return HTMLResponse(self.error_page(422, f"Digital Post-beskeden kunne ikke "
                                                    f"laves: {exc}."), 422)
        elif what.startswith("opfoelgning"):
            if not self.ctx.desk.has_follow_up(case):
                return HTMLResponse(self.error_page(404, "Denne brevtype har intet "
                                                    "opfølgningsskema."), 404)
            body = await run_in_threadpool(self.ctx.desk.follow_up, case, suffix)
        else:
            make = self.ctx.desk.pdf if suffix == "pdf" else self.ctx.desk.docx
            body = await run_in_threadpool(make, case)
        # As the command line names them: a later decision never takes the grant's file name.
        name = case.case_number + case.kind.file_suffix
        name += "-opfoelgning" if what.startswith("opfoelgning") else ""
        return Response(body, media_type=media, headers={
            "content-disposition": f'attachment; filename="{name}.{suffix}"'})

    def _check_packed(self, form: FormData) -> Checked:
        packed = form.get("sag")
        try:
            raw = casedata.unpack(packed if isinstance(packed, str) else "")
        except InputError as exc:
            return Checked({}, None, tuple(casedata.issues(exc.problems, None, ())), b"")
        return self.ctx.desk.check_yaml(raw)

    # --- batches -------------------------------------------------------------------------

    async def batch(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "batch.html", issues=[], **self.index_values())
        raw = await self.posted_file(request)
        if isinstance(raw, Response):
            return raw
        if not raw:
            return self.render(request, "batch.html", 422, **self.index_values(),
                               issues=[Issue("vælg en CSV-fil med sager")])
        owner = request.cookies.get(security.CSRF_COOKIE, "")
        try:
            job_id = self.ctx.batches.start(raw, owner)
        except Busy as busy:
            return HTMLResponse(self.error_page(503, _busy_message(busy)), 503)
        return RedirectResponse(f"/batch/{job_id}", 303)

    def _job(self, request: Request) -> Any:
        owner = request.cookies.get(security.CSRF_COOKIE, "")
        return self.ctx.batches.get(request.path_params["job"], owner)

    async def batch_status(self, request: Request) -> Response:
        job = self._job(request)
        if job is None:
            return HTMLResponse(self.error_page(404, "Kørslen findes ikke (længere)."), 404)
        return self.render(request, "batch_status.html", job=job,
                           job_id=request.path_params["job"])

    async def batch_json(self, request: Request) -> Response:
        job = self._job(request)
        if job is None:
            return JSONResponse({"fundet": False}, 404)
        return JSONResponse({"fundet": True, "faerdig": job.finished, "i_alt": job.total,
                             "skrevet": job.done})

    async def batch_template(self, request: Request) -> Response:
        """The CSV template for a standard and a letter kind, with Danish headings."""
        desk = self.ctx.desk
        standard = request.query_params.get("standard", "")
        kind = request.query_params.get("kind", "")
        if not desk.valid_choice(standard, kind):
            return HTMLResponse(self.error_page(404, "Vælg en standard og en brevtype."), 404)
        name = f"skabelon-{standard}-{kind}.csv"
        return Response(desk.csv_template(standard, kind), media_type="text/csv",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    async def batch_rejected(self, request: Request) -> Response:
        job = self._job(request)
        path = job.rejected if job is not None and job.finished else None
        try:  # gone with the batch's folder once the zip (which holds it too) was fetched
            body = await run_in_threadpool(path.read_bytes) if path is not None else b""
        except FileNotFoundError:
            body = b""
        if not body:
            return HTMLResponse(self.error_page(404, "De afviste rækker er ikke her længere; "
                                                "de ligger også i zip-filen."), 404)
        return Response(body, media_type="text/csv", headers={
            "content-disposition": 'attachment; filename="afviste-raekker.csv"'})

    async def batch_zip(self, request: Request) -> Response:
        job = self._job(request)
        path = job.archive if job is not None and job.finished else None
        try:
            handle = open(path, "rb") if path is not None else None  # noqa: SIM115
        except FileNotFoundError:  # deleted a moment ago: fetched, or expired
            handle = None
        if job is None or handle is None:
            return HTMLResponse(self.error_page(404, "Der er ingen breve at hente."), 404)
        size = os.fstat(handle.fileno()).st_size
        return StreamingResponse(self._zip_chunks(handle, job), media_type="application/zip",
                                 headers={"content-disposition": 'attachment; filename="breve.zip"',
                                          "content-length": str(size)})

    async def _zip_chunks(self, handle: BinaryIO, job: Job) -> AsyncIterator[bytes]:
        """The zip from the disk, a chunk at a time; deleted once every chunk was sent (a
        download the browser broke off leaves it for another try)."""
        try:
            while chunk := await run_in_threadpool(handle.read, ZIP_CHUNK):
                yield chunk
        finally:
            handle.close()
        self.ctx.batches.delivered(job)


_EXPIRED = ("Siden er udløbet eller hører til en anden browser: skrivebordet husker en udfyldt "
            "formular i 30 minutter. Start forfra, eller indlæs en gemt kladde eller sagsfil.")
#: What "Nyt brev til samme borger" keeps of the case.
_KEPT = ("case_number", "citizen", "caseworker", "channel")

_DOWNLOADS = {
    "brev.pdf": ("pdf", "application/pdf"),
    "brev.docx": ("docx", "application/vnd.openxmlformats-officedocument."
                          "wordprocessingml.document"),
    "opfoelgning.pdf": ("pdf", "application/pdf"),
    "opfoelgning.docx": ("docx", "application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.document"),
    "sag.yaml": ("yaml", "application/yaml"),
    "brev.memo.xml": ("memo.xml", "application/xml"),  # Digital Post (MeMo), the PDF inside
}


class _Static(StaticFiles):
    """The desk's static files from the real template folders, a municipality's own first. A
    merged view of overrides holds symbolic links, which StaticFiles rightly refuses to follow
    out of the folder it serves (every file was a 404); in each real folder it still refuses a
    link that leads out of it."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self._folders: list[PathLike] = [str(folder) for folder in folders if folder.is_dir()]
        super().__init__(directory=None, check_dir=False)

    def get_directories(self, directory: PathLike | None = None,
                        packages: list[str | tuple[str, str]] | None = None) -> list[PathLike]:
        return list(self._folders)


def _busy_message(busy: Busy) -> str:
    if busy.running:
        return "Der kører allerede to kørsler. Vent, til en af dem er færdig."
    return (f"Skrivebordet har allerede {MAX_HELD} kørsler, hvis breve ikke er hentet. Hent "
            f"dem, eller vent {ZIP_SECONDS // 60} minutter: så slettes de.")


def _unpacked(form: FormData) -> bytes:
    """The case file a form carries back (empty when it is broken: then the check says so)."""
    packed = form.get("sag")
    try:
        return casedata.unpack(packed if isinstance(packed, str) else "")
    except InputError:
        return b""


def _repeats(data: Mapping[str, Any]) -> dict[str, int]:
    return repeat_counts(data)


def _choice_issues(desk: Desk, standard: str, kind: str) -> list[Issue]:
    found = []
    if standard not in desk.by_slug:
        found.append(Issue("Vælg en standard", anchor="standard-0"))
    if kind not in {k.value for k in desk.kinds()}:
        found.append(Issue("Vælg en brevtype", anchor="kind-0"))
    return found
