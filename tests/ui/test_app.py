"""The router: app.py runs the default page (the map explorer) with the language picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from marine.i18n import LANGUAGES, translate

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_app_opens_on_the_map_in_every_language(app_env, lang):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [translate("explorer.title", lang)]
    assert at.selectbox(key="lang").value == lang
    assert len(app_env.calls) == 1  # one map shown


def test_router_is_thin():
    source = APP.read_text()
    assert len(source.splitlines()) < 15 and "def " not in source
