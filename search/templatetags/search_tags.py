"""{% search_box %}: the search form of the site header (base.html), owned by the search app."""
from django import template

from ..selectors import QUERY_MAX_LENGTH

register = template.Library()


@register.inclusion_tag("search/includes/search_box.html", takes_context=True)
def search_box(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    # The results page has its own, larger form.
    return {"show": not (match and match.namespace == "search"), "max_length": QUERY_MAX_LENGTH}
