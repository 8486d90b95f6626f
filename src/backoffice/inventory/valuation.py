"""Stock valuation as pure functions over a journal of movements.

:func:`value_journal` takes the movements of one item (:class:`ValuationMove`: receipts
and issues, with stock-count adjustments in and out) and values them with one method
(:class:`ValuationMethod`): FIFO, moving weighted average, standard cost, or LIFO behind
an explicit opt-in. It does no I/O and stores nothing: the same journal always gives the
same :class:`ValuationResult`.

The rules, explained with worked numbers on the *Stock valuation* explanation page:

1. **Exact inside, booked outside.** Quantities and unit costs are exact
   (:class:`~fractions.Fraction`; a moving average of 0.196666… stays exactly 59/300).
   Every value that reaches the ledger is :class:`~backoffice.core.money.Money`, rounded
   once to the currency with the named rounding.
2. **Nothing is lost to rounding.** A cost layer (a receipt, or the average pool) gives
   up, when it is emptied, exactly the value it has left; so the issue that empties the
   stock takes exactly the remaining booked value and the stock value ends at exactly
   zero. Under standard cost the stock is always its quantity at standard, rounded
   once, and a move's value is the change of that figure. The difference with the
   rounded exact cost is shown as :attr:`MoveValuation.rounding_adjustment`.
3. **Every issue is traceable** (:attr:`MoveValuation.takes`): which receipt layers it
   consumed (FIFO, LIFO), or the pool it was costed from (average, standard), with
   quantities, unit costs and booked values.
4. **Negative stock is provisional** (FIFO, LIFO, average): units issued beyond the
   stock are costed at the last known cost; the next receipts settle them, oldest
   shortage first, at their own cost, and book the difference
   (:class:`Settlement`). Under standard cost there is nothing to settle.
5. **Backdating is explicit.** ``posted`` says how many of the journal's first moves are
   already in the ledger. A new move dated before one of them needs a
   :class:`BackdatePolicy`: re-value the later moves in place, or keep their booked
   values and book :class:`Correction` entries dated ``now``. A lock date refuses new
   moves in closed periods.
6. **LIFO is refused** unless ``allow_lifo=True``: IAS 2 does not allow it (IAS 2 ¶25,
   BC9–BC21); US GAAP does (ASC 330).

>>> from datetime import datetime, timezone
>>> def day(d: int) -> datetime:
...     return datetime(2026, 1, d, tzinfo=timezone.utc)
>>> journal = [
...     ValuationMove.receipt("R1", day(1), Decimal(10), UnitPrice(10, "EUR")),
...     ValuationMove.receipt("R2", day(2), Decimal(10), UnitPrice(20, "EUR")),
...     ValuationMove.issue("I1", day(3), Decimal(15)),
... ]
>>> value_journal(journal, ValuationMethod.FIFO, "EUR").move("I1").value
Money('200.00', 'EUR')
>>> value_journal(journal, ValuationMethod.MOVING_AVERAGE, "EUR").stock_value
Money('75.00', 'EUR')
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from fractions import Fraction

import attrs

from backoffice.core._numbers import fraction_to_decimal, round_ratio, to_decimal
from backoffice.core.currency import Currency, get_currency
from backoffice.core.money import Money, UnitPrice
from backoffice.core.quantity import Unit, get_unit
from backoffice.core.rounding import RoundingArg, RoundingMode, as_policy
from backoffice.core.time import ensure_aware, ensure_date
from backoffice.errors import (
    BackofficeError,
    CurrencyMismatch,
    InvalidType,
    InvalidValue,
    PeriodLocked,
    Problem,
    RoundingError,
    ValidationError,
)

__all__ = [
    "BackdatePolicy",
    "Correction",
    "CostLayer",
    "LayerTake",
    "MoveKind",
    "MoveValuation",
    "Settlement",
    "ValuationMethod",
    "ValuationMove",
    "ValuationResult",
    "value_journal",
]


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


class ValuationMethod(enum.StrEnum):
    """How issues are costed.

    ``FIFO``: the oldest receipts first (IAS 2 ¶25). ``MOVING_AVERAGE``: the weighted
    average cost, recomputed at each receipt (IAS 2 ¶27). ``STANDARD``: a fixed unit
    cost, receipts booking the price variance (IAS 2 ¶21, when it approximates cost).
    ``LIFO``: the newest receipts first; not allowed under IFRS (IAS 2 BC9–BC21), so
    :func:`value_journal` refuses it unless ``allow_lifo=True``.
    """

    FIFO = "fifo"
    MOVING_AVERAGE = "moving_average"
    STANDARD = "standard"
    LIFO = "lifo"


class MoveKind(enum.StrEnum):
    """What a move does to the stock.

    Receipts and positive adjustments (a stock count that finds more) bring goods in;
    issues and negative adjustments take goods out. Adjustments are valued like receipts
    and issues; the kind tells the ledger which account the difference goes to.
    """

    RECEIPT = "receipt"
    ISSUE = "issue"
    ADJUSTMENT_IN = "adjustment_in"
    ADJUSTMENT_OUT = "adjustment_out"

    @property
    def inbound(self) -> bool:
        """Whether the move brings goods into stock."""
        return self is MoveKind.RECEIPT or self is MoveKind.ADJUSTMENT_IN


class BackdatePolicy(enum.StrEnum):
    """What to do with moves already posted when a new move is dated before them.

    ``RECOMPUTE``: value the whole journal in effective-time order; the later moves are
    re-valued in place (their periods must still be open). ``CORRECT_AT_PRESENT``: the
    posted moves keep the values they were booked at, and the differences are booked as
    :class:`Correction` entries dated ``now``.
    """

    RECOMPUTE = "recompute"
    CORRECT_AT_PRESENT = "correct_at_present"


@attrs.frozen(slots=True)
class ValuationMove:
    """One movement of the item, as the journal records it.

    Nothing is checked when a move is built: :func:`value_journal` checks the whole
    journal and reports every problem of every move at once.

    Attributes:
        id: the move's reference, unique in the journal (``"GRN-0042"``).
        effective: when the move happened: an aware datetime.
        kind: receipt, issue, or an adjustment in or out.
        quantity: how many units, a positive ``Decimal`` in the item's stock unit.
        unit_cost: what one unit cost: required on receipts; optional on adjustments
            in (without one, they come in at the current cost); refused on outbound
            moves, which the method values.
    """

    id: str
    effective: datetime
    kind: MoveKind
    quantity: Decimal
    unit_cost: UnitPrice | None = None

    @classmethod
    def receipt(
        cls, id: str, effective: datetime, quantity: Decimal, unit_cost: UnitPrice
    ) -> ValuationMove:
        """A receipt of ``quantity`` units at ``unit_cost`` each."""
        return cls(id, effective, MoveKind.RECEIPT, quantity, unit_cost)

    @classmethod
    def issue(cls, id: str, effective: datetime, quantity: Decimal) -> ValuationMove:
        """An issue of ``quantity`` units, valued by the method."""
        return cls(id, effective, MoveKind.ISSUE, quantity)


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class LayerTake:
    """What an outbound move took from one cost layer: its traceability.

    Attributes:
        layer: the id of the receipt whose layer was consumed (FIFO, LIFO); ``None``
            for the pool of the average and standard methods, and for units issued
            beyond the stock.
        quantity: the units taken.
        unit_cost: their exact unit cost.
        value: their booked value.
        provisional: the units were not in stock: they are costed at the last known
            cost until a later receipt settles them (see :class:`Settlement`).
    """

    layer: str | None
    quantity: Decimal
    unit_cost: Fraction
    value: Money
    provisional: bool = False


@attrs.frozen(slots=True)
class Settlement:
    """Units that an issue took beyond the stock, settled by a later receipt.

    Attributes:
        issue: the id of the move that went short.
        quantity: the units settled.
        provisional: what the issue booked for them (at the last known cost).
        settled: what they cost, taken from the receipt's layer.
        difference: ``settled - provisional``: more cost of sales when positive, booked
            with the receipt.
    """

    issue: str
    quantity: Decimal
    provisional: Money
    settled: Money
    difference: Money


@attrs.frozen(slots=True)
class CostLayer:
    """Stock still on hand at one cost (or, with a negative quantity, stock owed).

    Attributes:
        source: the id of the receipt that brought it in (FIFO, LIFO), of the issue
            that went short (a negative quantity awaiting settlement), or ``None`` for
            the pool of the average and standard methods.
        quantity: the units; negative for a shortage.
        unit_cost: the exact unit cost.
        value: the booked value (negative for a shortage).
    """

    source: str | None
    quantity: Decimal
    unit_cost: Fraction
    value: Money


@attrs.frozen(slots=True)
class MoveValuation:
    """How one move was valued.

    Attributes:
        move: the move.
        value: the booked value that entered stock (inbound: ``quantity × unit_cost``,
            rounded once) or left it (outbound: the sum of :attr:`takes`); never
            negative.
        unit_cost: the exact unit cost: of the receipt (the standard cost under the
            standard method), or the average of what the issue took.
        takes: the layers an outbound move consumed, in the order taken.
        settlements: the shortages an inbound move settled, oldest first.
        shortage: the units an outbound move issued beyond the stock.
        variance: under standard cost, what a receipt cost minus its value at standard
            (positive: paid more than standard); zero otherwise.
        rounding_adjustment: ``value`` minus the exact value rounded once. Not zero when
            the move empties a layer, which gives up exactly the value it has left (the
            issue that empties the stock takes the rest of its value), and under standard
            cost, where a move's value is the change of the stock's value at standard.
        on_hand: the quantity after the move.
        stock_value: the stock value after the move.
    """

    move: ValuationMove
    value: Money
    unit_cost: Fraction
    takes: tuple[LayerTake, ...]
    settlements: tuple[Settlement, ...]
    shortage: Decimal
    variance: Money
    rounding_adjustment: Money
    on_hand: Decimal
    stock_value: Money

    @property
    def cost_out(self) -> Money:
        """The value this move took out of stock: an outbound move's value, or the
        differences an inbound move's settlements booked."""
        if self.move.kind.inbound:
            return Money.total((s.difference for s in self.settlements), self.value.currency)
        return self.value


