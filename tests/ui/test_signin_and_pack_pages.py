"""AppTest of Sign in and Map pack."""

from __future__ import annotations

import io
import zipfile

import pytest
from shapely.geometry import box

from tests.ui.apptest_support import page_test, texts


def test_sign_in_with_password_and_out(app_env, store):
    at = page_test("signin").run()
    at.text_input(key="signin_username").input("ana")
    at.text_input(key="signin_password").input("wrong-password")
    at.button[0].click().run()
    assert "Username or password not recognised." in texts(at)
    assert "user" not in at.session_state
    at.text_input(key="signin_password").input("ana-password-1234")
    at.button[0].click().run()
    assert at.session_state["user"].username == "ana"
    assert "Signed in as Ana" in texts(at)
    at.button(key="sign_out").click().run()
    assert "user" not in at.session_state


@pytest.mark.slow  # builds a real pack (PDF, maps, GPKG)
def test_map_pack_is_built_with_progress_and_offered_for_download(app_env, store):
    ana = store.users.find("ana")
    p = store.proposals.create(ana, group="marine-scientific-research", kind="joint-survey",
                               title="Plankton survey", text="Joint survey.",
                               geometry=box(114, 9.5, 115, 10.5))
    at = page_test("mappack")
    at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
    at.run()
    at.multiselect(key="pack_proposals").set_value([p.id])
    at.text_input(key="pack_title").input("Workshop 2027")
    at.text_input(key="pack_venue").input("Bali").run()
    at.button(key="pack_build").click()
    at.run(timeout=300)
    assert not at.exception, at.exception
    assert "is ready" in texts(at)
    pack = at.session_state["mappack_result"]
    names = zipfile.ZipFile(io.BytesIO(pack["data"])).namelist()
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".html") for n in names)


@pytest.mark.slow  # builds a real pack
def test_a_group_without_proposals_builds_a_context_pack(app_env, store):
    at = page_test("mappack")
    at.session_state["user"] = store.users.authenticate("ana", "ana-password-1234")
    at.run()
    assert "no proposals yet" in texts(at) and "context layers only" in texts(at)
    assert not at.multiselect(key="pack_layers").value or all(
        v not in ("joint-areas", "u-shaped-line") for v in at.multiselect(key="pack_layers").value)
    at.text_input(key="pack_title").input("First meeting").run()
    assert not at.button(key="pack_build").disabled
    at.button(key="pack_build").click()
    at.run(timeout=300)
    assert not at.exception, at.exception
    assert "is ready" in texts(at)
    pack = at.session_state["mappack_result"]
    names = zipfile.ZipFile(io.BytesIO(pack["data"])).namelist()
    assert {"atlas.pdf", "map.html", "data/pack.gpkg", "data/DATA-DICTIONARY.csv"} <= set(names)
