from diagnosis.reports.charts import Series, bar_svg, radar_svg


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
