"""After a refused computation the page stays consistent (issue: "after an error the page
lies about itself"): the plots are marked as the previous settings and named, the link
stays on the setup they show, and switching language re-labels everything, the error text
and the figure titles included."""

from ntklab.app import InitDashboard, SpectrumDashboard


def test_a_refused_setting_keeps_link_marks_plots_and_translates():
    dash = InitDashboard(threaded=False, query="depth=2&m=128")
    assert dash.error is None
    link = dash.link_html.value
    assert "depth=2" in link and "m=128" in link
    assert dash.stale_html.layout.display == "none"

    dash.set(m=362)  # four depth-2 nets of width 362: over the work budget, refused
    assert dash.error is not None and "would take" in dash.error
    assert "m=362" not in dash.link_html.value and "m=128" in dash.link_html.value
    assert dash.stale_html.layout.display == "block"
    assert "width m = 128" in dash.stale_html.value  # names the settings shown
    assert "ntklab-stale" in dash.plots_box._dom_classes
    assert dash.drawn_values["m"] == 128

    dash.set(lang="zh")  # still refused: everything re-labelled, figures redrawn in Chinese
    assert dash.error is not None
    status = dash.status_html.value
    assert "无法更新" in status and "would take" not in status and "秒" in status
    assert "宽度 m = 128" in dash.stale_html.value
    assert "网络" in dash.figure_widgets["trained"].layout.title.text
    assert "看点" in dash.caption_html["trained"].value
    assert "lang=zh" in dash.link_html.value

    dash.set(m=128, lang="en")  # valid again: the mark goes, the link follows
    assert dash.error is None and dash.stale_html.layout.display == "none"
    assert "ntklab-stale" not in dash.plots_box._dom_classes


def test_an_out_of_range_value_is_translated_too():
    dash = SpectrumDashboard(threaded=False, query="n=100")

    def out_of_range():  # a widget that would let through what the bounds refuse
        return {**type(dash).values(dash), "n": dash.params["n"].validate(10**6)}

    dash.values = out_of_range
    dash.refresh()
    assert dash.error is not None and "n must be an integer" in dash.error
    dash.set(lang="zh")
    assert "n 必须是" in dash.status_html.value
    assert "n=100" in dash.link_html.value
