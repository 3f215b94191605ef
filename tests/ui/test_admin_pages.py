"""AppTest of sign-in that resists guessing, first passwords, one-time links, My account and
Administration (issue 17)."""

from __future__ import annotations

from marine.i18n import translate
from marine.store import SYSTEM
from tests.ui.apptest_support import page_test, texts

GROUP = "marine-scientific-research"


def _sign_in(at, username, password):
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button[0].click().run()
    return at


def test_unknown_user_and_wrong_password_read_the_same(app_env, store):
    at = page_test("signin").run()
    wrong = [e.value for e in _sign_in(at, "ana", "not ana's password").error]
    unknown = [e.value for e in _sign_in(at, "nobody-at-all", "not ana's password").error]
    assert wrong == unknown == [translate("auth.failed")]


def test_after_five_failures_the_page_says_when_to_try_again(app_env, store):
    at = page_test("signin").run()
    for i in range(5):
        _sign_in(at, "ana", f"wrong password {i}")
    _sign_in(at, "ana", "ana-password-1234")  # right, but too early
    assert "user" not in at.session_state
    [error] = [e.value for e in at.error]
    assert error.startswith("Too many failed sign-ins. Try again in ") and "seconds" in error


def test_a_one_time_password_leads_to_choosing_ones_own(app_env, store):
    binh = store.users.find("binh")
    invitation = store.accounts.invite(binh, "dara", "Dara Sok", group=GROUP)
    at = _sign_in(page_test("signin").run(), "dara", invitation.password)
    assert "user" not in at.session_state
    assert "Welcome, Dara Sok." in texts(at)
    at.text_input(key="first_password_new").input("qwertyuiop")
    at.text_input(key="first_password_again").input("qwertyuiop")
    at.button[0].click().run()
    assert translate("account.password.common") in [e.value for e in at.error]
    at.text_input(key="first_password_new").input("monsoon tides rise")
    at.text_input(key="first_password_again").input("monsoon tides rise")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["user"].username == "dara"
    assert store.users.authenticate("dara", "monsoon tides rise").must_change_password is False


def test_a_sign_in_link_works_once(app_env, store):
    invitation = store.accounts.invite(SYSTEM, "lan", "Lan", group=GROUP, method="link")
    at = page_test("signin")
    at.query_params["signin"] = invitation.token
    at.run()
    assert "Welcome, Lan." in texts(at)
    at.text_input(key="link_password_new").input("coral spawning night")
    at.text_input(key="link_password_again").input("coral spawning night")
    at.button[0].click().run()
    assert at.session_state["user"].username == "lan"
    again = page_test("signin")
    again.query_params["signin"] = invitation.token
    again.run()
    assert translate("auth.link_invalid") in [e.value for e in again.error]
    assert "user" not in again.session_state


def test_a_link_opened_while_signed_in_says_what_it_does_now(app_env, store):
    """The used link opened again in the same browser (signed in by it), or someone else's
    link opened by a signed-in facilitator: the page says so instead of ignoring the link."""
    lan_link = store.accounts.invite(SYSTEM, "lan", "Lan", group=GROUP, method="link").token
    ana = store.users.authenticate("ana", "ana-password-1234")
    at = page_test("signin")
    at.session_state["user"] = ana
    at.query_params["signin"] = lan_link
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        translate("auth.link_other_user", name="Lan", current=ana.display_name)]
    assert store.accounts.link_user(lan_link).username == "lan"  # still usable by Lan
    store.accounts.redeem_link(lan_link, "coral spawning night")
    lan = store.users.authenticate("lan", "coral spawning night")
    again = page_test("signin")
    again.session_state["user"] = lan
    again.query_params["signin"] = lan_link
    again.run()
    assert [e.value for e in again.error] == [translate("auth.link_invalid")]
    assert "signin" not in again.query_params
    assert again.session_state["user"].username == "lan"  # still signed in


def test_my_account_changes_name_languages_and_password(app_env, store):
    at = page_test("account")
    at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
    at.run()
    at.text_input(key="account_name").input("Ana Maria")
    at.multiselect(key="account_languages").set_value(["vi", "en"])
    at.button[0].click().run()
    assert store.users.find("ana").display_name == "Ana Maria"
    assert store.users.find("ana").languages == ("vi", "en")
    assert at.session_state["lang_requested"] == "vi"  # the sidebar's picker applies it next run
    at.text_input(key="account_current").input("not the password")
    at.text_input(key="account_password_new").input("sea grass meadows")
    at.text_input(key="account_password_again").input("sea grass meadows")
    at.button[1].click().run()
    assert translate("account.current_wrong") in [e.value for e in at.error]
    at.text_input(key="account_current").input("ana-password-1234")
    at.text_input(key="account_password_new").input("sea grass meadows")
    at.text_input(key="account_password_again").input("sea grass meadows")
    at.button[1].click().run()
    assert translate("account.password_changed") in [s.value for s in at.success]
    assert store.users.authenticate("ana", "sea grass meadows") is not None


