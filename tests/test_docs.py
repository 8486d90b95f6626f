"""Every code block in README.md and docs/ runs, and every docstring example holds.

Each Markdown file's ```python blocks run in order in one namespace, as a reader would
paste them; a block fenced as ```text or ```pycon-no-run is shown, not run. Docstring
examples (``>>>``) of every module run through :mod:`doctest`.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import backoffice

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks(path: Path) -> list[str]:
    return FENCE.findall(path.read_text(encoding="utf-8"))


WITH_CODE = [path for path in DOCUMENTS if python_blocks(path)]


def test_every_tutorial_and_how_to_shows_running_code() -> None:
    assert (ROOT / "README.md") in WITH_CODE
    for path in DOCUMENTS:
        if path.parent.name in {"tutorials", "how-to"}:
            assert path in WITH_CODE, f"{path.relative_to(ROOT)} has no python example"


@pytest.mark.parametrize("path", WITH_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_code_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(path)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    for number, block in enumerate(blocks, start=1):
        # dont_inherit: the block is compiled as the reader's own file, without this
        # module's ``from __future__ import annotations`` (which would turn the block's
        # annotations into strings that pydantic and FastAPI resolve differently)
        name = f"{path.relative_to(ROOT)} (block {number})"
        code = compile(block, name, "exec", dont_inherit=True)
        exec(code, namespace)


def _modules() -> list[ModuleType]:
    found = [backoffice]
    for info in pkgutil.walk_packages(backoffice.__path__, "backoffice."):
        if info.name.endswith("__main__"):
            continue
        found.append(importlib.import_module(info.name))
    return found


@pytest.mark.parametrize("module", _modules(), ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs = {name: getattr(backoffice, name) for name in backoffice.__all__}
    import decimal

    globs["Decimal"] = decimal.Decimal
    for test in finder.find(module, module.__name__, globs=dict(module.__dict__) | globs):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} docstring example(s) failed in {module.__name__}"


def test_generated_reference_pages_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for relative, build in module.PAGES.items():
        current = (ROOT / "docs" / relative).read_text(encoding="utf-8")
        assert current == build(), f"docs/{relative} is stale: run python docs/generate.py"