@attrs.frozen(slots=True)
class Correction:
    """The change of an already-posted move's :attr:`~MoveValuation.cost_out` caused by a
    backdated move.

    Attributes:
        move: the id of the posted move.
        effective: when the correction is booked: ``now`` under
            :attr:`BackdatePolicy.CORRECT_AT_PRESENT`, the move's own time under
            :attr:`BackdatePolicy.RECOMPUTE` (it restates that period).
        booked: the value as posted.
        recomputed: the value with the new moves in place.
        amount: ``recomputed - booked``: more cost of sales when positive.
    """

    move: str
    effective: datetime
    booked: Money
    recomputed: Money
    amount: Money


@attrs.frozen(slots=True)
class ValuationResult:
    """The valued journal.

    Attributes:
        method: the valuation method.
        currency: the currency of every value.
        moves: each move's valuation, in valuation order (effective time, then journal
            order). Under :attr:`BackdatePolicy.CORRECT_AT_PRESENT`, posted moves show
            the values they were booked at.
        layers: the stock left, oldest layer first (the single pool of the average and
            standard methods), then the shortages awaiting settlement.
        on_hand: the quantity on hand.
        stock_value: the booked stock value: the sum of the layers' values.
        corrections: the changes to posted moves caused by backdated moves.
    """

    method: ValuationMethod
    currency: Currency
    moves: tuple[MoveValuation, ...]
    layers: tuple[CostLayer, ...]
    on_hand: Decimal
    stock_value: Money
    corrections: tuple[Correction, ...] = ()

    def move(self, id: str) -> MoveValuation:
        """The valuation of the move ``id``.

        Raises:
            InvalidValue: no move has that id.
        """
        for valued in self.moves:
            if valued.move.id == id:
                return valued
        raise InvalidValue(field="id", reason=f"no move {id!r} in this journal")


