"""JSON errors with a field and a readable message, for DRF and for services' ValidationErrors.

Shape: {"detail": "<first message>", "errors": [{"field": "email" | null, "message": "...", "code": "..."}]}
"""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)
NON_FIELD = {"non_field_errors", "__all__"}
KEPT_HEADERS = {"www-authenticate", "retry-after", "allow"}


def _flatten(detail, field=None):
    """Yield (field, message, code) from DRF's nested ErrorDetail structures."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key in NON_FIELD else (f"{field}.{key}" if field else str(key))
            yield from _flatten(value, name)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)) and isinstance(item, dict):
                yield from _flatten(item, f"{field}[{index}]" if field else f"[{index}]")
            else:
                yield from _flatten(item, field)
    else:
        yield field, str(detail), getattr(detail, "code", "invalid")


def django_validation_error_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError({field: [str(m) for m in errors[0].messages] if len(errors) == 1 else
                                           [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()})
    return exceptions.ValidationError({"non_field_errors": list(exc.messages)})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone changed this at the same time. Reload it and try again.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large. Send less at a time.")
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, IntegrityError):
        # A constraint caught a race the service did not foresee: the client may retry.
        logger.warning("Integrity error answered as 409: %s", exc)
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):
        exc = django_validation_error_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = [{"field": field, "message": message, "code": code} for field, message, code in _flatten(response.data)]
    if isinstance(exc, exceptions.ValidationError):
        detail = errors[0]["message"] if errors else ""
    else:
        detail = str(getattr(exc, "detail", "")) or response.status_text
        errors = [{"field": None, "message": detail, "code": getattr(exc, "default_code", "error")}]
    return Response({"detail": detail, "errors": errors}, status=response.status_code or status.HTTP_400_BAD_REQUEST,
                    headers={k: v for k, v in response.items() if k.lower() in KEPT_HEADERS})


def error_body(detail: str, code: str) -> dict:
    return {"detail": detail, "errors": [{"field": None, "message": detail, "code": code}]}


def api_not_found(request, exception=None):
    """The 404 of a URL under /api/ that matches no endpoint (an id that is not a number...): JSON too."""
    return JsonResponse(error_body(str(exceptions.NotFound.default_detail), "not_found"), status=404)
