"""Issue 16: which procurements of a centre's year could be coordinated (plans.centre.suggestions), at the
rule's edges and without a database."""

import random
from datetime import date, timedelta

import pytest

from plans.centre.suggestions import CPV, TITLE, Candidate, jaccard, stem, suggest, within, words

FALUN, BORLANGE, LUDVIKA, SMEDJEBACKEN = 1, 2, 3, 4
MARCH = date(2027, 3, 1)


def candidate(pk, municipality, *, cpv="34110000", category="goods", title=None, day=MARCH, group=None):
    return Candidate(
        pk=pk,
        municipality_id=municipality,
        cpv=cpv,
        category=category,
        title=title or f"Upphandling {pk}",
        planned_advertisement=day,
        coordination_id=group,
    )


def members(found):
    return [suggestion.members for suggestion in found]


# --- The pair rule, one edge a row --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "options", "expected"),
    [
        pytest.param(
            {}, {"pk": 2, "municipality": BORLANGE}, {}, [(1, 2)], id="same group, two municipalities"
        ),
        pytest.param({}, {"pk": 2, "municipality": FALUN}, {}, [], id="same municipality never"),
        pytest.param(
            {},
            {"pk": 2, "municipality": BORLANGE, "day": date(2027, 9, 1)},
            {},
            [(1, 2)],
            id="six months exactly",
        ),
        pytest.param(
            {},
            {"pk": 2, "municipality": BORLANGE, "day": date(2027, 9, 2)},
            {},
            [],
            id="six months and a day",
        ),
        pytest.param(
            {"day": date(2027, 9, 2)},
            {"pk": 2, "municipality": BORLANGE},
            {},
            [],
            id="six months and a day, the other way round",
        ),
        pytest.param(
            {},
            {"pk": 2, "municipality": BORLANGE, "day": date(2027, 4, 1)},
            {"months": 0},
            [],
            id="months 0: the same day only",
        ),
        pytest.param(
            {},
            {"pk": 2, "municipality": BORLANGE},
            {"months": 0},
            [(1, 2)],
            id="months 0, the same day",
        ),
        pytest.param(
            {"day": date(2027, 8, 31)},
            {"pk": 2, "municipality": BORLANGE, "day": date(2028, 2, 29)},
            {},
            [(1, 2)],
            id="31 August + 6 months is the end of February",
        ),
        pytest.param(
            {"cpv": "34110000"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "34920000"},
            {"cpv_digits": 2},
            [(1, 2)],
            id="cpv digits 2: the division",
        ),
        pytest.param(
            {"cpv": "34110000"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "34920000"},
            {"cpv_digits": 3},
            [],
            id="cpv digits 3: another group",
        ),
        pytest.param(
            {"cpv": "34110000"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "34190000"},
            {"cpv_digits": 3},
            [(1, 2)],
            id="cpv digits 3: the same group",
        ),
        pytest.param(
            {"cpv": "34110000"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "34190000"},
            {"cpv_digits": 4},
            [],
            id="cpv digits 4: another class",
        ),
        pytest.param(
            {"cpv": "34110000-1"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "34114000"},
            {"cpv_digits": 4},
            [(1, 2)],
            id="cpv digits 4: the same class, a check digit ignored",
        ),
        pytest.param(
            {"cpv": "15000000", "title": "Livsmedel"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "15800000", "title": "Livsmedel"},
            {},
            [(1, 2)],
            id="another group, the same title",
        ),
        pytest.param(
            {"cpv": "15000000", "title": "Personbilar"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "34000000", "title": "Leasing av personbilarna"},
            {},
            [(1, 2)],
            id="similar titles: half the words, plural and definite folded",
        ),
        pytest.param(
            {"cpv": "15000000", "title": "Personbilar"},
            {
                "pk": 2,
                "municipality": BORLANGE,
                "cpv": "34000000",
                "title": "Leasing och service av personbilar",
            },
            {},
            [],
            id="dissimilar titles: a third of the words",
        ),
        pytest.param(
            {"cpv": "15000000", "title": "Livsmedel"},
            {
                "pk": 2,
                "municipality": BORLANGE,
                "cpv": "15800000",
                "title": "Livsmedel",
                "category": "services",
            },
            {},
            [],
            id="similar titles, another category",
        ),
        pytest.param(
            {"cpv": "15000000", "title": "Upphandling av ramavtal"},
            {"pk": 2, "municipality": BORLANGE, "cpv": "15800000", "title": "Ramavtal upphandling"},
            {},
            [],
            id="titles of stop words only match nothing",
        ),
        pytest.param(
            {"cpv": "15000000", "title": "Livsmedel", "day": date(2027, 1, 10)},
            {
                "pk": 2,
                "municipality": BORLANGE,
                "cpv": "15800000",
                "title": "Livsmedel",
                "day": date(2027, 7, 11),
            },
            {},
            [],
            id="similar titles, too far apart",
        ),
    ],
)
def test_two_procurements(first, second, options, expected):
    found = suggest([candidate(1, FALUN, **first), candidate(**second)], **options)
    assert members(found) == expected