# ---------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------


@attrs.define(slots=True)
class _Layer:
    source: str | None
    quantity: Fraction
    cost: Fraction
    units: int


def _decimal(value: Fraction) -> Decimal:
    if value.denominator == 1:
        return Decimal(value.numerator)
    result = fraction_to_decimal(value)
    assert result is not None  # sums and differences of decimals are decimals
    return result


class _Engine:
    """Values moves one at a time, in valuation order."""

    def __init__(
        self,
        method: ValuationMethod,
        currency: Currency,
        mode: RoundingMode,
        step: int,
        standard: Fraction,
    ) -> None:
        self.method = method
        self.currency = currency
        self.mode = mode.value
        self.step = step
        self.standard = standard
        self.layers: deque[_Layer] = deque()  # FIFO, LIFO: one per receipt; average: the pool
        self.shortages: deque[_Layer] = deque()  # units owed, oldest first
        self.quantity = Fraction(0)  # on hand, all layers together
        self.units = 0  # the stock value, all layers together
        self.last_cost = Fraction(0)  # FIFO, LIFO: the latest receipt's cost
        self.average = Fraction(0)  # average: the current (or last known) average

    # -- helpers ------------------------------------------------------------------------

    def book(self, exact: Fraction) -> int:
        """``exact`` (in currency units) rounded once, in minor units."""
        steps = round_ratio(
            exact.numerator * self.currency.scale, exact.denominator * self.step, self.mode
        )
        return steps * self.step

    def money(self, units: int) -> Money:
        return Money.from_minor_units(units, self.currency)

    def take(self, layer: _Layer, quantity: Fraction) -> int:
        """Take ``quantity`` from ``layer``; an emptied layer gives all it has left."""
        if quantity == layer.quantity:
            units = layer.units
        else:
            units = min(max(self.book(quantity * layer.cost), 0), layer.units)
        layer.quantity -= quantity
        layer.units -= units
        return units

    def current_cost(self) -> Fraction:
        if self.method is ValuationMethod.STANDARD:
            return self.standard
        if self.method is ValuationMethod.MOVING_AVERAGE:
            return self.average
        return self.last_cost

    def cost_layers(self) -> tuple[CostLayer, ...]:
        if self.method is ValuationMethod.STANDARD:
            if not self.quantity:
                return ()
            return (
                CostLayer(None, _decimal(self.quantity), self.standard, self.money(self.units)),
            )
        found = [
            CostLayer(layer.source, _decimal(layer.quantity), layer.cost, self.money(layer.units))
            for layer in self.layers
        ]
        found.extend(
            CostLayer(layer.source, _decimal(-layer.quantity), layer.cost, self.money(-layer.units))
            for layer in self.shortages
        )
        return tuple(found)

    def result(
        self,
        move: ValuationMove,
        value: int,
        unit_cost: Fraction,
        exact: Fraction,
        *,
        takes: Sequence[LayerTake] = (),
        settlements: Sequence[Settlement] = (),
        shortage: Fraction = Fraction(0),
        variance: int = 0,
    ) -> MoveValuation:
        return MoveValuation(
            move=move,
            value=self.money(value),
            unit_cost=unit_cost,
            takes=tuple(takes),
            settlements=tuple(settlements),
            shortage=_decimal(shortage),
            variance=self.money(variance),
            rounding_adjustment=self.money(value - self.book(exact)),
            on_hand=_decimal(self.quantity),
            stock_value=self.money(self.units),
        )

    # -- moves --------------------------------------------------------------------------

    def apply(self, move: ValuationMove) -> MoveValuation:
        quantity = Fraction(move.quantity)
        if move.kind.inbound:
            self.quantity += quantity
            cost = (
                self.current_cost() if move.unit_cost is None else Fraction(move.unit_cost.amount)
            )
            if self.method is ValuationMethod.STANDARD:
                return self.receive_standard(move, quantity, cost)
            return self.receive(move, quantity, cost)
        self.quantity -= quantity
        if self.method is ValuationMethod.STANDARD:
            return self.issue_standard(move, quantity)
        return self.issue(move, quantity)

    def receive(self, move: ValuationMove, quantity: Fraction, cost: Fraction) -> MoveValuation:
        exact = quantity * cost
        value = self.book(exact)
        incoming = _Layer(move.id, quantity, cost, value)
        settlements: list[Settlement] = []
        passed = 0  # the settlements' differences, in minor units
        while self.shortages and incoming.quantity:
            short = self.shortages[0]
            assert short.source is not None  # the issue that went short
            settled_quantity = min(incoming.quantity, short.quantity)
            settled = self.take(incoming, settled_quantity)
            provisional = self.take(short, settled_quantity)
            passed += settled - provisional
            settlements.append(
                Settlement(
                    issue=short.source,
                    quantity=_decimal(settled_quantity),
                    provisional=self.money(provisional),
                    settled=self.money(settled),
                    difference=self.money(settled - provisional),
                )
            )
            if not short.quantity:
                self.shortages.popleft()
        self.units += value - passed
        if self.method is ValuationMethod.MOVING_AVERAGE:
            if not self.layers:
                self.average = cost
                if incoming.quantity:
                    self.layers.append(_Layer(None, incoming.quantity, cost, incoming.units))
            elif incoming.quantity:
                pool = self.layers[0]
                total = pool.quantity + incoming.quantity
                self.average = (pool.quantity * pool.cost + incoming.quantity * cost) / total
                pool.quantity = total
                pool.units += incoming.units
                pool.cost = self.average
        else:
            self.last_cost = cost
            if incoming.quantity:
                self.layers.append(incoming)
        return self.result(move, value, cost, exact, settlements=settlements)

    def issue(self, move: ValuationMove, quantity: Fraction) -> MoveValuation:
        takes: list[LayerTake] = []
        left = quantity
        exact = Fraction(0)
        value = 0
        newest_first = self.method is ValuationMethod.LIFO
        while left and self.layers:
            layer = self.layers[-1] if newest_first else self.layers[0]
            taken = min(left, layer.quantity)
            units = self.take(layer, taken)
            takes.append(LayerTake(layer.source, _decimal(taken), layer.cost, self.money(units)))
            exact += taken * layer.cost
            value += units
            left -= taken
            if not layer.quantity:
                if newest_first:
                    self.layers.pop()
                else:
                    self.layers.popleft()
        if left:
            cost = self.current_cost()
            units = self.book(left * cost)
            self.shortages.append(_Layer(move.id, left, cost, units))
            takes.append(LayerTake(None, _decimal(left), cost, self.money(units), provisional=True))
            exact += left * cost
            value += units
        self.units -= value
        return self.result(move, value, exact / quantity, exact, takes=takes, shortage=left)

    def receive_standard(
        self, move: ValuationMove, quantity: Fraction, cost: Fraction
    ) -> MoveValuation:
        # the stock is always its quantity at standard, rounded once: a move's value is
        # the change of that figure, so nothing drifts and zero units are worth zero
        value = self.book(self.quantity * self.standard) - self.units
        self.units += value
        variance = self.book(quantity * cost) - value
        return self.result(move, value, self.standard, quantity * self.standard, variance=variance)

    def issue_standard(self, move: ValuationMove, quantity: Fraction) -> MoveValuation:
        before = self.quantity + quantity
        shortage = quantity - min(max(before, Fraction(0)), quantity)
        value = self.units - self.book(self.quantity * self.standard)
        self.units -= value
        take = LayerTake(None, _decimal(quantity), self.standard, self.money(value))
        exact = quantity * self.standard
        return self.result(move, value, self.standard, exact, takes=(take,), shortage=shortage)


