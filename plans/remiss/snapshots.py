"""What changed in a plan since its remiss opened: a pure comparison of two {ref: {field: text}} maps."""

from dataclasses import dataclass, field

SNAPSHOT_FIELDS = (
    "title",
    "description",
    "department",
    "category",
    "cpv",
    "estimated_value_sek",
    "duration_months",
    "planned_advertisement",
    "current_contract_ends",
    "procedure",
    "possible_suppliers",
    "business_critical",
    "high_switching_cost",
    "employment_requirement",
    "reserved_contract",
    "labour_conditions",
    "lots",
    "climate_impact",
    "environmental_level",
    "innovation",
    "confidential",
    "kraljic",
    "strategic",
    "priority",
)


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@dataclass
class PlanChanges:
    added: list = field(default_factory=list)  # refs
    removed: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)  # ref → {field: (before, after)}

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def compare(before: dict, after: dict) -> PlanChanges:
    """Procurements added, removed, and changed field by field, between two snapshots' data."""
    changes = PlanChanges()
    changes.added = sorted(set(after) - set(before))
    changes.removed = sorted(set(before) - set(after))
    for ref in sorted(set(before) & set(after)):
        fields = {
            name: (before[ref].get(name, ""), after[ref].get(name, ""))
            for name in SNAPSHOT_FIELDS
            if before[ref].get(name, "") != after[ref].get(name, "")
        }
        if fields:
            changes.changed[ref] = fields
    return changes
