"""A score out of 100 is written "/100" in the charts, a share "%" (the cohort dashboard said "37 %" for a score)."""
from cohorts.charts import PairedBar, diagnostic_chart, paired_bars


def test_the_diagnostic_chart_writes_scores_out_of_100():
    html = str(diagnostic_chart(at_joining=37, now=52))
    assert "37/100" in html and "52/100" in html
    assert "37 %" not in html and "52 %" not in html


def test_paired_bars_keep_percent_for_shares():
    html = str(paired_bars([PairedBar(label="Q1", first=40, second=75)], first_label="A", second_label="B",
                           chart_id="t", title="t"))
    assert "40 %" in html and "75 %" in html
