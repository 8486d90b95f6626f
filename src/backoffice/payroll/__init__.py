"""Payroll: a pure calculation core (no I/O) and country packs.

The engine is country-neutral:

* :class:`Parameter` and :class:`ParameterSet` -- effective-dated legal figures, read
  for a day, with no fallback to another version;
* :class:`MarginalScale` and :class:`DeductionScale` -- rate scales, with named
  roundings (:class:`ScaleRounding`) and limits that may be multiples of a parameter;
* :class:`PayLine` and :class:`Payslip` -- an explainable payslip whose totals are the
  sums of its lines, with a fingerprint of its inputs and parameter versions.

* :class:`PayRule` and :class:`RuleGraph` -- a pack's rules, each naming what it needs,
  checked (missing inputs, values computed twice, cycles) when the pack loads and run in
  the order derived from their needs;
* :class:`PayItemKind` and :class:`PayItem` -- pay elements that declare the
  contribution bases they feed;
* :class:`YearToDate` -- an employee's payslips of a year added up;
* :func:`arrears` and :func:`with_arrears` -- corrections of an issued payslip, as
  lines on a later one.

Country packs are modules with the same functions, ``calculate(employee, period,
inputs)`` and ``calculate_many(run, period)``: :mod:`backoffice.payroll.fr` for France
(its figures in :mod:`backoffice.payroll.france_parameters`) and
:mod:`backoffice.payroll.br` for Brazil. :func:`gross_for_net` finds the gross that
gives a net through a pack; :func:`prorate` shares a monthly salary over part of a
month by a named method; :mod:`backoffice.payroll.records` keeps payslips in pay runs in
a store.
"""

from __future__ import annotations

from backoffice.payroll.accumulators import YearToDate
from backoffice.payroll.corrections import arrears, with_arrears
from backoffice.payroll.graph import PayRule, RuleGraph
from backoffice.payroll.items import PayItem, PayItemKind, check_kinds
from backoffice.payroll.parameters import Parameter, ParameterLookup, ParameterRef, ParameterSet
from backoffice.payroll.payslip import DateAxis, Finding, PayLine, Payslip, Side, fingerprint
from backoffice.payroll.proration import ProrationMethod, prorate
from backoffice.payroll.scales import (
    Bracket,
    BracketShare,
    DeductionBracket,
    DeductionScale,
    Limit,
    MarginalScale,
    Multiple,
    ScaleResult,
    ScaleRounding,
    resolve_limit,
)
from backoffice.payroll.solver import NetSolution, gross_for_net

__all__ = [
    "Bracket",
    "BracketShare",
    "DateAxis",
    "DeductionBracket",
    "DeductionScale",
    "Finding",
    "Limit",
    "MarginalScale",
    "Multiple",
    "NetSolution",
    "Parameter",
    "ParameterLookup",
    "ParameterRef",
    "ParameterSet",
    "PayItem",
    "PayItemKind",
    "PayLine",
    "PayRule",
    "Payslip",
    "ProrationMethod",
    "RuleGraph",
    "ScaleResult",
    "ScaleRounding",
    "Side",
    "YearToDate",
    "arrears",
    "check_kinds",
    "fingerprint",
    "gross_for_net",
    "prorate",
    "resolve_limit",
    "with_arrears",
]
