"""
What is still open in a plan before the board adopts it, for the plan administrator's manage page:

1. comments not yet handled (answered or not), the oldest first;
2. strategic-for-review procurements without guidance, the most urgent requirements freeze first
   (as in the politicians' review queue).

Each list shows its first SHOWN items and counts them all; a fixed number of queries however many
there are.
"""

from dataclasses import dataclass
from datetime import date

from plans.models import Comment, Plan, Procurement
from plans.remiss.review import QueueItem, queue_counts, review_queue

SHOWN = 50  # items of each list on the page; the counts say how many more there are


@dataclass
class OpenItems:
    comments: list[Comment]  # each with .url, the comment on its procurement's page
    comments_count: int
    without_guidance: list[QueueItem]
    without_guidance_count: int
    strategic_count: int

    @property
    def count(self) -> int:
        return self.comments_count + self.without_guidance_count

    @property
    def comments_more(self) -> int:
        return self.comments_count - len(self.comments)

    @property
    def without_guidance_more(self) -> int:
        return self.without_guidance_count - len(self.without_guidance)


def open_before_adoption(*, plan: Plan, today: date) -> OpenItems:
    """The plan's open comments and strategic procurements without guidance (see the module's steps)."""
    open_comments = Comment.objects.filter(procurement__plan=plan, handled=False)
    comments = list(
        open_comments.select_related("procurement", "user", "department").order_by("created_at", "pk")[:SHOWN]
    )
    plan_url = plan.get_absolute_url()
    for comment in comments:
        comment.url = f"{Procurement.address(plan_url, comment.procurement.ref)}#comment-{comment.pk}"
    strategic = queue_counts(plan=plan)
    return OpenItems(
        comments=comments,
        comments_count=open_comments.count() if len(comments) == SHOWN else len(comments),
        without_guidance=review_queue(plan=plan, today=today, without_guidance_only=True, stop=SHOWN),
        without_guidance_count=strategic["without_guidance"],
        strategic_count=strategic["total"],
    )
