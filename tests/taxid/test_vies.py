"""Online VAT verification: the VIES REST client against a local server, and the fake.

The server below listens on 127.0.0.1 only and speaks the VIES REST protocol
(``POST /check-vat-number``); an autouse guard makes any other connection fail, so
nothing here reaches the internet.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from backoffice.core.time import FixedClock
from backoffice.errors import (
    BackofficeError,
    VatRequestRejected,
    VatServiceUnavailable,
    VatVerificationError,
)
from backoffice.taxid import TaxId, parse
from backoffice.taxid.vies import (
    VIES_COUNTRIES,
    FakeVatVerifier,
    VatVerification,
    VatVerifier,
    ViesClient,
)

NOW = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)
CLOCK = FixedClock(NOW)
TIMEOUT = 0.2

FR = "FR40303265045"
EL = "EL094259216"
DE = "DE136695976"

#: What the local service has on record, keyed as VIES receives it.
REGISTERED: dict[tuple[str, str], tuple[str, str]] = {
    ("FR", "40303265045"): ("SA ODIGEO", "1 RUE DE LA PAIX\n75002 PARIS"),
    ("EL", "094259216"): ("ΕΤΑΙΡΕΙΑ Α.Ε.", "ΛΕΩΦΟΡΟΣ 1\n10431 ΑΘΗΝΑ"),
}

Z_DATE = "2024-05-02T10:20:30.123Z"


# ---------------------------------------------------------------------------------------
# A local VIES
# ---------------------------------------------------------------------------------------


class ViesServer(ThreadingHTTPServer):
    """A local stand-in for the VIES REST service; ``mode`` scripts its failures."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ViesHandler)
        self.lock = threading.Lock()
        self.release = threading.Event()  # set at teardown: ends any stalled answer
        self.mode = "normal"
        self.request_date: str | None = Z_DATE
        self.registered = dict(REGISTERED)
        self.connections = 0
        self.received: list[dict[str, Any]] = []  # valid request bodies, in order
        self.headers_seen: list[dict[str, str]] = []
        self.problems: list[str] = []  # bodies the protocol check refused
        self.counter = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def verify_request(self, request: Any, client_address: Any) -> bool:
        with self.lock:
            self.connections += 1
        return True

    def next_identifier(self) -> str:
        with self.lock:
            self.counter += 1
            return f"WAPIAAAAY{self.counter:07d}"


_REQUIRED = ("countryCode", "vatNumber")
_REQUESTER = ("requesterMemberStateCode", "requesterNumber")