def test_the_kind_and_the_key():
    by_cpv = suggest([candidate(1, FALUN), candidate(2, BORLANGE, cpv="34190000")])
    assert [(s.kind, s.key, s.group_id, s.free) for s in by_cpv] == [(CPV, "341", None, (1, 2))]
    by_title = suggest(
        [
            candidate(1, FALUN, cpv="15000000", title="Livsmedel"),
            candidate(2, BORLANGE, cpv="15800000", title="Livsmedel, leverans"),
        ]
    )
    assert [(s.kind, s.key) for s in by_title] == [(TITLE, "livsmedel")]


# --- Clusters -------------------------------------------------------------------------------------------


def test_many_municipalities_make_one_cluster_of_the_closest_each():
    found = suggest(
        [
            candidate(1, FALUN, day=date(2027, 2, 1)),
            candidate(2, BORLANGE, day=date(2027, 4, 1)),
            candidate(3, BORLANGE, day=date(2027, 3, 1)),  # closer to Falun's than 2
            candidate(4, LUDVIKA, day=date(2027, 8, 1)),
            candidate(5, SMEDJEBACKEN, day=date(2027, 2, 1)),
        ]
    )
    assert members(found) == [(1, 5, 3, 4)]


def test_what_is_left_makes_the_next_cluster():
    found = suggest(
        [
            candidate(1, FALUN, day=date(2027, 2, 1)),
            candidate(2, BORLANGE, day=date(2027, 3, 1)),
            candidate(3, FALUN, day=date(2027, 5, 1)),
            candidate(4, BORLANGE, day=date(2027, 6, 1)),
            candidate(5, LUDVIKA, day=date(2027, 11, 1)),
        ]
    )
    # 1 with 2 (Ludvika's is more than six months after February); then 3 with 4 and Ludvika's.
    assert members(found) == [(1, 2), (3, 4, 5)]


def test_an_early_lonely_one_does_not_hold_back_the_rest():
    found = suggest(
        [
            candidate(1, FALUN, day=date(2027, 1, 1)),
            candidate(2, FALUN, day=date(2027, 6, 1)),
            candidate(3, BORLANGE, day=date(2027, 7, 15)),
        ]
    )
    assert members(found) == [(2, 3)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                (1, FALUN, "34110000", "Fossilfria personbilar, leasing", date(2027, 2, 1)),
                (2, FALUN, "34144900", "Hemtjänstbilar, elbilar", date(2027, 3, 1)),
                (3, BORLANGE, "34144900", "Elbilar för hemtjänsten", date(2027, 3, 1)),
            ],
            [(2, 3)],
            id="the earliest's own municipality has a better match: it takes the place",
        ),
        pytest.param(
            [
                (1, FALUN, "34110000", "Personbilar", date(2027, 2, 1)),
                (2, BORLANGE, "34190000", "Fordon", date(2027, 2, 15)),
                (3, BORLANGE, "34110000", "Personbilar", date(2027, 4, 1)),
            ],
            [(1, 3)],
            id="the longer shared code wins over the nearer date",
        ),
        pytest.param(
            [
                (12, FALUN, "15800000", "Livsmedel – torrvaror och kolonial", date(2027, 1, 15)),
                (14, FALUN, "15860000", "Livsmedel – kaffe, te och drycker", date(2027, 2, 1)),
                (8, BORLANGE, "15860000", "Livsmedel – kaffe, te och drycker", date(2027, 3, 1)),
            ],
            [(14, 8)],
            id="the same coffee, not the dry goods advertised first",
        ),
        pytest.param(
            [
                (1, FALUN, "34110000", "Personbilar", date(2027, 2, 1)),
                (2, BORLANGE, "34110000", "Personbilar", date(2027, 3, 1)),
                (3, BORLANGE, "34110000", "Personbilar", date(2027, 2, 10)),
            ],
            [(1, 3)],
            id="alike but for the date: the nearer",
        ),
    ],
)
def test_each_municipality_brings_its_best_match(rows, expected):
    found = suggest(
        [candidate(pk, town, cpv=cpv, title=title, day=day) for pk, town, cpv, title, day in rows]
    )
    assert members(found) == expected


