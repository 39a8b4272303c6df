"""Writes to the municipality's goals: each a function with keyword-only arguments, one transaction each.

A goal belongs to the municipality; its title is its name in every plan, so it is unique there. Edits
carry the version the editor's form was built from, and an edit or a removal based on an older version
is refused with nothing written."""

from dataclasses import dataclass

from django.db import transaction

from plans.models import Goal
from plans.versioned import locked_at, save_unique, set_changed

GOAL_FIELDS = ("title", "target_value", "unit", "target_year", "measured_by", "reached", "reached_year")


class StaleGoal(Exception):
    """Someone saved (or removed) the goal after the editor's form was built."""

    def __init__(self, current: Goal | None):
        self.current = current
        super().__init__(f"goal at version {current.version if current else 'removed'}")


class DuplicateTitle(Exception):
    """The municipality already has a goal of that title (two saves at once: the database said so)."""


class LinksChanged(Exception):
    """Procurements or orders were linked to the goal, or unlinked, after the remover was told how many."""

    def __init__(self, links: "GoalLinks"):
        self.links = links
        super().__init__(f"the goal now has {links.total} links")


@dataclass(frozen=True)
class GoalLinks:
    procurements: int
    orders: int

    @property
    def total(self) -> int:
        return self.procurements + self.orders


def goal_links(goal: Goal) -> GoalLinks:
    """How many procurements and orders name the goal (two queries)."""
    return GoalLinks(procurements=goal.procurements.count(), orders=goal.orders.count())


@transaction.atomic
def goal_create(*, municipality, data: dict) -> Goal:
    goal = Goal(municipality=municipality, **{name: data[name] for name in GOAL_FIELDS if name in data})
    return save_unique(goal, DuplicateTitle)


@transaction.atomic
def goal_update(*, goal: Goal, data: dict, expected_version: int) -> Goal:
    """Save the edited fields, unless someone saved the goal after the editor's form was built."""
    current = locked_at(Goal, goal.pk, expected_version, StaleGoal)
    if set_changed(current, data, GOAL_FIELDS):
        current.version += 1
        save_unique(current, DuplicateTitle)
    return current


@transaction.atomic
def goal_delete(*, goal: Goal, expected_version: int, expected_links: int) -> GoalLinks:
    """Remove the goal and its links (the procurements and orders stay), unless it was edited, or links
    were made or removed, after the remover was told what would go. Returns the links removed."""
    current = locked_at(Goal, goal.pk, expected_version, StaleGoal)
    links = goal_links(current)
    if links.total != expected_links:
        raise LinksChanged(links)
    current.delete()
    return links
