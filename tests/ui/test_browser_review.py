"""Reviewing and deciding in Debian's Chromium, on a seeded workspace: the whole proposal, the
redline (two words where one replaced another), comments without authors for members, a
facilitator who sees authors, hides one with a reason and finds it in the exported audit log.
Screenshots at 1280×720 and 1920×1080 under test-artifacts/ui/."""

from __future__ import annotations

import csv
import io

import pytest
from shapely.geometry import box

from tests.ui.test_browser import RequestLog, nav, sign_in, t, wait_for_app, wait_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GROUP = "marine-scientific-research"
SIZES = ((1280, 720), (1920, 1080))
FORM = {"title": "Reef survey", "summary": "A joint reef survey.", "participants": "A, B",
        "without_prejudice": True, "survey_type": "oceanography"}


@pytest.fixture(scope="module")
def seeded(app_database):
    """A proposal of ana's in two versions (title, a field, the text and the area changed), a
    comment by chen, and dara, a member of another group."""
    from marine.store import SYSTEM, Store

    store = Store.open(app_database)
    try:
        ana = store.users.find("ana")
        p = store.proposals.create(ana, group=GROUP, kind="joint-survey", title="Reef survey",
                                   text="A survey of our waters.", geometry=box(114, 9.5, 115, 10.5),
                                   attributes=FORM)
        store.proposals.save_version(
            ana, p.id, base_version=1, title="Reef and seagrass survey",
            text="A survey of the waters.", geometry=box(114, 9.5, 115.5, 10.5),
            attributes=FORM | {"title": "Reef and seagrass survey", "survey_type": "geology"})
        comment = store.comments.add(store.users.find("chen"), p.id, 2, "Please include the shoals.")
        if store.users.find("dara") is None:
            dara = store.users.create(SYSTEM, "dara", "Dara", password="dara-password-1234")
            store.groups.add_member(SYSTEM, "legal-matters", dara.id, "member")
        return p.id, comment.id
    finally:
        store.close()


def open_proposal(page, pid: int) -> None:
    nav(page, "nav.proposals")
    page.get_by_label(t("proposals.open"), exact=True).click()
    page.get_by_role("option", name=f"P-{pid} · Reef and seagrass survey", exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name=f"P-{pid} · Reef and seagrass survey").wait_for(timeout=60_000)


def follow_link(page, path: str) -> None:
    """Open a link inside the signed-in session, as the browser's back and forward do
    (a reload would start a new, signed-out session)."""
    page.evaluate("p => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
                  path)
    wait_for_app(page)


def tab(page, key: str) -> None:
    page.get_by_role("tab", name=t(key)).click()
    page.wait_for_timeout(500)


def shots(page, name: str, artifacts, top=None) -> None:
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1200)  # maps and tables redraw
        if top is not None:  # what the shot is about, at the top of the window
            top.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(400)
        page.screenshot(path=str(artifacts / f"{name}-{width}x{height}.png"))


def test_review_a_proposal_and_moderate_it(page, app_url, seeded, artifacts):
    try:
        review_walk(page, app_url, seeded, artifacts)
    except Exception:
        page.screenshot(path=str(artifacts / "review-failure.png"), full_page=True)
        raise


def review_walk(page, app_url, seeded, artifacts):
    pid, comment_id = seeded
    log = RequestLog(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    # the link, signed out: what to do is said, nothing of the proposal is shown
    page.goto(f"{app_url}/proposals?proposal={pid}")
    wait_for_app(page)
    wait_text(page, t("review.sign_in_to_open", id=pid))

    sign_in(page, "ana")  # a member: the whole proposal, no author anywhere
    open_proposal(page, pid)
    assert f"proposal={pid}" in page.url  # the address follows what is open
    wait_text(page, "A survey of the waters")
    heading = page.get_by_role("heading", name=f"P-{pid} · Reef and seagrass survey")
    shots(page, "proposal-page", artifacts, heading)
    tab(page, "review.tab.changes")
    old, new = page.locator("del", has_text="our"), page.locator("ins", has_text="the")
    assert old.first.inner_text().strip() == "our" and new.first.inner_text() == "the"
    text_block = page.locator("[data-testid='stMarkdown']", has=old.first).first
    assert "our the waters" in text_block.inner_text()  # two words, not "ourthe"
    assert page.locator("ins", has_text="and seagrass").count() == 1  # the title
    assert page.locator("del", has_text="Oceanography").count() == 1  # a field
    assert page.locator("ins", has_text="Geology").count() == 1
    shots(page, "proposal-redline", artifacts, page.get_by_role("tab", name=t("review.tab.changes")))
    tab(page, "review.tab.discussion")
    wait_text(page, "Please include the shoals.")
    html = page.content()
    assert "Chen" not in html and "chen" not in html

    sign_in(page, "binh")  # the facilitator: sees who, hides with a reason
    open_proposal(page, pid)
    tab(page, "review.tab.discussion")
    wait_text(page, t("review.by", name="Chen"))
    page.get_by_text(t("review.hide"), exact=True).first.click()
    page.get_by_label(t("review.reason"), exact=True).fill("off topic")
    page.get_by_label(t("review.reason"), exact=True).press("Enter")
    page.get_by_role("button", name=t("review.hide"), exact=True).click()
    wait_text(page, t("review.hidden_note", reason="off topic"))
    shots(page, "proposal-moderation", artifacts,
          page.get_by_role("tab", name=t("review.tab.discussion")))
    nav(page, "nav.audit")
    page.get_by_role("button", name=t("audit.export")).wait_for(timeout=60_000)
    shots(page, "audit-page", artifacts)
    with page.expect_download() as info:
        page.get_by_role("button", name=t("audit.export")).click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text("utf-8-sig"))))
    hidden = [r for r in rows if r["Action"] == t("audit.action.comment.hide")]
    assert [(r["Who"], r["Proposal"], r["Details"]) for r in hidden] == [
        ("Binh", f"P-{pid}", f"Comment: #{comment_id}; Reason: off topic")]

    sign_in(page, "dara")  # a member of another group, following the link
    follow_link(page, f"/proposals?proposal={pid}")
    wait_text(page, t("review.refused", id=pid))
    assert page.get_by_role("heading", name=f"P-{pid} · Reef and seagrass survey").count() == 0

    sign_in(page, "ana")  # members no longer see it
    open_proposal(page, pid)
    tab(page, "review.tab.discussion")
    wait_text(page, t("proposals.comments"))
    assert "Please include the shoals." not in page.locator("[data-testid='stMain']").inner_text()
    assert log.external() == [], log.external()
    assert log.dialogs == []