def _run(
    moves: Sequence[ValuationMove],
    method: ValuationMethod,
    currency: Currency,
    mode: RoundingMode,
    step: int,
    standard: Fraction,
) -> tuple[list[MoveValuation], _Engine]:
    """Value ``moves`` (already in valuation order)."""
    engine = _Engine(method, currency, mode, step, standard)
    return [engine.apply(move) for move in moves], engine


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


def _problem(path: str, error: BackofficeError) -> Problem:
    return Problem.from_error(path, error)


def _check_move(
    move: object,
    path: str,
    currency: Currency,
    unit: Unit | None,
    problems: list[Problem],
) -> ValuationMove | None:
    """``move`` with its quantity as a ``Decimal``, or ``None`` (problems appended)."""
    if not isinstance(move, ValuationMove):
        problems.append(
            _problem(
                path,
                InvalidType(field=path, expected="a ValuationMove", got=type(move).__name__),
            )
        )
        return None
    found = len(problems)
    if not isinstance(move.id, str) or not move.id.strip():
        problems.append(
            _problem(
                f"{path}.id",
                InvalidValue(field=f"{path}.id", reason=f"a move needs an id, got {move.id!r}"),
            )
        )
    try:
        ensure_aware(move.effective, f"{path}.effective")
    except BackofficeError as error:
        problems.append(_problem(f"{path}.effective", error))
    kind: MoveKind | None = None
    try:
        kind = MoveKind(move.kind)
    except ValueError:
        problems.append(
            _problem(
                f"{path}.kind",
                InvalidType(
                    field=f"{path}.kind",
                    expected="a MoveKind (" + ", ".join(k.name for k in MoveKind) + ")",
                    got=repr(move.kind),
                ),
            )
        )
    quantity: Decimal | None = None
    try:
        quantity = to_decimal(move.quantity, f"{path}.quantity", 'Decimal("10")')
    except BackofficeError as error:
        problems.append(_problem(f"{path}.quantity", error))
    else:
        if quantity <= 0:
            problems.append(
                _problem(
                    f"{path}.quantity",
                    InvalidValue(
                        field=f"{path}.quantity",
                        reason=f"must be positive, got {quantity} (the kind gives the "
                        "direction: use an issue or an adjustment out to take goods out)",
                    ),
                )
            )
    _check_cost(move.unit_cost, kind, f"{path}.unit_cost", currency, unit, problems)
    if len(problems) > found or kind is None or quantity is None:
        return None
    return attrs.evolve(move, kind=kind, quantity=quantity)


