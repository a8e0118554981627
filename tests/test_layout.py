"""The layout of kb's modules: no runtime import cycle, no module much over 300 lines of code."""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

KB = Path(__file__).resolve().parent.parent / "kb"
# "About 300 lines" as written before `ruff format`, which spreads one call over several lines:
# measured in statements (logical lines), which the formatter does not change. The largest
# modules were 300 to 310 lines and 170 to 215 statements then.
MAX_STATEMENTS = 225


def module_name(path: Path) -> str:
    parts = path.relative_to(KB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(KB.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(name: str) -> set[str]:
    """The kb modules that importing `name` imports: module-level imports, not those in
    functions (run later) or under `if TYPE_CHECKING:` (never run)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (
                    node.body,
                    node.orelse,
                    node.finalbody,
                    *[handler.body for handler in node.handlers],
                ):
                    visit(block)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    # Importing a.b.c runs a/__init__ and a/b/__init__ first, except the packages that hold
    # `name`: they started before it did.
    closed = set()
    for module in found:
        parts = module.split(".")
        closed.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 2)}
    return {module for module in closed - own if module in MODULES}


def cycles() -> list[list[str]]:
    """The groups of modules that import one another (Tarjan's strongly connected components)."""
    graph = {name: sorted(runtime_imports(name)) for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in graph[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while (member := stack.pop()) != name:
                group.append(member)
            if group:
                found.append(sorted([name, *group]))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def test_the_import_graph_has_no_cycle():
    assert cycles() == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "__init__.py").write_text("")
    (tmp_path / "kb" / "a.py").write_text("from kb import b\n")
    (tmp_path / "kb" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nfrom kb.c import x\nif TYPE_CHECKING:\n    import kb.a\n"
    )
    (tmp_path / "kb" / "c.py").write_text("def f():\n    import kb.a\nfrom . import a\n")
    monkeypatch.setattr(sys.modules[__name__], "KB", tmp_path / "kb")
    monkeypatch.setattr(
        sys.modules[__name__],
        "MODULES",
        {module_name(p): p for p in sorted((tmp_path / "kb").rglob("*.py"))},
    )
    assert runtime_imports("kb.b") == {"kb.c"}  # not the TYPE_CHECKING import
    assert runtime_imports("kb.c") == {"kb.a"}  # not the import inside a function
    assert cycles() == [["kb.a", "kb.b", "kb.c"]]


def statements(source: str) -> int:
    """Logical lines: a statement, a decorator or a docstring counts once however it is wrapped."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return sum(1 for token in tokens if token.type == tokenize.NEWLINE)


def test_no_module_is_much_over_300_lines():
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := statements(path.read_text(encoding="utf-8"))) > MAX_STATEMENTS
    }
    assert long == {}
    assert statements("x = f(\n    1,\n    2,\n)\n\n# a comment\ny = 2\n") == 2


TESTS = Path(__file__).resolve().parent


def test_test_modules_share_helpers_through_support_not_through_each_other():
    found = []
    for path in sorted(TESTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [
                f"{path.name}:{node.lineno}: {name}"
                for name in names
                if name == "conftest" or name.startswith("test_")
            ]
    assert found == []


def test_clicks_runner_is_made_once_by_the_runner_fixture():
    made = [
        path.name
        for path in sorted(TESTS.glob("*.py"))
        if path.name != "test_layout.py" and "CliRunner(" in path.read_text(encoding="utf-8")
    ]
    assert made == ["conftest.py"]
