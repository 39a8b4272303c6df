"""The README and the other Markdown files in the repository point only at what a reader of it has."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", ".git", "node_modules", "test-artifacts", "staticfiles", "media"}


def markdown_files():
    return sorted(
        path for path in ROOT.rglob("*.md") if not SKIP.intersection(path.relative_to(ROOT).parts[:-1])
    )


def relative_paths(text):
    """Paths written as `../…` or `./…` (in backticks or as a link's target)."""
    return re.findall(r"(?:`|\]\()(\.\.?/[^`)\s]*)", text)


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_path_in_the_docs_is_inside_the_repository_and_exists(path):
    for written in relative_paths(path.read_text()):
        target = (path.parent / written).resolve()
        assert target.is_relative_to(ROOT), f"{written} in {path.name} is outside the repository"
        assert target.exists(), f"{written} in {path.name} does not exist"


def test_the_readme_says_where_the_demos_data_comes_from():
    readme = (ROOT / "README.md").read_text()
    assert "../shared" not in readme
    assert "plans/demo/data/" in readme and (ROOT / "plans" / "demo" / "data" / "README.md").exists()
    assert "27 March 2017" in readme  # the minutes, named so a reader can ask Falun for them