def _check_cost(
    cost: object,
    kind: MoveKind | None,
    path: str,
    currency: Currency,
    unit: Unit | None,
    problems: list[Problem],
) -> None:
    if cost is None:
        if kind is MoveKind.RECEIPT:
            problems.append(
                _problem(
                    path,
                    InvalidValue(
                        field=path,
                        reason="a receipt needs a unit cost, e.g. UnitPrice('12.50', 'EUR')",
                    ),
                )
            )
        return
    if not isinstance(cost, UnitPrice):
        problems.append(
            _problem(path, InvalidType(field=path, expected="a UnitPrice", got=repr(cost)))
        )
        return
    if kind is not None and not kind.inbound:
        problems.append(
            _problem(
                path,
                InvalidValue(
                    field=path,
                    reason="an outbound move is valued by the method: give no unit cost "
                    "(bring goods back at a known cost with a receipt or an adjustment in)",
                ),
            )
        )
    problems.extend(_price_problems(cost, path, currency, unit))


def _price_problems(
    price: UnitPrice, path: str, currency: Currency, unit: Unit | None
) -> list[Problem]:
    found: list[Problem] = []
    if price.currency is not currency:
        found.append(
            _problem(path, CurrencyMismatch(operation="value", left=price, right=currency.code))
        )
    if price.amount < 0:
        found.append(
            _problem(path, InvalidValue(field=path, reason=f"a cost cannot be negative: {price}"))
        )
    if price.per is not None and price.per != unit:
        found.append(
            _problem(
                path,
                InvalidValue(
                    field=path,
                    reason=f"{price} is per {price.per.code} but the journal counts "
                    + ("in an unnamed unit: pass unit=" if unit is None else f"in {unit.code}"),
                ),
            )
        )
    return found


