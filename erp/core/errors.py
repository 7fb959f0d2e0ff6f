from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A business rule refused the operation; the message is shown to the user as is.

    Subclasses set ``code`` (stable, for API clients and Slack handlers) and
    ``http_status`` (how the API reports it).
    """

    code = "domain_error"
    http_status = 400

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class ConflictError(DomainError):
    code = "conflict"
    http_status = 409


def error_text(error) -> str:
    """A refused operation as one line for a message banner or a list of failures.

    A ValidationError may carry several messages (or a dict of them): they are joined with
    spaces. Anything else (PermissionDenied, DomainError) is its ``str()``, which may be empty.
    """
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
