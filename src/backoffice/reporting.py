"""A month's key figures, read from a store and written as one self-contained HTML page.

:meth:`KpiReport.from_store` reads what the services kept in a store (issued invoices
and credit notes, receivables, the stock journal and its reorder rules, pay runs, the
audit journal) and runs the compliance rules on the month's invoices and pay.
:func:`render_kpi_html` writes the report as one HTML page: inline CSS, charts drawn as
inline SVG, no script, no network, no external asset; every text escaped and every
number formatted for the reader's locale with babel. :func:`write_kpi_html` writes that
page to a file.

The page is well-formed XML as well as HTML, so that a test (or an XML tool) can read
it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from backoffice.core import l10n
from backoffice.core.money import Money, Rate
from backoffice.core.time import Clock, FixedClock, Period
from backoffice.errors import InvalidValue
from backoffice.taxid.model import mask

if TYPE_CHECKING:
    from backoffice.compliance.engine import Finding
    from backoffice.storage.ports import Store

__all__ = [
    "CHART_IDS",
    "AgingRow",
    "ComplianceRow",
    "KpiReport",
    "LowStockRow",
    "PayrollCost",
    "StockRow",
    "VatRow",
    "render_kpi_html",
    "write_kpi_html",
]

#: The id of each chart's ``<svg>`` element, in the order the page shows them.
CHART_IDS: Final = (
    "chart-revenue",
    "chart-aging",
    "chart-stock",
    "chart-low-stock",
    "chart-payroll",
    "chart-compliance",
)


@attrs.frozen(slots=True)
class VatRow:
    """Revenue at one VAT category and rate: invoices less credit notes.

    Attributes:
        category: the VAT category code (``"S"``, ``"Z"``, ``"E"``...).
        rate: the rate in percent; ``None`` for category ``O``.
        taxable: the taxable amount (BT-116), net of credit notes.
        vat: the VAT amount (BT-117), net of credit notes.
    """

    category: str
    rate: Decimal | None
    taxable: Money
    vat: Money


@attrs.frozen(slots=True)
class AgingRow:
    """The open receivables of one aging bucket.

    Attributes:
        bucket: the bucket's name (``"current"``, ``"1-30"``, ``"31-60"``...).
        amount: what is still due in it.
    """

    bucket: str
    amount: Money


@attrs.frozen(slots=True)
class StockRow:
    """One stocked item, valued FIFO.

    Attributes:
        sku: the item's code.
        name: its name.
        unit: its stock unit's code.
        on_hand: the quantity on hand, every location together.
        value: the stock value (FIFO); ``None`` when a receipt has no unit cost.
        consumed: the cost of what left the stock in the period (issues, scrap,
            adjustments out); ``None`` when not valued.
        days_of_inventory: how many days the stock lasts at the period's pace of
            consumption; ``None`` when nothing was consumed.
    """

    sku: str
    name: str
    unit: str
    on_hand: Decimal
    value: Money | None
    consumed: Money | None
    days_of_inventory: Decimal | None


@attrs.frozen(slots=True)
class LowStockRow:
    """An item at or below its reorder minimum, with the quantity to order.

    Attributes:
        sku: the item's code.
        location: where.
        available: what is available there.
        minimum: the reorder rule's minimum.
        maximum: the reorder rule's maximum.
        suggested: the quantity to order to reach the maximum.
    """

    sku: str
    location: str
    available: Decimal
    minimum: Decimal
    maximum: Decimal
    suggested: Decimal


@attrs.frozen(slots=True)
class ComplianceRow:
    """A compliance finding and the document it is about.

    Attributes:
        document: the invoice or credit note number, or the pay it is about.
        finding: what the rule found.
    """

    document: str
    finding: Finding


@attrs.frozen(slots=True)
class PayrollCost:
    """The month's payslips, added up.

    Attributes:
        payslips: how many payslips.
        gross: the gross pay.
        employee_contributions: what the employees pay, deducted from the gross.
        employer_contributions: what the employer pays on top of the gross.
        net: the net pay.
        employer_cost: gross plus employer contributions.
    """

    payslips: int
    gross: Money
    employee_contributions: Money
    employer_contributions: Money
    net: Money
    employer_cost: Money


@attrs.frozen(slots=True)
class KpiReport:
    """A month's key figures of one tenant.

    Attributes:
        tenant: the store's tenant.
        period: the month.
        as_of: the day receivables are aged to.
        currency: the currency of every amount.
        invoices: how many invoices were issued in the period.
        credit_notes: how many credit notes.
        vat_rows: revenue and VAT by category and rate.
        aging: the open receivables by bucket.
        stock: the stocked items (kits left out: they hold no stock of their own).
        days_of_inventory: how many days the valued stock lasts at the period's pace.
        low_stock: the items at or below their reorder minimum.
        payroll: the month's payslips added up; ``None`` without a pay run.
        findings: what the compliance rules found on the invoices and the pay.
        journal_intact: whether every chain of the audit journal verifies.
        journal_chains: how many chains (series) the audit journal holds.
        journal_entries: how many entries the audit journal holds.
    """

    tenant: str
    period: Period
    as_of: date
    currency: str
    invoices: int
    credit_notes: int
    vat_rows: tuple[VatRow, ...]
    aging: tuple[AgingRow, ...]
    stock: tuple[StockRow, ...]
    days_of_inventory: Decimal | None
    low_stock: tuple[LowStockRow, ...]
    payroll: PayrollCost | None
    findings: tuple[ComplianceRow, ...]
    journal_intact: bool
    journal_chains: int
    journal_entries: int

    @classmethod
    def from_store(
        cls,
        store: Store,
        period: Period,
        *,
        as_of: date | None = None,
        currency: str = "EUR",
        jurisdiction: str = "FR",
        hours: Mapping[str, Decimal] | None = None,
        clock: Clock | None = None,
        zone: tzinfo = UTC,
    ) -> KpiReport:
        """Read the month ``period`` from ``store``.

        Args:
            store: a migrated store; its tenant is the one reported.
            period: the month reported.
            as_of: the day receivables are aged to (default: the period's last day).
            currency: the currency of the amounts; other currencies are left out.
            jurisdiction: the jurisdiction the invoices' compliance rules are chosen for.
            hours: the hours paid in the month per employee id, for the minimum-wage
                rule of part-timers (an employee not named is full time).
            clock: the instant the report is cut at (default: the end of ``as_of`` in
                ``zone``): receivables count the invoices issued and the payments and credits
                allocated up to it, stock counts the movements dated up to it, and days
                are read in its time zone; lots past their expiry date then are not
                available. The low-stock suggestions are the ledger's current ones.
            zone: the zone of the default cut (the tenant's business days).
        """
        from backoffice.compliance import AuditJournal, builtin_rules
        from backoffice.compliance.subjects import MonthlyPay
        from backoffice.invoicing import Invoicing
        from backoffice.invoicing.aging import AgingBucket, aging
        from backoffice.payroll.records import PayRuns

        day = period.end if as_of is None else as_of
        now = clock or FixedClock(datetime.combine(day, time.max, zone))
        invoicing = Invoicing(store)
        issued = [
            stored
            for stored in invoicing.invoices()
            if stored.number is not None
            and stored.invoice.issue_date is not None
            and period.start <= stored.invoice.issue_date <= period.end
            and stored.invoice.currency.code == currency
        ]
        by_rate: dict[tuple[str, Decimal | None], tuple[Money, Money]] = {}
        zero = Money.zero(currency)
        for stored in issued:
            sign = -1 if stored.invoice.is_credit_note else 1
            for entry in stored.invoice.totals.vat_breakdown:
                key = (entry.category.value, entry.rate)
                taxable, vat = by_rate.get(key, (zero, zero))
                by_rate[key] = (
                    taxable + entry.taxable_amount * sign,
                    vat + entry.tax_amount * sign,
                )
        vat_rows = tuple(
            VatRow(category, rate, taxable, vat)
            for (category, rate), (taxable, vat) in sorted(
                by_rate.items(), key=lambda item: (item[0][0], item[0][1] or Decimal(0))
            )
        )
        credit_notes = sum(1 for stored in issued if stored.invoice.is_credit_note)

        cut = now.now()
        open_then = Invoicing(store, zone=cut.tzinfo or UTC).receivables(at=cut)
        aged = aging([r for r in open_then if r.open_amount.currency.code == currency], day)
        totals = aged.totals.get(currency)
        aging_rows = tuple(
            AgingRow(bucket.value, zero if totals is None else totals[bucket])
            for bucket in AgingBucket
        )

        stock, low = _stock(store, period, currency, now, cut)
        valued = [row for row in stock if row.value is not None]
        stock_value = Money.total((row.value for row in valued if row.value), currency)
        consumed = Money.total((row.consumed for row in valued if row.consumed), currency)

        rules = builtin_rules()
        findings: list[ComplianceRow] = []
        for stored in issued:
            found = rules.evaluate(stored.invoice, subject="invoice", jurisdiction=jurisdiction)
            findings += [ComplianceRow(stored.number or "", f) for f in found.findings]
        runs = PayRuns(store)
        slips = [
            (run.country, slip)
            for run in runs.runs()
            if run.period_start == period.start
            for slip in runs.payslips(run.id)
        ]
        payroll = None
        if slips:
            money = [slip for _, slip in slips if slip.gross.currency.code == currency]
            payroll = PayrollCost(
                payslips=len(money),
                gross=Money.total((s.gross for s in money), currency),
                employee_contributions=Money.total((s.employee_total for s in money), currency),
                employer_contributions=Money.total((s.employer_total for s in money), currency),
                net=Money.total((s.net for s in money), currency),
                employer_cost=Money.total((s.employer_cost for s in money), currency),
            )
            paid_hours = hours or {}
            for country, slip in slips:
                pay = MonthlyPay(
                    country, slip.period, slip.gross, paid_hours.get(slip.employee_id), ""
                )
                found = rules.evaluate(pay, subject="monthly_pay", jurisdiction=country)
                findings += [
                    ComplianceRow(f"pay of {mask(slip.employee_id)}", f) for f in found.findings
                ]

        verified = AuditJournal(store).verify()
        return cls(
            tenant=store.tenant,
            period=period,
            as_of=day,
            currency=currency,
            invoices=len(issued) - credit_notes,
            credit_notes=credit_notes,
            vat_rows=vat_rows,
            aging=aging_rows,
            stock=stock,
            days_of_inventory=_days(stock_value, consumed, period.days),
            low_stock=low,
            payroll=payroll,
            findings=tuple(findings),
            journal_intact=verified.intact,
            journal_chains=len(verified.chains),
            journal_entries=sum(chain.entries for chain in verified.chains),
        )

    @property
    def revenue(self) -> Money:
        """The net revenue (without VAT): invoices less credit notes."""
        return Money.total((row.taxable for row in self.vat_rows), self.currency)

    @property
    def vat(self) -> Money:
        """The VAT invoiced, less credit notes."""
        return Money.total((row.vat for row in self.vat_rows), self.currency)

    @property
    def stock_value(self) -> Money:
        """The value of the valued items."""
        return Money.total((row.value for row in self.stock if row.value), self.currency)

    @property
    def receivables(self) -> Money:
        """Every open receivable, all buckets together."""
        return Money.total((row.amount for row in self.aging), self.currency)


def _days(value: Money, consumed: Money, days: int) -> Decimal | None:
    """How many days ``value`` lasts when ``consumed`` goes in ``days`` days (0.1 day)."""
    if not consumed.is_positive():
        return None
    return (value.amount * days / consumed.amount).quantize(Decimal("0.1"))


def _stock(
    store: Store, period: Period, currency: str, clock: Clock, cut: datetime
) -> tuple[tuple[StockRow, ...], tuple[LowStockRow, ...]]:
    """The stocked items valued FIFO as they stood at ``cut``, and the reorder
    suggestions."""
    from backoffice.errors import ValidationError
    from backoffice.inventory import Inventory, ValuationMethod

    ledger = Inventory(store, clock=clock)
    items = store.run(lambda uow: uow.items.all())
    rows = []
    for item in sorted(items, key=lambda found: found.sku):
        if item.components:
            continue
        try:
            valued = ledger.valuation(item.sku, ValuationMethod.FIFO, currency)
        except ValidationError:  # a receipt without a unit cost: not valued, and shown
            # with the quantity on hand now
            on_hand = sum((b.on_hand for b in ledger.stock(item.sku)), Decimal(0))
            rows.append(StockRow(item.sku, item.name, item.unit, on_hand, None, None, None))
            continue
        before = [move for move in valued.moves if move.move.effective <= cut]
        on_hand = before[-1].on_hand if before else Decimal(0)
        value = before[-1].stock_value if before else Money.zero(currency)
        zone = cut.tzinfo
        used = Money.total(
            (
                move.value
                for move in before
                if not move.move.kind.inbound
                and period.start <= move.move.effective.astimezone(zone).date() <= period.end
            ),
            currency,
        )
        rows.append(
            StockRow(
                item.sku,
                item.name,
                item.unit,
                on_hand,
                value,
                used,
                _days(value, used, period.days),
            )
        )
    low = tuple(
        LowStockRow(
            s.rule.item,
            s.rule.location,
            s.available,
            s.rule.minimum,
            s.rule.maximum,
            s.quantity,
        )
        for s in ledger.replenishment()
    )
    return tuple(rows), low


# ---------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------

_CSS: Final = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;
max-width:60rem;color:#1f2933;background:#fff;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d9e2ec;padding-bottom:.3rem}
.meta{color:#52606d;margin-top:0}
.tiles{display:flex;flex-wrap:wrap;gap:.8rem}
.tile{border:1px solid #d9e2ec;border-radius:6px;padding:.6rem .9rem;min-width:10rem}
.tile .label{color:#52606d;font-size:.85rem}.tile .value{font-size:1.3rem;font-weight:600}
table{border-collapse:collapse;margin:.6rem 0}
th,td{padding:.25rem .7rem;border-bottom:1px solid #eef2f6;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
svg{display:block;margin:.6rem 0;max-width:100%;height:auto}
svg text{font-family:inherit;font-size:12px;fill:#1f2933}
.ok{color:#2f8132}.bad{color:#b42318}
"""

_COLOURS: Final = ("#3e7cb1", "#f0a202", "#81a4cd", "#c75146", "#5b8e7d", "#8e6c8a")
_WIDTH: Final = 640
_LABEL: Final = 150
_BAR: Final = 22
_GAP: Final = 10


#: The page's words in French and Brazilian Portuguese, by their English text.
_WORDS: Final[dict[str, tuple[str, str]]] = {
    "Revenue and VAT by rate": ("Chiffre d'affaires et TVA par taux", "Receita e IVA por alíquota"),
    "Revenue (without VAT)": ("Chiffre d'affaires (HT)", "Receita (sem IVA)"),
    "VAT": ("TVA", "IVA"),
    "Invoices issued": ("Factures émises", "Faturas emitidas"),
    "Credit notes": ("Avoirs", "Notas de crédito"),
    "Revenue and VAT by VAT rate": (
        "Chiffre d'affaires et TVA par taux de TVA",
        "Receita e IVA por alíquota de IVA",
    ),
    "Revenue": ("Chiffre d'affaires", "Receita"),
    "Category": ("Catégorie", "Categoria"),
    "Rate": ("Taux", "Alíquota"),
    "Total": ("Total", "Total"),
    "Receivables aging": ("Balance âgée des créances", "Vencimento dos recebíveis"),
    "Open receivables by days overdue": (
        "Créances ouvertes par jours de retard",
        "Recebíveis em aberto por dias de atraso",
    ),
    "Stock value and days of inventory": (
        "Valeur du stock et jours de stock",
        "Valor do estoque e dias de estoque",
    ),
    "Stock value (FIFO)": ("Valeur du stock (FIFO)", "Valor do estoque (PEPS)"),
    "Days of inventory": ("Jours de stock", "Dias de estoque"),
    "Stock value by item (FIFO)": (
        "Valeur du stock par article (FIFO)",
        "Valor do estoque por item (PEPS)",
    ),
    "Item": ("Article", "Item"),
    "On hand": ("En stock", "Em estoque"),
    "Unit": ("Unité", "Unidade"),
    "Value": ("Valeur", "Valor"),
    "Consumed": ("Consommé", "Consumido"),
    "Low-stock items": ("Articles en stock bas", "Itens com estoque baixo"),
    "Available against the reorder minimum": (
        "Disponible face au minimum de réapprovisionnement",
        "Disponível frente ao mínimo de reposição",
    ),
    "Available": ("Disponible", "Disponível"),
    "Missing to the minimum": ("Manque pour le minimum", "Falta para o mínimo"),
    "Location": ("Emplacement", "Local"),
    "Minimum": ("Minimum", "Mínimo"),
    "Maximum": ("Maximum", "Máximo"),
    "To order": ("À commander", "A pedir"),
    "Payroll cost": ("Coût de la paie", "Custo da folha"),
    "No pay run for the month.": ("Aucune paie pour le mois.", "Nenhuma folha no mês."),
    "Payslips": ("Bulletins", "Holerites"),
    "Gross pay": ("Salaire brut", "Salário bruto"),
    "Employer cost": ("Coût employeur", "Custo do empregador"),
    "Payroll cost split: net pay, employee and employer contributions": (
        "Répartition du coût de la paie : net, cotisations salariales et patronales",
        "Composição do custo da folha: líquido, contribuições do empregado e do empregador",
    ),
    "Net pay": ("Salaire net", "Salário líquido"),
    "Employee contributions": ("Cotisations salariales", "Contribuições do empregado"),
    "Employer contributions": ("Cotisations patronales", "Contribuições do empregador"),
    "Amount": ("Montant", "Valor"),
    "Compliance": ("Conformité", "Conformidade"),
    "Compliance findings by severity": (
        "Constats de conformité par gravité",
        "Constatações de conformidade por gravidade",
    ),
    "Rule": ("Règle", "Regra"),
    "Severity": ("Gravité", "Gravidade"),
    "Document": ("Document", "Documento"),
    "Where": ("Où", "Onde"),
    "Finding": ("Constat", "Constatação"),
    "Open on {day}": ("Ouvert au {day}", "Em aberto em {day}"),
    "Audit journal": ("Journal d'audit", "Diário de auditoria"),
    "intact": ("intègre", "íntegro"),
    "BROKEN": ("ROMPU", "ROMPIDO"),
    "entries": ("entrées", "entradas"),
    "key figures": ("chiffres clés", "indicadores"),
    "current": ("à échoir", "a vencer"),
    "error": ("erreur", "erro"),
    "warning": ("avertissement", "aviso"),
    "info": ("information", "informação"),
}


def _translator(locale: str) -> Callable[[str], str]:
    """The page's words in ``locale``'s language (English for a language without them)."""
    column = {"fr": 0, "pt": 1}.get(locale.split("_", 1)[0])
    if column is None:
        return lambda text: text
    return lambda text: _WORDS[text][column] if text in _WORDS else text


#: The characters XML 1.0 does not allow: C0 controls but tab, line feed and carriage
#: return (a page that holds one is not well-formed).
_NOT_IN_XML: Final = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(value: object) -> str:
    return escape(str(value).translate(_NOT_IN_XML), quote=True)


def _coord(value: Decimal) -> str:
    """An SVG coordinate, one decimal, never in exponent notation."""
    return format(value.quantize(Decimal("0.1")), "f")


def _scale(values: Sequence[Decimal]) -> Decimal:
    """The largest of ``values`` (1 when all are zero or negative)."""
    top = max((v for v in values), default=Decimal(0))
    return top if top > 0 else Decimal(1)


def _bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[Decimal], str]],
    legend: Sequence[str] = (),
) -> str:
    """Horizontal bars, stacked when a row has several values.

    Each row is (label, values, the text shown after the bar). Negative values are drawn
    as zero (their text still says what they are).
    """
    span = Decimal(_WIDTH - _LABEL - 150)
    top = _scale([sum((max(v, Decimal(0)) for v in values), Decimal(0)) for _, values, _ in rows])
    # the legend's entries, placed left to right, wrapping at the chart's width
    placed: list[tuple[int, int, str]] = []
    x, y = _LABEL, 4
    for name in legend:
        advance = 24 + 7 * len(name)
        if x > _LABEL and x + advance > _WIDTH:
            x, y = _LABEL, y + 18
        placed.append((x, y, name))
        x += advance
    legend_height = y + 20 if legend else 0
    height = legend_height + max(len(rows), 1) * (_BAR + _GAP) + _GAP
    parts = [
        f'<svg id="{_text(chart_id)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" '
        f'aria-labelledby="{_text(chart_id)}-title">',
        f'<title id="{_text(chart_id)}-title">{_text(title)}</title>',
    ]
    for index, (x, y, name) in enumerate(placed):
        colour = _COLOURS[index % len(_COLOURS)]
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 10}">{_text(name)}</text>')
    if not rows:
        parts.append(f'<text x="{_LABEL}" y="{legend_height + 26}">-</text>')
    for number, (label, values, shown) in enumerate(rows):
        y = legend_height + _GAP + number * (_BAR + _GAP)
        parts.append(f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end">{_text(label)}</text>')
        start = Decimal(_LABEL)
        for index, value in enumerate(values):
            width = span * max(value, Decimal(0)) / top
            colour = _COLOURS[index % len(_COLOURS)]
            parts.append(
                f'<rect x="{_coord(start)}" y="{y}" width="{_coord(width)}" '
                f'height="{_BAR}" fill="{colour}"/>'
            )
            start += width
        parts.append(f'<text x="{_coord(start + 6)}" y="{y + 15}">{_text(shown)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    def cell(tag: str, index: int, value: str) -> str:
        kind = ' class="num"' if index in numeric else ""
        return f"<{tag}{kind}>{_text(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _tile(key: str, label: str, value: str) -> str:
    return (
        f'<div class="tile" data-kpi="{_text(key)}"><div class="label">{_text(label)}</div>'
        f'<div class="value">{_text(value)}</div></div>'
    )


def render_kpi_html(report: KpiReport, locale: str = "en_US", *, title: str | None = None) -> str:
    """The report as one self-contained HTML page, in ``locale``'s number formats.

    The page has no script and refers to nothing outside itself: the CSS is inline and
    each chart is an inline ``<svg>`` whose id is one of :data:`CHART_IDS`. Every text
    is escaped. Amounts, quantities and dates are formatted with babel for ``locale``;
    the page's words are in English, French or Brazilian Portuguese (English for any
    other language). Each headline figure's element has a ``data-kpi`` attribute
    naming it (``revenue``, ``vat``, ``receivables``, ``gross``, ``employer_cost``...),
    for a program that reads the page back.

    Args:
        report: the figures.
        locale: the reader's locale (``fr_FR``, ``pt_BR``, ``en_US``...).
        title: the business's name in the page's title (default: the tenant).

    Raises:
        UnknownLocale: ``locale`` is not a locale babel knows.
    """
    locale = l10n.normalize_locale(locale)
    t = _translator(locale)

    def money(value: Money | None) -> str:
        return "-" if value is None else l10n.format_money(value, locale)

    def number(value: Decimal | None) -> str:
        return "-" if value is None else l10n.format_decimal(value, locale)

    def percent(rate: Decimal | None) -> str:
        return "-" if rate is None else l10n.format_percent(Rate.percent(rate), locale)

    period = f"{l10n.format_date(report.period.start, locale, format='long')} – " + (
        l10n.format_date(report.period.end, locale, format="long")
    )
    sections: list[str] = []

    # Revenue and VAT by rate
    sections.append(f"<h2>{_text(t('Revenue and VAT by rate'))}</h2>")
    sections.append(
        '<div class="tiles">'
        + _tile("revenue", t("Revenue (without VAT)"), money(report.revenue))
        + _tile("vat", t("VAT"), money(report.vat))
        + _tile("invoices", t("Invoices issued"), number(Decimal(report.invoices)))
        + _tile("credit_notes", t("Credit notes"), number(Decimal(report.credit_notes)))
        + "</div>"
    )
    sections.append(
        _bar_chart(
            "chart-revenue",
            t("Revenue and VAT by VAT rate"),
            [
                (
                    f"{row.category} {percent(row.rate)}",
                    [row.taxable.amount, row.vat.amount],
                    f"{money(row.taxable)} + {money(row.vat)}",
                )
                for row in report.vat_rows
            ],
            legend=(t("Revenue"), t("VAT")),
        )
    )
    sections.append(
        _table(
            (t("Category"), t("Rate"), t("Revenue"), t("VAT")),
            [(r.category, percent(r.rate), money(r.taxable), money(r.vat)) for r in report.vat_rows]
            + [(t("Total"), "", money(report.revenue), money(report.vat))],
            {1, 2, 3},
        )
    )

    # Receivables aging
    sections.append(f"<h2>{_text(t('Receivables aging'))}</h2>")
    as_of = l10n.format_date(report.as_of, locale, format="long")
    sections.append(
        '<div class="tiles">'
        + _tile("receivables", t("Open on {day}").format(day=as_of), money(report.receivables))
        + "</div>"
    )
    sections.append(
        _bar_chart(
            "chart-aging",
            t("Open receivables by days overdue"),
            [(t(row.bucket), [row.amount.amount], money(row.amount)) for row in report.aging],
        )
    )

    # Stock value and days of inventory
    sections.append(f"<h2>{_text(t('Stock value and days of inventory'))}</h2>")
    sections.append(
        '<div class="tiles">'
        + _tile("stock_value", t("Stock value (FIFO)"), money(report.stock_value))
        + _tile("days_of_inventory", t("Days of inventory"), number(report.days_of_inventory))
        + "</div>"
    )
    valued = [row for row in report.stock if row.value is not None]
    sections.append(
        _bar_chart(
            "chart-stock",
            t("Stock value by item (FIFO)"),
            [
                (
                    row.name or row.sku,
                    [row.value.amount if row.value else Decimal(0)],
                    money(row.value),
                )
                for row in valued
            ],
        )
    )
    sections.append(
        _table(
            (t("Item"), t("On hand"), t("Unit"), t("Value"), t("Consumed"), t("Days of inventory")),
            [
                (
                    row.sku,
                    number(row.on_hand),
                    row.unit,
                    money(row.value),
                    money(row.consumed),
                    number(row.days_of_inventory),
                )
                for row in report.stock
            ],
            {1, 3, 4, 5},
        )
    )

    # Low stock
    sections.append(f"<h2>{_text(t('Low-stock items'))}</h2>")
    sections.append(
        _bar_chart(
            "chart-low-stock",
            t("Available against the reorder minimum"),
            [
                (
                    f"{row.sku} @ {row.location}",
                    [row.available, max(row.minimum - row.available, Decimal(0))],
                    f"{number(row.available)} / {number(row.minimum)}",
                )
                for row in report.low_stock
            ],
            legend=(t("Available"), t("Missing to the minimum")),
        )
    )
    sections.append(
        _table(
            (t("Item"), t("Location"), t("Available"), t("Minimum"), t("Maximum"), t("To order")),
            [
                (
                    row.sku,
                    row.location,
                    number(row.available),
                    number(row.minimum),
                    number(row.maximum),
                    number(row.suggested),
                )
                for row in report.low_stock
            ],
            {2, 3, 4, 5},
        )
    )

    # Payroll cost split
    sections.append(f"<h2>{_text(t('Payroll cost'))}</h2>")
    pay = report.payroll
    if pay is None:
        sections.append(f"<p>{_text(t('No pay run for the month.'))}</p>")
        pay_rows: list[tuple[str, Sequence[Decimal], str]] = []
    else:
        sections.append(
            '<div class="tiles">'
            + _tile("payslips", t("Payslips"), number(Decimal(pay.payslips)))
            + _tile("gross", t("Gross pay"), money(pay.gross))
            + _tile("employer_cost", t("Employer cost"), money(pay.employer_cost))
            + "</div>"
        )
        pay_rows = [
            (
                t("Employer cost"),
                [
                    pay.net.amount,
                    pay.employee_contributions.amount,
                    pay.employer_contributions.amount,
                ],
                money(pay.employer_cost),
            )
        ]
    sections.append(
        _bar_chart(
            "chart-payroll",
            t("Payroll cost split: net pay, employee and employer contributions"),
            pay_rows,
            legend=(t("Net pay"), t("Employee contributions"), t("Employer contributions")),
        )
    )
    if pay is not None:
        sections.append(
            _table(
                ("", t("Amount")),
                [
                    (t("Gross pay"), money(pay.gross)),
                    (t("Employee contributions"), money(pay.employee_contributions)),
                    (t("Net pay"), money(pay.net)),
                    (t("Employer contributions"), money(pay.employer_contributions)),
                    (t("Employer cost"), money(pay.employer_cost)),
                ],
                {1},
            )
        )

    # Compliance
    sections.append(f"<h2>{_text(t('Compliance'))}</h2>")
    journal = t("intact") if report.journal_intact else t("BROKEN")
    css = "ok" if report.journal_intact else "bad"
    sections.append(
        f'<p>{_text(t("Audit journal"))}: <span class="{css}" data-kpi="journal">'
        f"{_text(journal)}</span>, {_text(number(Decimal(report.journal_entries)))} "
        f"{_text(t('entries'))}.</p>"
    )
    severities = ("error", "warning", "info")
    counts = {
        s: sum(1 for row in report.findings if row.finding.severity.value == s) for s in severities
    }
    sections.append(
        _bar_chart(
            "chart-compliance",
            t("Compliance findings by severity"),
            [(t(s), [Decimal(counts[s])], number(Decimal(counts[s]))) for s in severities],
        )
    )
    sections.append(
        _table(
            (t("Rule"), t("Severity"), t("Document"), t("Where"), t("Finding")),
            [
                (
                    row.finding.rule,
                    t(row.finding.severity.value),
                    row.document,
                    row.finding.path,
                    row.finding.message(locale),
                )
                for row in report.findings
            ],
            set(),
        )
    )

    title = f"{title or report.tenant}: {t('key figures')}"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{_text(locale.replace("_", "-"))}" xmlns="http://www.w3.org/1999/xhtml">',
            "<head>",
            '<meta charset="utf-8"/>',
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
            f"<title>{_text(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            f"<h1>{_text(title)}</h1>",
            f'<p class="meta">{_text(period)} · {_text(report.currency)} · {_text(locale)}</p>',
            *sections,
            "</body>",
            "</html>",
            "",
        ]
    )


def write_kpi_html(
    report: KpiReport, path: str | Path, locale: str = "en_US", *, title: str | None = None
) -> Path:
    """Write :func:`render_kpi_html` of ``report`` to ``path`` (UTF-8); return the path.

    Raises:
        InvalidValue: the file cannot be written (``field`` is ``"path"``).
    """
    target = Path(path)
    page = render_kpi_html(report, locale, title=title)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise InvalidValue(
            field="path", reason=f"cannot write {target}: {error.strerror or error}"
        ) from error
    return target
