from django import template

register = template.Library()


@register.inclusion_tag("comments/reviews.html")
def reviews_for(article):
    """The story page's reviews block; ``articles`` only knows this tag's name."""
    return {"article": article}