def test_one_per_municipality_even_with_many_alike():
    found = suggest([candidate(pk, FALUN if pk % 2 else BORLANGE) for pk in range(1, 7)])
    assert members(found) == [(1, 2), (3, 4), (5, 6)]
    assert all(len(suggestion.members) == 2 for suggestion in found)


def test_a_procurement_is_in_one_suggestion_cpv_first():
    found = suggest(
        [
            candidate(1, FALUN, cpv="15000000", title="Livsmedel"),
            candidate(2, BORLANGE, cpv="15000000", title="Frukt"),
            candidate(3, LUDVIKA, cpv="15800000", title="Livsmedel"),
        ]
    )
    assert members(found) == [(1, 2)]


def test_the_order_is_by_the_earliest_advertisement_then_the_key():
    found = suggest(
        [
            candidate(1, FALUN, cpv="90000000", day=date(2027, 5, 1)),
            candidate(2, BORLANGE, cpv="90000000", day=date(2027, 5, 1)),
            candidate(3, FALUN, cpv="34000000", day=date(2027, 5, 1)),
            candidate(4, BORLANGE, cpv="34000000", day=date(2027, 5, 2)),
            candidate(5, FALUN, cpv="15000000", day=date(2027, 6, 1)),
            candidate(6, BORLANGE, cpv="15000000", day=date(2027, 6, 1)),
        ]
    )
    assert [suggestion.key for suggestion in found] == ["340", "900", "150"]


def test_the_input_order_does_not_matter():
    rows = [
        candidate(
            pk, pk % 4 + 1, cpv=f"{30 + pk % 3}{pk % 5}00000", day=date(2027, 1, 1) + timedelta(days=pk * 9)
        )
        for pk in range(1, 60)
    ]
    shuffled = list(rows)
    random.Random(16).shuffle(shuffled)
    assert suggest(shuffled) == suggest(rows)


# --- Groups -------------------------------------------------------------------------------------------


def test_procurements_already_in_a_group_are_not_suggested_again():
    found = suggest(
        [
            candidate(1, FALUN, group=7),
            candidate(2, BORLANGE, group=7),
            candidate(3, BORLANGE),
            candidate(4, FALUN),
        ]
    )
    assert members(found) == [(3, 4)]


def test_a_match_of_a_groups_member_is_suggested_to_join_it():
    found = suggest(
        [
            candidate(1, FALUN, group=7, day=date(2027, 2, 1)),
            candidate(2, BORLANGE, group=7, day=date(2027, 3, 1)),
            candidate(3, LUDVIKA, cpv="34190000", day=date(2027, 8, 20)),  # within six months of 2
            candidate(4, LUDVIKA, day=date(2027, 9, 2)),  # farther
            candidate(5, FALUN, day=date(2027, 3, 1)),  # Falun is in the group already
            candidate(6, SMEDJEBACKEN, cpv="15000000", day=date(2027, 3, 1)),  # no match
        ]
    )
    (join,) = found
    assert (join.group_id, join.free, join.members, join.kind, join.key) == (7, (3,), (1, 2, 3), CPV, "341")
    assert join.is_join


def test_a_title_match_joins_too_and_the_rest_cluster_on_their_own():
    found = suggest(
        [
            candidate(1, FALUN, cpv="15000000", title="Livsmedel", group=7),
            candidate(2, BORLANGE, cpv="15000000", title="Livsmedel", group=7),
            candidate(3, LUDVIKA, cpv="15800000", title="Livsmedel"),
            candidate(4, SMEDJEBACKEN, cpv="15800000", title="Kaffe"),
            candidate(5, LUDVIKA, cpv="15800000", title="Mejeri"),
        ]
    )
    # The same first day: by key, "158" before "livsmedel".
    assert [(s.group_id, s.kind, s.members) for s in found] == [(None, CPV, (4, 5)), (7, TITLE, (1, 2, 3))]