def _protocol_problem(body: object) -> str | None:
    """Why ``body`` is not a VIES check request, or ``None`` if it is one."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    unknown = set(body) - {*_REQUIRED, *_REQUESTER}
    if unknown:
        return f"unknown fields {sorted(unknown)}"
    if any(not isinstance(value, str) for value in body.values()):
        return "every field must be a string"
    if any(name not in body for name in _REQUIRED):
        return "countryCode and vatNumber are required"
    if (_REQUESTER[0] in body) != (_REQUESTER[1] in body):
        return "the requester needs both its member state and its number"
    for code_field in ("countryCode", "requesterMemberStateCode"):
        if code_field in body and not re.fullmatch(r"[A-Z]{2}", body[code_field]):
            return f"{code_field} must be two capital letters"
    for number_field in ("vatNumber", "requesterNumber"):
        if number_field in body and not re.fullmatch(r"[0-9A-Z+*]{2,12}", body[number_field]):
            return f"{number_field} must be the number without its prefix"
    return None


class ViesHandler(BaseHTTPRequestHandler):
    server: ViesServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no access log on stderr."""

    def do_POST(self) -> None:
        with contextlib.suppress(OSError):  # the client gave up (timeouts): nobody to answer
            self._answer()

    def _send(self, status: int, payload: object = None, *, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if raw is None else "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str) -> None:
        self._send(
            status,
            {"actionSucceed": False, "errorWrappers": [{"error": code, "message": code}]},
        )

    def _answer(self) -> None:
        server = self.server
        if self.path != "/check-vat-number":
            self._send(404, raw=b"<html>not found</html>")
            return
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body: object = json.loads(raw)
        except ValueError:
            body = None
        problem = _protocol_problem(body)
        if problem is None and not (self.headers.get("Content-Type") or "").startswith(
            "application/json"
        ):
            problem = "the body must be sent as application/json"
        if problem is not None or not isinstance(body, dict):
            with server.lock:
                server.problems.append(problem or "not an object")
            self._error(400, "INVALID_INPUT")
            return
        with server.lock:
            server.received.append(body)
            server.headers_seen.append({key.lower(): value for key, value in self.headers.items()})
        self._scripted(server.mode, body)

    def _scripted(self, mode: str, body: dict[str, Any]) -> None:
        server = self.server
        if mode == "normal":
            self._check(body)
        elif mode == "ms_unavailable_200":
            self._error(200, "MS_UNAVAILABLE")
        elif mode == "ms_unavailable_500":
            self._error(500, "MS_UNAVAILABLE")
        elif mode == "max_concurrent_200":
            self._error(200, "MS_MAX_CONCURRENT_REQ")
        elif mode == "invalid_input_400":
            self._error(400, "INVALID_INPUT")
        elif mode == "invalid_requester_200":
            self._error(200, "INVALID_REQUESTER_INFO")
        elif mode == "plain_503":
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "plain_429":
            self.send_response(429)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "html_502":
            self._send(502, raw=b"<html>Bad gateway</html>")
        elif mode == "html_403":
            self._send(403, raw=b"<html>Forbidden</html>")
        elif mode == "not_json":
            self._send(200, raw=b"<html>maintenance</html>")
        elif mode == "json_list":
            self._send(200, [{"valid": True}])
        elif mode == "no_valid":
            self._send(200, {"countryCode": body["countryCode"], "name": "X"})
        elif mode == "dropped":
            self.close_connection = True  # close without a status line
        elif mode == "slow":
            server.release.wait(10 * TIMEOUT)
            self._check(body)
        elif mode == "slow_body":
            data = json.dumps({"valid": True}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:3])
            server.release.wait(10 * TIMEOUT)
            self.wfile.write(data[3:])
        else:  # pragma: no cover - a typo in a test
            raise AssertionError(f"unknown mode {mode!r}")

    def _check(self, body: dict[str, Any]) -> None:
        server = self.server
        known = server.registered.get((body["countryCode"], body["vatNumber"]))
        answer: dict[str, Any] = {
            "countryCode": body["countryCode"],
            "vatNumber": body["vatNumber"],
            "valid": known is not None,
            "name": known[0] if known else "---",
            "address": known[1] if known else "---",
        }
        if server.request_date is not None:
            answer["requestDate"] = server.request_date
        if "requesterNumber" in body:
            answer["requestIdentifier"] = server.next_identifier()
        self._send(200, answer)


