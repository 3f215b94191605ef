"""AppTest of the Proposals page: list and filter, redline, non-attributed comments,
position counts, actions by role."""

from __future__ import annotations

from shapely.geometry import box

from tests.ui.apptest_support import page_test, texts

GROUP = "marine-scientific-research"


def _proposal(store, author="ana"):
    user = store.users.find(author)
    p = store.proposals.create(user, group=GROUP, kind="joint-survey", title="Plankton survey",
                               text="Joint survey of reefs.", geometry=box(114, 9.5, 115, 10.5),
                               attributes={"title": "Plankton survey"})
    store.proposals.save_version(user, p.id, base_version=1, title="Plankton survey",
                                 text="Joint survey of seagrass beds.",
                                 geometry=box(114, 9.5, 115.5, 10.5),
                                 attributes={"title": "Plankton survey"})
    return p


def _as(at, store, name):
    at.session_state["user"] = store.users.authenticate(name, f"{name}-password-1234")
    return at


def test_signed_out_reader_is_asked_to_sign_in(app_env):
    at = page_test("proposals").run()
    assert "Sign in to see the proposals" in texts(at)


def test_list_filter_and_redline(app_env, store):
    _proposal(store)
    at = _as(page_test("proposals"), store, "chen").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["Title"]) == ["Plankton survey"] and list(table["Version"]) == [2]
    redline = next(m.value for m in at.markdown if "<del" in m.value)
    assert '<del style="color:#b3261e;text-decoration:line-through">reefs </del>' in redline
    assert ('<ins style="color:#0b57d0;text-decoration:underline;text-decoration-thickness:2px">'
            'seagrass beds</ins>') in redline
    # 0.5° × 1° at 10°N (geodesic), in km² and nm²
    assert "Area added: 6,063.4 km² (1,767.8 nm²)" in texts(at)
    at.selectbox(key="proposals_status").set_value("recommended").run()
    assert "No proposal matches these filters." in texts(at)


def test_comment_is_shown_without_attribution(app_env, store):
    p = _proposal(store)
    at = _as(page_test("proposals"), store, "chen").run()
    at.text_area(key=f"comment_body_{p.id}").input("Could the area avoid the shipping lane?")
    at.button(key=f"comment_post_{p.id}").click().run()
    assert not at.exception, at.exception
    assert at.text_area(key=f"comment_body_{p.id}").value == ""  # no double posting
    # ana reads it: the body, the version, the date — nobody's name
    at2 = _as(page_test("proposals"), store, "ana").run()
    page = texts(at2) + "\n".join(str(t.value) for t in at2.text)
    assert "Could the area avoid the shipping lane?" in page
    assert "Chen" not in page and "chen" not in page


def test_positions_are_counted_not_named(app_env, store):
    p = _proposal(store)
    at = _as(page_test("proposals"), store, "chen").run()
    at.radio(key=f"stance_{p.id}").set_value("have-concerns").run()
    at.button(key=f"stance_save_{p.id}").click().run()
    table = next(d.value for d in at.dataframe if "Position" in d.value.columns)
    counts = table.set_index("Position")["Version 2"].to_dict()
    assert counts == {"can live with it": 0, "have concerns": 1, "object": 0, "abstain": 0}
    assert "1 of 3 participants have given a position." in texts(at)


def test_only_facilitators_see_status_actions(app_env, store):
    p = _proposal(store)
    at = _as(page_test("proposals"), store, "chen").run()
    assert not [b for b in at.button if b.key == f"status_{p.id}_circulated"]
    at = _as(page_test("proposals"), store, "binh").run()
    at.button(key=f"status_{p.id}_circulated").click().run()
    binh = store.users.find("binh")
    assert store.proposals.get(binh, p.id).status == "draft"  # not before confirming
    assert "Mark proposal P-1 as circulated (it is draft now)?" in texts(at)
    at.button(key=f"status_cancel_{p.id}").click().run()
    assert store.proposals.get(binh, p.id).status == "draft"
    at.button(key=f"status_{p.id}_circulated").click().run()
    at.button(key=f"status_confirm_{p.id}").click().run()
    assert not at.exception, at.exception
    assert store.proposals.get(binh, p.id).status == "circulated"


def test_edit_loads_the_latest_version_into_the_draft(app_env, store):
    p = _proposal(store)
    at = _as(page_test("proposals"), store, "ana").run()
    at.button(key=f"edit_{p.id}").click().run()
    doc = at.session_state["draft_doc"]
    assert doc.text == "Joint survey of seagrass beds."
    assert (doc.proposal_id, doc.base_version) == (p.id, 2)
    assert doc.geometry_kind == "area"
    # kept for ana as a draft: it is there on the Draft page, even after a refresh
    ana = store.users.find("ana")
    assert [d.draft.proposal_id for d in store.drafts.list(ana)] == [p.id]


def test_titles_are_shown_literally_never_as_markdown(app_env, store):
    from marine.ui.state import md

    title = "![x](http://example.com/x.png) **bold** :red[x]"
    ana = store.users.find("ana")
    store.proposals.create(ana, group=GROUP, kind="joint-survey", title=title, text="x",
                           geometry=box(114, 9.5, 115, 10.5))
    at = _as(page_test("proposals"), store, "ana").run()
    header = at.header[0].value
    assert header == f"P-1 · {md(title)}"
    assert "](http" not in header and "**" not in header and ":red[" not in header
    assert md("a_b*c") == "a\\_b\\*c"
