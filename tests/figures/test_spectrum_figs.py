"""The zero-crossings plot explains what it draws: the rule i − 1 drawn over the counts (it was
hidden under them where they follow it) and a legend entry for every trace, the circles
included (they were unnamed)."""

import numpy as np
import pytest

from ntklab.figures import style
from ntklab.figures.spectrum import zero_crossings_fig


@pytest.mark.parametrize("widgets", [False, True])
def test_zero_crossings_rule_on_top_and_every_trace_in_the_legend(widgets):
    crossings = np.array([0, 1, 2, 3, 4, 5, 7, 6])
    if widgets:
        with style.for_widgets():  # how the dashboard builds it
            fig = zero_crossings_fig(crossings, highlight=(1, 3, 20))
    else:
        fig = zero_crossings_fig(crossings, highlight=(1, 3, 20))
    rule, count, shown = fig.data
    assert list(count.y) == list(crossings)
    # the rule i − 1, drawn over the counts (a higher zorder), dashed and dark
    assert list(rule.x) == list(range(1, 9)) and list(rule.y) == list(range(8))
    assert rule.mode == "lines" and rule.line.dash == "dash" and rule.line.width >= 2
    assert rule.line.color != count.line.color and rule.line.color != count.marker.color
    assert (count.zorder or 0) < rule.zorder < shown.zorder
    assert list(shown.x) == [1, 3] and list(shown.y) == [0, 2]  # 20 > k: not circled
    names = [t.name for t in fig.data]
    assert names == ["i − 1", "crossings", "v_i shown"]
    assert all(t.showlegend is not False for t in fig.data)


def test_zero_crossings_labels_name_the_traces():
    fig = zero_crossings_fig(np.arange(5), highlight=(2,),
                             labels={"count": "过零次数", "shown": "所显示的 v_i"})
    assert [t.name for t in fig.data] == ["i − 1", "过零次数", "所显示的 v_i"]


def test_spectrum_dashboard_names_the_circles_in_its_language():
    from ntklab.app import SpectrumDashboard
    from ntklab.app.strings import tr

    dash = SpectrumDashboard(threaded=False, query="n=100&vecs=1,2")
    names = [t.name for t in dash.figure_widgets["crossings"].data]
    assert names[2] == tr("spectrum.crossings.shown", "en") and "i − 1" in names
    dash.set(lang="zh")
    names = [t.name for t in dash.figure_widgets["crossings"].data]
    assert names[2] == tr("spectrum.crossings.shown", "zh") == "所显示的 v_i"
