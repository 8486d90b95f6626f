"""The registry of identifier kinds, built from python-stdnum.

Every national identifier python-stdnum knows is reachable by ``(country, kind)``,
where ``kind`` is the stdnum module name (``("FR", "siren")``, ``("BR", "cnpj")``,
``("PT", "nif")``). Each country's VAT number is also reachable as ``kind="vat"`` (an
alias of the module stdnum uses for it: ``("FR", "vat")`` is ``("FR", "tva")``).
International identifiers live under the pseudo-country ``"INT"`` (``iban``, ``bic``,
``lei``, ``isin``, ``iso11649``) and EU-wide ones under ``"EU"``.

Nothing is imported until first use; the checksums are stdnum's, never reimplemented.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterable
from functools import cached_property
from types import ModuleType
from typing import Final

from backoffice.errors import UnknownTaxIdCountry, UnknownTaxIdKind

__all__ = ["EUROPEAN_VAT", "INTERNATIONAL", "Kind", "get_kind", "kinds", "vat_prefix"]

#: International identifiers offered under the pseudo-country ``"INT"``.
INTERNATIONAL: Final = ("iban", "bic", "lei", "isin", "iso11649")

#: Helper modules of stdnum that are algorithms, not identifiers.
_NOT_IDENTIFIERS: Final = frozenset({"iso7064"})

#: Identifiers of natural persons, masked in repr, str, errors and logs.
_PERSONAL: Final = frozenset(
    {
        ("AR", "dni"), ("AT", "vnr"), ("BE", "bis"), ("BE", "nn"), ("BE", "ssn"),
        ("BG", "egn"), ("BR", "cpf"), ("CH", "ssn"), ("CN", "ric"), ("CU", "ni"),
        ("CZ", "rc"), ("DE", "idnr"), ("DK", "cpr"), ("EC", "ci"), ("EE", "ik"),
        ("ES", "dni"), ("ES", "nie"), ("FI", "hetu"), ("FR", "nif"), ("FR", "nir"),
        ("GB", "nhs"), ("GB", "upn"), ("GR", "amka"), ("HR", "oib"), ("ID", "nik"),
        ("IE", "pps"), ("IL", "idnr"), ("IN", "aadhaar"), ("IN", "epic"), ("IN", "pan"),
        ("IS", "kennitala"), ("IT", "codicefiscale"), ("KR", "rrn"), ("LT", "asmens"),
        ("LV", "pvn"), ("MX", "curp"), ("MX", "rfc"), ("MY", "nric"), ("NL", "bsn"),
        ("NO", "fodselsnummer"), ("PE", "cui"), ("PL", "pesel"), ("PT", "cc"),
        ("RO", "cnp"), ("SE", "personnummer"), ("SK", "rc"), ("TR", "tckimlik"),
        ("US", "itin"), ("US", "ssn"), ("ZA", "idnr"),
        ("BE", "eid"), ("BG", "pnf"), ("CA", "bc_phn"), ("CA", "sin"), ("CR", "cpf"),
        ("CR", "cr"), ("DO", "cedula"), ("FI", "veronumero"), ("IN", "vid"),
        ("JP", "in_"), ("MU", "nid"), ("NL", "identiteitskaartnummer"),
        ("NL", "onderwijsnummer"), ("PK", "cnic"), ("SI", "emso"), ("TH", "pin"),
        ("UA", "rntrc"), ("US", "atin"),
    }
)  # fmt: skip

#: VAT kinds that are also the country's general tax number, shown without the prefix
#: at home (a Portuguese or Spanish NIF).
_DOMESTIC_TAX_NUMBERS: Final = frozenset({("PT", "nif"), ("ES", "nif")})

#: Portuguese NIF prefixes given to natural persons (1-3, 45 for non-residents).
_PT_PERSONAL_PREFIXES: Final = ("1", "2", "3", "45")


def _spanish_person(value: str) -> bool:
    # a DNI (digits) or NIE (X, Y, Z) or a K, L, M number: a natural person
    return bool(value) and (value[0].isdigit() or value[0] in "XYZKLM")


def _czech_person(value: str) -> bool:
    # 9 or 10 digits: a birth number (rodné číslo), so a natural person
    return len(value) >= 9


def _swedish_person(value: str) -> bool:
    # organisation numbers have a third digit of 2 or more; below, a personal number
    digits = "".join(character for character in value if character.isdigit())
    return len(digits) >= 3 and digits[2] in "01"


#: Kinds that identify a natural person for some values only.
_PERSONAL_WHEN: Final[dict[tuple[str, str], Callable[[str], bool]]] = {
    ("PT", "nif"): lambda value: value.startswith(_PT_PERSONAL_PREFIXES),
    ("ES", "nif"): _spanish_person,
    ("CZ", "dic"): _czech_person,
    ("SE", "orgnr"): _swedish_person,
    ("SE", "vat"): _swedish_person,
    ("IE", "vat"): lambda value: True,  # individuals' VAT numbers are their PPS numbers
}

#: Countries whose VAT numbers are written with their prefix (EU, XI, GB, CH, NO).
EUROPEAN_VAT: Final = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR",
        "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
        "SK", "XI", "GB", "CH", "NO",
    }
)  # fmt: skip

#: The prefix VIES uses where it is not the ISO country code.
_VAT_PREFIX: Final = {"GR": "EL"}


def vat_prefix(country: str) -> str:
    """The prefix of ``country``'s VAT numbers (``"EL"`` for Greece)."""
    return _VAT_PREFIX.get(country, country)


