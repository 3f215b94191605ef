"""AppTest of the Draft page: draw (through the map adapter), type positions, live lint,
overlap report, save, and a save conflict that keeps the drafter's text."""

from __future__ import annotations

import datetime as dt

from marine.ui.mapview import use_adapter
from tests.doubles import RecordingAdapter
from tests.ui.apptest_support import page_test, texts

# A drawn polygon in the South China Sea (GeoJSON as streamlit-folium returns it).
DRAWN = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
    [[114.0, 9.5], [115.0, 9.5], [115.0, 10.5], [114.0, 10.5], [114.0, 9.5]]]}}


def _fill_form(at, title="Joint plankton survey"):
    tid = at.selectbox(key="draft_template").value
    at.text_input(key="draft_field:title").input(title)
    at.text_area(key="draft_field:summary").input("Two research vessels sample plankton.")
    at.text_input(key="draft_field:participants").input("Institutes A and B")
    at.checkbox(key="draft_field:without_prejudice").check()
    at.selectbox(key="draft_field:survey_type").select_index(0)
    return tid


def _doc(at):
    return at.session_state["draft_doc"]


def test_drawing_gives_the_overlap_report(app_env):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})) as adapter:
        at = page_test("draft").run()
    assert not at.exception, at.exception
    assert _doc(at).geometry_kind == "area"
    assert _doc(at).geometry_source == "drawn"
    assert "Overlap report" in texts(at)
    headline = next(m.value for m in at.markdown if "marine-headline" in m.value)
    assert "12,127 km² · 3,536 nm²" in headline  # 1°×1° at 9.5–10.5°N, geodesic
    assert "_km2" not in texts(at) and "{" not in headline.split("</style>")[1]
    assert "all_drawings" in adapter.calls[-1]["returned_objects"]
    assert "Spratly Islands" in str(at.dataframe[-1].value.iloc[:, 0].tolist())  # place inside


def test_the_report_writes_figures_as_its_reader_does(app_env):
    from marine.i18n import translate

    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = page_test("draft")
        at.session_state["lang"] = "vi"
        at.run()
    assert not at.exception, at.exception
    headline = next(m.value for m in at.markdown if "marine-headline" in m.value)
    assert translate("present.area", "vi") in headline
    assert "12.127 km²" in headline  # Vietnamese groups thousands with a dot


def test_map_stays_the_same_across_reruns(app_env):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})) as adapter:
        at = page_test("draft").run()
        at.text_area(key="draft_text").input("A joint survey.").run()
    from marine.webmap import map_html

    first, last = adapter.calls[0]["map"], adapter.calls[-1]["map"]
    assert len(adapter.calls) >= 2
    strip = lambda html: __import__("re").sub(r"_[0-9a-f]{32}", "", html)  # noqa: E731
    assert strip(map_html(first)) == strip(map_html(last))  # no remount: drawings survive
    assert _doc(at).geometry_kind == "area"


def test_typed_positions_and_bad_positions_keep_the_draft(app_env):
    at = page_test("draft").run()
    assert "No geometry yet" in texts(at)
    at.radio(key="draft_typed_kind").set_value("area")
    at.text_area(key="draft_coordinates").input("9°30′N 114°E\n9°30′N 115°E\n10°30′N 115°E")
    at.button(key="draft_use_coordinates").click().run()
    assert not at.exception, at.exception
    assert _doc(at).geometry_source == "typed"
    assert "Overlap report" in texts(at)
    before = _doc(at).geometry
    at.text_area(key="draft_coordinates").input("95N 114E\n9N 115E\n10N 115E")
    at.button(key="draft_use_coordinates").click().run()
    assert "The positions could not be used: line 1" in texts(at)
    assert _doc(at).geometry == before  # unchanged, and the report says it is the old one
    assert "This report is for the previous geometry" in texts(at)


