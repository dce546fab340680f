"""The survey web app: admin pages, respondent pages, and the dashboard.

Every form carries a CSRF token: admin forms an HMAC of the session token, the sign-in form an
HMAC of a pre-session cookie, respondent forms a signed one-time token that is also the
idempotency key of the submission. Status codes: 403 bad or missing CSRF token, 404 unknown
link, 410 closed round, 413 body too large, 422 invalid answers, 503 database unavailable.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from mlorg.errors import SpecError
from mlorg.survey.catalog import instrument, instruments
from mlorg.web import store
from mlorg.web.charts import stylesheet as charts_stylesheet
from mlorg.web.config import ANSWERED_COOKIE_DAYS, WebConfig
from mlorg.web.dashboard import dashboard_context, role_names
from mlorg.web.forms import BadForm, Form, answers, invitations, link_token_ok, read_form, round_id_ok, team_id_ok
from mlorg.web.pages import TeamNames, duration, problem_parts, safe_label, ticks, words
from mlorg.web.security import BodyLimit, SecurityHeaders, Signer, digest, new_token
from mlorg.web.writer import AnswerWriter

log = logging.getLogger("mlorg.web")

#: Dashboard builds run on this many threads of their own: a burst of dashboard views never takes
#: the threads that respondents' requests need (those run on the server's shared thread pool).
DASHBOARD_BUILDS = 2


class Refused(Exception):
    """A request refused with a status and a plain explanation page."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def create_app(engine: Engine, config: WebConfig | None = None) -> FastAPI:
    """Build the app on an engine whose schema is already migrated (see ``mlorg.storage.migrate``)."""
    cfg = config or WebConfig()
    signer = Signer(store.server_secret(engine))
    env = Environment(loader=PackageLoader("mlorg.web", "templates"), autoescape=select_autoescape(default=True))
    env.filters["ticks"] = ticks
    env.filters["words"] = words
    session_cookie = "__Host-mlorg_session" if cfg.secure_cookies else "mlorg_session"
    pre_cookie = "__Host-mlorg_pre" if cfg.secure_cookies else "mlorg_pre"
    cookie_prefix = "__Host-" if cfg.secure_cookies else ""

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    writer = AnswerWriter(engine)
    app.state.answer_writer = writer
    builds = ThreadPoolExecutor(DASHBOARD_BUILDS, thread_name_prefix="mlorg-dashboard")

    async def dashboard(round_id: str) -> dict[str, Any]:
        return await asyncio.wrap_future(builds.submit(_dashboard, engine, round_id))

    @app.get("/static/charts.css")  # before the static mount, which would answer 404 for it
    async def charts_css() -> Response:
        """The report charts' styles (one stylesheet for every round: they depend on the chart kind only)."""
        return Response(await run_in_threadpool(charts_stylesheet), media_type="text/css; charset=utf-8")

    app.mount("/static", StaticFiles(directory=str(resources.files("mlorg.web").joinpath("static"))), name="static")

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def refused_page(exc: Refused) -> HTMLResponse:
        return page("message.html", exc.status, title=exc.title, message=exc.message)

    def set_cookie(resp: Response, name: str, value: str, max_age: int | None = None) -> None:
        resp.set_cookie(
            name, value, max_age=max_age, path="/", secure=cfg.secure_cookies, httponly=True, samesite="strict"
        )

    async def form_of(request: Request, *, lists: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> Form:
        try:
            data = await request.form(max_files=1, max_fields=200)
        except (ValueError, AssertionError, ClientDisconnect) as exc:
            raise Refused(400, "Bad request", "The form could not be read; nothing was stored.") from exc
        except StarletteHTTPException as exc:
            raise Refused(exc.status_code, "Bad request", "The form could not be read.") from exc
        try:
            return read_form(data, lists=lists, files=files)
        except BadForm as exc:
            raise Refused(400, "Bad request", f"The form was malformed: {exc}.") from exc

    def field(form: Form, name: str) -> str:
        return form.get(name)

    async def admin_token(request: Request) -> str | None:
        token = request.cookies.get(session_cookie)
        ok = await run_in_threadpool(store.session_valid, engine, token)
        return token if ok else None

    async def require_admin_post(
        request: Request, *, lists: tuple[str, ...] = (), files: tuple[str, ...] = ()
    ) -> tuple[str, Form]:
        token = await admin_token(request)
        form = await form_of(request, lists=lists, files=files)
        if token is None:
            raise Refused(403, "Signed out", "Your session has ended. Sign in again; nothing was changed.")
        if not signer.check("csrf", token, field(form, "csrf_token")):
            raise Refused(403, "Form expired", "This form's security token is missing or wrong; nothing was changed.")
        return token, form

    # --- errors ------------------------------------------------------------------------------

    @app.exception_handler(Refused)
    async def _refused(_request: Request, exc: Refused) -> HTMLResponse:
        return refused_page(exc)

    @app.exception_handler(SQLAlchemyError)
    async def _db_error(_request: Request, exc: SQLAlchemyError) -> HTMLResponse:
        log.error("database error: %s", type(exc).__name__)
        return page(
            "message.html",
            503,
            title="Database unavailable",
            message="The survey database could not be reached, so nothing was stored. Please try again in a minute.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        titles = {404: "Not found", 405: "Not allowed"}
        return page(
            "message.html",
            exc.status_code,
            title=titles.get(exc.status_code, "Request refused"),
            message="There is nothing here. Check the link you were given.",
        )

    @app.exception_handler(Exception)
    async def _internal(_request: Request, exc: Exception) -> HTMLResponse:
        log.error("internal error: %s", type(exc).__name__)
        return page(
            "message.html", 500, title="Something went wrong", message="The server hit an error; nothing was stored."
        )

    # --- admin -------------------------------------------------------------------------------

    @app.get("/")
    async def home() -> Response:
        return RedirectResponse("/admin", status_code=303)

    @app.get("/healthz")
    async def healthz() -> Response:
        return Response("ok\n", media_type="text/plain")

    @app.get("/admin/login")
    async def login_form(request: Request) -> Response:
        if await admin_token(request):
            return RedirectResponse("/admin", status_code=303)
        pre = request.cookies.get(pre_cookie) or new_token()
        has_admin = await run_in_threadpool(store.admin_exists, engine)
        resp = page("login.html", csrf_token=signer.sign("login", pre), has_admin=has_admin, error=None)
        set_cookie(resp, pre_cookie, pre)
        return resp

    @app.post("/admin/login")
    async def login(request: Request) -> Response:
        form = await form_of(request)
        pre = request.cookies.get(pre_cookie, "")
        if not pre or not signer.check("login", pre, field(form, "csrf_token")):
            raise Refused(403, "Form expired", "This form's security token is missing or wrong. Reload the page.")
        client = signer.sign("client", request.client.host if request.client else "")[:32]
        try:
            token = await run_in_threadpool(store.sign_in, engine, field(form, "password"), client)
        except store.Throttled as exc:
            wait = max(1, math.ceil(exc.wait))
            slow = page(
                "message.html",
                429,
                title="Too many failed sign-ins",
                message=f"Too many wrong passwords were tried. Wait {duration(wait)} before trying again; "
                "an admin can also set a new password with",
                command="mlorg serve --init-admin",
            )
            slow.headers["retry-after"] = str(wait)
            return slow
        if token is None:
            has_admin = await run_in_threadpool(store.admin_exists, engine)
            return page(
                "login.html", 401, csrf_token=signer.sign("login", pre), has_admin=has_admin, error="Wrong password."
            )
        resp = RedirectResponse("/admin", status_code=303)
        set_cookie(resp, session_cookie, token, max_age=store.SESSION_HOURS * 3600)
        resp.delete_cookie(pre_cookie, path="/", secure=cfg.secure_cookies, httponly=True, samesite="strict")
        return resp

    @app.post("/admin/logout")
    async def logout(request: Request) -> Response:
        token, _form = await require_admin_post(request)
        await run_in_threadpool(store.sign_out, engine, token)
        resp = RedirectResponse("/admin/login", status_code=303)
        resp.delete_cookie(session_cookie, path="/", secure=cfg.secure_cookies, httponly=True, samesite="strict")
        return resp

    @app.get("/admin")
    async def admin_home(request: Request) -> Response:
        token = await admin_token(request)
        if token is None:
            return RedirectResponse("/admin/login", status_code=303)
        rounds = await run_in_threadpool(store.list_rounds, engine)
        return page("admin.html", rounds=rounds, instruments=instruments(), csrf_token=signer.sign("csrf", token))

    @app.post("/admin/rounds")
    async def create_round(request: Request) -> Response:
        token, form = await require_admin_post(request, lists=("instruments",), files=("spec_file",))
        title = field(form, "title")
        spec_text = field(form, "spec_text")
        label = "pasted spec"
        upload = form.file("spec_file")
        if upload is not None and upload.filename:
            raw = await upload.read()
            try:
                spec_text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                spec_text = ""
                problems = [("", "The uploaded file is not UTF-8 text.")]
                return page(
                    "admin.html",
                    422,
                    rounds=await run_in_threadpool(store.list_rounds, engine),
                    instruments=instruments(),
                    csrf_token=signer.sign("csrf", token),
                    problems=problems,
                    title=title,
                )
            label = safe_label(upload.filename)
        chosen = form.getlist("instruments")
        counts, count_problems = invitations(field(form, "invitations"))
        try:
            if count_problems:
                raise SpecError(count_problems)
            created = await run_in_threadpool(store.create_round, engine, title, spec_text, label, chosen, counts)
        except SpecError as exc:
            return page(
                "admin.html",
                422,
                rounds=await run_in_threadpool(store.list_rounds, engine),
                instruments=instruments(),
                csrf_token=signer.sign("csrf", token),
                problems=[problem_parts(p) for p in exc.problems],
                title=title,
                spec_text=spec_text,
                invitations=field(form, "invitations"),
            )
        # The links are shown on this one page: the database keeps only their hashes.
        ctx = await dashboard(created.id)
        return page(
            "round.html",
            201,
            csrf_token=signer.sign("csrf", token),
            base_url=cfg.public_url or "",
            fresh=created.tokens,
            **ctx,
        )

    @app.post("/admin/rounds/{round_id}/links/{team_id}")
    async def reissue_link(request: Request, round_id: str, team_id: str) -> Response:
        token, _form = await require_admin_post(request)
        _known_round_id(round_id)
        if not team_id_ok(team_id):
            raise Refused(404, "Not found", "There is no such team link in this round.")
        try:
            link_token = await run_in_threadpool(store.new_link, engine, round_id, team_id)
        except store.NotFound:
            raise Refused(404, "Not found", "There is no such team link in this round.") from None
        ctx = await dashboard(round_id)
        return page(
            "round.html",
            csrf_token=signer.sign("csrf", token),
            base_url=cfg.public_url or "",
            fresh={team_id: link_token},
            **ctx,
        )

    @app.get("/admin/rounds/{round_id}")
    async def round_dashboard(request: Request, round_id: str) -> Response:
        token = await admin_token(request)
        if token is None:
            return RedirectResponse("/admin/login", status_code=303)
        ctx = await dashboard(round_id)
        # Links are built from the configured public address only, never from the Host header.
        return page("round.html", csrf_token=signer.sign("csrf", token), base_url=cfg.public_url or "", fresh={}, **ctx)

    async def confirm_close_page(round_id: str, token: str) -> HTMLResponse:
        view, answered = await run_in_threadpool(_round_and_count, engine, round_id)
        return page("confirm_close.html", round=view, answers=answered, csrf_token=signer.sign("csrf", token))

    @app.get("/admin/rounds/{round_id}/close")
    async def close_form(request: Request, round_id: str) -> Response:
        """Closing asks first, on a page of its own (no script needed); nothing changes until it is answered."""
        token = await admin_token(request)
        if token is None:
            return RedirectResponse("/admin/login", status_code=303)
        return await confirm_close_page(round_id, token)

    @app.post("/admin/rounds/{round_id}/close")
    async def close(request: Request, round_id: str) -> Response:
        """Close only with ``confirm=yes`` (sent by the confirmation page); without it, ask."""
        token, form = await require_admin_post(request)
        _known_round_id(round_id)
        if field(form, "confirm") != "yes":
            return await confirm_close_page(round_id, token)
        return await set_closed(round_id, store.close_round, "closed")

    @app.post("/admin/rounds/{round_id}/reopen")
    async def reopen(request: Request, round_id: str) -> Response:
        await require_admin_post(request)
        _known_round_id(round_id)
        return await set_closed(round_id, store.reopen_round, "reopened")

    async def set_closed(round_id: str, change: Callable[[Engine, str], bool], done: str) -> Response:
        """Close or reopen (``change``), log it if anything changed, and go back to the round."""
        try:
            changed = await run_in_threadpool(change, engine, round_id)
        except store.NotFound:
            raise Refused(404, "Not found", "There is no such survey round.") from None
        if changed:
            log.info("survey round %s %s", round_id, done)
        return RedirectResponse(f"/admin/rounds/{round_id}", status_code=303)

    @app.get("/admin/rounds/{round_id}/answers.csv")
    async def export(request: Request, round_id: str) -> Response:
        if await admin_token(request) is None:
            return RedirectResponse("/admin/login", status_code=303)
        text = await run_in_threadpool(_export, engine, round_id)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="answers-{round_id}.csv"'},
        )

    # --- respondents -------------------------------------------------------------------------

    names = TeamNames()
    roles = role_names()  # id -> display name, in the order the form lists them

    async def team_name(view: store.RoundView, team_id: str) -> str:
        return await run_in_threadpool(names.name, view, team_id)

    def answered_cookie(link_token: str) -> str:
        return f"{cookie_prefix}mlorg_answered_{digest(link_token)[:16]}"

    @app.get("/s/{link_token}")
    async def respond_form(request: Request, link_token: str) -> Response:
        view, link = await _link(engine, link_token)
        if request.cookies.get(answered_cookie(link_token)):
            return page(
                "message.html",
                title="Already answered",
                message="You have already answered this survey from this browser. Thank you: your answers "
                "are kept, and only one answer per person counts.",
            )
        return page(
            "respond.html",
            round=view,
            team=await team_name(view, link.team_id),
            link=link,
            instruments=[i for iid in view.instruments if (i := instrument(iid))],
            roles=roles,
            csrf_token=signer.form_token(link_token),
            link_token=link_token,
            errors={},
            chosen={},
        )

    @app.post("/s/{link_token}")
    async def respond(request: Request, link_token: str) -> Response:
        view, link = await _link(engine, link_token)
        form = await form_of(request)
        nonce = signer.form_nonce(link_token, field(form, "csrf_token"))
        if nonce is None:
            raise Refused(403, "Form expired", "This form's security token is missing or wrong; nothing was stored.")
        thanks = RedirectResponse(f"/s/{link_token}/thanks", status_code=303)
        if request.cookies.get(answered_cookie(link_token)):
            if await run_in_threadpool(store.nonce_used, engine, nonce):
                return thanks  # the same form sent again (a retry): it was counted once
            raise Refused(
                409,
                "Already answered",
                "You have already answered this survey from this browser, so this second answer was not "
                "stored. Your first answers are kept.",
            )
        asked = [i for iid in view.instruments if (i := instrument(iid))]
        try:
            values, role, errors = answers(form, asked)
        except BadForm as exc:
            raise Refused(400, "Bad request", f"The form was malformed: {exc}.") from exc
        if errors:
            return page(
                "respond.html",
                422,
                round=view,
                team=await team_name(view, link.team_id),
                link=link,
                instruments=asked,
                roles=roles,
                csrf_token=field(form, "csrf_token"),
                link_token=link_token,
                errors=errors,
                chosen=dict(form.fields),
            )
        try:
            # Stored by the process's answer writer, in the next group commit; answered once committed.
            await asyncio.wrap_future(writer.submit(store.Submission(link_token, nonce, role, values)))
        except store.Closed:
            raise Refused(410, "Survey closed", "This survey has closed; your answers were not stored.") from None
        except store.NotFound:
            raise Refused(404, "Unknown link", "This survey link is not valid.") from None
        except store.Full:
            team = await team_name(view, link.team_id)
            raise Refused(
                409,
                "All answers are in",
                f"This link takes answers from {link.invitations} people of team {team}, and that many "
                "have been given, so yours was not stored. If you have not answered before, tell the person "
                "who sent you the link: someone may have answered more than once.",
            ) from None
        thanks.set_cookie(
            answered_cookie(link_token),
            "1",
            max_age=ANSWERED_COOKIE_DAYS * 86400,
            path="/",
            secure=cfg.secure_cookies,
            httponly=True,
            samesite="lax",  # sent when the respondent follows the link from an email again
        )
        return thanks

    @app.get("/s/{link_token}/thanks")
    async def thanks(link_token: str) -> Response:
        view, link = await _link(engine, link_token, allow_closed=True)
        return page("thanks.html", round=view, team=await team_name(view, link.team_id))

    return _with_middleware(app, cfg)


def _with_middleware(app: FastAPI, cfg: WebConfig) -> FastAPI:
    """Security headers outermost, so every response carries them, the body limit's own 413 included;
    then the body limit, before anything reads the body (the last middleware added runs first)."""

    def limit_for(path: str) -> int:
        return cfg.admin_body_limit if path.startswith("/admin") else cfg.respondent_body_limit

    app.add_middleware(BodyLimit, limit_for=limit_for)
    app.add_middleware(SecurityHeaders, hsts=cfg.secure_cookies)
    return app


async def _link(
    engine: Engine, link_token: str, *, allow_closed: bool = False
) -> tuple[store.RoundView, store.LinkView]:
    if not link_token_ok(link_token):
        raise Refused(404, "Unknown link", "This survey link is not valid. Check the link you were given.")
    try:
        view, link = await run_in_threadpool(store.link_round, engine, link_token)
    except store.NotFound:
        raise Refused(404, "Unknown link", "This survey link is not valid. Check the link you were given.") from None
    if view.closed and not allow_closed:
        raise Refused(410, "Survey closed", "This survey has closed and no longer takes answers. Thank you.")
    return view, link


def _known_round_id(round_id: str) -> None:
    if not round_id_ok(round_id):
        raise Refused(404, "Not found", "There is no such survey round.")


def _round_and_count(engine: Engine, round_id: str) -> tuple[store.RoundView, int]:
    _known_round_id(round_id)
    try:
        view = store.get_round(engine, round_id)
    except store.NotFound:
        raise Refused(404, "Not found", "There is no such survey round.") from None
    return view, sum(link.answers for link in store.links(engine, round_id))


def _dashboard(engine: Engine, round_id: str) -> dict[str, Any]:
    _known_round_id(round_id)
    try:
        return dashboard_context(engine, round_id)
    except store.NotFound:
        raise Refused(404, "Not found", "There is no such survey round.") from None


def _export(engine: Engine, round_id: str) -> str:
    from mlorg.engine import effective_settings

    _known_round_id(round_id)
    try:
        view = store.get_round(engine, round_id)
    except store.NotFound:
        raise Refused(404, "Not found", "There is no such survey round.") from None
    spec = store.stored_spec(view.spec_text, view.spec_label)
    floor = effective_settings(spec, None).thresholds.privacy_floor
    return store.export_csv(engine, round_id, floor)
