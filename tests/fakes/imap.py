"""A small IMAP4rev1 server over loopback, for the IMAP poller's tests.

No library on PyPI serves IMAP for tests in-process (Twisted's imap4 would do, at the cost
of Twisted), so this speaks the subset imaplib's client uses, on a real socket, with real
IMAP framing: greeting, CAPABILITY, STARTTLS, LOGIN, SELECT/EXAMINE (EXISTS, UIDVALIDITY,
UIDNEXT), UID SEARCH with ``n:*`` ranges (RFC 3501: ``*`` is the largest UID, so ``n:*``
always includes the last message), UID FETCH with literals ``{n}``, NOOP, LOGOUT.

    with ImapServer(user="alerts", password="pw") as server:   # plain; tls="ssl"/"starttls"
        server.add(raw_bytes)        # a new message, next UID
        server.renumber()            # new UIDVALIDITY, UIDs from 1 again

``server.commands`` records every command line (without the tag) for assertions;
``server.stop()`` closes the listener so "server down" can be tested on its port.
"""

import shlex
import socketserver
import ssl
import threading

from tests.integrations.slack.net import free_port


class _Connection(socketserver.StreamRequestHandler):
    server: "_Server"

    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")
        self.wfile.flush()

    def handle(self):
        imap = self.server.imap
        if imap.tls == "ssl":
            self._wrap()
        self.send(b"* OK [CAPABILITY IMAP4rev1" + self._caps() + b"] Haru test IMAP ready")
        self.user = None
        self.selected = False
        while True:
            try:
                line = self.rfile.readline()
            except (OSError, ssl.SSLError):
                return
            if not line:
                return
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            with imap.lock:
                imap.commands.append(rest.decode("utf-8", "replace"))
            try:
                if not self.dispatch(tag, rest):
                    return
            except (OSError, ssl.SSLError):
                return

    def _caps(self) -> bytes:
        return (
            b" STARTTLS"
            if self.server.imap.tls == "starttls" and not isinstance(self.connection, ssl.SSLSocket)
            else b""
        )

    def _wrap(self) -> None:
        self.connection = self.server.imap.context.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb")
        self.wfile = self.connection.makefile("wb")

    def dispatch(self, tag: bytes, rest: bytes) -> bool:
        imap = self.server.imap
        words = shlex.split(rest.decode("utf-8", "replace"), posix=True)
        command = words[0].upper() if words else ""
        if command == "CAPABILITY":
            self.send(b"* CAPABILITY IMAP4rev1" + self._caps())
        elif command == "NOOP":
            pass
        elif command == "STARTTLS" and imap.tls == "starttls":
            self.send(tag + b" OK Begin TLS negotiation now")
            self._wrap()
            return True
        elif command == "LOGIN":
            if imap.tls == "starttls" and not isinstance(self.connection, ssl.SSLSocket):
                self.send(tag + b" NO [PRIVACYREQUIRED] Use STARTTLS first")
                return True
            if words[1:3] != [imap.user, imap.password]:
                self.send(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials")
                return True
            self.user = words[1]
        elif command in ("SELECT", "EXAMINE"):
            if self.user is None:
                self.send(tag + b" BAD Log in first")
                return True
            if words[1:2] != [imap.folder]:
                self.send(tag + b" NO [NONEXISTENT] No such mailbox")
                return True
            self.selected = True
            with imap.lock:
                count, validity, uidnext = len(imap.messages), imap.uidvalidity, imap.next_uid
            self.send(b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)")
            self.send(b"* %d EXISTS" % count)
            self.send(b"* 0 RECENT")
            self.send(b"* OK [UIDVALIDITY %d] UIDs valid" % validity)
            self.send(b"* OK [UIDNEXT %d] Predicted next UID" % uidnext)
            mode = b"READ-ONLY" if command == "EXAMINE" else b"READ-WRITE"
            self.send(tag + b" OK [" + mode + b"] " + command.encode() + b" completed")
            return True
        elif command == "UID" and self.selected and len(words) >= 3:
            return self.uid(tag, words[1].upper(), words[2:])
        elif command == "LOGOUT":
            self.send(b"* BYE Haru test IMAP logging out")
            self.send(tag + b" OK LOGOUT completed")
            return False
        else:
            self.send(tag + b" BAD Unknown or unexpected command")
            return True
        self.send(tag + b" OK " + command.encode() + b" completed")
        return True

    def uid(self, tag: bytes, what: str, args: list[str]) -> bool:
        imap = self.server.imap
        with imap.lock:
            messages = list(imap.messages)
        uids = [uid for uid, _ in messages]
        if what == "SEARCH":
            spec = args[-1]
            found = [uid for uid in uids if _in_set(uid, spec, max(uids, default=0))]
            self.send(b"* SEARCH" + b"".join(b" %d" % uid for uid in found))
        elif what == "FETCH":
            wanted = args[0]
            for number, (uid, raw) in enumerate(messages, start=1):
                if _in_set(uid, wanted, max(uids, default=0)):
                    self.wfile.write(b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (number, uid, len(raw)) + raw + b")\r\n")
            self.wfile.flush()
        else:
            self.send(tag + b" BAD Unknown UID command")
            return True
        self.send(tag + b" OK UID " + what.encode() + b" completed")
        return True


def _in_set(uid: int, spec: str, largest: int) -> bool:
    """RFC 3501 sequence sets over UIDs: "5", "2:4", "7:*", "1,3:5"."""
    if spec.upper().startswith("UID "):
        spec = spec[4:]
    for part in spec.split(","):
        low, _, high = part.partition(":")
        low_n = largest if low == "*" else int(low)
        high_n = low_n if not high else (largest if high == "*" else int(high))
        low_n, high_n = min(low_n, high_n), max(low_n, high_n)
        if low_n <= uid <= high_n:
            return True
    return False


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class ImapServer:
    def __init__(self, *, user="alerts", password="secret-pw", folder="INBOX", tls="", certfile="", keyfile=""):
        self.user, self.password, self.folder, self.tls = user, password, folder, tls
        self.messages: list[tuple[int, bytes]] = []
        self.uidvalidity = 1000
        self.next_uid = 1
        self.commands: list[str] = []
        self.lock = threading.Lock()
        self.context = None
        if tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(certfile, keyfile)
        self.port = free_port()
        self._server = None

    def start(self) -> "ImapServer":
        self._server = _Server(("127.0.0.1", self.port), _Connection)
        self._server.imap = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "ImapServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def add(self, raw: bytes) -> int:
        """Deliver a message (CRLF line ends, as on the wire); its UID."""
        wire = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        with self.lock:
            uid = self.next_uid
            self.messages.append((uid, wire))
            self.next_uid += 1
        return uid

    def renumber(self) -> None:
        """What a server does after rebuilding its index: a new UIDVALIDITY, UIDs from 1."""
        with self.lock:
            self.uidvalidity += 1
            self.messages = [(n, raw) for n, (_, raw) in enumerate(self.messages, start=1)]
            self.next_uid = len(self.messages) + 1


def self_signed_cert(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1/localhost made with the openssl command (None if missing)."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        return "", ""
    cert, key = str(directory / "imap-cert.pem"), str(directory / "imap-key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2"]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return cert, key
