"""The matching rule (plans.social.matching) at its edges, and the register's index giving the same answer
as the rule asked of each enterprise."""

import itertools

import pytest

from plans.social.matching import Offer, Register, codes_match, node, offers


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("98310000", "9831"),
        ("98311100", "983111"),
        ("98000000", "98"),
        ("03000000", "03"),
        ("10000000", "10"),
        ("30200000", "302"),
        ("18110000", "1811"),
        ("39514100", "395141"),
        ("12345678", "12345678"),
        ("", ""),
    ],
)
def test_a_codes_node_is_its_significant_digits_never_fewer_than_a_division(code, expected):
    assert node(code) == expected


@pytest.mark.parametrize(
    ("offered", "bought", "expected"),
    [
        # The same code.
        ("98310000", "98310000", True),
        # The offered code is broader (washing and dry-cleaning offers laundry collection) …
        ("98310000", "98311000", True),
        # … or narrower: an enterprise washing workwear takes a lot of a broad laundry procurement.
        ("98311100", "98310000", True),
        # A group in common is enough when one lies within the other.
        ("77300000", "77314000", True),
        ("90600000", "90610000", True),
        # Siblings share a parent but neither lies within the other.
        ("98311000", "98312000", False),
        ("77311000", "77312000", False),
        # Another group of the same division.
        ("98310000", "98390000", False),
        # A division alone matches only its own division code.
        ("98000000", "98310000", False),
        ("98310000", "98000000", False),
        ("98000000", "98000000", True),
        # Another division entirely.
        ("18110000", "98310000", False),
        # A leading zero is a digit like any other.
        ("03110000", "03111000", True),
        ("03110000", "31110000", False),
        # Nothing to compare.
        ("", "98310000", False),
        ("98310000", "", False),
    ],
)
def test_codes_match_along_the_vocabulary_tree(offered, bought, expected):
    assert codes_match(offered, bought) is expected
    # The relation is symmetric: the rule does not care which side offers.
    assert codes_match(bought, offered) is expected


@pytest.mark.parametrize(
    ("cpv_codes", "categories", "cpv", "category", "expected"),
    [
        (["98310000"], [], "98311000", "services", True),
        (["98310000"], [], "", "services", False),  # codes offered, nothing to compare them with
        ([], ["services"], "", "services", True),  # a category matches an order without a code
        # An enterprise that gave no codes is matched by its category, code or not …
        ([], ["services"], "98311000", "services", True),
        ([], ["services"], "98311000", "goods", False),
        ([], ["goods"], "", "services", False),
        # … one that gave codes, by its codes wherever the procurement has one.
        (["98310000"], ["services"], "77310000", "services", False),
        (["98310000"], ["services"], "", "services", True),
        (["98310000", "77310000"], [], "77314000", "services", True),
        ([], [], "", "", False),
        ([], ["services"], "", "", False),
    ],
)
def test_an_enterprise_offers_by_code_or_where_there_is_no_code_by_category(
    cpv_codes, categories, cpv, category, expected
):
    assert offers(cpv_codes=cpv_codes, categories=categories, cpv=cpv, category=category) is expected


ENTERPRISES = [
    Offer(1, ("98310000",), ()),
    Offer(2, ("98311100",), ("services",)),
    Offer(3, ("77310000", "90610000"), ()),
    Offer(4, ("98000000",), ("goods",)),
    Offer(5, ("18110000", "18100000"), ()),
    Offer(6, (), ("services", "works")),
    Offer(7, ("03110000",), ()),
]
BOUGHT_CODES = [
    "98310000",
    "98311000",
    "98311100",
    "98311200",
    "98300000",
    "98000000",
    "98390000",
    "77310000",
    "77314000",
    "77300000",
    "77000000",
    "90610000",
    "90600000",
    "18100000",
    "18110000",
    "18130000",
    "03110000",
    "03000000",
    "31110000",
    "",
]


@pytest.mark.parametrize(
    ("cpv", "category"), list(itertools.product(BOUGHT_CODES, ["goods", "services", "", "works"]))
)
def test_the_registers_index_answers_as_the_rule_does(cpv, category):
    register = Register(ENTERPRISES)
    expected = {
        offer.id
        for offer in ENTERPRISES
        if offers(cpv_codes=offer.cpv_codes, categories=offer.categories, cpv=cpv, category=category)
    }
    assert register.matching(cpv=cpv, category=category) == expected


def test_the_index_finds_what_the_minutes_ask_for():
    register = Register(ENTERPRISES)
    # Enterprise 6 gave only categories: it offers every service, coded or not.
    assert register.matching(cpv="98311000", category="services") == {1, 2, 6}
    assert register.matching(cpv="77314000", category="services") == {3, 6}
    assert register.matching(cpv="", category="services") == {2, 6}
