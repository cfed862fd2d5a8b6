from django import template

from core.charts import charts_for

register = template.Library()


@register.inclusion_tag("insights/charts.html", takes_context=True)
def insight_charts(context, article=None):
    """The charts the user may see: the whole site's, or ``article``'s on its admin page."""
    return {"charts": charts_for(context["request"].user, article=article)}
