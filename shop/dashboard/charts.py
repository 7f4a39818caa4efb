"""Charts drawn on the server as SVG with pygal: no script, no CDN, readable on a phone.

Pure functions: labelled figures in, an SVG string out. Each chart also comes with its figures
as rows, which the page shows as a table (for screen readers, and for anyone who wants the
numbers). Drawn charts are kept for a short while in this process, keyed by the data's version.
"""

import re
import sys
import time
from dataclasses import dataclass
from threading import Lock

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from shop.i18n import format_vnd

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1e2420",
    foreground_strong="#1e2420",
    foreground_subtle="#dde5da",
    colors=("#2f6b3a", "#b8860b", "#5d6a60"),
    font_family='"Noto Sans", "Segoe UI", Roboto, Arial, sans-serif',
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=15,
    value_label_font_size=15,
    title_font_size=19,
    tooltip_font_size=16,
)
COMMON = {
    "style": STYLE,
    "js": [],  # pygal's tooltips load a script from a CDN: not here
    "disable_xml_declaration": True,  # inlined in the page
    "show_legend": False,
    "width": 420,  # drawn at about 0.8 of its size on a 360 px phone: text stays readable
    "height": 320,
    "margin": 8,
    "print_values": False,
}
# pygal adds an old-style import hook for its map plugins (unused here); Python 3.11 warns
# about it on every import that searches past it, so it is taken out again.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]
LABEL_MAX = 20
_SCRIPT = re.compile(r"<script.*?</script>", re.S)


@dataclass(frozen=True)
class Chart:
    """An SVG and the figures it draws, as (label, shown value) rows."""

    svg: str
    rows: list[tuple[str, str]]


def short_vnd(amount: int) -> str:
    """1 250 000 → '1,3 tr' (triệu), 45 000 → '45 N' (nghìn): short axis labels in đồng."""
    if abs(amount) >= 1_000_000:
        return f"{amount / 1_000_000:.1f}".replace(".", ",").replace(",0", "") + " tr"
    if abs(amount) >= 1_000:
        return f"{amount / 1_000:.0f} N"
    return whole(amount)


def whole(value) -> str:
    """A count as Vietnamese write it: 1.234."""
    return f"{value:,.0f}".replace(",", ".")


def _clip(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _svg(chart) -> str:
    chart.config.no_data_text = _("Nothing yet in this period.")
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def per_day(title: str, points: list[tuple[str, int]], money: bool) -> Chart:
    """A bar per day; a label every seventh day so the axis stays readable on a phone."""
    chart = pygal.Bar(
        title=title,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=7 if len(points) > 14 else 1,
        truncate_label=-1,
        value_formatter=short_vnd if money else whole,
        order_min=0,  # a count's axis never shows 0.5
        **COMMON,
    )
    chart.x_labels = [label for label, _value in points]
    chart.add(title, [value for _label, value in points])
    shown = format_vnd if money else whole
    return Chart(_svg(chart), [(label, shown(value)) for label, value in points])


def ranking(title: str, items: list[tuple[str, int]], money: bool) -> Chart:
    """Horizontal bars, biggest first, each with its value printed at its end."""
    chart = pygal.HorizontalBar(
        title=title,
        print_values=True,
        show_x_labels=False,  # each bar's value is printed on it: no value axis needed
        value_formatter=short_vnd if money else whole,
        height=max(160, 60 + 36 * len(items)),
        **{k: v for k, v in COMMON.items() if k not in ("height", "print_values")},
    )
    ordered = list(reversed(items))  # pygal draws the first value at the bottom
    chart.x_labels = [_clip(label) for label, _value in ordered]
    chart.add(title, [value for _label, value in ordered])
    shown = format_vnd if money else whole
    return Chart(_svg(chart), [(label, shown(value)) for label, value in items])


class ChartCache:
    """A small in-process cache: a drawn set of charts is reused while the data's version is
    the same and for at most `ttl` seconds. Each worker process keeps its own."""

    def __init__(self, size: int = 16):
        self._entries: dict[tuple, tuple[float, object]] = {}
        self._size = size
        self._lock = Lock()

    def get_or_draw(self, key: tuple, ttl: float, draw):
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = draw()
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.pop(min(self._entries, key=lambda k: self._entries[k][0]))
            self._entries[key] = (now + ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


cache = ChartCache()
