"""``backoffice audit verify``: exit 0 when every chain is intact, 1 when one is broken,
2 on a usage error."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from backoffice.cli import main
from backoffice.compliance.journal import AuditJournal
from backoffice.core.time import ManualClock
from backoffice.storage import open_store
from backoffice.testing.contract import START


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    store = open_store(url, tenant="shop")
    store.migrate()
    journal = AuditJournal(store, clock=ManualClock(START))
    for number in range(4):
        journal.append("ledger", "thing.done", f"s{number}", {"n": number})
    journal.append("other", "thing.done", "x", {})
    (tmp_path / "ledger.json").write_text(
        journal.checkpoint("ledger", key="k").to_json(), encoding="utf-8"
    )
    store.close()
    return url


def tamper(url: str, statement: str) -> None:
    raw = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        raw.execute("DROP TRIGGER bo_journal_no_update")
        raw.execute("DROP TRIGGER bo_journal_no_delete")
        raw.execute("DROP TRIGGER bo_journal_heads_forward")
        raw.execute(statement)
    finally:
        raw.close()


def test_an_intact_journal_exits_0(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--db", db, "--tenant", "shop"]) == 0
    out = capsys.readouterr().out
    assert "intact  shop/ledger: 4 entries" in out
    assert "2 chain(s) of tenant 'shop': intact" in out


def test_a_broken_journal_exits_1_and_says_where(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(db, "UPDATE bo_journal SET subject = 'forged' WHERE series = 'ledger' AND sequence = 3")
    assert main(["audit", "verify", "--db", db, "--tenant", "shop"]) == 1
    assert "BROKEN  shop/ledger: at entry 3, hash_mismatch" in capsys.readouterr().out
    assert main(["audit", "verify", "--db", db, "--tenant", "shop", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["intact"] is False
    assert report["chains"][0]["first_break"]["kind"] == "hash_mismatch"
    assert report["chains"][0]["first_break"]["sequence"] == 3
    assert report["chains"][1]["intact"] is True


def test_a_checkpoint_catches_a_truncation(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tamper(db, "DELETE FROM bo_journal WHERE series = 'ledger' AND sequence = 4")
    raw = sqlite3.connect(db.removeprefix("sqlite:///"), isolation_level=None)
    raw.execute(
        "UPDATE bo_journal_heads SET sequence = 3, hash = (SELECT hash FROM bo_journal "
        "WHERE series = 'ledger' AND sequence = 3) WHERE series = 'ledger'"
    )
    raw.close()
    assert main(["audit", "verify", "--db", db, "--tenant", "shop"]) == 0
    capsys.readouterr()
    checkpoint = str(tmp_path / "ledger.json")
    monkeypatch.setenv("AUDIT_KEY", "k")
    arguments = ["audit", "verify", "--db", db, "--tenant", "shop", "--checkpoint", checkpoint]
    assert main([*arguments, "--key-env", "AUDIT_KEY"]) == 1
    assert "truncated" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_KEY", "wrong")
    assert main([*arguments, "--key-env", "AUDIT_KEY", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["chains"][0]["first_break"]["kind"] == (
        "bad_signature"
    )


def test_usage_errors_exit_2(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["audit", "verify", "--db", "nope://x"]) == 2
    assert "cannot open" in capsys.readouterr().err
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["audit", "verify", "--db", fresh]) == 2
    assert "migrate" in capsys.readouterr().err
    missing = str(tmp_path / "missing.json")
    assert main(["audit", "verify", "--db", db, "--checkpoint", missing]) == 2
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    assert main(["audit", "verify", "--db", db, "--checkpoint", str(tmp_path / "bad.json")]) == 2
    monkeypatch.delenv("NO_SUCH_KEY", raising=False)
    assert main(["audit", "verify", "--db", db, "--key-env", "NO_SUCH_KEY"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["audit", "verify"])
    assert info.value.code == 2


def test_without_tenant_every_tenant_is_verified(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    other = open_store(db, tenant="cafe")
    AuditJournal(other, clock=ManualClock(START)).append("ledger", "thing.done", "c", {})
    other.close()
    assert main(["audit", "verify", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1 chain(s) of tenant 'cafe': intact" in out
    assert "2 chain(s) of tenant 'shop': intact" in out
    tamper(db, "UPDATE bo_journal SET subject = 'forged' WHERE tenant = 'cafe'")
    assert main(["audit", "verify", "--db", db, "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["intact"] is False
    assert [report["tenant"] for report in document["tenants"]] == ["cafe", "shop"]
    assert [report["intact"] for report in document["tenants"]] == [False, True]


def test_a_store_without_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    store = open_store(url)
    store.migrate()
    store.close()
    assert main(["audit", "verify", "--db", url]) == 0
    assert "no journal in this store" in capsys.readouterr().out


def test_a_row_altered_into_unreadable_text_is_a_break_not_a_crash(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(db, "UPDATE bo_journal SET payload = '{bad' WHERE series = 'ledger' AND sequence = 2")
    assert main(["audit", "verify", "--db", db, "--tenant", "shop"]) == 1
    assert "BROKEN  shop/ledger: at entry 2, hash_mismatch" in capsys.readouterr().out


def test_a_checkpoint_file_that_is_not_text_is_a_usage_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert main(["audit", "verify", "--db", db, "--checkpoint", str(binary)]) == 2
    assert "binary.json" in capsys.readouterr().err
