"""
The plans app's models, one module per part of the work, re-exported here: the app label ("plans") and
the tables are the same as when they lived in one module, and `from plans.models import Procurement`
goes on working everywhere.
"""

from plans.models.centre import QUARTERS, CentreSettings, CoordinationGroup, OfficerCapacity
from plans.models.exchange import CalendarToken, ImportJob, import_upload_path
from plans.models.followup import NationalReference, Outcome, Target
from plans.models.goals import Goal
from plans.models.history import HistoryEntry
from plans.models.notify import Notification
from plans.models.orders import BudgetStatus, Order, OrderEvent
from plans.models.pipeline import Subscription
from plans.models.plan import DEFAULTS, Plan, PlanQuerySet, Rubric, minutes_upload_path, rubric_values_from
from plans.models.procurement import (
    SCORE_FIELDS,
    Category,
    ClimateImpact,
    EnvironmentalLevel,
    Procedure,
    Procurement,
    ProcurementQuerySet,
    StrategicFlag,
)
from plans.models.remiss import Comment, EarlyInvolvement, Guidance, NeedsConfirmation, PlanSnapshot
from plans.models.social import LabourReserve, SocialDecision, SocialEnterprise

__all__ = [
    "DEFAULTS",
    "QUARTERS",
    "SCORE_FIELDS",
    "BudgetStatus",
    "CalendarToken",
    "Category",
    "CentreSettings",
    "ClimateImpact",
    "Comment",
    "CoordinationGroup",
    "EarlyInvolvement",
    "EnvironmentalLevel",
    "Goal",
    "Guidance",
    "HistoryEntry",
    "ImportJob",
    "LabourReserve",
    "NationalReference",
    "NeedsConfirmation",
    "Notification",
    "OfficerCapacity",
    "Order",
    "OrderEvent",
    "Outcome",
    "Plan",
    "PlanQuerySet",
    "PlanSnapshot",
    "Procedure",
    "Procurement",
    "ProcurementQuerySet",
    "Rubric",
    "SocialDecision",
    "SocialEnterprise",
    "StrategicFlag",
    "Subscription",
    "Target",
    "import_upload_path",
    "minutes_upload_path",
    "rubric_values_from",
]
