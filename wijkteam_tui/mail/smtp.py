"""Sending mail through the team's SMTP server, and what goes wrong said in Dutch, one message per
kind: the server not reached, its certificate not trusted, the login refused, an address refused.

The connection is always checked against the system's certificate authorities (or the file in
SSL_CERT_FILE): STARTTLS on a server that offers it (required: a server that does not is
refused, never used in the clear), or TLS from the first byte. Only a relay on this host may be
reached without encryption (store/mail/config.py refuses it for any other)."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.mail.config import MailInput

#: Seconds to wait for the server at each step.
TIMEOUT = 30


class MailError(WijkteamError):
    """Mail could not be sent: the message says why, in Dutch."""


class MaybeSent(MailError):
    """The connection went while a message was under way: it may have arrived."""


#: A connection that went while a message was under way.
_GONE = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


class _Interrupted(Exception):
    """Carries a _GONE error past the translation into Dutch (which would call it failed)."""


class AddressRefused(MailError):
    """The server refused one or more addresses; the others were accepted."""

    def __init__(self, message: str, refused: dict[str, str]):
        super().__init__(message)
        self.refused = refused


def message(settings: MailInput, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the team's sender to `to`."""
    mail = EmailMessage()
    mail["From"] = formataddr((settings.sender_name, settings.sender_address))
    mail["To"] = to
    if settings.reply_to:
        mail["Reply-To"] = settings.reply_to
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender_address.rpartition("@")[2])
    mail.set_content(body)
    return mail


def send(settings: MailInput, password: str | None, mail: EmailMessage) -> None:
    """`mail` sent; MailError (or AddressRefused when the server took it for the other
    addresses) when it was not."""
    with Outbox(settings, password) as outbox:
        outbox.send(mail)


class Outbox:
    """One connection for many messages, each sent or refused on its own: a refused address
    fails only its message; a server that goes away fails the rest with the same message,
    without trying each of them (`broken`)."""

    def __init__(self, settings: MailInput, password: str | None) -> None:
        if settings.login and password is None:
            raise MailError(
                "Er is geen wachtwoord voor de mailserver ingesteld; een teamleider zet het met:"
                " wijkteam mail set."
            )
        self.settings, self._password = settings, password
        self._where = f"{settings.host}:{settings.port}"
        self._server: smtplib.SMTP | None = None
        self._stack = ExitStack()
        #: Why the server cannot be used any more (a Dutch message), or None.
        self.broken: MailError | None = None

    def __enter__(self) -> Outbox:
        try:
            with _translated(self.settings, self._where):
                self._server = self._stack.enter_context(_connected(self.settings))
                if self.settings.login:
                    assert self._password is not None
                    self._server.login(self.settings.login, self._password)
        except MailError as error:
            self.broken = error
            self._stack.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            with suppress(smtplib.SMTPException, OSError):
                self._stack.close()
        finally:
            self._server = None

    def send(self, mail: EmailMessage) -> None:
        """`mail` sent; AddressRefused for a refused address, MailError for anything else
        (after which `broken` says why every next message fails too)."""
        if self.broken is not None:
            raise self.broken
        assert self._server is not None, "an Outbox sends inside its with-block"
        try:
            # An address with letters outside ASCII needs SMTPUTF8: without it this message
            # cannot go, the next ones can.
            self._server.ehlo_or_helo_if_needed()
            to = str(mail["To"])
            if not to.isascii() and not self._server.has_extn("smtputf8"):
                raise AddressRefused(
                    f"De mailserver {self._where} kan geen adres met letters als é of ö aan"
                    f" ({to}); er is niets verstuurd.",
                    {to: "geen SMTPUTF8"},
                )
            with _translated(self.settings, self._where):
                try:
                    refused = self._server.send_message(mail)
                except _GONE as error:
                    raise _Interrupted(error) from None
        except AddressRefused:
            self._reset()
            raise
        except _Interrupted as error:
            # The connection went while the message was under way: the server may have taken
            # it (after the final dot, before its answer). Said so; never sent again.
            self.broken = MaybeSent(
                f"De verbinding met de mailserver {self._where} viel weg terwijl het bericht"
                f" onderweg was ({error}); misschien is het aangekomen, daarom niet opnieuw."
            )
            raise self.broken from None
        except MailError as error:
            self.broken = error
            raise
        if refused:
            said = {address: f"{code} {reply.decode(errors='replace')}" for address, (code, reply)
                    in refused.items()}  # fmt: skip
            raise AddressRefused(
                "De mailserver weigert "
                + ", ".join(f"{address} ({why})" for address, why in said.items())
                + "; naar de andere adressen is het bericht verstuurd.",
                said,
            )

    def _reset(self) -> None:
        """After a refused address the server expects a new message from the start."""
        assert self._server is not None
        try:
            self._server.rset()
        except (smtplib.SMTPException, OSError):
            self.broken = MailError(
                f"De mailserver {self._where} verbrak de verbinding; het volgende bericht"
                " probeert het opnieuw."
            )


