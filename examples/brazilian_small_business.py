"""A small bakery in Recife: its CNPJ and its people's CPFs (validated, formatted,
masked), a month's payroll with INSS, IRRF and FGTS and a vacation, the access keys of
its NF-e checked with the Brazilian rules, all written the Brazilian way.

Run: ``python examples/brazilian_small_business.py`` (no store, no clock: every date is
given). The tutorial docs/tutorials/brazilian-small-business.md explains it step by step.
"""

from __future__ import annotations

from datetime import date

from backoffice import Money, taxid
from backoffice.compliance import builtin_rules
from backoffice.compliance.br import FISCAL_DOCUMENT, FiscalDocument
from backoffice.compliance.nfe import build_access_key, format_access_key, parse_access_key
from backoffice.core.l10n import format_date
from backoffice.core.time import Period
from backoffice.errors import InvalidTaxId
from backoffice.payroll import br

LOCALE = "pt_BR"


def money(amount: Money) -> str:
    return amount.format(LOCALE)


def main() -> None:
    print("Padaria Sol Nascente Ltda, Recife (PE)")
    company = taxid.parse("11222333000181", "BR")
    customer = taxid.parse("16.727.230/0001-97", "BR")
    print(f"  CNPJ {company.format()} ({company.kind}); customer CNPJ {customer.format()}")

    staff = [
        ("BR-0001", "Ana Lima", "529.982.247-25", "2200.00", 0),
        ("BR-0002", "Bruno Costa", "390.533.447-05", "6500.00", 1),
    ]
    for employee_id, name, cpf_text, _, _ in staff:
        cpf = taxid.parse(cpf_text, "BR", "cpf")
        print(f"  {employee_id} {name:<12} CPF {cpf} (personal: {cpf.personal})")
    try:
        taxid.parse("529.982.247-26", "BR", "cpf")
    except InvalidTaxId as error:
        print(f"  a mistyped CPF is refused: {error.localized(LOCALE)}")

    march = Period.month(2026, 3)
    payday = date(2026, 4, 6)  # within the first five working days of April, as the CLT asks
    print(f"\nPayroll of March 2026, paid on {format_date(payday, LOCALE, format='long')}")
    payslips = br.calculate_many(
        [
            (br.Employee(employee_id, dependants=dependants), br.BrazilInputs(salary, payday))
            for employee_id, _, _, salary, dependants in staff
        ],
        march,
    )
    for (_, name, _, _, _), slip in zip(staff, payslips, strict=True):
        lines = ", ".join(f"{line.label_in(LOCALE)} {money(line.amount)}" for line in slip.lines)
        print(f"  {name:<12} gross {money(slip.gross):>12}  {lines}")
        print(f"  {'':<12} net {money(slip.net):>14}  gross + FGTS {money(slip.employer_cost)}")
    total_cost = Money.total((slip.employer_cost for slip in payslips), "BRL")
    print(f"  Gross pay and FGTS of the month (employer INSS left out) {money(total_cost)}")

    vacation = br.vacation_pay(
        br.Employee("BR-0001"),
        br.VacationInputs("2200.00", 30, date(2026, 7, 1), date(2026, 6, 29)),
    )
    print(
        f"\nAna's vacation, 30 days from {format_date(date(2026, 7, 1), LOCALE)}:"
        f" gross {money(vacation.gross)} (one third more),"
        f" INSS {money(vacation.line('INSS').amount)}, net {money(vacation.net)}"
    )

    issued = date(2026, 3, 20)
    print(f"\nNF-e nº 1532 issued to the customer on {format_date(issued, LOCALE, format='short')}")
    key = build_access_key(
        uf="PE", issued=issued, issuer=company.compact(), model=55, series=1, number=1532, code=4821
    )
    print(f"  chave de acesso {format_access_key(key)}")
    read = parse_access_key(key.key)
    print(f"  read back: {read.model_name} series {read.series} nº {read.number}, {read.state}")

    rules = builtin_rules()
    good = FiscalDocument(key.key, issued, company.compact(), buyer_cnpj=customer.compact())
    report = rules.evaluate(good, subject=FISCAL_DOCUMENT, jurisdiction="BR")
    print(f"  BR rules on the NF-e: {len(report)} finding(s), checked {', '.join(report.checked)}")

    wrong = FiscalDocument(
        key.key,
        date(2026, 4, 2),  # dated in April with a March key
        company.compact(),
        buyer_cnpj=customer.compact(),
        buyer_cpf="39053344705",  # and two buyers named
    )
    report = rules.evaluate(wrong, subject=FISCAL_DOCUMENT, jurisdiction="BR")
    print(f"  a document that disagrees with its key: {len(report)} finding(s)")
    for finding in report:
        print(f"    {finding.rule} at {finding.path}: {finding.message(LOCALE)}")


if __name__ == "__main__":
    main()
