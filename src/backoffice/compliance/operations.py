"""Stock and payroll: negative stock, postings into closed periods, pay below the
minimum wage.

* ``OPS-STK-001``: an internal location holds less than nothing of an item whose
  policy forbids it (:class:`~backoffice.inventory.model.NegativePolicy`);
* ``OPS-STK-002``: a movement is dated on or before the ledger's lock date, in a closed
  period (the ledger refuses it with :class:`~backoffice.errors.PeriodLocked`; the rule
  tells before posting, or audits an imported journal);
* ``FR-PAY-001``: a month's gross pay in France below the SMIC of the month, full-time
  or for the hours paid;
* ``BR-PAY-001``: a full month's gross pay in Brazil below the national minimum wage.

The minimum wages are read from the payroll packs' dated parameters
(``backoffice.payroll.fr.PARAMETERS``: ``smic.monthly`` and ``smic.hourly``;
``backoffice.payroll.br.PARAMETERS``: ``BR.minimum_wage``), never restated: a month no
version covers gives no finding, as the rule cannot tell.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

from backoffice.compliance.engine import (
    ANY_JURISDICTION,
    LegalReference,
    Rule,
    RuleSet,
    Violation,
)
from backoffice.compliance.subjects import (
    MONTHLY_PAY,
    STOCK_BALANCE,
    STOCK_MOVEMENT,
    MonthlyPay,
    StockBalance,
    StockPosting,
)
from backoffice.errors import InvalidValue

if TYPE_CHECKING:
    from backoffice.core.money import Money

__all__ = ["RULES", "minimum_wage"]

_pack = RuleSet()


@_pack.rule(
    "OPS-STK-001",
    title="No negative stock for an item whose policy forbids it.",
    jurisdiction=ANY_JURISDICTION,
    subject=STOCK_BALANCE,
    reference=LegalReference(
        "The item's negative-stock policy (backoffice.inventory.model.Item.negative)",
        note="Physical stock cannot be below zero; the annual inventory (Code de commerce, "
        "article L123-12) counts what is there.",
    ),
    messages={
        "en": "Item {item} at {location} has {on_hand} on hand: its policy forbids negative stock.",
        "fr": "L'article {item} à {location} a {on_hand} en stock : sa politique interdit le "
        "stock négatif.",
        "pt_BR": "O item {item} em {location} tem {on_hand} em estoque: sua política proíbe "
        "estoque negativo.",
    },
)
def _negative_stock(value: StockBalance) -> Iterator[Violation]:
    from backoffice.inventory.model import NegativePolicy

    balance = value.balance
    if value.item.negative is NegativePolicy.FORBID and balance.on_hand < 0:
        yield Violation(
            "balance.on_hand",
            {"item": balance.item, "location": balance.location, "on_hand": balance.on_hand},
        )


@_pack.rule(
    "OPS-STK-002",
    title="No movement dated on or before the lock date, in a closed period.",
    jurisdiction=ANY_JURISDICTION,
    subject=STOCK_MOVEMENT,
    reference=LegalReference(
        "Code de commerce",
        "L123-12 and L123-14",
        note="A closed period's accounts are not changed: a correction is dated in an open "
        "period. The ledger enforces it with PeriodLocked.",
    ),
    messages={
        "en": "Movement {movement} is effective on {effective}, on or before the lock date "
        "{lock_date}: date it in an open period.",
        "fr": "Le mouvement {movement} prend effet le {effective}, au plus tard à la date de "
        "clôture {lock_date} : datez-le dans une période ouverte.",
        "pt_BR": "O movimento {movement} tem efeito em {effective}, até a data de fechamento "
        "{lock_date}: date-o em um período aberto.",
    },
)
def _locked_period(value: StockPosting) -> Iterator[Violation]:
    if value.lock_date is not None and value.effective_day <= value.lock_date:
        yield Violation(
            "movement.effective_at",
            {
                "movement": value.movement.id,
                "effective": value.effective_day,
                "lock_date": value.lock_date,
            },
        )


def minimum_wage(pay: MonthlyPay) -> Money | None:
    """The minimum gross for ``pay``'s month and hours, from the payroll packs'
    parameters; ``None`` when the country has no pack or no version covers the month,
    or, in Brazil, for part of a month (the pack states a monthly figure only).

    France: ``smic.hourly × hours`` for the hours given, else ``smic.monthly``.
    Brazil: ``BR.minimum_wage`` for a full month.
    """
    from backoffice.core.rounding import RoundingMode

    day = pay.period.start
    try:
        if pay.country == "FR":
            from backoffice.payroll import fr

            if pay.hours is None:
                monthly: Money = fr.PARAMETERS["smic.monthly"].value_on(day)
                return monthly
            hourly: Money = fr.PARAMETERS["smic.hourly"].value_on(day)
            return hourly.multiply(pay.hours, rounding=RoundingMode.HALF_UP)
        if pay.country == "BR" and pay.hours is None:
            from backoffice.payroll import br

            wage: Money = br.PARAMETERS[br.MINIMUM_WAGE].value_on(day)
            return wage
    except InvalidValue:
        return None
    return None


def _below(pay: MonthlyPay, country: str) -> Iterator[Violation]:
    if pay.country != country:
        return
    floor = minimum_wage(pay)
    if floor is not None and pay.gross.currency is floor.currency and pay.gross < floor:
        yield Violation("gross", {"minimum": floor, "period": str(pay.period)})


@_pack.rule(
    "FR-PAY-001",
    title="The gross pay of a month is at least the SMIC for the hours paid.",
    jurisdiction="FR",
    subject=MONTHLY_PAY,
    reference=LegalReference(
        "Code du travail",
        "L3231-2",
        note="The SMIC of the month from backoffice.payroll.fr.PARAMETERS (smic.monthly, "
        "smic.hourly), each with its decree.",
    ),
    messages={
        "en": "The gross pay of {period} is below the SMIC for the hours paid ({minimum}).",
        "fr": "Le salaire brut de {period} est inférieur au SMIC pour les heures payées "
        "({minimum}).",
        "pt_BR": "O salário bruto de {period} é inferior ao SMIC para as horas pagas ({minimum}).",
    },
)
def _below_smic(pay: MonthlyPay) -> Iterator[Violation]:
    yield from _below(pay, "FR")


@_pack.rule(
    "BR-PAY-001",
    title="The gross pay of a full month is at least the national minimum wage.",
    jurisdiction="BR",
    subject=MONTHLY_PAY,
    reference=LegalReference(
        "Constituição Federal, artigo 7º, IV ; Consolidação das Leis do Trabalho",
        "76",
        note="The minimum wage of the month from backoffice.payroll.br.PARAMETERS "
        "(BR.minimum_wage), each with its decree; full months only.",
    ),
    messages={
        "en": "The gross pay of {period} is below the national minimum wage for a full month "
        "({minimum}).",
        "fr": "Le salaire brut de {period} est inférieur au salaire minimum national pour un "
        "mois complet ({minimum}).",
        "pt_BR": "O salário bruto de {period} é inferior ao salário mínimo nacional para um "
        "mês completo ({minimum}).",
    },
)
def _below_minimum_wage(pay: MonthlyPay) -> Iterator[Violation]:
    yield from _below(pay, "BR")


RULES: Final[tuple[Rule[Any], ...]] = tuple(_pack)
"""The stock and payroll rules, in id order."""
