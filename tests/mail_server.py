"""A real SMTP server on loopback for the tests (aiosmtpd): STARTTLS or TLS from the first byte
with a certificate from a CA of the test's own, a login it checks, addresses it refuses on
request, and every message it accepted kept as bytes, to read back with Python's `email`."""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LOGIN, PASSWORD = "team@wijkteam.example", "een geheim van de mailserver"


def make_certificates(folder: Path) -> tuple[Path, ssl.SSLContext]:
    """(the CA's certificate file, the server's TLS context for `localhost` and 127.0.0.1)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wijkteam test mail CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_file = folder / "mail-ca.pem"
    ca_file.write_bytes(ca.public_bytes(pem))
    (folder / "mail-server.pem").write_bytes(leaf.public_bytes(pem))
    (folder / "mail-server.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "mail-server.pem", folder / "mail-server.key")
    return ca_file, context


@dataclass
class Inbox:
    """What the server accepted, and the addresses it refuses."""

    messages: list[bytes] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    #: Set each time a message arrived; while `hold` is given, the server does not answer a
    #: message it took until `hold` is set (a crash between sending and recording).
    arrived: threading.Event = field(default_factory=threading.Event)
    hold: threading.Event | None = None
    #: An answer to give to every message instead of taking it (a full mailbox, a filter).
    reject: str | None = None
    #: Take the message, then hang up before answering (the client cannot know it arrived).
    drop: bool = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reject is not None:
            return self.reject
        self.messages.append(envelope.content)
        self.arrived.set()
        if self.drop:
            server.transport.close()
            return "421 weg"
        if self.hold is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait, 60)
        return "250 OK"

    def read(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
            for raw in self.messages
        ]


class _Loopback(Controller):
    """On port 0: the port the system gave is read before the controller checks it is up."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        LOGIN.encode(),
        PASSWORD.encode(),
    )
    # handled=False: the server answers 535 itself when the login is refused.
    return AuthResult(success=good, handled=False)


@dataclass
class MailServer:
    inbox: Inbox
    controller: Controller

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def stop(self) -> None:
        """Stopped (once: a test may stop it to see a server that is gone)."""
        if self.controller._thread is not None:
            self.controller.stop()


def start_relay(*, smtputf8: bool = True) -> MailServer:
    """A relay on 127.0.0.1 without TLS or login, as on the team's own host ("--plain");
    without `smtputf8` one that takes no address with letters outside ASCII."""
    inbox = Inbox()
    controller = _Loopback(inbox, hostname="127.0.0.1", port=0, enable_SMTPUTF8=smtputf8)
    controller.start()
    return MailServer(inbox, controller)


def start(context: ssl.SSLContext, *, implicit_tls: bool = False) -> MailServer:
    """A server on 127.0.0.1 that wants STARTTLS (or TLS from the start) and a login."""
    inbox = Inbox()
    tls = {"ssl_context": context} if implicit_tls else {"tls_context": context}
    controller = _Loopback(
        inbox,
        hostname="127.0.0.1",
        port=0,
        require_starttls=not implicit_tls,
        authenticator=_authenticator,
        auth_required=True,
        # aiosmtpd does not count TLS from the start as TLS for its login check.
        auth_require_tls=not implicit_tls,
        **tls,
    )
    controller.start()
    return MailServer(inbox, controller)
