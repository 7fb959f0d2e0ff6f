"""A local SMTP server (aiosmtpd) over loopback: Django's real SMTP backend talks to it.

``LocalSMTP().start()`` (or ``with LocalSMTP() as relay``) listens on a free port and keeps
every accepted message; with ``refuse=True`` it answers DATA with a permanent error, as a mail
server rejecting a message would.
"""

import email
import email.policy

from aiosmtpd.controller import Controller

from tests.integrations.slack.net import free_port


class _Handler:
    def __init__(self, server: "LocalSMTP"):
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        if self.server.refuse:
            return "550 5.7.1 Message rejected"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"


class LocalSMTP:
    def __init__(self):
        self.messages: list[dict] = []
        self.refuse = False
        self.port = free_port()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "LocalSMTP":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> "LocalSMTP":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def received(self) -> list:
        """The accepted messages themselves (email.message.EmailMessage), oldest first."""
        return [entry["message"] for entry in self.messages]
