"""
The shape of the code (issue 13, STYLE.md "Layout"), read from the source with ast, never by importing:

- no import cycle between the project's modules (procurement, accounts, plans), counting imports
  inside functions too: a lazy import that dodges a cycle is still one;
- accounts imports nothing from plans;
- the rules (scoring, phases, permissions, figures, validation) import no ORM and no request;
- no module is over 600 lines, migrations aside.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("procurement", "accounts", "plans")
MAX_LINES = 600
RULES = (
    "plans.scoring.rules",
    "plans.remiss.phases",
    "accounts.permissions",
    "plans.followup.figures",
    "plans.register.validation",
    "plans.orders.rules",
    "plans.centre.suggestions",
    "plans.centre.capacity",
    "plans.social.matching",
    "plans.social.suggestions",
    "plans.social.figures",
)
# What a rule may not import: the ORM, requests and responses, or the models built on them.
IMPURE = ("django.db", "django.http", "django.shortcuts", "django.views", "django.test", "plans.models")
IMPURE_SUFFIXES = (".models", ".views")


def modules() -> dict[str, Path]:
    """{dotted name: path} of every module of the project, migrations aside."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports, anywhere in it (a package's __init__ counts as itself)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                # "from plans.remiss import review" imports the module plans.remiss.review.
                submodule = f"{module}.{alias.name}"
                targets.add(submodule if submodule in known else module)
    return {target for target in targets if target in known and target != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imported(name, path, known) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a sorted list."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in edges.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return result


def test_no_import_cycle_between_the_projects_modules():
    found = cycles(graph())
    assert found == [], "import cycles: " + "; ".join(" ↔ ".join(cycle) for cycle in found)


def test_the_cycle_finder_finds_a_cycle_and_names_it():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_an_import_inside_a_function_counts(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def later():\n    from plans.models import Plan\n")
    assert imported("plans.probe", path, {"plans.models", "plans.probe"}) == {"plans.models"}


def test_accounts_imports_nothing_from_plans():
    edges = graph()
    offending = {
        name: sorted(target for target in targets if target.split(".")[0] == "plans")
        for name, targets in edges.items()
        if name.split(".")[0] == "accounts"
    }
    assert {name: targets for name, targets in offending.items() if targets} == {}


@pytest.mark.parametrize("rule", RULES)
def test_a_rule_imports_no_orm_and_no_request(rule):
    path = modules()[rule]
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    impure = sorted(
        name
        for name in names
        if name.startswith(IMPURE) or name.endswith(IMPURE_SUFFIXES) or "request" in name
    )
    assert impure == [], f"{rule} imports {impure}"


def test_no_module_is_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in modules().values()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
