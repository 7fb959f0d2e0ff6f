"""A local SMTP server (aiosmtpd) that records what it is sent: the stand-in for the company's
mail relay when the portal sends mail (Django's SMTP e-mail backend pointed at it)."""

import email
import email.policy
import threading

from aiosmtpd.controller import Controller

from tests.integrations.slack.net import free_port


class _Recorder:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.received.append(
                (
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(envelope.content, policy=email.policy.default),
                )
            )
        return "250 OK"


class RecordingSMTP:
    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(_Recorder(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def messages(self):
        with self.lock:
            return [message for _sender, _rcpts, message in self.received]