@contextmanager
def _connected(settings: MailInput) -> Iterator[smtplib.SMTP]:
    context = ssl.create_default_context()
    if settings.security == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    with server:
        if settings.security == "starttls":
            server.starttls(context=context)
        yield server


@contextmanager
def _translated(settings: MailInput, where: str) -> Iterator[None]:
    try:
        yield
    except smtplib.SMTPNotSupportedError:
        raise MailError(
            f"De mailserver {where} biedt geen STARTTLS (of geen aanmelding); het bericht is niet"
            " onversleuteld verstuurd. Kies --tls, of een andere poort (meestal 587)."
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(
            f"De mailserver {where} weigert de aanmelding van {settings.login}"
            f" ({error.smtp_code}): controleer de gebruikersnaam en het wachtwoord"
            " (wijkteam mail set)."
        ) from None
    except smtplib.SMTPRecipientsRefused as error:
        said = ", ".join(
            f"{address} ({code} {reply.decode(errors='replace')})"
            for address, (code, reply) in error.recipients.items()
        )
        raise AddressRefused(
            f"De mailserver weigert {said}; er is niets verstuurd.",
            {address: str(code) for address, (code, _reply) in error.recipients.items()},
        ) from None
    except smtplib.SMTPSenderRefused as error:
        raise MailError(
            f"De mailserver {where} weigert de afzender {settings.sender_address}"
            f" ({error.smtp_code}); kies een adres dat de server toestaat (wijkteam mail set)."
        ) from None
    except ssl.SSLCertVerificationError as error:
        raise MailError(
            f"Het certificaat van de mailserver {where} is niet te vertrouwen"
            f" ({_why_untrusted(error)}); er is niets verstuurd."
        ) from None
    except ssl.SSLError as error:
        raise MailError(
            f"De beveiligde verbinding met de mailserver {where} mislukte ({error.reason});"
            " klopt --tls of --starttls bij deze poort?"
        ) from None
    except smtplib.SMTPResponseException as error:
        said = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) \
            else str(error.smtp_error)  # fmt: skip
        raise MailError(
            f"De mailserver {where} weigerde het bericht ({error.smtp_code} {said}); de volgende"
            " keer opnieuw."
        ) from None
    except smtplib.SMTPException as error:
        raise MailError(f"De mailserver {where} gaf een fout: {error}.") from None
    except (socket.gaierror, ConnectionError, TimeoutError, OSError) as error:
        raise MailError(
            f"De mailserver {where} is niet bereikbaar ({error.strerror or error}); er is niets"
            " verstuurd. Het volgende bericht probeert het opnieuw."
        ) from None


#: OpenSSL's reasons for not trusting a certificate (X509_V_ERR_*), as a person reads them.
_UNTRUSTED = {
    2: "uitgegeven door een instantie die deze computer niet kent",
    10: "verlopen",
    9: "nog niet geldig",
    18: "door de server zelf ondertekend",
    19: "uitgegeven door een instantie die deze computer niet kent",
    20: "uitgegeven door een instantie die deze computer niet kent",
    62: "uitgegeven voor een andere naam dan deze server",
}


def _why_untrusted(error: ssl.SSLCertVerificationError) -> str:
    return _UNTRUSTED.get(error.verify_code, f"OpenSSL: {error.verify_message}")
