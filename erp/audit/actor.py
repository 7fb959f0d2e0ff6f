"""Who is acting, and through which channel: passed as ``by`` to every service."""

from dataclasses import dataclass, field

from erp.people.names import display_name

from .models import Source


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    source: str = Source.WEB
    # Where the change came from beyond the source, e.g. Slack channel and message link.
    context: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.user is None:
            return str(Source(self.source).label)
        return display_name(self.user)

    @classmethod
    def for_request(cls, request, *, source: str) -> "Actor":
        """The signed-in user of ``request`` acting through ``source`` (web, admin, api).

        The user is passed on as is, even an anonymous one: an Actor without a user means
        the system, which services trust further than any person, so a request must never
        turn into one.
        """
        return cls(user=request.user, source=source)

    @classmethod
    def system(cls, **context) -> "Actor":
        return cls(user=None, source=Source.SYSTEM, context=context)


def as_actor(by, source: str = Source.WEB) -> Actor:
    """Services accept an Actor or a bare user (then the source defaults to web)."""
    if isinstance(by, Actor):
        return by
    return Actor(user=by, source=source)
