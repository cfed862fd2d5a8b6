"""The admin's answers to query strings and ids nobody's browser sends (issue 14).

Two places where the stock admin answered a crafted value with a 500:

- the date drill-down (``date_hierarchy``): ``?published_at__year=9999`` asks for the
  dates up to the start of year 10,000, which Python cannot represent, year 1 is before
  the first representable instant once moved from the site's time zone to UTC, and a
  month or day of 2**31 does not fit the C int Python's dates are made of;
- autocomplete fields: the widget looks its selected value up to show its label, and a
  value that is no id of the target ("abc", "²", 10**30) made that lookup raise. A POST
  carries such a value back to the form it re-renders with errors, and an add form takes
  one from its query string (``?section=abc``).
"""

from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError

# A day inside the range Python's datetime can hold, in any time zone.
FIRST_YEAR, LAST_YEAR = 2, 9998


class BoundedDateHierarchyChangeList(ChangeList):
    def get_filters(self, request):
        if self.date_hierarchy:
            # The admin reads the last value given; one that is no number it refuses itself.
            years = request.GET.getlist(f"{self.date_hierarchy}__year") or [None]
            try:
                year = int(years[-1])
            except (TypeError, ValueError):
                year = None
            if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                # The admin's answer to every bad filter: the list again, with "?e=1".
                raise IncorrectLookupParameters(f"year {year} is out of range")
        try:
            return super().get_filters(request)
        except OverflowError as error:  # A month or day past what a C int holds.
            raise IncorrectLookupParameters(error) from error


class BoundedDateHierarchy:
    """ModelAdmin mixin: a drill-down year outside 2–9998 is a bad filter, not a 500."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateHierarchyChangeList


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete widget, showing a value that is no id of the target as
    nothing selected (the form field refuses that value with its own error)."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self.is_key(v)], attr)

    def is_key(self, value):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        try:
            target.run_validators(target.to_python(value))
        except ValidationError:
            return False
        return True


class ValidatedAutocompleteFields:
    """ModelAdmin and inline mixin: ``autocomplete_fields`` get the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
