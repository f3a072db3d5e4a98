"""The layers of DESIGN.md hold: import-linter's contracts in pyproject.toml pass (kb <
lessons < search | peer_review < project, no cycle between an app's modules), and no module
hides an import of a project module inside a function to dodge them."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("kb", "lessons", "search", "peer_review", "project")

# Imports that must stay inside a function, each with the reason. `AppConfig.ready()` is
# not listed: importing the app's own signal receivers and hooks there is Django's way.
ALLOWED_LOCAL_IMPORTS: dict[tuple[str, str], str] = {
    ("search/backends/__init__.py", "."): (
        "the configured backend is imported on first use, so a site on the embedded "
        "search never loads the Elasticsearch client"
    ),
}


def _is_ready(func: ast.AST, path: Path) -> bool:
    return path.name == "apps.py" and getattr(func, "name", "") == "ready"


def local_project_imports() -> set[tuple[str, str]]:
    """(file, imported module) for every import of a project module inside a function."""
    found = set()
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if _is_ready(func, path):
                    continue
                for node in ast.walk(func):
                    if isinstance(node, ast.ImportFrom):
                        names = [node.module or ""] if node.level == 0 else ["."]
                    elif isinstance(node, ast.Import):
                        names = [alias.name for alias in node.names]
                    else:
                        continue
                    for name in names:
                        if name == "." or name.split(".")[0] in APPS:
                            found.add((str(path.relative_to(ROOT)), name))
    return found


def test_the_layer_and_cycle_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    # PYTHONPATH: check this checkout, not the one the virtualenv was installed from.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[run.stdout.find("Broken contracts") :] or run.stderr


def test_no_project_module_is_imported_inside_a_function():
    hidden = local_project_imports() - ALLOWED_LOCAL_IMPORTS.keys()
    assert not hidden, "imports hidden in functions (move them to the top, or fix the layer):\n" + (
        "\n".join(f"  {path}: {module}" for path, module in sorted(hidden))
    )


def test_every_allowed_local_import_still_exists():
    assert ALLOWED_LOCAL_IMPORTS.keys() <= local_project_imports()
