"""The app under load: 20 sessions at once against a started server (websocket clients
speaking Streamlit's protocol) sign in, list their group's drafts, comment and sign out —
with no error and nothing of one session showing in another."""

from __future__ import annotations

import pytest

from reliability.sessions import _others_seen, display_name, draft_title, run_sessions
from reliability.wire import Run


@pytest.mark.slow
def test_twenty_sessions_at_once(tmp_path):
    figures = run_sessions(20, tmp_path)
    assert figures.problems == ()
    assert figures.completed == 20
    assert figures.errors == 0
    assert figures.mixed_state == 0
    assert figures.signed_out_clean == 20
    assert figures.runs >= 20 * 7  # every step of every session ran on the server
    assert figures.ok
    log = (tmp_path / "app.log").read_text()
    assert "Traceback" not in log, log[-2000:]


def test_a_session_showing_another_sessions_data_is_caught():
    from streamlit.proto.Element_pb2 import Element

    element = Element()
    element.heading.body = f"{draft_title(3)} · signed in as {display_name(4)}"
    seen = _others_seen(Run([element]), 1, 5)
    assert seen == [f"session 01 saw {draft_title(3)}", f"session 01 saw {display_name(4)}"]
    assert _others_seen(Run([element]), 3, 5) == [f"session 03 saw {display_name(4)}"]
