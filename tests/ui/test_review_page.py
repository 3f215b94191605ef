"""AppTest of reviewing and deciding on a seeded workspace: the link of a proposal, the whole
proposal in the reader's language, the redline of title and fields, replies, and the
facilitator's tools (authors, hiding with a reason, the audit log) — and that members never
see who wrote what."""

from __future__ import annotations

import re
from html import unescape

from shapely.geometry import box

from marine.store import SYSTEM
from tests.ui.apptest_support import page_test, texts

GROUP = "marine-scientific-research"
FORM = {"title": "Plankton survey", "summary": "A joint plankton survey.",
        "participants": "Institute A, Institute B", "without_prejudice": True,
        "survey_type": "oceanography", "vessels": 2}


def _proposal(store, author="ana"):
    user = store.users.find(author)
    p = store.proposals.create(user, group=GROUP, kind="joint-survey", title="Plankton survey",
                               text="The survey covers our waters.",
                               geometry=box(114, 9.5, 115, 10.5), attributes=FORM)
    store.proposals.save_version(
        user, p.id, base_version=1, title="Plankton and reef survey",
        text="The survey covers the waters.", geometry=box(114, 9.5, 115.5, 10.5),
        attributes=FORM | {"title": "Plankton and reef survey", "survey_type": "marine-biology"})
    return p


def _as(at, store, name, **params):
    at.session_state["user"] = store.users.authenticate(name, f"{name}-password-1234")
    for key, value in params.items():
        at.query_params[key] = str(value)
    return at


