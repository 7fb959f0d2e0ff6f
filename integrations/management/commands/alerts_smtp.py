"""Run the SMTP receiver until stopped (the Procfile's ``mail``): alert and helpdesk mailboxes, and the
inquiry addresses (INQUIRIES_MAIL_ADDRESSES); integrations/mail/routes.py says which module takes which."""

import signal
import threading

from django.core.management.base import BaseCommand

from alerts import conf
from integrations.mail.smtp import controller


class Command(BaseCommand):
    help = "Receive alert, helpdesk and inquiry mail over SMTP (aiosmtpd) for the configured addresses."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None, help="Address to listen on (ALERTS_SMTP_HOST).")
        parser.add_argument("--port", type=int, default=None, help="Port to listen on (ALERTS_SMTP_PORT).")

    def handle(self, *args, host=None, port=None, **options):
        server = controller(host, port)
        server.start()
        self.stdout.write(
            f"SMTP receiver on {server.hostname}:{server.port}, up to {conf.get('ALERTS_MAIL_MAX_BYTES')} bytes a mail"
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
