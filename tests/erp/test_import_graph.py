"""The layering DESIGN.md draws, checked on the source: no import cycles, domains never import integrations.

Read from the AST (nothing is imported), every import counted, function-level ones too: a lazy
import inside a function is still a dependency, and hiding a cycle in one is what this forbids.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("erp", "tickets", "attendance", "meetings", "inquiries", "coupons", "integrations")
DOMAINS = ("tickets", "attendance", "meetings", "inquiries", "coupons", "erp")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str], *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    targets = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                base = ".".join(anchor + ([base] if base else []))
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def test_no_import_cycles_between_modules():
    modules = _modules()
    graph = {name: _imports(name, path, set(modules), top_level_only=False) for name, path in modules.items()}
    # A package's __init__ importing its own submodule is how packages re-export: not a cycle.
    graph = {name: {t for t in targets if not t.startswith(name + ".")} for name, targets in graph.items()}
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(cycle) for cycle in cycles)


def test_domain_apps_never_import_integrations():
    modules = _modules()
    offenders = [
        f"{name} → {target}"
        for name, path in modules.items()
        if name.split(".")[0] in DOMAINS
        for target in _imports(name, path, set(modules), top_level_only=False)
        if target.split(".")[0] == "integrations"
    ]
    assert not offenders, offenders
