"""Controls of a financial services firm for one month: client payments recorded as
transactions, compliance checks on invoices and payments (with a rule of the firm's
own), a supplier invoice approved by two people other than its creator, the
tamper-evident journal verified (and a tampered copy caught), and a risk summary.

Run: ``python examples/financial_services.py`` (SQLite in a temporary directory, a fixed
clock). The tutorial docs/tutorials/financial-services.md explains it step by step.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import backoffice
from backoffice import Money, UnitPrice
from backoffice.compliance import (
    INVOICE,
    PAYMENT,
    AuditJournal,
    Finding,
    LegalReference,
    RuleSet,
    Severity,
    Violation,
    builtin_rules,
)
from backoffice.compliance.approvals import ApprovalPolicy, ApprovalRule, Approvals
from backoffice.core.time import ManualClock
from backoffice.errors import DuplicateRecord, SelfApproval
from backoffice.invoicing import (
    Address,
    Invoice,
    InvoiceLine,
    Invoicing,
    NumberSeries,
    Party,
    PaymentTerms,
)
from backoffice.invoicing.services import Payment
from backoffice.taxid import parse

PARIS = ZoneInfo("Europe/Paris")
TENANT = "orion-finance"
LATE_PAYMENT_NOTE = (
    "Pénalités de retard : trois fois le taux d'intérêt légal. "
    "Indemnité forfaitaire pour frais de recouvrement : 40 €."
)

# -- a rule of the firm's own, on payments, written with the public API -----------------

firm_rules = RuleSet()


@firm_rules.rule(
    "ORION-PAY-001",
    jurisdiction="FR",
    subject=PAYMENT,
    severity=Severity.WARNING,
    reference=LegalReference(
        "Code monétaire et financier",
        article="L561-10-2",
        note="Our policy, in our reading of the enhanced scrutiny of large operations: "
        "a receipt of 10,000 EUR or more quotes the bank's reference, so that it can be "
        "traced to its origin.",
    ),
    messages={
        "en": "A payment of {amount} from {customer} has no bank reference to trace it by.",
        "fr": "Un paiement de {amount} de {customer} n'a pas de référence bancaire "
        "qui permette d'en retracer l'origine.",
        "pt_BR": "Um pagamento de {amount} de {customer} não tem referência bancária "
        "para rastrear a origem.",
    },
)
def large_receipt_traced(payment: Payment) -> Iterator[Violation]:
    if payment.amount >= Money("10000.00", payment.amount.currency) and not payment.reference:
        yield Violation("reference", {"amount": payment.amount, "customer": payment.customer})


def client_invoice(seller: Party, client: str, name: str, fee: str, days: int) -> Invoice:
    return Invoice(
        seller=seller,
        buyer=Party(
            name,
            id=client,
            legal_id=parse("552 100 554", "FR", "siren"),
            address=Address(
                "FR", lines=["12 avenue de l'Opéra"], postal_code="75001", city="Paris"
            ),
        ),
        currency="EUR",
        lines=[
            InvoiceLine(
                "1",
                name="Conseil en gestion de trésorerie",
                quantity="1",
                price=UnitPrice(fee, "EUR"),
                vat_category="S",
                vat_rate="20",
            )
        ],
        terms=PaymentTerms.net(days),
        business_process="S1",
        notes=[LATE_PAYMENT_NOTE],
    )


def tamper_with_a_copy(original: Path, copy: Path) -> None:
    """What an insider with the database file could do: change a recorded payment."""
    shutil.copy(original, copy)
    raw = sqlite3.connect(copy, isolation_level=None)
    raw.execute("DROP TRIGGER bo_journal_no_update")  # the journal refuses UPDATE otherwise
    raw.execute(
        "UPDATE bo_journal SET payload = replace(payload, '\"24000.00\"', '\"2400.00\"') "
        "WHERE series = 'payments/CL-002'"
    )
    raw.close()


def main() -> None:
    clock = ManualClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orion.db"
        store = backoffice.open(f"sqlite:///{path}", tenant=TENANT)
        store.migrate()
        invoicing = Invoicing(store, clock=clock, zone=PARIS)
        invoicing.define_series(NumberSeries("OF", template="OF-{year}-{number:04d}"))
        seller = Party(
            "Orion Finance SAS",
            legal_id=parse("732 829 320", "FR", "siren"),
            vat_id=parse("FR40303265045"),
            address=Address("FR", lines=["8 rue Vivienne"], postal_code="75002", city="Paris"),
        )

        print("Orion Finance, June 2026")
        clients = [
            ("CL-001", "Verdier Industrie SA", "4500.00", 30),
            ("CL-002", "Banque Mercure SA", "20000.00", 30),
            ("CL-003", "Atelier Ravel SARL", "1800.00", 90),  # more than the law allows
        ]
        issued = []
        for client, name, fee, days in clients:
            draft = client_invoice(seller, client, name, fee, days)
            issued.append(invoicing.issue(invoicing.create_draft(draft).id, series="OF"))
        for stored in issued:
            print(
                f"  issued {stored.number} to {stored.invoice.buyer.name:<22}"
                f" {stored.invoice.amount_due.format('fr_FR'):>12}"
            )

        print("\nTransactions from the bank statement")
        clock.set(datetime(2026, 6, 20, 9, 0, tzinfo=UTC))
        statement = [
            ("TX-88001", "CL-001", "5400.00", "VIR VERDIER F-OF-2026-0001"),
            ("TX-88002", "CL-002", "24000.00", None),  # the bank gave no reference
            ("TX-88003", "CL-003", "1000.00", "VIR RAVEL ACOMPTE"),
        ]
        payments = []
        for transaction, client, amount, reference in statement:
            payment = invoicing.record_payment(
                client,
                Money(amount, "EUR"),
                received_on=date(2026, 6, 19),
                reference=reference,
                id=transaction,
            )
            payments.append(payment)
            print(
                f"  {transaction} {client} {payment.amount.format('fr_FR'):>12}"
                f"  allocated to {len(payment.allocations)} invoice(s)"
            )
        try:  # the same statement imported twice
            invoicing.record_payment(
                "CL-001", Money("5400.00", "EUR"), received_on=date(2026, 6, 19), id="TX-88001"
            )
        except DuplicateRecord:
            print("  TX-88001 imported again: refused, it is recorded already")

        print("\nCompliance checks (built-in French rules, and the firm's own rule)")
        rules = builtin_rules()
        rules.add(*firm_rules)
        findings: list[Finding] = []
        for stored in issued:
            report = rules.evaluate(stored.invoice, subject=INVOICE, jurisdiction="FR")
            findings += report.findings
            print(f"  invoice {stored.number}: {len(report)} finding(s)")
            for finding in report:
                print(f"    {finding.rule} ({finding.severity.value}): {finding.message('en')}")
        for payment in payments:
            report = rules.evaluate(payment, subject=PAYMENT, jurisdiction="FR")
            findings += report.findings
            print(f"  payment {payment.id}: {len(report)} finding(s)")
            for finding in report:
                print(f"    {finding.rule} ({finding.severity.value}): {finding.message('en')}")

        print("\nSupplier invoice SI-2026-0117, 12,480.00 EUR, entered by alice")
        approvals = Approvals(
            store,
            ApprovalPolicy([ApprovalRule("supplier_invoice", Money("10000.00", "EUR"), 2)]),
            clock=clock,
        )
        request = approvals.request(
            "supplier_invoice", "SI-2026-0117", Money("12480.00", "EUR"), creator="alice"
        )
        print(f"  it needs {request.required} approvers")
        try:
            approvals.approve("SI-2026-0117", "alice")
        except SelfApproval as error:
            print(f"  alice approves it: refused ({error.code})")
        approvals.approve("SI-2026-0117", "bob", comment="contract checked")
        clock.advance(timedelta(hours=2))
        done = approvals.approve("SI-2026-0117", "carol", comment="budget available")
        print(f"  bob and carol approve it: {done.state.value} by {', '.join(done.approvers)}")
        approvals.request(
            "supplier_invoice", "SI-2026-0121", Money("31200.00", "EUR"), creator="bob"
        )
        approvals.approve("SI-2026-0121", "carol")
        waiting = [
            document
            for document in ("SI-2026-0117", "SI-2026-0121")
            if approvals.get(document).state.value == "pending"
        ]
        print("  SI-2026-0121, 31,200.00 EUR, entered by bob: approved by carol only so far")

        open_invoices = [stored for stored in invoicing.invoices() if stored.balance_due]
        journal = AuditJournal(store, clock=clock)
        verified = journal.verify()
        print(f"\nAudit journal: {len(verified.chains)} chains, intact: {verified.intact}")
        for chain in verified.chains:
            print(f"  {chain.series}: {len(journal.entries(chain.series))} entries")
        store.close()

        copy = Path(folder) / "orion-copy.db"
        tamper_with_a_copy(path, copy)
        tampered = backoffice.open(f"sqlite:///{copy}", tenant=TENANT)
        broken = AuditJournal(tampered).verify()
        first = broken.breaks[0]
        print(
            f"  on a copy where a payment was edited: intact {broken.intact},"
            f" {first.series} entry {first.sequence}: {first.kind.value}"
        )
        tampered.close()

        print("\nRisk summary")
        by_severity = Counter(finding.severity.value for finding in findings)
        print(f"  findings: {dict(sorted(by_severity.items()))}")
        for (rule, path_), count in sorted(Counter((f.rule, f.path) for f in findings).items()):
            print(f"    {rule} at {path_}: {count}")
        print(f"  supplier invoices waiting for a second approver: {', '.join(waiting)}")
        open_total = Money.total((stored.balance_due for stored in open_invoices), "EUR")
        print(f"  client invoices still open: {len(open_invoices)}, {open_total.format('fr_FR')}")
        print(
            f"  journal intact: {verified.intact};"
            f" tampering on the copy detected: {not broken.intact}"
        )


if __name__ == "__main__":
    main()
