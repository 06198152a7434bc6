"""The layering of the package, proved from the modules' own imports.

A reader should see parse -> model -> engine -> checks -> report: data and reading at the
bottom, the checks above them, the engine that runs them, the report, the outputs, the command
line on top. Each module belongs to one layer; a module may import its own layer or lower ones,
never a higher one, and the import graph has no cycle. Every import counts, also one inside a
function (a deferred import is still a dependency); only `if TYPE_CHECKING:` blocks do not.

    python -m pytest tests/test_architecture.py
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cin_validate"

# Lowest first. A module not listed fails the test until it is given its place.
LAYERS = [
    ("foundations", {"version", "data", "values", "dates", "codesets", "catalogue"}),
    ("collection years", {"years"}),
    ("model", {"model"}),
    ("parse", {"parse"}),
    ("checks", {"checks"}),
    ("year on year", {"yony"}),
    ("report", {"report", "issuelog", "selection"}),
    ("engine", {"engine", "synthetic"}),
    # The Python API: one file validated, as notebooks and the command line ask for it.
    ("python api", {"api"}),
    ("policy and privacy", {"policy", "privacy"}),
    # What an earlier run's JSON report knew: it leaves the known issues out of a report.
    ("baseline", {"baseline"}),
    ("running files", {"batch"}),
    ("outputs", {"output"}),
    # The settings the command line takes, read from a file: they name the output formats.
    ("configuration", {"config"}),
    ("command line", {"cli", "exits", "__main__"}),
    # The package's public names (`cin_validate.validate`, ...), each loaded on first use.
    ("package", {"__init__"}),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts)


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    for number, (_name, members) in enumerate(LAYERS):
        if top in members or module in members:
            return number
    raise AssertionError(f"cin_validate.{module} has no layer in tests/test_architecture.py")


def _type_checking_only(node: ast.AST) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING")


def imports_of(path: Path, text: str | None = None) -> set[str]:
    """The cin_validate modules `path` imports (its own text, or `text` as if it were there),
    as dotted names inside the package."""
    module = module_name(path)
    package = module.split(".")[:-1]  # "checks.base" and "checks.__init__" are in "checks"
    tree = ast.parse(text if text is not None else path.read_text(encoding="utf-8"))
    skipped = {id(inner) for node in ast.walk(tree) if _type_checking_only(node)
               for inner in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("cin_validate"):
                target = node.module.removeprefix("cin_validate").lstrip(".")
            else:
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("cin_validate."):
                    found.add(alias.name.removeprefix("cin_validate."))
    return {name for name in found if name and name != module}


def _exists(dotted: str) -> bool:
    path = PACKAGE.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def test_every_module_imports_only_its_own_layer_or_lower():
    back_edges = []
    for module, imported in graph().items():
        for target in imported:
            if layer_of(target) > layer_of(module):
                back_edges.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                                  f"({LAYERS[layer_of(target)][0]})")
    assert back_edges == []


def test_the_import_graph_has_no_cycle():
    edges = graph()
    state: dict[str, str] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            target = target if target in edges else f"{target}.__init__"
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target in edges and target not in state:
                visit(target, trail + [target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_checker_sees_a_back_edge():
    """The tests above can fail: a check importing the engine is caught as a back edge."""
    pretend = PACKAGE / "checks" / "bad.py"
    assert imports_of(pretend, "from ..engine import validate_file\n") == {"engine"}
    assert layer_of("engine") > layer_of("checks.bad")
