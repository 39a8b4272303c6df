"""
Which procurements of a centre's year could be coordinated (issue 16): a pure rule, no ORM.

Two procurements of DIFFERENT municipalities match when their CPV codes share the first `cpv_digits`
digits (3: the CPV group), or when they have the same category and similar titles (Jaccard ≥ 0.5 over
the significant words, Swedish plurals and definite forms folded: "Personbilar" ~ "personbil"), and
their planned advertisements lie within `months` calendar months of each other (exactly six months
apart is within six months; a day more is not).

Matches become clusters, not pairs. A suggestion holds at most one procurement per municipality (the
best match: the longest shared CPV code, then the most similar title, then the closest in date) and at
least two municipalities; every member lies within `months` of the earliest, so every two members lie
within `months` of each other. In a CPV cluster, where another procurement of the earliest one's
municipality matches the others better, it takes the earliest one's place (which stays free for a later
suggestion); a title cluster keeps its first member, to which every other is similar. A procurement
takes part in at most one suggestion, and one already in an active group is never suggested again,
except that a free procurement matching a group's member is suggested to join that group
(Suggestion.group_id). In this order: joins, then CPV clusters, then title clusters of what is left.
Ordered by the earliest advertisement, then key.

Fast enough for a whole country's year (29 centres × 1 000 procurements): one sort per CPV bucket, with a
pointer per municipality; titles through an inverted index with prefix filtering, never all pairs.
"""

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from plans.dates import add_months

CPV = "cpv"
TITLE = "title"
SIMILARITY = 0.5

# Words that say nothing about the need: Swedish function words and the words every plan's titles use.
_STOP_WORDS = """
    och av för till med i på om från vid under över samt inom inklusive inkl exkl utom mot genom
    en ett den det de som är att eller ej ny nya nytt ännu övrigt övriga diverse div mm m.m etc
    upphandling upphandlingar upphandla avrop avropa ramavtal ramavtalet avtal avtalet inköp köp
    leverans leveranser förnyad förnyelse nytecknande kommun kommunen kommunens kommunal kommunala
    and of for the to with in on a an procurement framework agreement contract purchase supply
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
VOWELS = frozenset("aeiouyäåö")
# The Snowball Swedish stemmer's first step: plural and definite endings, longest first.
_SUFFIXES = """
        heterna hetens anden heten heter arnas ernas ornas andes arens andet arna erna orna ande arne
        aste aren ades erns ade are ern ens het ast ad en ar er or as es at a e
"""
SUFFIXES = tuple(sorted(_SUFFIXES.split(), key=len, reverse=True))
S_ENDING = frozenset("bcdfghjklmnoprtvy")
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Candidate:
    """One procurement of the centre's year, as much of it as the rule reads."""

    pk: int
    municipality_id: int
    cpv: str
    category: str
    title: str
    planned_advertisement: date
    coordination_id: int | None = None  # its active group, if any


@dataclass(frozen=True)
class Suggestion:
    """Procurements that could be bought together. `members` are procurement pks, the earliest first;
    `free` are those not yet in a group (all of them, unless the suggestion is to join `group_id`)."""

    members: tuple[int, ...]
    kind: str  # CPV or TITLE
    key: str  # the shared CPV digits ("341"), or the first member's significant words
    group_id: int | None = None
    free: tuple[int, ...] = field(default=())
    earliest: date | None = None

    @property
    def is_join(self) -> bool:
        return self.group_id is not None


