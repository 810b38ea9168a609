"""Charts as SVG drawn on the server: no script, no CDN, sharp at any size, readable on a phone.

Each drawing has a `viewBox` and no fixed size (CSS makes it as wide as the page), `role="img"` and
`aria-labelledby` its title and description; the data table under it is the accessible alternative. Every text
that came from the YAML or the database (labels, colours) goes through `markupsafe` escaping.
"""
from __future__ import annotations

from markupsafe import Markup

from .charts import ChartView, Group

WIDTH = 360  # a phone's width in CSS pixels: text drawn at 13 is read at about 13 there
ROW = 40  # one bar: its label above, the bar below
LABEL_SIZE = 13
BAR_HEIGHT = 14
COUNT_ROOM = 64  # space right of the longest bar for its number
TEXT_COLOR = "#222"
LINE_HEIGHT = 200
LINE_LEFT, LINE_BOTTOM, LINE_TOP = 40, 34, 16


def render_chart(view: ChartView) -> Markup:
    """The chart's SVG; an empty chart says so in words instead."""
    if not view.groups or view.total == 0:
        return Markup("")
    if view.kind == "line":
        return _svg(view, LINE_HEIGHT, _line_body(view))
    if view.kind == "share":
        return _svg(view, len(view.groups) * ROW + 8, _share_body(view))
    return _svg(view, len(view.groups) * ROW + 8, _bar_body(view))


def _svg(view: ChartView, height: int, body: Markup) -> Markup:
    head = Markup(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-size="{size}" fill="{text}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
    ).format(w=WIDTH, h=height, id=view.id, size=LABEL_SIZE, text=TEXT_COLOR, title=view.title, desc=_description(view))
    return head + body + Markup("</svg>")


def _description(view: ChartView) -> str:
    """What a screen reader hears after the title: the largest group, in plain words (the table has the rest)."""
    largest = max(view.groups, key=lambda g: g.count)
    if view.kind == "share":
        return "; ".join(f"{g.label}: {g.part}/{g.count} ({g.percent:.0f}%)" for g in view.groups[:3])
    return f"{largest.label}: {largest.count}"


def _bar_body(view: ChartView) -> Markup:
    scale = (WIDTH - COUNT_ROOM) / max(view.largest, 1)
    parts = [_bar_row(index, group, group.count * scale, str(group.count)) for index, group in enumerate(view.groups)]
    return Markup("").join(parts)


def _bar_row(index: int, group: Group, width: float, number: str) -> Markup:
    top = index * ROW
    return Markup(
        '<text x="0" y="{ty}">{label}</text>'
        '<rect x="0" y="{by}" width="{bw:.1f}" height="{bh}" fill="{color}" rx="2"/>'
        '<text x="{nx:.1f}" y="{ny}">{number}</text>'
    ).format(ty=top + 14, label=_short(group.label), by=top + 20, bw=max(width, 1.0), bh=BAR_HEIGHT,
             color=group.color, nx=max(width, 1.0) + 6, ny=top + 32, number=number)


def _share_body(view: ChartView) -> Markup:
    """Per group: the part as a coloured bar on a grey bar of the whole, with its percentage."""
    room = WIDTH - COUNT_ROOM
    rows = []
    for index, group in enumerate(view.groups):
        top = index * ROW
        rows.append(Markup(
            '<text x="0" y="{ty}">{label}</text>'
            '<rect x="0" y="{by}" width="{full}" height="{bh}" fill="#e4e4e4" rx="2"/>'
            '<rect x="0" y="{by}" width="{pw:.1f}" height="{bh}" fill="{color}" rx="2"/>'
            '<text x="{nx}" y="{ny}">{percent:.0f}%</text>'
        ).format(ty=top + 14, label=_short(group.label), by=top + 20, full=room, bh=BAR_HEIGHT,
                 pw=room * group.percent / 100, color="#009E73", nx=room + 6, ny=top + 32, percent=group.percent))
    return Markup("").join(rows)


def _line_body(view: ChartView) -> Markup:
    """Counts over time: a line through each period, the axis from 0 to the largest count, a few dates below."""
    top_value = max(view.largest, 1)
    plot_w, plot_h = WIDTH - LINE_LEFT - 8, LINE_HEIGHT - LINE_BOTTOM - LINE_TOP
    step = plot_w / max(len(view.groups) - 1, 1)
    points = [(LINE_LEFT + i * step, LINE_TOP + plot_h * (1 - g.count / top_value)) for i, g in enumerate(view.groups)]
    baseline = LINE_TOP + plot_h
    parts = [Markup(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{base}" stroke="#767676"/>'
        '<line x1="{x}" y1="{base}" x2="{right}" y2="{base}" stroke="#767676"/>'
        '<text x="{lx}" y="{ty}" text-anchor="end">{top_value}</text><text x="{lx}" y="{by}" text-anchor="end">0</text>'
    ).format(x=LINE_LEFT, top=LINE_TOP, base=baseline, right=WIDTH - 8, lx=LINE_LEFT - 4, ty=LINE_TOP + 5,
             top_value=top_value, by=baseline)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(Markup('<polyline points="{p}" fill="none" stroke="#0072B2" stroke-width="2.5"/>').format(p=path))
    if len(points) <= 40:
        parts += [Markup('<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0072B2"/>').format(x=x, y=y) for x, y in points]
    parts += [_date_tick(view.groups[i].label, points[i][0], baseline, i, len(points)) for i in _tick_indexes(len(points))]
    return Markup("").join(parts)


def _tick_indexes(count: int) -> list[int]:
    """The first, the middle and the last period: three dates fit under a phone-wide chart."""
    return sorted({0, count // 2, count - 1}) if count > 2 else list(range(count))


def _date_tick(label: str, x: float, baseline: float, index: int, count: int) -> Markup:
    anchor = "start" if index == 0 else "end" if index == count - 1 else "middle"
    return Markup('<text x="{x:.1f}" y="{y}" text-anchor="{a}" font-size="11">{label}</text>').format(
        x=x, y=baseline + 18, a=anchor, label=label)


def _short(label: str, limit: int = 28) -> str:
    """A label that fits one line of the chart; the data table shows it whole."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
