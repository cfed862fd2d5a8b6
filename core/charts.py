"""Charts drawn on the server: accessible SVG and CSV from one list of numbers (issue 23).

The admin's CSP allows no inline script or style and no other host, so a chart is an
``<svg role="img">`` with its own ``<title>`` and ``<desc>``, its bars as rectangles, and
the same numbers in a table behind a disclosure for a screen reader and for copying.

Apps that own the numbers register a source here (``register_source``) in their
``AppConfig.ready()``: the readership charts are the insights app's, the review charts the
comments app's; they stand on the same floor and cannot import each other, and the
dashboard and the CSV export ask every source.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, GAP = 640, 200, 1
LABEL_ROOM = 20  # under the bars: the first and last labels
TOP_ROOM = 20  # over the bars: the scale's top value
LABEL_CHARS = 34  # a horizontal bar's label is cut here; the table has it whole

_SOURCES = []


@dataclass
class Chart:
    """One chart: ``rows`` are ``(label, value)`` or ``(label, value, second_value)``."""

    slug: str
    title: str
    description: str
    unit: str
    rows: list
    columns: tuple = ()  # headings of the table: label, value(s)
    labelled_bars: bool = False  # horizontal bars with their labels (stories, sections)
    notes: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(row[1] for row in self.rows)

    def svg(self):
        return horizontal_bars(self) if self.labelled_bars else vertical_bars(self)

    def csv(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.rows:
            # A leading "=" "+" "-" "@" would be a formula in a spreadsheet: quote it away.
            writer.writerow([f"'{v}" if str(v)[:1] in "=+-@" else v for v in row])
        return out.getvalue()


def _cut(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _n(number):
    """A coordinate, to a tenth of a unit."""
    return f"{number:.1f}"


def _frame(chart, height, shapes):
    ident = f"chart-{chart.slug}"
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}</svg>',
        WIDTH, height, ident, ident, ident, chart.title, ident, chart.description, shapes,
    )  # fmt: skip


def vertical_bars(chart):
    """Bars over time, oldest left; the first and last labels written under the axis."""
    top = max((row[1] for row in chart.rows), default=0) or 1
    step = WIDTH / max(len(chart.rows), 1)
    plot = HEIGHT - LABEL_ROOM - TOP_ROOM
    bottom = HEIGHT - LABEL_ROOM
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (_n(i * step), _n(bottom - row[1] / top * plot), _n(max(step - GAP, 1)),
             _n(row[1] / top * plot), row[0], row[1])
            for i, row in enumerate(chart.rows)
        ),
    )  # fmt: skip
    axis = format_html(
        '<line x1="0" y1="{}" x2="{}" y2="{}"/>'
        '<text x="0" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>'
        '<text x="0" y="12">{} {}</text>',
        bottom, WIDTH, bottom, HEIGHT - 4, chart.rows[0][0] if chart.rows else "",
        WIDTH, HEIGHT - 4, chart.rows[-1][0] if chart.rows else "", top, chart.unit,
    )  # fmt: skip
    return _frame(chart, HEIGHT, bars + axis)


def horizontal_bars(chart):
    """One labelled bar per row, longest first as given."""
    top = max((row[1] for row in chart.rows), default=0) or 1
    line = 22
    label_width = WIDTH * 0.45
    room = WIDTH - label_width - 60
    bars = format_html_join(
        "",
        '<text x="0" y="{}">{}</text><rect x="{}" y="{}" width="{}" height="14"/>'
        '<text x="{}" y="{}">{}</text>',
        (
            (i * line + 14, _cut(str(row[0])), _n(label_width), i * line + 3,
             _n(max(row[1] / top * room, 1)), _n(label_width + max(row[1] / top * room, 1) + 4),
             i * line + 14, row[1])
            for i, row in enumerate(chart.rows)
        ),
    )  # fmt: skip
    return _frame(chart, max(len(chart.rows), 1) * line + 4, bars)


def register_source(source, *, order):
    """``source(user, article=None)`` returns the charts ``user`` may see, for ``article``
    (its admin page) or the whole site (the dashboard); lower ``order`` shows first."""
    if all(known is not source for _order, known in _SOURCES):
        _SOURCES.append((order, source))
        _SOURCES.sort(key=lambda entry: entry[0])


def charts_for(user, article=None):
    return [chart for _order, source in _SOURCES for chart in source(user, article=article)]
