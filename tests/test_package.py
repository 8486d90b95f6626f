"""The package as a whole: public surface, import hygiene, layering, error tree."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import backoffice
from backoffice import errors
from backoffice._messages import CATALOGS
from backoffice.core import l10n

SRC = Path(backoffice.__file__).parent


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_public_names_resolve_and_are_listed() -> None:
    for name in backoffice.__all__:
        assert getattr(backoffice, name) is not None, name
    assert set(backoffice.__all__) <= set(dir(backoffice))
    with pytest.raises(AttributeError):
        backoffice.NotAThing  # noqa: B018


def test_py_typed_is_shipped() -> None:
    assert (SRC / "py.typed").is_file()


def test_import_has_no_process_wide_side_effects() -> None:
    report = run_python(
        """
import decimal, json, locale, sqlite3, sys, io, builtins
opened = []
real_open = builtins.open
def spy(*args, **kwargs):
    opened.append(str(args[0]))
    return real_open(*args, **kwargs)
builtins.open = spy
io.open = spy
before = (decimal.getcontext().prec, decimal.getcontext().rounding, locale.setlocale(locale.LC_ALL))
adapters = dict(sqlite3.adapters)
import backoffice
after = (decimal.getcontext().prec, decimal.getcontext().rounding, locale.setlocale(locale.LC_ALL))
heavy = sorted(m for m in ("babel", "pydantic", "moneyed", "stdnum", "attrs", "sqlite3_extra")
               if m in sys.modules)
print(json.dumps({"same": before == after, "adapters": adapters == dict(sqlite3.adapters),
                  "heavy": heavy, "opened": opened}))
"""
    )
    facts = json.loads(report)
    assert facts == {"same": True, "adapters": True, "heavy": [], "opened": []}


def test_money_does_not_load_babel_or_pydantic_until_needed() -> None:
    report = run_python(
        "import sys; from backoffice import Money; Money('1', 'EUR') + Money('2', 'EUR');"
        "print(sorted(m for m in ('babel', 'pydantic', 'moneyed') if m in sys.modules))"
    )
    assert report.strip() == "[]"


def _imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_depends_on_nothing_but_the_kernel() -> None:
    """Dependencies point one way: core <- domain packages <- storage, schemas, cli."""
    forbidden_prefixes = ("sqlite3", "psycopg", "backoffice.storage", "backoffice.cli")
    for path in (SRC / "core").rglob("*.py"):
        for name in _imports_of(path):
            assert not name.startswith(forbidden_prefixes), f"{path.name} imports {name}"
            if name.startswith("backoffice."):
                assert name.startswith(("backoffice.core", "backoffice.errors", "backoffice._")), (
                    f"{path.name} imports {name}"
                )


def test_domain_packages_never_import_a_driver_or_an_adapter() -> None:
    """Domain code talks to storage through the ports only."""
    forbidden = (
        "sqlite3",
        "psycopg",
        "backoffice.storage.memory",
        "backoffice.storage.sqlite",
        "backoffice.storage.postgres",
        "backoffice.storage.sql",
        "backoffice.cli",
    )
    for package in ("inventory", "invoicing", "taxid"):
        for path in (SRC / package).rglob("*.py"):
            for name in _imports_of(path):
                assert not name.startswith(forbidden), f"{package}/{path.name} imports {name}"


def test_every_error_has_a_unique_code_and_translations_with_the_same_placeholders() -> None:
    import string

    import backoffice.core.money  # noqa: F401  (registers nothing, but loads every class)

    classes = errors.error_classes()
    codes = [cls.code for cls in classes]
    assert len(codes) == len(set(codes))
    formatter = string.Formatter()

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in formatter.parse(template) if name}

    for cls in classes:
        for locale in ("fr_FR", "pt_BR"):
            details = {name: f"<{name}>" for name in fields(cls.template)}
            translated = l10n.translate(cls.code, locale, details)
            assert translated is not None, f"{cls.code} has no {locale} message"
            assert "{" not in translated, f"{cls.code} in {locale}: {translated}"
    for locale, catalog in CATALOGS.items():
        for code, template in catalog.items():
            english = next(cls.template for cls in classes if cls.code == code)
            assert fields(template) == fields(english), (locale, code)


def test_validation_error_reports_every_problem() -> None:
    problems = [
        errors.Problem("lines.0.amount", "value.float_not_allowed", "no float"),
        errors.Problem(
            "currency", "money.unknown_currency", "unknown currency 'EURO'", {"currency": "EURO"}
        ),
    ]
    error = errors.ValidationError(problems)
    assert error.problems == tuple(problems)
    assert "2 problem(s)" in error.message
    assert "lines.0.amount" in error.message and "currency" in error.message
    assert error.to_dict()["problems"][1]["details"] == {"currency": "EURO"}
    assert "devise inconnue 'EURO'" in error.localized("fr_FR")
    assert isinstance(error, ValueError)
    with pytest.raises(ValueError, match="at least one problem"):
        errors.ValidationError([])


def test_locales_are_checked() -> None:
    assert l10n.normalize_locale("pt-br") == "pt_BR"
    assert l10n.normalize_locale("fr_FR") == "fr_FR"
    with pytest.raises(errors.UnknownLocale):
        l10n.normalize_locale("xx_YY")
    assert set(l10n.message_locales()) >= {"en", "fr", "pt_BR"}


def test_every_module_imports_first() -> None:
    """No import cycle breaks a module imported before the others: each module is
    imported in a fresh package tree, in a child interpreter."""
    import subprocess
    import sys

    script = (
        "import importlib, pkgutil, sys\n"
        "import backoffice\n"
        "names = [i.name for i in pkgutil.walk_packages(backoffice.__path__, 'backoffice.')\n"
        "         if not i.name.endswith('__main__')]\n"
        "failed = []\n"
        "for name in names:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'backoffice']:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as error:\n"
        "        failed.append(f'{name}: {error}')\n"
        "print('\\n'.join(failed))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_an_unsupported_url_is_named_without_its_password() -> None:
    import pytest

    from backoffice.errors import UnsupportedStore
    from backoffice.storage import open_store

    with pytest.raises(UnsupportedStore) as caught:
        open_store("mysql://user:s3cret@host/db")
    assert "s3cret" not in str(caught.value)
    assert "mysql://user:***@host/db" in str(caught.value)