def stem(word: str) -> str:
    """The Snowball Swedish stemmer's first step: "personbilarna" → "personbil", "kläder" → "kläd"."""
    start = r1(word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= start:
            return word[: -len(suffix)]
    if word.endswith("s") and len(word) - 1 >= start and word[-2:-1] in S_ENDING:
        return word[:-1]
    return word


def r1(word: str) -> int:
    """Where Snowball's region R1 starts: after the first consonant that follows a vowel, at least 3."""
    for index in range(1, len(word)):
        if word[index] not in VOWELS and word[index - 1] in VOWELS:
            return max(index + 1, 3)
    return len(word)


def words(title: str) -> frozenset[str]:
    """The significant words of a title, folded: lower case, plural and definite endings removed."""
    found = set()
    for word in WORD.findall(unicodedata.normalize("NFC", title).casefold()):
        if len(word) < 2 or word in STOP_WORDS or word.isdigit():
            continue
        stemmed = stem(word)
        if stemmed not in STOP_WORDS:
            found.add(stemmed)
    return frozenset(found)


def jaccard(first: frozenset, second: frozenset) -> float:
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def cpv_key(cpv: str, digits: int) -> str:
    return "".join(character for character in cpv if character.isdigit())[:digits]


def within(first: date, second: date, months: int) -> bool:
    """True when the two dates lie at most `months` calendar months apart (inclusive)."""
    earlier, later = sorted((first, second))
    return later <= add_months(earlier, months)


class _Year:
    """The candidates of one call, with what the rule reads of each worked out once: the CPV key, the
    title's words and the last day within `months` after its advertisement."""

    def __init__(self, candidates, cpv_digits: int, months: int, similarity: float):
        self.similarity = similarity
        self.ordered = sorted(
            candidates, key=lambda candidate: (candidate.planned_advertisement, candidate.pk)
        )
        folded = {}
        self.key, self.titles, self.limit = {}, {}, {}
        limits = {}
        for candidate in self.ordered:
            pk, day = candidate.pk, candidate.planned_advertisement
            self.key[pk] = cpv_key(candidate.cpv, cpv_digits)
            if candidate.title not in folded:
                folded[candidate.title] = words(candidate.title)
            self.titles[pk] = folded[candidate.title]
            if day not in limits:
                limits[day] = add_months(day, months)
            self.limit[pk] = limits[day]

    def close(self, first: Candidate, second: Candidate) -> bool:
        if first.planned_advertisement <= second.planned_advertisement:
            return second.planned_advertisement <= self.limit[first.pk]
        return first.planned_advertisement <= self.limit[second.pk]

    def similar(self, first: Candidate, second: Candidate) -> bool:
        return (
            first.category == second.category
            and jaccard(self.titles[first.pk], self.titles[second.pk]) >= self.similarity
        )

    def title_key(self, candidate: Candidate) -> str:
        return " ".join(sorted(self.titles[candidate.pk]))

    def quality(self, first: Candidate, second: Candidate) -> tuple:
        """How well two candidates match, the larger the better: the shared CPV digits, then the titles'
        similarity, then the nearness of their advertisements."""
        shared = 0
        for one, other in zip(first.cpv[:8], second.cpv[:8], strict=False):
            if one != other:
                break
            shared += 1
        days = abs((first.planned_advertisement - second.planned_advertisement).days)
        return (shared, round(jaccard(self.titles[first.pk], self.titles[second.pk]), 3), -days)


def suggest(
    candidates: Iterable[Candidate], *, cpv_digits: int = 3, months: int = 6, similarity: float = SIMILARITY
) -> list[Suggestion]:
    """Every suggestion for one centre's year, in a stable order."""
    year = _Year(candidates, cpv_digits, months, similarity)
    grouped = [candidate for candidate in year.ordered if candidate.coordination_id is not None]
    free = [candidate for candidate in year.ordered if candidate.coordination_id is None]
    found = _joins(year, grouped, free)
    used = {pk for suggestion in found for pk in suggestion.free}
    free = [candidate for candidate in free if candidate.pk not in used]
    buckets = defaultdict(list)
    for candidate in free:
        buckets[year.key[candidate.pk]].append(candidate)
    for key, bucket in buckets.items():
        for cluster in _clusters(year, bucket, None):
            found.append(_suggestion(cluster, CPV, key))
            used.update(member.pk for member in cluster)
    by_category = defaultdict(list)
    for candidate in free:
        if candidate.pk not in used and year.titles[candidate.pk]:
            by_category[candidate.category].append(candidate)
    for bucket in by_category.values():
        neighbours = _similar(year, bucket)
        for cluster in _clusters(year, bucket, neighbours):
            found.append(_suggestion(cluster, TITLE, year.title_key(cluster[0])))
    return sorted(found, key=lambda suggestion: (suggestion.earliest, suggestion.key, suggestion.members))


def _suggestion(cluster: Sequence[Candidate], kind: str, key: str) -> Suggestion:
    members = tuple(member.pk for member in cluster)
    return Suggestion(
        members=members, kind=kind, key=key, free=members, earliest=cluster[0].planned_advertisement
    )


def _clusters(year: _Year, bucket: list[Candidate], neighbours: dict[int, set[int]] | None):
    """Greedy, from the earliest: each free candidate with the closest later free one of every other
    municipality within `months` (and, for titles, similar to it) makes a cluster of two municipalities
    or more. `bucket` is sorted by date; without `neighbours` every two candidates of it match."""
    per_municipality = defaultdict(list)
    for candidate in bucket:
        per_municipality[candidate.municipality_id].append(candidate)
    if len(per_municipality) < 2:
        return
    pointer = dict.fromkeys(per_municipality, 0)
    used = set()
    position = 0
    while position < len(bucket):
        anchor = bucket[position]
        if anchor.pk in used:
            position += 1
            continue
        limit = year.limit[anchor.pk]
        similar = None if neighbours is None else neighbours[anchor.pk]
        if similar is not None and not similar:
            used.add(anchor.pk)
            position += 1
            continue
        cluster = [anchor]
        for municipality, queue in per_municipality.items():
            # Every candidate before the anchor is used: skip them for good.
            index = pointer[municipality]
            while index < len(queue) and queue[index].pk in used:
                index += 1
            pointer[municipality] = index
            if municipality == anchor.municipality_id:
                continue
            match = _best(year, anchor, queue, index, similar, used, limit)
            if match is not None:
                cluster.append(match)
        if len(cluster) == 1:
            used.add(anchor.pk)
            position += 1
            continue
        # A later one of the anchor's own municipality may match the others better: it takes the
        # anchor's place, and the anchor is weighed again with what is left.
        better = None
        if neighbours is None:
            own = per_municipality[anchor.municipality_id]
            better = _best_for(year, cluster[1:], own, pointer[anchor.municipality_id], used, limit)
        if better is not None and better.pk != anchor.pk:
            cluster[0] = better
        else:
            position += 1
        used.update(member.pk for member in cluster)
        cluster.sort(key=lambda member: (member.planned_advertisement, member.pk))
        yield cluster


def _best(year: _Year, anchor: Candidate, queue, start, similar, used, limit):
    """The free candidate of the queue from start, up to limit (and similar to the anchor), that matches
    the anchor best (_Year.quality); None if there is none."""
    best, best_quality = None, None
    for candidate in queue[start:]:
        if candidate.planned_advertisement > limit:
            break
        if candidate.pk in used or (similar is not None and candidate.pk not in similar):
            continue
        quality = year.quality(anchor, candidate)
        if best is None or quality > best_quality:
            best, best_quality = candidate, quality
    return best


def _best_for(year: _Year, others, queue, start, used, limit):
    """Of the queue from start up to limit, the free candidate that matches `others` best in sum: the
    anchor itself unless another does better."""
    best, best_quality = None, None
    for candidate in queue[start:]:
        if candidate.planned_advertisement > limit:
            break
        if candidate.pk in used:
            continue
        qualities = [year.quality(candidate, other) for other in others]
        quality = tuple(sum(values) for values in zip(*qualities, strict=True))
        if best is None or quality > best_quality:
            best, best_quality = candidate, quality
    return best


def _similar(year: _Year, bucket: list[Candidate]) -> dict[int, set[int]]:
    """{pk: pks of the bucket with a similar title}, through an inverted index of each title's rarest
    words (prefix filtering: two sets with Jaccard ≥ t share one of the first |A| − ⌈t·|A|⌉ + 1)."""
    titles = year.titles
    frequency = defaultdict(int)
    for candidate in bucket:
        for word in titles[candidate.pk]:
            frequency[word] += 1
    index = defaultdict(list)
    neighbours = {candidate.pk: set() for candidate in bucket}
    for candidate in bucket:
        own = titles[candidate.pk]
        rarest = sorted(own, key=lambda word: (frequency[word], word))
        prefix = rarest[: len(own) - math.ceil(year.similarity * len(own)) + 1]
        seen = set()
        for word in prefix:
            for other in index[word]:
                if other.pk in seen or other.municipality_id == candidate.municipality_id:
                    continue
                seen.add(other.pk)
                if jaccard(own, titles[other.pk]) >= year.similarity:
                    neighbours[candidate.pk].add(other.pk)
                    neighbours[other.pk].add(candidate.pk)
            index[word].append(candidate)
    return neighbours


def _joins(year: _Year, grouped: list[Candidate], free: list[Candidate]) -> list[Suggestion]:
    """A free candidate of a municipality not yet in a group, matching one of its members (CPV digits,
    or category and title) within `months` of it, is suggested to join that group: per group, the
    closest of each such municipality. Groups are taken from the earliest; a candidate joins one."""
    groups = defaultdict(list)
    for member in grouped:
        groups[member.coordination_id].append(member)
    if not groups:
        return []
    by_key, by_word = defaultdict(list), defaultdict(list)
    for candidate in free:
        by_key[year.key[candidate.pk]].append(candidate)
        for word in year.titles[candidate.pk]:
            by_word[candidate.category, word].append(candidate)
    found, used = [], set()
    for group_id, members in sorted(
        groups.items(), key=lambda item: (item[1][0].planned_advertisement, item[0])
    ):
        present = {member.municipality_id for member in members}
        best = {}  # municipality: (days, candidate, kind, key)
        for member in members:
            matches = [(candidate, CPV) for candidate in by_key[year.key[member.pk]]]
            for word in year.titles[member.pk]:
                matches.extend((candidate, TITLE) for candidate in by_word[member.category, word])
            for candidate, kind in matches:
                if (
                    candidate.pk in used
                    or candidate.municipality_id in present
                    or not year.close(candidate, member)
                ):
                    continue
                if kind == TITLE and not year.similar(candidate, member):
                    continue
                shared, similarity, nearness = year.quality(candidate, member)
                rank = (
                    -shared,
                    -similarity,
                    -nearness,
                    kind != CPV,
                    candidate.planned_advertisement,
                    candidate.pk,
                )
                held = best.get(candidate.municipality_id)
                if held is None or rank < held[0]:
                    key = year.key[member.pk] if kind == CPV else year.title_key(member)
                    best[candidate.municipality_id] = (rank, candidate, kind, key)
        if not best:
            continue
        chosen = sorted(best.values(), key=lambda held: (held[1].planned_advertisement, held[1].pk))
        joining = [held[1] for held in chosen]
        used.update(candidate.pk for candidate in joining)
        everyone = sorted(members + joining, key=lambda item: (item.planned_advertisement, item.pk))
        found.append(
            Suggestion(
                members=tuple(item.pk for item in everyone),
                kind=chosen[0][2],
                key=chosen[0][3],
                group_id=group_id,
                free=tuple(candidate.pk for candidate in joining),
                earliest=everyone[0].planned_advertisement,
            )
        )
    return found
