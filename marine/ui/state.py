"""Per-session choices shared by every page: language, order of names, the signed-in user."""

from __future__ import annotations

import re

import streamlit as st

from marine.i18n import DEFAULT_LANGUAGE, LANGUAGES, NAME_LANGUAGES, default_name_order, translate

LANG_KEY = "lang"
NAME_ORDER_KEY = "name_order"


def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **fields: object) -> str:
    """A UI string in the session's language."""
    return translate(key, lang(), **fields)


PENDING_LANG_KEY = "lang_requested"


def request_language(code: str) -> None:
    """Switch the UI language on the next run (the picker's own key cannot be written once the
    picker is drawn): signing in brings a person's preferred language."""
    if code in LANGUAGES:
        st.session_state[PENDING_LANG_KEY] = code


def language_picker() -> None:
    requested = st.session_state.pop(PENDING_LANG_KEY, None)
    if requested in LANGUAGES:
        st.session_state[LANG_KEY] = requested
    st.selectbox(t("language.label"), list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                 key=LANG_KEY, on_change=relabel_widgets)


def relabel_widgets() -> None:
    """After a language switch, hand every choice widget its value again. A selectbox or
    multiselect keeps, in the browser, the labels it last showed, so "Order of names" and the
    working group stayed in the old language (or went blank) until the next page change; a
    value set through session state is sent again with the new labels. Only plain values
    are handed back (never buttons, uploads or objects, which cannot be set this way)."""
    for key in list(st.session_state):
        value = st.session_state[key]
        if key == LANG_KEY or isinstance(value, bool):
            continue
        if isinstance(value, (str, int, float)) or (
                isinstance(value, (list, tuple))
                and all(isinstance(v, (str, int)) for v in value)):
            try:
                st.session_state[key] = value
            except Exception:  # noqa: BLE001 - a widget that refuses writes keeps its state
                continue


def name_order() -> tuple[str, ...]:
    chosen = st.session_state.get(NAME_ORDER_KEY) or list(default_name_order(lang()))
    return tuple(chosen)


def name_order_picker() -> None:
    """The reader chooses the order in which every place's names are shown."""
    if NAME_ORDER_KEY not in st.session_state:
        st.session_state[NAME_ORDER_KEY] = list(default_name_order(lang()))
    st.multiselect(t("names.order"), list(NAME_LANGUAGES), key=NAME_ORDER_KEY,
                   format_func=lambda code: t(f"names.lang.{code}"),
                   help=t("names.order_help"))


def user():
    """The signed-in user (None when nobody is signed in)."""
    return st.session_state.get("user")


# What survives signing out: display preferences only, nothing anyone wrote or opened.
PREFERENCE_KEYS = (LANG_KEY, NAME_ORDER_KEY)


def set_user(user) -> None:
    """Remember the signed-in user for this browser session, or (None) sign out: forget the
    user and everything the session holds (unsaved drafts, the proposal being edited, built
    packs), so the next person at a shared computer starts clean."""
    if user is None:
        for key in [k for k in st.session_state if k not in PREFERENCE_KEYS]:
            del st.session_state[key]
    else:
        st.session_state["user"] = user


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md(text: object) -> str:
    """Text shown literally where Streamlit renders Markdown (titles, captions, messages): a
    proposal titled "![x](http://…)" must not become an image fetched from the internet."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def tm(key: str, **fields: object) -> str:
    """`t` for Markdown contexts: the message's own text as written, every field escaped."""
    return translate(key, lang(), **{k: md(v) for k, v in fields.items()})
