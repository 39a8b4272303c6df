"""An Atom feed per search of the coming procurements (issue 17): the search's address with feed.atom in
place of the page, so that a feed reader follows exactly what the page shows."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from plans.pipeline.search import described, saved_query, search
from plans.register.disclosure import PUBLIC

# A feed carries the first coming procurements of its search, in advertisement order.
FEED_SIZE = 100


class ComingFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        filterset, _ignored = search(request.GET)
        return filterset

    def title(self, filterset):
        parts = [value for _label, value in described(filterset)]
        heading = _("Coming procurements")
        return f"{heading}: {' · '.join(parts)}" if parts else heading

    def subtitle(self, filterset):
        return _("Procurements the municipalities plan to advertise, from their public procurement plans.")

    def link(self, filterset):
        query = saved_query(filterset)
        return reverse("pipeline:coming") + (f"?{query}" if query else "")

    def items(self, filterset):
        return filterset.qs.select_related("plan__municipality")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} – {item.plan.municipality.name}"

    def item_description(self, item):
        lines = [
            _("Planned advertisement: %(date)s") % {"date": item.planned_advertisement.isoformat()},
            _("CPV: %(code)s") % {"code": item.cpv},
            _("Estimated value: %(value)s") % {"value": PUBLIC.value_text(item)},
        ]
        description = PUBLIC.description(item).strip()
        if description:
            lines.append(description)
        return "\n".join(lines)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.get_absolute_url()

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.public_since or item.created_at

    def item_author_name(self, item):
        return item.plan.municipality.name

    def item_categories(self, item):
        return [item.cpv]

    def feed_extra_kwargs(self, obj):
        return {}

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response


coming_feed = ComingFeed()
