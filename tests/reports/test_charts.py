import re

from diagnosis.reports.charts import (
    TEXT_SIZE,
    Band,
    Label,
    QuartileSeries,
    Series,
    bar_svg,
    quartile_svg,
    radar_svg,
    text_width,
    wrap,
)


def test_it_escapes_labels_in_the_radar():
    svg = radar_svg(["<script>x</script>", "b", "c"], [Series("s", (1, 2, 3))])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_it_draws_one_polygon_per_series_plus_the_grid():
    svg = radar_svg(["a", "b", "c", "d"], [Series("now", (10, 20, 30, 40)), Series("t", (50,) * 4)])
    assert svg.count("<polygon") == 5 + 2


def test_it_clamps_values_outside_0_to_100_in_bars():
    svg = bar_svg(["a"], [Series("s", (250,))])
    assert 'width="400.0"' in svg  # the full bar area, not more


def test_it_skips_missing_values_in_bars():
    svg = bar_svg(["a", "b"], [Series("s", (None, 50))])
    assert svg.count("<rect") == 1


def test_it_uses_no_inline_style_or_script():
    svg = radar_svg(["a", "b", "c"], [Series("s", (1, 2, 3))]) + bar_svg(["a"], [Series("s", (5,))])
    assert "style=" not in svg and "<script" not in svg


LONG = [
    "Strategy and organisation",
    "Talent and skills",
    "Equipment digitalisation and automation",
    "Networks, cloud and industrial-internet platforms",
    "Production operations",
    "Supply chain and collaboration",
    "Data and intelligence",
    "Cybersecurity and safe production",
    "Green and energy management",
    "Business outcomes",
]


def view_box(svg: str) -> tuple[float, float, float, float]:
    found = re.search(r'viewBox="([^"]+)"', svg)
    assert found is not None
    left, top, width, height = map(float, found.group(1).split())
    return left, top, left + width, top + height


def test_it_wraps_long_names_without_losing_a_word():
    lines = wrap("Networks, cloud and industrial-internet platforms")
    assert len(lines) > 1
    assert " ".join(lines) == "Networks, cloud and industrial-internet platforms"
    assert all(text_width(line) <= 10 * TEXT_SIZE for line in lines if " " in line)
    assert (
        "".join(wrap("网络、云与工业互联网平台和一个更长的名字"))
        == "网络、云与工业互联网平台和一个更长的名字"
    )


def test_it_keeps_every_label_inside_the_drawing():
    for svg in (
        radar_svg(LONG, [Series("s", (50,) * 10)]),
        bar_svg(LONG, [Series("s", (50,) * 10)]),
    ):
        left, top, right, bottom = view_box(svg)
        for anchor, x, y, text in _lines(svg):
            width = text_width(text)
            start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            assert left <= start and start + width <= right, text
            assert top <= y - TEXT_SIZE and y <= bottom, text


def _lines(svg: str) -> list[tuple[str, float, float, str]]:
    found = []
    for anchor, spans in re.findall(r'<text text-anchor="(\w+)"[^>]*>(.*?)</text>', svg):
        for x, y, text in re.findall(r'<tspan x="([-\d.]+)" y="([-\d.]+)">([^<]*)</tspan>', spans):
            found.append((anchor, float(x), float(y), text))
    return found


def test_it_writes_every_text_at_the_small_text_size():
    svg = radar_svg(LONG, [Series("s", (50,) * 10)]) + bar_svg(LONG, [Series("s", (50,) * 10)])
    assert re.findall(r'font-size="(\d+)"', svg) == [str(TEXT_SIZE), str(TEXT_SIZE)]


def test_it_names_a_chart_for_screen_readers():
    svg = bar_svg(["a"], [Series("s", (5,))], label=Label("Levels <all>", "Level 0: 3 firms"))
    assert re.search(r'<svg[^>]*aria-labelledby="(chart-\w+)-title"', svg)
    assert "<title id=" in svg and "Levels &lt;all&gt;" in svg
    assert '<desc id="' in svg and "Level 0: 3 firms" in svg


def test_it_draws_a_box_per_quartile_range_and_skips_missing_ones():
    svg = quartile_svg(
        ["a", "b"],
        [
            QuartileSeries("city", ((20, 30, 40), None)),
            QuartileSeries("seg", ((0, 50, 100), (1, 2, 3))),
        ],
        label=Label("Quartiles"),
    )
    assert svg.count("<rect") == 3
    assert "style=" not in svg and "<script" not in svg
    assert "city: 20.0 – 30.0 – 40.0" in svg


def test_it_draws_the_peers_band_behind_the_series_with_a_hole_for_the_lowest_quarter():
    band = Band("<b>peers</b>", "median", (20,) * 4, (40,) * 4, (60,) * 4)
    svg = radar_svg(["a", "b", "c", "d"], [Series("now", (10, 20, 30, 40))], band=band)
    path = re.search(r'<path d="([^"]+)"[^>]*fill-rule="evenodd"', svg)
    assert path and path.group(1).count("M") == 2  # the p75 ring, the p25 ring as a hole
    assert svg.index('fill-rule="evenodd"') < svg.index("<title>now</title>")
    assert svg.count("<polygon") == 5 + 1 + 1  # grid, median, the series
    assert "&lt;b&gt;peers&lt;/b&gt;" in svg and "<b>" not in svg
    assert "<rect" in svg  # the band's legend swatch
