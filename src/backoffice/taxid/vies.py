"""Online VAT verification: the :class:`VatVerifier` protocol, a client for the
European Commission's VIES REST service, and a fake for tests.

Checking a VAT number's format and checksum (:func:`backoffice.taxid.parse`) says it
*could* exist; VIES says whether the member state has it registered, and returns the
evidence an auditor asks for: the name and address on record, the date, and a
consultation number when the request names the requester's own VAT number.

Nothing here runs unless called: importing the module opens no connection.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any, Final, NoReturn, Protocol, runtime_checkable

import attrs

from backoffice.core.time import Clock, SystemClock
from backoffice.errors import VatRequestRejected, VatServiceUnavailable, VatVerificationError
from backoffice.taxid.model import TaxId, mask
from backoffice.taxid.registry import vat_prefix

__all__ = [
    "VIES_COUNTRIES",
    "FakeVatVerifier",
    "VatVerification",
    "VatVerifier",
    "ViesClient",
]

#: Countries VIES answers for (EU member states, and Northern Ireland as XI), by ISO code.
VIES_COUNTRIES: Final = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR",
        "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
        "SK", "XI",
    }
)  # fmt: skip

#: VIES error codes that mean "try again later".
_TRANSIENT: Final = frozenset(
    {
        "SERVICE_UNAVAILABLE", "MS_UNAVAILABLE", "TIMEOUT", "GLOBAL_MAX_CONCURRENT_REQ",
        "GLOBAL_MAX_CONCURRENT_REQ_TIME", "MS_MAX_CONCURRENT_REQ",
        "MS_MAX_CONCURRENT_REQ_TIME",
    }
)  # fmt: skip


@attrs.frozen(slots=True, repr=False)
class VatVerification:
    """What a verification service answered about one VAT number.

    Attributes:
        vat_number: the number checked, with its prefix (``"FR40303265045"``).
        valid: whether the member state has it registered and active.
        name: the registered name, when the member state discloses it.
        address: the registered address, likewise.
        consultation_number: the service's reference for this check (VIES gives one
            when the requester's own VAT number is sent): the proof that it was made.
        checked_at: when the service made the check (aware).
        source: which service answered (``"VIES"``, ``"fake"``).
    """

    vat_number: str
    valid: bool
    checked_at: datetime
    name: str | None = None
    address: str | None = None
    consultation_number: str | None = None
    source: str = "VIES"

    def __repr__(self) -> str:
        # the number, name and address may be a sole trader's: never in clear in logs
        return (
            f"VatVerification(vat_number={mask(self.vat_number)!r}, valid={self.valid}, "
            f"source={self.source!r}, checked_at={self.checked_at.isoformat()!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "vat_number": self.vat_number,
            "valid": self.valid,
            "name": self.name,
            "address": self.address,
            "consultation_number": self.consultation_number,
            "checked_at": self.checked_at.isoformat(),
            "source": self.source,
        }


@runtime_checkable
class VatVerifier(Protocol):
    """Anything that verifies VAT numbers online (VIES, a national service, a fake)."""

    def verify(self, vat: TaxId, *, requester: TaxId | None = None) -> VatVerification:
        """Ask whether ``vat`` is registered; ``requester`` is your own VAT number.

        Raises:
            VatServiceUnavailable: the service cannot answer now; retry later.
            VatRequestRejected: the service refused the request.
            VatVerificationError: any other failure of the service.
        """
        ...


def _split(vat: TaxId) -> tuple[str, str]:
    if not vat.is_vat:
        raise VatRequestRejected(reason=f"a {vat.label} is not a VAT number")
    if vat.country not in VIES_COUNTRIES:
        raise VatRequestRejected(
            reason=f"VIES covers EU member states and Northern Ireland, not {vat.country}"
        )
    number = vat.vat_number()
    prefix = vat_prefix(vat.country)
    return prefix, number[len(prefix) :]


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = value.strip()
    return None if cleaned in {"", "---"} else cleaned


#: A bare date, with an optional zone (``"2024-05-02"``, ``"2024-05-02+02:00"``, ``...Z``).
_DATE_ONLY: Final = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?", re.IGNORECASE)


def _when(value: object, clock: Clock) -> datetime:
    """The check time the service gave, aware; the clock's time when it gave none.

    A bare date is taken as midnight in its zone (UTC when it has none): ``fromisoformat``
    would read ``"2024-05-02+02:00"`` as 02:00 on a naive clock, not as a zone.
    """
    if not isinstance(value, str) or not value.strip():
        return clock.now()
    text = value.strip()
    if match := _DATE_ONLY.fullmatch(text):
        try:
            day = datetime.fromisoformat(match[1]).date()
        except ValueError:
            return clock.now()
        zone = match[2]
        if zone is None or zone.upper() == "Z":
            return datetime.combine(day, time(0), tzinfo=UTC)
        sign = -1 if zone[0] == "-" else 1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        if offset >= timedelta(hours=24):
            return datetime.combine(day, time(0), tzinfo=UTC)
        return datetime.combine(day, time(0), tzinfo=timezone(sign * offset))
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError:
            return clock.now()
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ViesClient:
    """A :class:`VatVerifier` on the VIES REST service of the European Commission.

    Args:
        base_url: the service root; tests point it to a local server.
        timeout: seconds to wait for the connection, and then for each read of the
            answer, before raising :class:`~backoffice.errors.VatServiceUnavailable`.
        clock: gives the check time when the service does not.

    Raises:
        ValueError: ``base_url`` is not an http(s) URL, or ``timeout`` is not positive.
    """

    DEFAULT_URL: Final = "https://ec.europa.eu/taxation_customs/vies/rest-api"

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = float(timeout)
        self._clock: Clock = clock or SystemClock()

    def verify(self, vat: TaxId, *, requester: TaxId | None = None) -> VatVerification:
        prefix, number = _split(vat)
        body: dict[str, str] = {"countryCode": prefix, "vatNumber": number}
        if requester is not None:
            requester_prefix, requester_number = _split(requester)
            body["requesterMemberStateCode"] = requester_prefix
            body["requesterNumber"] = requester_number
        answer = self._post("/check-vat-number", body)
        errors = answer.get("errorWrappers")
        if errors:
            self._raise(errors)
        valid = answer.get("valid")
        if not isinstance(valid, bool):
            raise VatVerificationError(reason="the answer has no 'valid' field")
        return VatVerification(
            vat_number=vat.vat_number(),
            valid=valid,
            name=_text(answer.get("name")),
            address=_text(answer.get("address")),
            consultation_number=_text(answer.get("requestIdentifier")),
            checked_at=_when(answer.get("requestDate"), self._clock),
            source="VIES",
        )

    def _post(self, path: str, body: Mapping[str, str]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read(1_000_000)
        except urllib.error.HTTPError as exc:
            self._raise_http(exc)
        except TimeoutError:
            raise VatServiceUnavailable(reason=f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise VatServiceUnavailable(reason=f"no answer within {self.timeout:g} s") from None
            raise VatServiceUnavailable(reason=f"cannot reach the service: {exc.reason}") from None
        except (OSError, http.client.HTTPException) as exc:
            # Raised by the response itself, which urllib does not wrap: the connection
            # dropped before or during the answer (RemoteDisconnected, IncompleteRead...).
            raise VatServiceUnavailable(
                reason=f"the connection failed: {type(exc).__name__}: {exc}"
            ) from None
        answer = _json_or_none(payload)
        if answer is None:
            raise VatVerificationError(reason="the service did not answer with JSON")
        return answer

    def _raise_http(self, exc: urllib.error.HTTPError) -> NoReturn:
        try:
            payload = exc.read(1_000_000)
        except (OSError, http.client.HTTPException):
            payload = b""
        finally:
            exc.close()
        answer = _json_or_none(payload)
        if answer is not None and answer.get("errorWrappers"):
            self._raise(answer["errorWrappers"])
        if exc.code >= 500 or exc.code == 429:
            raise VatServiceUnavailable(reason=f"HTTP {exc.code}") from None
        raise VatRequestRejected(reason=f"HTTP {exc.code}") from None

    @staticmethod
    def _raise(errors: object) -> NoReturn:
        first = errors[0] if isinstance(errors, list) and errors else {}
        code = str(first.get("error", "UNKNOWN")) if isinstance(first, Mapping) else "UNKNOWN"
        if code in _TRANSIENT:
            raise VatServiceUnavailable(reason=code, service_code=code) from None
        raise VatRequestRejected(reason=code, service_code=code) from None


def _key(number: str) -> str:
    return re.sub(r"[\s.\-/]", "", number).upper()


def _json_or_none(payload: bytes) -> dict[str, Any] | None:
    try:
        answer = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    return answer if isinstance(answer, dict) else None


class FakeVatVerifier:
    """A :class:`VatVerifier` for tests and demos: it knows the numbers you give it.

    Like :class:`ViesClient`, it refuses (:class:`~backoffice.errors.VatRequestRejected`)
    a number or a requester that is not a VAT number of a VIES country.

    Args:
        registered: VAT numbers with their prefix mapped to ``(name, address)``; spaces,
            dots and dashes are ignored (``"FR 40 303 265 045"``).
        clock: the time stamped on answers.
        unavailable: countries whose service is "down" (raises
            :class:`~backoffice.errors.VatServiceUnavailable`), to test retries; by ISO
            code or VAT prefix (``"GR"`` or ``"EL"``).

    ``calls`` lists the numbers asked, in order, those answered "unavailable" included
    (not those refused before asking).
    """

    def __init__(
        self,
        registered: Mapping[str, tuple[str, str]] | None = None,
        *,
        clock: Clock | None = None,
        unavailable: Iterable[str] = frozenset(),
    ) -> None:
        self._registered = {_key(number): known for number, known in (registered or {}).items()}
        self._clock: Clock = clock or SystemClock()
        self._unavailable = frozenset(code.strip().upper() for code in unavailable)
        self._lock = threading.Lock()
        self._counter = 0
        self.calls: list[str] = []

    def verify(self, vat: TaxId, *, requester: TaxId | None = None) -> VatVerification:
        prefix, _ = _split(vat)
        if requester is not None:
            _split(requester)
        number = vat.vat_number()
        with self._lock:
            self.calls.append(number)
            self._counter += 1
            counter = self._counter
        if vat.country in self._unavailable or prefix in self._unavailable:
            raise VatServiceUnavailable(reason="MS_UNAVAILABLE", service_code="MS_UNAVAILABLE")
        known = self._registered.get(number)
        return VatVerification(
            vat_number=number,
            valid=known is not None,
            name=known[0] if known else None,
            address=known[1] if known else None,
            consultation_number=f"FAKE{counter:08d}" if requester is not None else None,
            checked_at=self._clock.now(),
            source="fake",
        )
