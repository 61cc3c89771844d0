"""No module imports a private name of another: `from x import _name`, or `x._name` where `x` is an imported module.

A leading underscore says "only this module relies on it"; a second module that reaches in makes a change to the first
break the second silently. Make the name public (and give it a docstring) or move what is shared to where both can
import it. Run by scripts/lint over the shipped packages; exits 1 and lists the places when it finds any.

    python scripts/check_private_imports.py [PATH ...]     (default: youthwork ui)
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path) -> str:
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def problems(path: Path) -> Iterator[str]:
    """Each private name `path` takes from another module, as "file:line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    current = _module_name(path)
    is_package = path.name == "__init__.py"
    modules: dict[str, str] = {}  # local name -> imported module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("youthwork", "ui") and _private(alias.name.rsplit(".", 1)[-1]):
                    yield f"{path}:{node.lineno}: imports the private module {alias.name}"
                modules[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(current, is_package, node)
            if source == current:
                continue
            ours = source.split(".")[0] in ("youthwork", "ui")
            if ours and _private(source.rsplit(".", 1)[-1]):
                yield f"{path}:{node.lineno}: imports from the private module {source}"
            for alias in node.names:
                if ours and _private(alias.name):
                    yield f"{path}:{node.lineno}: imports {alias.name} from {source}"
                else:
                    modules[alias.asname or alias.name] = f"{source}.{alias.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _looks_like_module(modules[node.value.id])
        ):
            yield f"{path}:{node.lineno}: uses {modules[node.value.id]}.{node.attr}"


def _looks_like_module(dotted: str) -> bool:
    """Whether `dotted` names a module (or package) we can find, rather than a class or function imported by name."""
    last = dotted.rsplit(".", 1)[-1]
    if last[:1].isupper():
        return False  # a class: its _private attributes are its own business (and self/cls are not imported)
    if dotted.split(".")[0] not in ("youthwork", "ui"):
        return False  # the rule is about our own modules (argparse._SubParsersAction is how argparse is typed)
    path = Path(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def main(argv: list[str]) -> int:
    roots = [Path(p) for p in (argv or ["youthwork", "ui"])]
    found = [p for root in roots for f in sorted(root.rglob("*.py")) for p in problems(f)]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} private name(s) used outside their module: make them public or move them.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