def _step_of(policy_quantum: Decimal | None, currency: Currency) -> int:
    if policy_quantum is None:
        return 1
    numerator, denominator = policy_quantum.as_integer_ratio()
    steps, remainder = divmod(numerator * currency.scale, denominator)
    if remainder or not steps:
        raise RoundingError(
            reason=f"the quantum {policy_quantum} is not a whole multiple of "
            f"{currency.code}'s minor unit ({currency.quantum})"
        )
    return steps


def _ids(moves: Sequence[ValuationMove]) -> str:
    """``'R-1' is`` or ``'R-1', 'R-2' are``: the subject of a sentence."""
    names = ", ".join(repr(move.id) for move in moves)
    return f"{names} {'is' if len(moves) == 1 else 'are'}"


# ---------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------


def value_journal(
    moves: Iterable[ValuationMove],
    method: ValuationMethod,
    currency: Currency | str,
    *,
    standard_cost: UnitPrice | None = None,
    rounding: RoundingArg = RoundingMode.HALF_UP,
    allow_lifo: bool = False,
    unit: Unit | str | None = None,
    posted: int = 0,
    backdating: BackdatePolicy | None = None,
    now: datetime | None = None,
    lock_date: date | None = None,
    zone: tzinfo | None = None,
) -> ValuationResult:
    """Value a journal of one item's moves.

    The moves are given in journal order (the order they were recorded). They are
    valued in effective-time order; moves at the same instant keep their journal order.

    Args:
        moves: the journal.
        method: FIFO, moving average, standard cost, or LIFO (with ``allow_lifo``).
        currency: the currency of every cost and value.
        standard_cost: the unit cost of the standard method (and only of it).
        rounding: how each booked value is rounded to the currency (a
            :class:`~backoffice.core.rounding.RoundingMode`, or a policy whose quantum
            is a multiple of the minor unit).
        allow_lifo: accept LIFO, for books kept under US GAAP.
        unit: the unit the quantities count, when unit costs name theirs (``per=``);
            they must name this one.
        posted: how many of the journal's first moves are already posted (their
            values are in the ledger); the moves after them are new.
        backdating: what to do when a new move is dated before a posted one; required
            then, see :class:`BackdatePolicy`.
        now: the present, where :attr:`BackdatePolicy.CORRECT_AT_PRESENT` books its
            corrections (an aware datetime; never read from the system clock).
        lock_date: the last day of the closed periods: a new move effective on or
            before it is refused, and so is a correction dated on or before it.
        zone: the zone whose calendar ``lock_date`` is a day of (required with it).

    Raises:
        ValidationError: the moves have problems; every one is listed, with paths such
            as ``moves.3.quantity``.
        InvalidValue: LIFO without ``allow_lifo``; a missing ``standard_cost``,
            ``backdating``, ``now`` or ``zone``; a new move (or ``now``) in a closed
            period: ``details`` name the moves and the lock date.
        InvalidType, CurrencyMismatch, UnknownCurrency, NaiveDatetime, RoundingError:
            an argument of the wrong type or value.
    """
    if not isinstance(method, ValuationMethod):
        raise InvalidType(field="method", expected="a ValuationMethod", got=repr(method))
    if method is ValuationMethod.LIFO and allow_lifo is not True:
        raise InvalidValue(
            field="method",
            reason="LIFO is not allowed under IFRS (IAS 2 ¶25, BC9–BC21); pass "
            "allow_lifo=True only for books kept under a framework that allows it "
            "(US GAAP, ASC 330)",
        )
    found_currency = get_currency(currency)
    policy = as_policy(rounding)
    step = _step_of(policy.quantum, found_currency)
    found_unit = None if unit is None else get_unit(unit)
    standard = _check_standard(method, standard_cost, found_currency, found_unit)
    if backdating is not None and not isinstance(backdating, BackdatePolicy):
        raise InvalidType(field="backdating", expected="a BackdatePolicy", got=repr(backdating))
    if now is not None:
        ensure_aware(now, "now")
    if backdating is BackdatePolicy.CORRECT_AT_PRESENT and now is None:
        raise InvalidValue(
            field="now",
            reason="BackdatePolicy.CORRECT_AT_PRESENT books its corrections at now=: pass "
            "the present as an aware datetime",
        )
    if lock_date is not None:
        ensure_date(lock_date, "lock_date")
        if not isinstance(zone, tzinfo):
            raise InvalidValue(
                field="zone",
                reason="a lock date is a day of the books' calendar: pass its zone=, "
                "e.g. zoneinfo.ZoneInfo('Europe/Paris')",
            )

    journal = list(moves)
    if isinstance(posted, bool) or not isinstance(posted, int) or not 0 <= posted <= len(journal):
        raise InvalidValue(
            field="posted",
            reason=f"must be a whole number from 0 to {len(journal)}, got {posted!r}",
        )
    checked = _check_journal(journal, found_currency, found_unit)

    new = checked[posted:]
    if lock_date is not None:
        assert zone is not None
        _check_lock(new, checked, lock_date, zone)
        if backdating is BackdatePolicy.CORRECT_AT_PRESENT:
            assert now is not None
            if now.astimezone(zone).date() <= lock_date:
                raise PeriodLocked(
                    field="now",
                    effective=f"corrections dated {now.isoformat()}",
                    lock_date=lock_date.isoformat(),
                )
    backdated: list[ValuationMove] = []
    if posted and new:
        latest = max(move.effective for move in checked[:posted])
        backdated = [move for move in new if move.effective < latest]
    if backdated and backdating is None:
        raise InvalidValue(
            field="backdating",
            reason=f"{_ids(backdated)} effective before moves already posted: choose "
            "BackdatePolicy.RECOMPUTE (re-value the later moves) or "
            "BackdatePolicy.CORRECT_AT_PRESENT (keep them, book corrections at now=)",
            moves=[move.id for move in backdated],
        )

    args = (method, found_currency, policy.mode, step, standard)
    valued, engine = _run(_in_order(checked), *args)
    corrections: list[Correction] = []
    if backdated:
        before, _ = _run(_in_order(checked[:posted]), *args)
        booked = {result.move.id: result for result in before}
        at_present = now if backdating is BackdatePolicy.CORRECT_AT_PRESENT else None
        for result in valued:
            earlier = booked.get(result.move.id)
            if earlier is not None and earlier.cost_out != result.cost_out:
                corrections.append(
                    Correction(
                        move=result.move.id,
                        effective=at_present or result.move.effective,
                        booked=earlier.cost_out,
                        recomputed=result.cost_out,
                        amount=result.cost_out - earlier.cost_out,
                    )
                )
        if at_present is not None:  # the posted moves keep their booked values
            valued = [booked.get(result.move.id, result) for result in valued]
    return ValuationResult(
        method=method,
        currency=found_currency,
        moves=tuple(valued),
        layers=engine.cost_layers(),
        on_hand=_decimal(engine.quantity),
        stock_value=engine.money(engine.units),
        corrections=tuple(corrections),
    )


