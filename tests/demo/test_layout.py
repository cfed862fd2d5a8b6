"""Nothing imports ``demo``: it is the top floor (issue 13), removable without a trace."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_package_below_demo_imports_it():
    offenders = []
    for package in ["core", "articles", "comments", "newsroom", "scripts"]:
        for path in (ROOT / package).rglob("*.py"):
            for module in imported_modules(path):
                if module == "demo" or module.startswith("demo."):
                    offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []
