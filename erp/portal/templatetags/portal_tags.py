"""Template helpers of the portal shell: ``{{ percent|pct_width }}`` and ``|pct_left`` (erp.core.css)."""

from django import template

from erp.core import css

register = template.Library()
register.filter("pct_width", css.pct_width)
register.filter("pct_left", css.pct_left)
