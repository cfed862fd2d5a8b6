"""The house keeps its shape: imports run down the floors, no circles, no giant modules.

docs/architecture.md describes the floors. A helper both apps need belongs in ``core/``;
an import that climbs (``articles`` importing ``comments``, anything importing ``demo``)
is how a module ends up in the wrong room, so it fails here before review.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {
    "core": 1,
    "articles": 2,
    "comments": 3,
    "wordpress": 3,
    "insights": 3,
    "newsletters": 3,
    "newsroom": 4,
    "demo": 5,
}
# Nothing imports demo/: it sits beside the project, loaded only by name (INSTALLED_APPS,
# a bench-only ROOT_URLCONF), so the product never depends on its sample data.
NOBODY_IMPORTS = {"demo"}
MAX_MODULE_LINES = 450


def project_modules(root=ROOT):
    for package in FLOORS:
        for path in sorted((root / package).rglob("*.py")):
            yield package, path


def module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path, root=ROOT):
    """Absolute names of the modules ``path`` imports, relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            # "from . import search" imports the submodule search (its package is
            # already loading); "from .stories import Article" imports .stories.
            if node.module:
                yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def climbing_imports(root=ROOT):
    for package, path in project_modules(root):
        for name in set(imported_names(path, root=root)):
            target = name.split(".")[0]
            if target not in FLOORS or target == package:
                continue
            if target in NOBODY_IMPORTS or FLOORS[target] >= FLOORS[package]:
                yield f"{path.relative_to(root)} imports {name}"


def test_every_import_goes_down_the_floors():
    assert sorted(climbing_imports()) == []


def module_graph():
    """Module → project modules it imports, inside functions too: an import moved into a
    function to dodge a circle at load time still ties the two modules together."""
    modules = {module_name(path): path for _package, path in project_modules()}
    return {
        name: {target for target in imported_names(path) if target in modules} - {name}
        for name, path in modules.items()
    }


def find_circle(graph):
    state = dict.fromkeys(graph, "new")

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state[target] == "open":
                return [*trail[trail.index(target) :], target] if target in trail else [target]
            if state[target] == "new" and (circle := visit(target, [*trail, target])):
                return circle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if state[node] == "new" and (circle := visit(node, [node])):
            return circle
    return None


def test_no_import_circles():
    assert find_circle(module_graph()) is None


def test_the_circle_finder_finds_a_circle():
    """Guards the guard: a walk that never reports anything would pass the test above."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_circle(graph) == ["a", "b", "c", "a"]


@pytest.mark.parametrize(
    ("package", "source", "climbs"),
    [
        ("articles", "from comments.models import Comment", True),
        ("newsroom", "import demo.stories", True),
        ("comments", "from articles.models import Article", False),
        ("core", "from .cache import content_version", False),
    ],
)
def test_the_floor_check_reads_imports(tmp_path, package, source, climbs):
    """Guards the guard, on a made-up tree: one module in ``package`` importing ``source``."""
    (tmp_path / package).mkdir()
    (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / package / "probe.py").write_text(source + "\n")
    assert bool(list(climbing_imports(tmp_path))) is climbs


def test_no_module_is_a_warehouse():
    """A module past 450 lines holds more than one job; split it by concern (migrations
    and data files aside)."""
    too_long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for _package, path in project_modules()
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []
