"""Home, health check and the error pages."""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app
from core.help import TOPICS, TOPICS_BY_SLUG

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """Your work: the signed-in member of staff's starting page (see ``dashboards``)."""
    from dashboards.views import home as your_work

    if "caller" in request.GET:  # the telephony screen-pop URL, /?caller=+44... (api app)
        from api.views_staff import caller_redirect

        return caller_redirect(request)
    return your_work(request)


@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """A section of the navigation (issue 24): the pages in it this user may open.

    Refused (403) to someone with nothing in the section."""
    from core.navigation import SECTIONS_BY_SLUG, section_links

    current = SECTIONS_BY_SLUG[slug]
    links = section_links(request.user, current)
    if not links:
        raise PermissionDenied
    return render(request, "core/section.html", {"section": current, "links": links})


@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    """The list of help topics (any signed-in member of staff)."""
    return render(request, "help/index.html", {"topics": TOPICS})


@require_GET
def help_topic(request: HttpRequest, slug: str) -> HttpResponse:
    """One help topic, quoting the procedure's paragraphs."""
    topic = TOPICS_BY_SLUG.get(slug)
    if topic is None:
        raise Http404
    return render(request, f"help/{topic.slug}.html", {"topic": topic})


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("healthz: broker check failed")
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 only when both the database and the Celery broker answer."""
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse({"status": "ok" if status == 200 else "unavailable", **checks},
                        status=status)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """Refuse, and record the refused attempt as ``access.refused`` (issue 8).

    The audit row names the actor, the URL name and its (opaque, numeric) arguments and the
    method; never the query string or anything the user typed.
    """
    _audit_refusal(request)
    return render(request, "core/403.html", status=403)


def _audit_refusal(request: HttpRequest) -> None:
    from audit.services import audit_record

    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    try:
        audit_record(
            actor=user if getattr(user, "is_authenticated", False) else None,
            action="access.refused",
            changes={
                "url_name": match.view_name if match else "",
                "kwargs": {k: str(v) for k, v in (match.kwargs if match else {}).items()},
                "method": request.method,
            },
        )
    except Exception:  # a refusal must still be shown if the audit write fails
        logger.exception("access.refused could not be audited")


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    """A generic page with a reference to quote, never a stack trace."""
    reference = uuid.uuid4().hex[:12]
    logger.error("server error reference=%s path_id=%s", reference, request.resolver_match
                 and request.resolver_match.view_name)
    return render(request, "core/500.html", {"reference": reference}, status=500)
