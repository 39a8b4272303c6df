"""The CPV vocabulary the centre's year labels codes with (plans/centre/cpv.py)."""

import tomllib

import pytest
from django.conf import settings

from plans.centre import cpv


@pytest.mark.parametrize(
    ("code", "eight", "label", "division", "group"),
    [
        ("34110000", "34110000", "Passenger cars", "34", "341"),
        ("34110000-1", "34110000", "Passenger cars", "34", "341"),
        ("341100001", "34110000", "Passenger cars", "34", "341"),  # a check digit without its dash
        (" 3411 0000 ", "34110000", "Passenger cars", "34", "341"),
        ("3220000", "03220000", "Vegetables, fruits and nuts", "03", "032"),  # a lost leading zero
        ("3220000-5", "03220000", "Vegetables, fruits and nuts", "03", "032"),
        ("34000000", "34000000", "Transport equipment and auxiliary products to transportation", "34", "340"),
        # Unknown codes: the nearest coarser code the vocabulary has.
        ("34119999", "34119999", "Passenger cars", "34", "341"),  # its class
        ("34190000", "34190000", "Motor vehicles", "34", "341"),  # its group
        ("34810000", "34810000", "Transport equipment and auxiliary products to transportation", "34", "348"),
        ("01000000", "01000000", "", "01", "010"),  # no such division: nothing to fall back on
        ("00000000", "00000000", "", "00", "000"),
        # Not codes at all.
        ("", "", "", "", ""),
        (None, "", "", "", ""),
        ("abc", "", "", "", ""),
        ("3411", "", "", "", ""),
        ("34110000-12", "", "", "", ""),
        ("341100000", "34110000", "Passenger cars", "34", "341"),
        ("3411000012", "", "", "", ""),
        ("34110000-", "", "", "", ""),
        ("\u0663\u0664\u0661\u0661\u0660\u0660\u0660\u0660", "", "", "", ""),  # Arabic-Indic digits
    ],
)
def test_cpv_codes(code, eight, label, division, group):
    assert cpv.digits(code) == eight
    assert cpv.label(code) == label
    assert cpv.division(code) == division
    assert cpv.group(code) == group


def test_cpv_divisions_and_groups():
    divisions, groups = cpv.divisions(), cpv.groups()
    assert len(divisions) == 45 and len(groups) == 272
    assert divisions[0] == ("03", "Agricultural, farming, fishing, forestry and related products")
    assert ("341", "Motor vehicles") in groups
    assert all(len(code) == 2 for code, _label in divisions)
    assert all(len(code) == 3 and code[2] != "0" for code, _label in groups)
    assert [code for code, _label in groups] == sorted(code for code, _label in groups)
    # Lists of their own: a caller changing one changes nothing for the next.
    groups.clear()
    assert len(cpv.groups()) == 272


def test_the_vocabulary_travels_with_the_package():
    assert cpv.VOCABULARY.is_file()
    assert cpv.VOCABULARY.is_relative_to(settings.BASE_DIR / "plans")


def test_the_vocabulary_is_package_data():
    """A non-editable install has no ../shared: the CSV must travel in the package."""
    pyproject = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["plans.centre"]
    assert any(cpv.VOCABULARY.relative_to(settings.BASE_DIR / "plans" / "centre").match(p) for p in patterns)
