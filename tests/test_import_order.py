"""Each public package imports first in a fresh interpreter: no import cycle depends on
which module a program happens to import first."""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST_IMPORTS = [
    "backoffice.payroll",
    "backoffice.payroll.br",
    "backoffice.payroll.fr",
    "backoffice.payroll.parameters",
    "backoffice.compliance",
    "backoffice.compliance.retention",
    "backoffice.invoicing",
    "backoffice.inventory",
    "backoffice.einvoice",
    "backoffice.taxid",
    "backoffice.storage",
]


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_module_imports_first(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