class Kind:
    """One kind of identifier: a country (or ``"INT"``, ``"EU"``) and a stdnum module.

    Attributes:
        country: ISO 3166 alpha-2 code, ``"INT"`` or ``"EU"``.
        name: the stdnum module name (``"siren"``); the canonical kind.
        module_name: the full module name (``"stdnum.fr.siren"``).
        is_vat: whether this is the country's VAT number (reachable as ``"vat"``).
    """

    __slots__ = ("__dict__", "country", "is_vat", "module_name", "name")

    def __init__(self, country: str, name: str, module_name: str, *, is_vat: bool) -> None:
        self.country = country
        self.name = name
        self.module_name = module_name
        self.is_vat = is_vat

    def __repr__(self) -> str:
        return f"Kind({self.country!r}, {self.name!r})"

    @cached_property
    def module(self) -> ModuleType:
        """The python-stdnum module doing the checks (imported on first use)."""
        return importlib.import_module(self.module_name)

    @cached_property
    def label(self) -> str:
        """Short English name, from stdnum's own description (``"SIREN"``)."""
        from backoffice.taxid._labels import LABELS

        named = LABELS.get((self.country, self.name))
        if named is not None:
            return named["en"]
        if self.is_vat and self.country in EUROPEAN_VAT:
            return f"{self.country} VAT number"
        first = (self.module.__doc__ or self.name).strip().splitlines()[0]
        return first.split(" (", 1)[0].rstrip(".").strip() or self.name.upper()

    @cached_property
    def description(self) -> str:
        """stdnum's one-line description (``"SIREN (a French company identification
        number)."``)."""
        return (self.module.__doc__ or self.name).strip().splitlines()[0]

    def localized_label(self, locale: str) -> str:
        """The label in ``locale`` where the library has one (``"NIR"``, ``"CPF"``...)."""
        from backoffice.taxid._labels import LABELS

        named = LABELS.get((self.country, self.name))
        if named is None and self.is_vat and self.country in EUROPEAN_VAT:
            named = {
                "en": self.label,
                "fr": f"numéro de TVA ({self.country})",
                "pt": f"número de IVA ({self.country})",
            }
        if named is None:
            return self.label
        key = locale.replace("-", "_")
        return named.get(key) or named.get(key.split("_", 1)[0]) or named["en"]

    @property
    def personal_scope(self) -> str:
        """``"always"`` for identifiers of natural persons, ``"persons"`` where only some
        values are (a Portuguese NIF starting with 1, 2, 3 or 45), ``"never"`` otherwise."""
        if (self.country, self.name) in _PERSONAL:
            return "always"
        if (self.country, self.name) in _PERSONAL_WHEN:
            return "persons"
        return "never"

    def is_personal(self, compact: str) -> bool:
        """Whether ``compact`` identifies a natural person (then it is masked)."""
        if (self.country, self.name) in _PERSONAL:
            return True
        rule = _PERSONAL_WHEN.get((self.country, self.name))
        return rule is not None and rule(compact)

    @property
    def shows_prefix(self) -> bool:
        """Whether the display form carries the VAT prefix (``FR40303265045``): VAT
        numbers do, except where the VAT number is also the domestic tax number."""
        return (
            self.is_vat
            and self.country in EUROPEAN_VAT
            and (self.country, self.name) not in _DOMESTIC_TAX_NUMBERS
        )

    @property
    def has_format(self) -> bool:
        return callable(getattr(self.module, "format", None))