def test_a_facilitator_adds_a_new_member_and_sees_the_password_once(app_env, store):
    at = page_test("admin")
    at.session_state["user"] = store.users.authenticate("binh", "binh-password-1234")
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="admin_new_username").input("Kiet")
    at.text_input(key="admin_new_name").input("Kiet Tran")
    at.button(key="FormSubmitter:admin-add-new-1-" + translate("admin.create_account")).click().run()
    assert not at.exception, at.exception
    assert "Kiet Tran was added as member." in texts(at)
    [secret] = [c.value for c in at.code]
    assert store.users.authenticate("kiet", secret).must_change_password
    assert at.text_input(key="admin_new_username").value == ""  # ready for the next person
    at.run()  # any further run: the password is gone from the page
    assert [c.value for c in at.code] == []


def test_members_of_a_group_do_not_get_the_administration_page(app_env, store):
    at = page_test("admin")
    at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
    at.run()
    assert translate("admin.not_allowed") in texts(at)
    assert not at.text_input


def test_a_facilitator_unlocks_deactivates_and_gives_a_link(app_env, store):
    for i in range(store.policy.lock_failures):
        store.users.sign_in("chen", f"wrong password {i}")
    chen = store.users.find("chen")
    assert chen.id in store.accounts.locks(SYSTEM)
    at = page_test("admin")
    at.session_state["user"] = store.users.authenticate("binh", "binh-password-1234")
    at.run()
    at.selectbox(key="admin_member_1").set_value(chen.id).run()
    at.button(key="admin.unlock").click().run()
    assert "Chen may sign in again." in texts(at)
    assert store.accounts.locks(SYSTEM) == {}
    at.button(key="admin.new_link").click().run()
    [link] = [c.value for c in at.code]
    assert link.startswith("http://localhost:8501/?signin=")
    assert store.accounts.link_user(link.split("signin=")[1]).id == chen.id
    at.button(key="admin.deactivate").click().run()
    assert not store.users.get(chen.id).is_active
    assert store.users.authenticate("chen", "chen-password-1234") is None
    at.button(key="admin.reactivate").click().run()
    assert store.users.get(chen.id).is_active
    at.selectbox(key="admin_role_en_1_" + str(chen.id)).set_value("observer").run()
    at.button(key="admin_set_role").click().run()
    assert {m.role for m in store.groups.memberships(chen)} == {"observer"}
    assert [e.action for e in store.audit.entries(SYSTEM, limit=6)] == [
        "membership.set", "user.activate", "sign_in.failure", "user.deactivate",
        "user.sign_in_link", "user.unlock"]


def test_an_administrator_signs_a_person_out_everywhere(app_env, store):
    """A lost laptop: the administrator ends every session of the person; their cookie's
    token signs nobody in any more, and the audit says who did it."""
    admin = store.users.create(SYSTEM, "dara", "Dara", password="dara-password-1234",
                               is_admin=True)
    chen = store.users.find("chen")
    token = store.sessions.begin(chen)
    assert store.sessions.resume(token) is not None
    at = page_test("admin")
    at.session_state["user"] = store.users.authenticate("dara", "dara-password-1234")
    at.run()
    at.selectbox(key="admin_member_1").set_value(chen.id).run()
    at.button(key="admin.end_sessions").click().run()
    assert "Chen is signed out in every browser." in texts(at)
    assert store.sessions.resume(token) is None
    entry = store.audit.entries(SYSTEM, limit=1)[0]
    assert entry.action == "user.end_sessions" and entry.actor_id == admin.id


def test_a_facilitator_cannot_sign_people_out_everywhere(app_env, store):
    at = page_test("admin")
    at.session_state["user"] = store.users.authenticate("binh", "binh-password-1234")
    at.run()
    at.selectbox(key="admin_member_1").set_value(store.users.find("chen").id).run()
    assert at.button(key="admin.end_sessions").disabled