def _check_journal(
    journal: Sequence[object], currency: Currency, unit: Unit | None
) -> list[ValuationMove]:
    """The journal's moves, normalised; every problem of every move raised at once."""
    problems: list[Problem] = []
    checked: list[ValuationMove] = []
    first_path: dict[str, str] = {}
    for index, item in enumerate(journal):
        path = f"moves.{index}"
        move = _check_move(item, path, currency, unit, problems)
        if isinstance(item, ValuationMove) and isinstance(item.id, str) and item.id.strip():
            if item.id in first_path:
                reason = f"the id {item.id!r} is already used by {first_path[item.id]}"
                problems.append(
                    _problem(f"{path}.id", InvalidValue(field=f"{path}.id", reason=reason))
                )
            else:
                first_path[item.id] = path
        if move is not None:
            checked.append(move)
    if problems:
        raise ValidationError(problems)
    return checked


def _in_order(moves: Sequence[ValuationMove]) -> list[ValuationMove]:
    """``moves`` in valuation order: effective time, then journal order."""
    keyed = sorted((move.effective, index, move) for index, move in enumerate(moves))
    return [move for _, _, move in keyed]


def _check_standard(
    method: ValuationMethod,
    standard_cost: UnitPrice | None,
    currency: Currency,
    unit: Unit | None,
) -> Fraction:
    if method is not ValuationMethod.STANDARD:
        if standard_cost is not None:
            raise InvalidValue(
                field="standard_cost",
                reason=f"a standard cost is for ValuationMethod.STANDARD, not {method.name}",
            )
        return Fraction(0)
    if standard_cost is None:
        raise InvalidValue(
            field="standard_cost",
            reason="ValuationMethod.STANDARD needs standard_cost=, e.g. UnitPrice('12.00', 'EUR')",
        )
    if not isinstance(standard_cost, UnitPrice):
        raise InvalidType(field="standard_cost", expected="a UnitPrice", got=repr(standard_cost))
    problems = _price_problems(standard_cost, "standard_cost", currency, unit)
    if problems:
        raise ValidationError(problems)
    return Fraction(standard_cost.amount)


def _check_lock(
    new: Sequence[ValuationMove],
    journal: Sequence[ValuationMove],
    lock_date: date,
    zone: tzinfo,
) -> None:
    closed = [move for move in new if move.effective.astimezone(zone).date() <= lock_date]
    if not closed:
        return
    first = journal.index(closed[0])
    raise PeriodLocked(
        field=f"moves.{first}.effective",
        effective=", ".join(f"{move.id!r} on {move.effective.isoformat()}" for move in closed),
        lock_date=lock_date.isoformat(),
        moves=[move.id for move in closed],
    )
