"""RFC 9457 problem details for every error the API returns (``application/problem+json``).

Each problem has ``type`` (a URN naming the kind, listed in docs/api/README.md), ``title``,
``status``, ``detail`` and, for bad input, ``errors``: ``{field: [message, ...]}``. Django's
``ValidationError`` and ``PermissionDenied`` from the services become 400 and 403 with the
service's own plain-English message.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)
PROBLEM_TYPE = "urn:contact-handling:problem:{}"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Your request could not be processed",
    401: "Authentication needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Server error",
}


def problem(*, status_code: int, code: str, detail: str, errors: dict | None = None,
            instance: str = "") -> dict:
    body = {"type": PROBLEM_TYPE.format(code), "title": TITLES.get(status_code, "Error"),
            "status": status_code, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field.sub": [messages]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, dict | list):
                for k, v in _flatten(value, f"{prefix}.{i}" if prefix else str(i)).items():
                    out.setdefault(k, []).extend(v)
            else:
                out.setdefault(prefix or "non_field_errors", []).append(str(value))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes.replace("_", "-")
    return "validation-error"


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, DjangoValidationError):
        errors = (exc.message_dict if hasattr(exc, "error_dict")
                  else {"non_field_errors": exc.messages})
        exc = exceptions.ValidationError(errors)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        # A bug, not bad input: still a problem body (a client parses every answer alike).
        # Only the exception's type and the endpoint are logged: its text may hold data.
        match = getattr(request, "resolver_match", None)
        logger.error("api unhandled %s at %s", type(exc).__name__,
                     match.url_name if match else "?")
        return Response(problem(status_code=500, code="server-error",
                                detail="Something went wrong on our side. Try again later.",
                                instance=instance),
                        status=500, content_type=CONTENT_TYPE)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait) + 1)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body = problem(status_code=400, code="validation-error",
                       detail="Some of what was sent is not valid: see errors.",
                       errors=errors, instance=instance)
    else:
        body = problem(status_code=exc.status_code, code=_code(exc), detail=str(exc.detail),
                       instance=instance)
    return Response(body, status=exc.status_code, headers=headers, content_type=CONTENT_TYPE)


def not_found(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint."""
    return JsonResponse(problem(status_code=404, code="not-found", detail="No such endpoint.",
                                instance=request.path),
                        status=status.HTTP_404_NOT_FOUND, content_type=CONTENT_TYPE)