def test_a_candidate_joins_one_group_only():
    found = suggest(
        [
            candidate(1, FALUN, group=7, day=date(2027, 2, 1)),
            candidate(2, BORLANGE, group=7, day=date(2027, 2, 1)),
            candidate(3, FALUN, group=8, day=date(2027, 3, 1)),
            candidate(4, BORLANGE, group=8, day=date(2027, 3, 1)),
            candidate(5, LUDVIKA, day=date(2027, 3, 1)),
        ]
    )
    assert [(s.group_id, s.free) for s in found] == [(7, (5,))]


# --- The words of a title -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("personbilar", "personbil"),
        ("personbilarna", "personbil"),
        ("personbil", "personbil"),
        ("kläder", "kläd"),
        ("städtjänster", "städtjänst"),
        ("bil", "bil"),  # too short to fold
        ("bilar", "bil"),
        ("glas", "glas"),  # s after a vowel stays
        ("hus", "hus"),
    ],
)
def test_swedish_endings_fold(word, expected):
    assert stem(word) == expected


def test_the_significant_words_of_a_title():
    assert words("Upphandling av PERSONBILAR och leasing 2027, m.m.") == {"personbil", "leasing"}
    assert words("IT-tjänster") == {"it", "tjänst"}
    assert words("") == frozenset()


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({"a", "b"}, {"a", "b"}, 1.0),
        ({"a", "b"}, {"a"}, 0.5),
        ({"a", "b", "c"}, {"a"}, 1 / 3),
        (set(), set(), 0.0),
    ],
)
def test_jaccard(first, second, expected):
    assert jaccard(frozenset(first), frozenset(second)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("first", "second", "months", "expected"),
    [
        (date(2027, 1, 31), date(2027, 7, 31), 6, True),
        (date(2027, 1, 31), date(2027, 8, 1), 6, False),
        (date(2028, 2, 29), date(2027, 8, 31), 6, True),
        (date(2028, 3, 1), date(2027, 8, 31), 6, False),
        (date(2027, 3, 1), date(2027, 3, 1), 0, True),
        (date(2027, 3, 1), date(2027, 3, 2), 0, False),
    ],
)
def test_within(first, second, months, expected):
    assert within(first, second, months) is expected


# --- Many: the prefix filter finds what all pairs would ---------------------------------------------------


VOCABULARY = (
    "bil",
    "buss",
    "cykel",
    "mat",
    "kaffe",
    "frukt",
    "städ",
    "tvätt",
    "skor",
    "kläder",
    "papper",
    "dator",
)


def test_the_index_finds_every_similar_pair_that_all_pairs_would():
    chance = random.Random(3)
    rows = [
        candidate(
            pk,
            chance.randint(1, 6),
            cpv=f"{chance.randint(10, 99)}{pk:06d}",
            title=" ".join(chance.sample(VOCABULARY, chance.randint(1, 4))),
            day=date(2027, 1, 1) + timedelta(days=chance.randint(0, 360)),
        )
        for pk in range(1, 400)
    ]
    found = suggest(rows, cpv_digits=8)
    assert len(found) > 20
    titles = {row.pk: words(row.title) for row in rows}
    by_pk = {row.pk: row for row in rows}
    for suggestion in found:
        assert suggestion.kind == TITLE
        anchor, *rest = (by_pk[pk] for pk in suggestion.members)
        municipalities = [by_pk[pk].municipality_id for pk in suggestion.members]
        assert len(set(municipalities)) == len(municipalities) >= 2
        for other in rest:
            assert jaccard(titles[anchor.pk], titles[other.pk]) >= 0.5
            assert within(anchor.planned_advertisement, other.planned_advertisement, 6)
    # Nothing left unsuggested that has a similar partner of another municipality within six months.
    suggested = {pk for suggestion in found for pk in suggestion.members}
    left = [row for row in rows if row.pk not in suggested]
    for first in left:
        for second in left:
            if first.municipality_id != second.municipality_id and within(
                first.planned_advertisement, second.planned_advertisement, 6
            ):
                assert jaccard(titles[first.pk], titles[second.pk]) < 0.5
