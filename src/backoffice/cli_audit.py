"""``backoffice audit verify``: check every chain of a tenant's audit journal."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Final

__all__ = ["add_commands", "run"]

EXIT_OK: Final = 0
EXIT_BROKEN: Final = 1
EXIT_USAGE: Final = 2


def add_commands(commands: Any) -> None:
    """Add the ``audit`` command and its actions to ``commands``."""
    audit = commands.add_parser(
        "audit",
        help="the tamper-evident audit journal",
        description="Work with the audit journal of a store.",
    )
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="verify every chain of the journal",
        description="Verify every chain (series) of the audit journal of every tenant of the "
        "store (or of one, with --tenant), and report the first broken link of each. Exit "
        "code 0 when every chain is intact, 1 when one is "
        "broken, 2 on a usage error (a URL no store opens, a store not migrated, an "
        "unreadable checkpoint).",
    )
    verify.add_argument(
        "--db", required=True, metavar="URL", help="sqlite:///file.db or postgresql://..."
    )
    verify.add_argument(
        "--tenant", default=None, help="only this tenant (default: every tenant of the store)"
    )
    verify.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="FILE",
        help="a checkpoint exported earlier (JSON), to detect truncation; repeatable",
    )
    verify.add_argument(
        "--key-env",
        metavar="NAME",
        help="the environment variable holding the checkpoints' HMAC key",
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _error(message: str) -> None:
    sys.stderr.write(f"backoffice audit verify: {message}\n")


def _fail(message: str) -> int:
    _error(message)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from backoffice.compliance.journal import AuditJournal, Checkpoint
    from backoffice.errors import BackofficeError, SchemaMismatch, StorageError
    from backoffice.storage import open_store

    key: str | None = None
    if args.key_env:
        key = os.environ.get(args.key_env)
        if not key:
            return _fail(f"the environment variable {args.key_env} holds no key")
    checkpoints = []
    for name in args.checkpoint:
        try:
            checkpoints.append(Checkpoint.from_json(Path(name).read_text(encoding="utf-8")))
        except OSError as error:
            return _fail(f"cannot read {name}: {error.strerror or error}")
        except BackofficeError as error:
            return _fail(f"{name}: {error.message}")
        except UnicodeDecodeError:
            return _fail(f"{name}: not a checkpoint (not UTF-8 text)")
    try:
        store = open_store(args.db, tenant=args.tenant or "default")
    except BackofficeError as error:
        return _fail(error.message)
    reports = []
    try:
        tenants = [args.tenant] if args.tenant else store.run(lambda uow: uow.journal.tenants())
        for tenant in tenants:
            reports.append(
                AuditJournal(store.for_tenant(tenant)).verify(checkpoints=checkpoints, key=key)
            )
    except SchemaMismatch as error:
        return _fail(error.message)
    except StorageError as error:
        _error(error.message)
        return EXIT_BROKEN
    finally:
        store.close()
    intact = all(report.intact for report in reports)
    if args.json:
        document: Any = (
            reports[0].to_dict()
            if args.tenant
            else {"intact": intact, "tenants": [report.to_dict() for report in reports]}
        )
        _out(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        for report in reports:
            for chain in report.chains:
                if chain.first_break is None:
                    _out(
                        f"intact  {report.tenant}/{chain.series}: {chain.entries} entries, "
                        f"head {chain.last_sequence} {chain.last_hash[:16]}"
                    )
                else:
                    found = chain.first_break
                    _out(
                        f"BROKEN  {report.tenant}/{chain.series}: at entry {found.sequence}, "
                        f"{found.kind.value}: {found.detail}"
                    )
            verdict = "intact" if report.intact else f"{len(report.breaks)} chain(s) broken"
            _out(f"{len(report.chains)} chain(s) of tenant {report.tenant!r}: {verdict}")
        if not reports:
            _out("no journal in this store")
    return EXIT_OK if intact else EXIT_BROKEN
