"""API conventions shared by every app: errors are JSON with a human message."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def exception_handler(exc, context):
    """DRF errors plus domain errors, always ``{"message": ..., "errors": ...}``.

    Services raise Django's ValidationError / PermissionDenied and our DomainError; the
    API turns them into 400 / 403 / 409 instead of a 500.
    """
    if isinstance(exc, DomainError):
        return Response({"message": str(exc), "code": exc.code}, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"message": _first_message(errors), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"message": str(exc) or "Permission denied."}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is not None:
        detail = response.data
        body = {"message": _first_message(detail)}
        if isinstance(detail, dict) and set(detail) != {"detail"}:
            body["errors"] = detail
        response.data = body
    return response
