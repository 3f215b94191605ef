"""Comments (one level of replies, each saying which version it was made on) and positions
(counts by stance per version, earlier positions marked, "k of n have given a position").

Comments are unattributed (Chatham House): the store hands authors only to facilitators, who
also see hidden comments and may hide one, with a reason, or show it again."""

from __future__ import annotations

import streamlit as st

from marine import formatting as fmt
from marine.errors import MarineError
from marine.store import STANCES
from marine.store.access import COMMENT, HIDE_COMMENT, TAKE_POSITION
from marine.ui import state

NOTICE = "discussion_notice"  # (kind, message) shown once after a callback


def _notice() -> None:
    kind, message = st.session_state.pop(NOTICE, (None, None))
    if kind == "error":
        st.error(message)
    elif kind == "success":
        st.success(message)


def _post(store, user, proposal_id: int, version: int, key: str, reply_to: int | None) -> None:
    """Button callback: post, then empty the box; on a refusal the text stays in the box."""
    try:
        store.comments.add(user, proposal_id, version, st.session_state.get(key, ""),
                           reply_to=reply_to)
    except (MarineError, ValueError) as exc:
        st.session_state[NOTICE] = ("error", state.md(exc))
    else:
        st.session_state[key] = ""
        st.session_state[NOTICE] = ("success", state.t("review.posted"))


def comment_box(store, user, proposal, reply_to: int | None = None) -> None:
    t = state.t
    suffix = f"{proposal.id}" if reply_to is None else f"{proposal.id}_{reply_to}"
    key = f"comment_body_{suffix}"
    st.text_area(t("proposals.add_comment") if reply_to is None else t("review.reply_label"),
                 key=key, height=90 if reply_to is None else 68)
    st.button(t("proposals.post_comment") if reply_to is None else t("review.post_reply"),
              key=f"comment_post_{suffix}", on_click=_post,
              args=(store, user, proposal.id, proposal.latest.number, key, reply_to))


def _hide(store, user, comment_id: int, key: str, hidden: bool) -> None:
    try:
        store.comments.hide(user, comment_id, st.session_state.get(key, ""), hidden=hidden)
    except (MarineError, ValueError) as exc:
        st.session_state[NOTICE] = ("error", state.md(exc))
    else:
        st.session_state[key] = ""
        st.session_state[NOTICE] = ("success", state.t(
            "review.hidden_done" if hidden else "review.shown_done"))


def moderation(store, user, comment) -> None:
    """Hide (or show again) with a reason: facilitators only, checked again by the store."""
    t = state.t
    key = f"hide_reason_{comment.id}"
    with st.expander(t("review.show_again") if comment.hidden else t("review.hide")):
        st.text_input(t("review.reason"), key=key)
        st.button(t("review.show_again") if comment.hidden else t("review.hide"),
                  key=f"hide_{comment.id}", on_click=_hide,
                  args=(store, user, comment.id, key, not comment.hidden))


def _meta(comment, latest: int) -> str:
    t = state.t
    parts = [t("proposals.comment_meta", version=comment.version_number,
               date=fmt.date(comment.created_at, state.lang(), "medium"))]
    if comment.version_number != latest:
        parts.append(t("review.earlier_version"))
    if comment.mine:
        parts.append(t("proposals.yours"))
    if comment.author_name is not None:  # facilitators only: the store blanks it otherwise
        parts.append(t("review.by", name=comment.author_name))
    return state.md(" · ".join(parts))


def one_comment(store, user, proposal, comment, moderator: bool) -> None:
    with st.container(border=True):
        st.caption(_meta(comment, proposal.latest.number))
        if comment.hidden:
            st.caption(state.tm("review.hidden_note", reason=comment.hidden_reason or ""))
        st.text(comment.body)
        if moderator:
            moderation(store, user, comment)


def comments(store, user, proposal) -> None:
    t = state.t
    st.subheader(t("proposals.comments"))
    _notice()
    moderator = HIDE_COMMENT in proposal.allowed
    listed = store.comments.list(user, proposal.id)
    ids = {c.id for c in listed}
    replies: dict[int | None, list] = {}
    for c in listed:
        parent = c.parent_id if c.parent_id in ids or c.parent_id is None else -1
        replies.setdefault(parent, []).append(c)
    if not listed:
        st.caption(t("review.no_comments"))
    for c in replies.get(None, []):
        one_comment(store, user, proposal, c, moderator)
        for r in replies.get(c.id, []):
            _, indented = st.columns([1, 14])
            with indented:
                one_comment(store, user, proposal, r, moderator)
        if COMMENT in proposal.allowed and not c.hidden:
            with st.expander(t("review.reply")):
                comment_box(store, user, proposal, reply_to=c.id)
    if replies.get(-1):  # replies to a comment hidden from this reader
        st.caption(t("review.replies_to_hidden"))
        for r in replies[-1]:
            one_comment(store, user, proposal, r, moderator)
    if COMMENT in proposal.allowed:
        comment_box(store, user, proposal)


def positions(store, user, proposal) -> None:
    t = state.t
    latest = proposal.latest.number
    view = store.positions.overview(user, proposal.id)
    st.subheader(t("review.positions"))
    st.markdown(t("review.given", given=view.given, participants=view.participants))
    on_latest, on_earlier = t("review.col.on_latest", version=latest), t("review.col.on_earlier")
    rows = [{t("proposals.col.stance"): t(f"stance.{s}"), on_latest: view.on_latest[s],
             on_earlier: view.on_earlier[s]} for s in STANCES]
    counts = {name: st.column_config.NumberColumn(width="small", help=t("review.standing_help"))
              for name in (on_latest, on_earlier)}
    st.dataframe(rows, hide_index=True, width="stretch", column_config=counts)
    st.caption(t("review.standing_help"))
    with st.expander(t("review.by_version")):
        st.dataframe([{t("proposals.col.version"): n,
                       **{t(f"stance.{s}"): counts[s] for s in STANCES}}
                      for n, counts in sorted(view.by_version.items(), reverse=True)],
                     hide_index=True, width="stretch")
    if TAKE_POSITION in proposal.allowed:
        my_position(store, user, proposal)


def my_position(store, user, proposal) -> None:
    t = state.t
    number = proposal.latest.number
    mine = store.positions.latest_mine(user, proposal.id)
    if mine is not None and mine.version_number != number:
        st.info(t("review.mine_earlier", stance=t(f"stance.{mine.stance}"),
                  version=mine.version_number, latest=number))
    current = mine.stance if mine is not None and mine.version_number == number else None
    stance = st.radio(t("proposals.my_position"), STANCES, horizontal=True,
                      index=STANCES.index(current) if current else None,
                      format_func=lambda s: t(f"stance.{s}"), key=f"stance_{proposal.id}")
    if st.button(t("proposals.record_position"), key=f"stance_save_{proposal.id}",
                 disabled=stance is None):
        try:
            store.positions.set(user, proposal.id, number, stance)
        except MarineError as exc:
            st.error(state.md(exc))
        else:
            st.rerun()