class _Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kinds: dict[tuple[str, str], Kind] | None = None
        self._aliases: dict[tuple[str, str], Kind] = {}

    def load(self) -> dict[tuple[str, str], Kind]:
        if self._kinds is not None:
            return self._kinds
        with self._lock:
            if self._kinds is None:
                self._kinds = self._discover()
        return self._kinds

    def _discover(self) -> dict[tuple[str, str], Kind]:
        import stdnum

        found: dict[tuple[str, str], Kind] = {}
        for package in pkgutil.iter_modules(stdnum.__path__):
            if not package.ispkg or package.name in _NOT_IDENTIFIERS:
                continue
            country = package.name.rstrip("_").upper()
            module = importlib.import_module(f"stdnum.{package.name}")
            names = [item.name for item in pkgutil.iter_modules(module.__path__)]
            # the VAT module is a submodule named "vat", or an alias in the package
            alias = getattr(module, "vat", None)
            vat_name = (
                f"stdnum.{package.name}.vat"
                if "vat" in names
                else alias.__name__
                if isinstance(alias, ModuleType)
                else None
            )
            for item in pkgutil.iter_modules(module.__path__):
                if item.ispkg or item.name.startswith("_"):
                    continue
                module_name = f"stdnum.{package.name}.{item.name}"
                is_vat = module_name == vat_name and country not in {"EU", "BR"}
                found[(country, item.name)] = Kind(country, item.name, module_name, is_vat=is_vat)
                if is_vat and item.name != "vat":
                    self._aliases[(country, "vat")] = found[(country, item.name)]
        for name in INTERNATIONAL:
            found[("INT", name)] = Kind("INT", name, f"stdnum.{name}", is_vat=False)
        return found

    def get(self, country: str, kind: str) -> Kind:
        kinds = self.load()
        key = (country.upper(), kind.lower())
        found = kinds.get(key) or self._aliases.get(key)
        if found is None and key[0] != "INT" and key[1] in INTERNATIONAL:
            found = kinds.get(("INT", key[1]))
        if found is None:
            known = sorted(k.name for k in kinds.values() if k.country == key[0])
            if not known:
                raise UnknownTaxIdCountry(country=country, kind=kind)
            raise UnknownTaxIdKind(kind=kind, country=country, known=", ".join(known))
        return found

    def of_country(self, country: str) -> list[Kind]:
        wanted = country.upper()
        return [kind for kind in self.load().values() if kind.country == wanted]


_REGISTRY = _Registry()


def get_kind(country: str, kind: str) -> Kind:
    """The :class:`Kind` for ``(country, kind)``; ``kind="vat"`` finds the VAT number.

    Raises:
        UnknownTaxIdKind: no such kind for that country.
    """
    return _REGISTRY.get(country, kind)


def kinds(country: str | None = None) -> list[Kind]:
    """Every kind (of ``country``, if given), sorted by country then name."""
    found: Iterable[Kind] = (
        _REGISTRY.load().values() if country is None else _REGISTRY.of_country(country)
    )
    return sorted(found, key=_sort_key)


_sort_key: Callable[[Kind], tuple[str, str]] = lambda kind: (kind.country, kind.name)  # noqa: E731
