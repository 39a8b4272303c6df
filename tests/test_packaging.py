"""pyproject.toml in the form today's packaging tools accept without a deprecation warning."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_licence_is_an_spdx_expression_not_a_table():
    # A table (license = {text = …}) is deprecated (PEP 639); setuptools reads the string form from 77 on.
    assert pyproject()["project"]["license"] == "EUPL-1.2"
    assert not any(c.startswith("License ::") for c in pyproject()["project"].get("classifiers", []))


def test_the_build_asks_for_a_setuptools_that_reads_the_spdx_licence():
    (setuptools,) = [r for r in pyproject()["build-system"]["requires"] if r.startswith("setuptools")]
    lowest = re.search(r">=\s*(\d+)", setuptools)
    assert lowest and int(lowest.group(1)) >= 77, setuptools