def page_dump(at) -> str:
    """Every element the page sent, as text (its protobuf), tables and widgets included."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def test_the_link_opens_the_proposal_and_its_version(app_env, store):
    p = _proposal(store)
    at = _as(page_test("proposals"), store, "chen", proposal=p.id).run()
    assert not at.exception, at.exception
    assert at.header[0].value.startswith(f"P-{p.id} · Plankton and reef survey")
    assert at.selectbox(key="proposal_selected").value == p.id
    assert any(c.value.endswith(f"/proposals?proposal={p.id}&version=2") for c in at.code)
    at = _as(page_test("proposals"), store, "chen", proposal=p.id, version=1).run()
    assert at.selectbox(key=f"shown_version_{p.id}").value == 1
    assert "You are reading version 1; the latest is version 2." in texts(at)
    assert any(c.value.endswith(f"proposals?proposal={p.id}&version=1") for c in at.code)


def test_the_link_gives_a_member_of_another_group_a_clear_refusal(app_env, store):
    p = _proposal(store)  # a draft: inside its group only
    dara = store.users.create(SYSTEM, "dara", "Dara", password="dara-password-1234")
    store.groups.add_member(SYSTEM, "legal-matters", dara.id, "member")
    at = _as(page_test("proposals"), store, "dara", proposal=p.id).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [f"You cannot open proposal P-{p.id}."]
    assert "visible only inside its working group" in texts(at)
    assert not at.header  # nothing of the proposal itself
    at = _as(page_test("proposals"), store, "dara", proposal="seven").run()
    assert "the link's proposal was 'seven' but must be a number" in at.error[0].value


def test_the_whole_proposal_reads_in_the_readers_language(app_env, store):
    p = _proposal(store)
    at = _as(page_test("proposals"), store, "chen", proposal=p.id)
    at.session_state["lang"] = "vi"
    at.run()
    assert not at.exception, at.exception
    form = next(d.value for d in at.dataframe if "Trường" in d.value.columns)
    shown = dict(zip(form["Trường"], form["Giá trị"], strict=True))
    assert shown["Loại khảo sát"] == "Sinh học biển"
    assert shown["Tóm tắt"] == "A joint plankton survey."
    assert shown["Điều khoản không phương hại"] == "Có"
    assert shown["Ngày bắt đầu"] == "(chưa điền)"
    assert "marine-biology" not in page_dump(at)
    page = texts(at)
    assert "Khảo sát khoa học chung · draft" not in page  # the status is translated too
    assert "phiên bản 2/2" in page and "The survey covers the waters\\." in page


def test_redline_shows_title_and_field_changes_word_by_word(app_env, store):
    _proposal(store)
    at = _as(page_test("proposals"), store, "chen").run()
    html = [m.value for m in at.markdown if m.proto.allow_html]
    assert any(">and reef </ins>" in h for h in html)  # the title
    assert any(">Oceanography </del><ins" in h and ">Marine biology</ins>" in h for h in html)
    assert "*Survey type*" in [m.value for m in at.markdown]
    text = next(h for h in html if "covers" in h)
    assert ">our </del><ins" in text and ">the</ins>" in text  # two words, not "ourthe"


def test_a_member_never_sees_who_wrote_a_comment(app_env, store):
    p = _proposal(store)
    chen, binh = store.users.find("chen"), store.users.find("binh")
    store.comments.add(chen, p.id, 2, "Could the area avoid the shipping lane?")
    store.comments.add(binh, p.id, 2, "Noted for the agenda.")
    at = _as(page_test("proposals"), store, "ana").run()
    assert not at.exception, at.exception
    dump = page_dump(at)
    assert "Could the area avoid the shipping lane?" in dump
    for name in ("Chen", "chen", "Binh", "binh"):
        assert name not in dump
    audit = _as(page_test("audit"), store, "ana").run()  # the log names people: not for her
    assert "The audit log is for facilitators" in audit.error[0].value
    assert not audit.dataframe


def test_the_pack_of_a_member_names_no_comment_author(app_env, store, tiny_catalogue):
    from marine.mappack.content import PackRequest
    from marine.mappack.from_store import content_from_store

    p = _proposal(store)
    store.comments.add(store.users.find("chen"), p.id, 2, "Please add the reef.")
    request = PackRequest(group=GROUP, proposal_ids=(str(p.id),), layer_ids=(),
                          title="Workshop", date="2026-12-03")
    content = content_from_store(store, request, tiny_catalogue, actor=store.users.find("ana"))
    shown = repr(content)
    assert "Please add the reef." in shown and "Chen" not in shown


def test_facilitator_sees_authors_hides_with_a_reason_and_the_audit_says_so(app_env, store):
    p = _proposal(store)
    comment = store.comments.add(store.users.find("chen"), p.id, 2, "Off-topic remark.")
    at = _as(page_test("proposals"), store, "binh").run()
    assert "by Chen" in texts(at)
    at.text_input(key=f"hide_reason_{comment.id}").input("off topic")
    at.button(key=f"hide_{comment.id}").click().run()
    assert not at.exception, at.exception
    assert "Hidden by a facilitator: off topic" in texts(at)
    member = _as(page_test("proposals"), store, "ana").run()
    assert "Off-topic remark." not in page_dump(member)
    log = _as(page_test("audit"), store, "binh").run()
    assert not log.exception, log.exception
    table = log.dataframe[0].value
    hidden = table[table["Action"] == "Comment hidden"]
    assert list(hidden["Who"]) == ["Binh"] and list(hidden["Proposal"]) == [f"P-{p.id}"]
    assert hidden["Details"].iloc[0] == f"Comment: #{comment.id}; Reason: off topic"
    log.selectbox(key="audit_person").set_value(store.users.find("chen").id).run()
    assert set(log.dataframe[0].value["Action"]) == {"Comment posted"}
    # showing it again: kept, with the reason, and members read it again
    at.text_input(key=f"hide_reason_{comment.id}").input("on topic after all")
    at.button(key=f"hide_{comment.id}").click().run()
    assert "Off-topic remark." in page_dump(_as(page_test("proposals"), store, "ana").run())


def test_audit_csv_is_what_the_table_shows(app_env, store):
    p = _proposal(store)
    binh = store.users.find("binh")
    comment = store.comments.add(store.users.find("chen"), p.id, 2, "=HYPERLINK(1)")
    store.comments.hide(binh, comment.id, "=cmd|' /C calc'!A0")
    at = _as(page_test("audit"), store, "binh").run()
    assert not at.exception, at.exception
    from marine.ui import audit

    csv_text = audit.as_csv(audit.rows(store.audit.entries(binh))).decode("utf-8-sig")
    header, *lines = csv_text.splitlines()
    assert header == "When (UTC),Who,Action,Proposal,Details"
    assert any("Comment hidden" in line and "'=cmd" not in line for line in lines)
    assert not any(line.split(",")[4].startswith("=") for line in lines if line.count(",") >= 4)


def test_replies_are_one_level_and_say_their_version(app_env, store):
    p = _proposal(store)
    first = store.comments.add(store.users.find("chen"), p.id, 1, "Why this box?")
    at = _as(page_test("proposals"), store, "ana").run()
    key = f"comment_body_{p.id}_{first.id}"
    at.text_area(key=key).input("It follows the survey lines.")
    at.button(key=f"comment_post_{p.id}_{first.id}").click().run()
    assert not at.exception, at.exception
    assert at.text_area(key=key).value == ""
    listed = store.comments.list(store.users.find("chen"), p.id)
    assert [(c.body, c.parent_id, c.version_number) for c in listed] == [
        ("Why this box?", None, 1), ("It follows the survey lines.", first.id, 2)]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("On version 1") and "an earlier version" in c for c in captions)
    assert not [b for b in at.button if b.key == f"comment_post_{p.id}_{listed[1].id}"]


def test_redline_between_two_proposals(app_env, store):
    p = _proposal(store)
    ana = store.users.find("ana")
    other = store.proposals.create(
        ana, group=GROUP, kind="turtle-seagrass-protection", title="Seagrass refuge",
        text="The survey covers the seagrass.", geometry=box(114.5, 9.5, 115.5, 10.5),
        attributes={"title": "Seagrass refuge", "habitat": "seagrass"})
    at = _as(page_test("proposals"), store, "chen", proposal=p.id).run()
    at.radio(key=f"redline_mode_{p.id}").set_value("proposal").run()
    at.selectbox(key="redline_other").set_value(other.id).run()
    assert not at.exception, at.exception
    html = [m.value for m in at.markdown if m.proto.allow_html]
    newer = [unescape(re.sub(r"<del[^>]*>.*?</del>|</?ins[^>]*>", "", h)) for h in html]
    assert "Seagrass refuge" in newer  # the other's title, as the redline's newer side
    assert any(">Seagrass bed</ins>" in h for h in html)  # its habitat, by its label
    assert "*Habitat*" in [m.value for m in at.markdown]
    assert "Area added: 0.0 km² (0.0 nm²) · area removed: 6,063.4 km² (1,767.8 nm²)" in texts(at)
