"""
The Common Procurement Vocabulary (CPV 2008): the English label of a code, its division and group.

The vocabulary travels with the package (data/cpv2008-en.csv, a copy of ../shared/cpv/; public EU
reference data: the 9 455 codes of Regulation (EC) No 213/2008 as eight digits without the check digit).
Only the English labels are available; the official Swedish ones are not, so the pages show the English
label beside the code and say so.

The level of a code follows from its trailing zeros: XX000000 a division ("34": transport equipment),
XXX00000 a group ("341": motor vehicles), XXXX0000 a class, XXXXX000 a category, finer a subcategory.
A code people typed may carry the check digit (34110000-1), spaces, or have lost its leading zero in a
spreadsheet (3220000): all three are read as the eight digits they stand for.
"""

import csv
import re
from functools import lru_cache
from pathlib import Path

VOCABULARY = Path(__file__).resolve().parent / "data" / "cpv2008-en.csv"
# Eight digits, optionally a check digit (with or without its dash); or seven digits (a lost leading
# zero), then only with a dash before the check digit, since seven digits and a check digit would read as
# eight. ASCII digits only: str.isdigit() would take other scripts' digits too.
CODE = re.compile(r"([0-9]{8})(?:-?[0-9])?|([0-9]{7})(?:-[0-9])?")


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    """{eight digits: English label}, read once per process."""
    with VOCABULARY.open(encoding="utf-8", newline="") as file:
        return {row["code"]: row["label_en"] for row in csv.DictReader(file)}


def digits(code) -> str:
    """The eight digits a code stands for ("34110000-1" → "34110000", "3220000" → "03220000"), or ""
    when it is no CPV code at all."""
    match = CODE.fullmatch(str(code or "").replace(" ", "").strip())
    if match is None:
        return ""
    eight, seven = match.groups()
    return eight or "0" + seven


@lru_cache(maxsize=1)
def known() -> frozenset[str]:
    """Every code of the vocabulary, as eight digits."""
    return frozenset(_labels())


def label(code) -> str:
    """The English label of a code; for a code the vocabulary lacks, the label of the nearest coarser
    code it has (category, class, group, then division); "" when none of them is known."""
    eight = digits(code)
    if not eight:
        return ""
    labels = _labels()
    for kept in range(8, 1, -1):
        found = labels.get(eight[:kept] + "0" * (8 - kept))
        if found:
            return found
    return ""


def division(code) -> str:
    """The division, the first two digits ("34"), or "" for no code."""
    return digits(code)[:2]


def group(code) -> str:
    """The group, the first three digits ("341"), or "" for no code."""
    return digits(code)[:3]


def divisions() -> list[tuple[str, str]]:
    """Every division as (two digits, label), in code order."""
    return list(_levels()[0])


def groups() -> list[tuple[str, str]]:
    """Every group as (three digits, label), in code order."""
    return list(_levels()[1])


@lru_cache(maxsize=1)
def _levels() -> tuple[tuple, tuple]:
    ordered = sorted(_labels().items())
    return (
        tuple((code[:2], text) for code, text in ordered if code[2:] == "000000"),
        tuple((code[:3], text) for code, text in ordered if code[3:] == "00000" and code[2] != "0"),
    )