def test_swapped_positions_offer_the_corrected_reading(app_env):
    at = page_test("draft").run()
    at.radio(key="draft_typed_kind").set_value("area")
    at.text_area(key="draft_coordinates").input("114, 9.5\n115, 9.5\n115, 10.5")
    at.button(key="draft_use_coordinates").click().run()
    assert "look swapped" in texts(at) and at.code[-1].value.startswith("9.5, 114\n")
    assert _doc(at).geometry is None
    at.button(key="draft_use_corrected").click().run()
    assert not at.exception, at.exception
    assert _doc(at).geometry_source == "typed"
    assert at.text_area(key="draft_coordinates").value.startswith("9.5, 114")
    assert "Overlap report" in texts(at) and "previous geometry" not in texts(at)


def test_loaded_wording_is_pointed_out_live(app_env):
    at = page_test("draft").run()
    at.text_area(key="draft_text").input("A survey in our waters.").run()
    warnings = [w.value for w in at.warning]
    assert any("our waters" in w for w in warnings), warnings
    at.text_area(key="draft_text").input("A joint survey of plankton.").run()
    assert "No loaded wording found." in texts(at)


def test_save_needs_sign_in_then_saves_version_1(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = page_test("draft").run()
        assert "Sign in to save this draft" in texts(at)
        at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
        at.run()
        tid = _fill_form(at)
        at.text_area(key="draft_text").input("A joint plankton survey.")
        at.button(key="draft_save_new").click().run()
    assert not at.exception, at.exception
    assert "Saved: proposal 1, version 1." in texts(at)
    assert "P-1" in texts(at) and "based on version 1" in texts(at)  # the header, updated
    ana = store.users.find("ana")
    saved = store.proposals.get(ana, 1)
    assert saved.summary.kind == tid and saved.latest.text == "A joint plankton survey."
    assert saved.latest.geometry.bounds == (114.0, 9.5, 115.0, 10.5)
    assert saved.latest.report["measures"]["kind"] == "area"


def test_conflict_shows_both_versions_and_keeps_my_text(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = page_test("draft")
        at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
        at.run()
        _fill_form(at)
        at.text_area(key="draft_text").input("First text.")
        at.button(key="draft_save_new").click().run()
        binh = store.users.authenticate("binh", "binh-password-1234")
        latest = store.proposals.get(binh, 1).latest
        store.proposals.save_version(binh, 1, base_version=1, title=latest.title,
                                     text="Binh's wording.", geometry=latest.geometry,
                                     attributes=latest.attributes)
        at.text_area(key="draft_text").input("My second text.")
        at.button(key="draft_save_version").click().run()
        assert not at.exception, at.exception
        assert "changed while you were editing" in texts(at)
        assert at.text_area(key="draft_conflict_theirs").value == "Binh's wording."
        assert at.text_area(key="draft_text").value == "My second text."  # never lost
        at.button(key="draft_merge").click().run()
        at.text_area(key="draft_text").input("My second text, with Binh's wording.")
        at.button(key="draft_save_version").click().run()
    assert "Saved: proposal 1, version 3." in texts(at)
    assert [v.number for v in store.proposals.versions(binh, 1)] == [1, 2, 3]


def test_dates_in_the_form_are_saved(app_env, store):
    with use_adapter(RecordingAdapter({"all_drawings": [DRAWN]})):
        at = page_test("draft")
        at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
        at.run()
        _fill_form(at)
        at.date_input(key="draft_field:start_date").set_value(dt.date(2027, 3, 1))
        at.button(key="draft_save_new").click().run()
    ana = store.users.find("ana")
    assert store.proposals.get(ana, 1).latest.attributes["start_date"] == "2027-03-01"


def test_text_survives_a_visit_to_another_page(app_env):
    at = page_test("draft").run()
    at.text_area(key="draft_text").input("Kept while I look at the map.").run()
    doc = _doc(at)
    # Back from another page: Streamlit has dropped the widget's state, the draft remains
    again = page_test("draft")
    again.session_state["draft_doc"] = doc
    again.run()
    assert again.text_area(key="draft_text").value == "Kept while I look at the map."