@pytest.fixture(autouse=True)
def _local_network_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy, and no connection anywhere but 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    real = socket.create_connection

    def local_only(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[0] != "127.0.0.1":
            raise AssertionError(f"the tests must not connect to {address!r}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)


@pytest.fixture
def vies() -> Iterator[ViesServer]:
    server = ViesServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert server.problems == [], "the client sent a request VIES would refuse"


@pytest.fixture
def client(vies: ViesServer) -> ViesClient:
    return ViesClient(vies.url, timeout=TIMEOUT, clock=CLOCK)


# ---------------------------------------------------------------------------------------
# The protocol
# ---------------------------------------------------------------------------------------


def test_the_protocol_check_of_the_local_server_works(vies: ViesServer) -> None:
    request = urllib.request.Request(
        vies.url + "/check-vat-number",
        data=b'{"countryCode": "FR", "vatNumber": "FR40303265045"}',
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["errorWrappers"][0]["error"] == "INVALID_INPUT"
    caught.value.close()
    assert vies.problems == ["vatNumber must be the number without its prefix"]
    vies.problems.clear()


def test_request_without_requester(client: ViesClient, vies: ViesServer) -> None:
    client.verify(parse(FR))
    assert vies.received == [{"countryCode": "FR", "vatNumber": "40303265045"}]
    headers = vies.headers_seen[0]
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"


def test_request_for_greece_uses_el_and_the_requester(client: ViesClient, vies: ViesServer) -> None:
    client.verify(parse(EL), requester=parse(FR))
    assert vies.received == [
        {
            "countryCode": "EL",
            "vatNumber": "094259216",
            "requesterMemberStateCode": "FR",
            "requesterNumber": "40303265045",
        }
    ]


def test_greek_requester_is_sent_as_el(client: ViesClient, vies: ViesServer) -> None:
    client.verify(parse(FR), requester=parse(EL))
    assert vies.received[0]["requesterMemberStateCode"] == "EL"
    assert vies.received[0]["requesterNumber"] == "094259216"


def test_austrian_number_keeps_its_u(client: ViesClient, vies: ViesServer) -> None:
    client.verify(parse("ATU13585627"))
    assert vies.received == [{"countryCode": "AT", "vatNumber": "U13585627"}]


def test_trailing_slash_in_base_url(vies: ViesServer) -> None:
    ViesClient(vies.url + "/", timeout=TIMEOUT, clock=CLOCK).verify(parse(FR))
    assert len(vies.received) == 1


# ---------------------------------------------------------------------------------------
# The evidence
# ---------------------------------------------------------------------------------------


def test_registered_number_gives_the_evidence(client: ViesClient) -> None:
    result = client.verify(parse(FR))
    assert result == VatVerification(
        vat_number=FR,
        valid=True,
        name="SA ODIGEO",
        address="1 RUE DE LA PAIX\n75002 PARIS",
        consultation_number=None,
        checked_at=datetime(2024, 5, 2, 10, 20, 30, 123000, tzinfo=UTC),
        source="VIES",
    )


def test_consultation_number_only_with_a_requester(client: ViesClient) -> None:
    assert client.verify(parse(EL)).consultation_number is None
    first = client.verify(parse(EL), requester=parse(FR))
    second = client.verify(parse(EL), requester=parse(FR))
    assert first.consultation_number == "WAPIAAAAY0000001"
    assert second.consultation_number == "WAPIAAAAY0000002"
    assert first.vat_number == EL
    assert first.name == "ΕΤΑΙΡΕΙΑ Α.Ε."
    assert first.address == "ΛΕΩΦΟΡΟΣ 1\n10431 ΑΘΗΝΑ"


def test_unknown_number_is_not_valid(client: ViesClient, vies: ViesServer) -> None:
    result = client.verify(parse(DE), requester=parse(FR))
    assert result.valid is False
    assert result.vat_number == DE
    assert result.name is None  # "---" means "not disclosed"
    assert result.address is None
    assert result.consultation_number == "WAPIAAAAY0000001"  # the proof of a negative check
    assert vies.received[0]["countryCode"] == "DE"


PLUS_TWO = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("request_date", "expected"),
    [
        (Z_DATE, datetime(2024, 5, 2, 10, 20, 30, 123000, tzinfo=UTC)),
        ("2024-05-02T10:20:30Z", datetime(2024, 5, 2, 10, 20, 30, tzinfo=UTC)),
        ("2024-05-02T12:20:30+02:00", datetime(2024, 5, 2, 12, 20, 30, tzinfo=PLUS_TWO)),
        ("2024-05-02T10:20:30", datetime(2024, 5, 2, 10, 20, 30, tzinfo=UTC)),
        ("2024-05-02", datetime(2024, 5, 2, tzinfo=UTC)),
        ("2024-05-02Z", datetime(2024, 5, 2, tzinfo=UTC)),
        ("2024-05-02+02:00", datetime(2024, 5, 2, tzinfo=PLUS_TWO)),
        ("2024-05-02-05:00", datetime(2024, 5, 2, tzinfo=timezone(-timedelta(hours=5)))),
        (None, NOW),
        ("", NOW),
        ("yesterday", NOW),
    ],
)
def test_check_time(
    client: ViesClient, vies: ViesServer, request_date: str | None, expected: datetime
) -> None:
    vies.request_date = request_date
    checked_at = client.verify(parse(FR)).checked_at
    assert checked_at.tzinfo is not None
    assert checked_at.utcoffset() == expected.utcoffset()
    assert checked_at == expected


def test_evidence_to_dict_is_json(client: ViesClient) -> None:
    result = client.verify(parse(EL), requester=parse(FR))
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == {
        "vat_number": EL,
        "valid": True,
        "name": "ΕΤΑΙΡΕΙΑ Α.Ε.",
        "address": "ΛΕΩΦΟΡΟΣ 1\n10431 ΑΘΗΝΑ",
        "consultation_number": "WAPIAAAAY0000001",
        "checked_at": "2024-05-02T10:20:30.123000+00:00",
        "source": "VIES",
    }
    assert datetime.fromisoformat(data["checked_at"]) == result.checked_at


# ---------------------------------------------------------------------------------------
# Failures
# ---------------------------------------------------------------------------------------

UNAVAILABLE = "taxid.service_unavailable"
REJECTED = "taxid.request_rejected"
FAILED = "taxid.verification_failed"


@pytest.mark.parametrize(
    ("mode", "error", "code", "service_code"),
    [
        ("ms_unavailable_200", VatServiceUnavailable, UNAVAILABLE, "MS_UNAVAILABLE"),
        ("ms_unavailable_500", VatServiceUnavailable, UNAVAILABLE, "MS_UNAVAILABLE"),
        ("max_concurrent_200", VatServiceUnavailable, UNAVAILABLE, "MS_MAX_CONCURRENT_REQ"),
        ("plain_503", VatServiceUnavailable, UNAVAILABLE, None),
        ("plain_429", VatServiceUnavailable, UNAVAILABLE, None),
        ("html_502", VatServiceUnavailable, UNAVAILABLE, None),
        ("dropped", VatServiceUnavailable, UNAVAILABLE, None),
        ("invalid_input_400", VatRequestRejected, REJECTED, "INVALID_INPUT"),
        ("invalid_requester_200", VatRequestRejected, REJECTED, "INVALID_REQUESTER_INFO"),
        ("html_403", VatRequestRejected, REJECTED, None),
        ("not_json", VatVerificationError, FAILED, None),
        ("json_list", VatVerificationError, FAILED, None),
        ("no_valid", VatVerificationError, FAILED, None),
    ],
)
def test_failures_are_typed(
    client: ViesClient,
    vies: ViesServer,
    mode: str,
    error: type[VatVerificationError],
    code: str,
    service_code: str | None,
) -> None:
    vies.mode = mode
    with pytest.raises(VatVerificationError) as caught:
        client.verify(parse(FR), requester=parse(EL))
    exc = caught.value
    assert type(exc) is error
    assert exc.code == code
    assert exc.details.get("service_code") == service_code
    assert exc.__cause__ is None  # no urllib or socket internals leak
    assert json.loads(json.dumps(exc.to_dict()))["code"] == code
    assert len(vies.received) == 1


def test_rejected_errors_name_the_service_code(client: ViesClient, vies: ViesServer) -> None:
    vies.mode = "invalid_input_400"
    with pytest.raises(VatRequestRejected, match="INVALID_INPUT"):
        client.verify(parse(FR))


@pytest.mark.parametrize("mode", ["slow", "slow_body"])
def test_slow_answer_times_out(client: ViesClient, vies: ViesServer, mode: str) -> None:
    vies.mode = mode
    started = time.monotonic()
    with pytest.raises(VatServiceUnavailable) as caught:
        client.verify(parse(FR))
    elapsed = time.monotonic() - started
    assert caught.value.code == UNAVAILABLE
    assert "0.2 s" in caught.value.message
    assert elapsed < 5 * TIMEOUT
    assert len(vies.received) == 1


def test_nothing_listening_is_unavailable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and is closed now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ViesClient(f"http://127.0.0.1:{port}", timeout=TIMEOUT, clock=CLOCK)
    with pytest.raises(VatServiceUnavailable) as caught:
        client.verify(parse(FR))
    assert caught.value.code == UNAVAILABLE
    assert "cannot reach" in caught.value.message


def test_wrong_path_is_rejected(vies: ViesServer) -> None:
    client = ViesClient(vies.url + "/elsewhere", timeout=TIMEOUT, clock=CLOCK)
    with pytest.raises(VatRequestRejected) as caught:
        client.verify(parse(FR))
    assert caught.value.details["reason"] == "HTTP 404"


NOT_ASKABLE = [
    pytest.param(("732 829 320", "FR", "siren"), "not a VAT number", id="siren"),
    pytest.param(("GB980780684",), "not GB", id="outside-vies"),
]


@pytest.mark.parametrize(("args", "reason"), NOT_ASKABLE)
def test_refused_before_any_request(
    client: ViesClient, vies: ViesServer, args: tuple[str, ...], reason: str
) -> None:
    with pytest.raises(VatRequestRejected, match=reason) as caught:
        client.verify(parse(*args))
    assert caught.value.code == REJECTED
    with pytest.raises(VatRequestRejected, match=reason):
        client.verify(parse(FR), requester=parse(*args))
    assert vies.connections == 0
    assert vies.received == []


def test_client_arguments() -> None:
    assert ViesClient().base_url == ViesClient.DEFAULT_URL  # built, never called
    assert ViesClient.DEFAULT_URL.startswith("https://ec.europa.eu/")
    with pytest.raises(ValueError, match="http"):
        ViesClient("ftp://example.invalid")
    for timeout in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="timeout"):
            ViesClient("http://127.0.0.1:9", timeout=timeout)


def test_vies_countries() -> None:
    assert "GR" in VIES_COUNTRIES  # by ISO code, sent as EL
    assert "EL" not in VIES_COUNTRIES
    assert "GB" not in VIES_COUNTRIES
    assert "XI" in VIES_COUNTRIES
    assert len(VIES_COUNTRIES) == 28


# ---------------------------------------------------------------------------------------
# The fake
# ---------------------------------------------------------------------------------------


def _fake(**kwargs: Any) -> FakeVatVerifier:
    return FakeVatVerifier(
        {"FR 40 303 265 045": ("SA ODIGEO", "PARIS"), EL: ("ΕΤΑΙΡΕΙΑ", "ΑΘΗΝΑ")},
        clock=CLOCK,
        **kwargs,
    )


def test_fake_registered_and_unregistered() -> None:
    fake = _fake()
    assert fake.verify(parse(FR)) == VatVerification(
        vat_number=FR,
        valid=True,
        checked_at=NOW,
        name="SA ODIGEO",
        address="PARIS",
        consultation_number=None,
        source="fake",
    )
    unknown = fake.verify(parse(DE))
    assert (unknown.valid, unknown.name, unknown.address) == (False, None, None)
    assert unknown.checked_at == NOW
    assert fake.verify(parse(EL)).name == "ΕΤΑΙΡΕΙΑ"


def test_fake_consultation_number_only_with_requester() -> None:
    fake = _fake()
    assert fake.verify(parse(FR)).consultation_number is None
    first = fake.verify(parse(FR), requester=parse(EL)).consultation_number
    second = fake.verify(parse(DE), requester=parse(EL)).consultation_number
    assert first is not None
    assert second is not None
    assert first != second


@pytest.mark.parametrize("down", ["GR", "EL", "gr"])
def test_fake_unavailable_countries(down: str) -> None:
    fake = _fake(unavailable={down})
    with pytest.raises(VatServiceUnavailable) as caught:
        fake.verify(parse(EL))
    assert caught.value.code == UNAVAILABLE
    assert caught.value.details["service_code"] == "MS_UNAVAILABLE"
    assert fake.verify(parse(FR)).valid is True
    assert fake.calls == [EL, FR]


def test_fake_records_calls() -> None:
    fake = _fake()
    fake.verify(parse(FR))
    fake.verify(parse(DE), requester=parse(FR))
    fake.verify(parse(FR))
    assert fake.calls == [FR, DE, FR]


@pytest.mark.parametrize(("args", "reason"), NOT_ASKABLE)
def test_fake_refuses_like_the_client(args: tuple[str, ...], reason: str) -> None:
    fake = _fake()
    with pytest.raises(VatRequestRejected, match=reason):
        fake.verify(parse(*args))
    with pytest.raises(VatRequestRejected, match=reason):
        fake.verify(parse(FR), requester=parse(*args))
    assert fake.calls == []


def test_fake_to_dict_is_json() -> None:
    data = _fake().verify(parse(FR), requester=parse(EL)).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["checked_at"] == "2024-05-03T08:00:00+00:00"
    assert data["source"] == "fake"


def test_fake_is_thread_safe() -> None:
    fake = _fake()
    ids = [parse(FR), parse(EL)]

    def work() -> None:
        for index in range(50):
            fake.verify(ids[index % 2], requester=ids[(index + 1) % 2])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake.calls) == 200


# ---------------------------------------------------------------------------------------
# The protocol class
# ---------------------------------------------------------------------------------------


def test_both_are_vat_verifiers(client: ViesClient) -> None:
    assert isinstance(client, VatVerifier)
    assert isinstance(_fake(), VatVerifier)
    assert not isinstance(object(), VatVerifier)


def test_code_typed_against_the_protocol(client: ViesClient) -> None:
    def first_valid(verifier: VatVerifier, numbers: list[TaxId]) -> str | None:
        for number in numbers:
            if verifier.verify(number).valid:
                return number.vat_number()
        return None

    numbers = [parse(DE), parse(EL)]
    assert first_valid(client, numbers) == EL
    assert first_valid(_fake(), numbers) == EL


def test_errors_belong_to_the_tree() -> None:
    assert issubclass(VatServiceUnavailable, VatVerificationError)
    assert issubclass(VatRequestRejected, VatVerificationError)
    assert issubclass(VatVerificationError, BackofficeError)
