"""The audit log for facilitators: who did what, when, filtered by proposal, person, action
and date, exported as CSV. What a reader may see is decided by the store (administrators
everything, facilitators their groups' entries); anyone else gets its refusal."""

from __future__ import annotations

import csv
import datetime as dt
import io

import streamlit as st

from marine import formatting as fmt
from marine.errors import AccessDenied, MarineError
from marine.i18n import translate
from marine.mappack.csvs import safe_cell
from marine.templates import TEMPLATES
from marine.ui import data, state
from marine.ui.chrome import disclaimer_banner

ALL = "—"
LIMIT = 5000
# Detail values that are codes, shown through the catalogue like everywhere else.
_CODED = {"status": "pstatus", "previous": "pstatus", "role": "audit.role",
          "previous_role": "audit.role"}


def action_label(action: str) -> str:
    return translate(f"audit.action.{action}", state.lang(), default=state.t("audit.action.other"))


def _detail_value(key: str, value: object) -> str:
    if key in _CODED:
        return translate(f"{_CODED[key]}.{value}", state.lang(), default=str(value))
    if key == "kind" and value in TEMPLATES:
        return TEMPLATES[value].title.get(state.lang()) or str(value)
    if isinstance(value, bool):
        return state.t("review.yes" if value else "review.no")
    if key in ("comment", "reply_to"):
        return f"#{value}"
    return str(value)


def details_text(details: dict) -> str:
    """An entry's details as a reader reads them: "Reason: off topic; Comment: #4"."""
    parts = []
    for key, value in details.items():
        if value in (None, ""):
            continue
        label = translate(f"audit.detail.{key}", state.lang(), default=state.t("audit.detail.other"))
        parts.append(f"{label}: {_detail_value(key, value)}")
    return "; ".join(parts)


def rows(entries, account_name=None) -> list[dict]:
    """The table of entries; `account_name(id)` names the account an entry is about."""
    t = state.t
    out = []
    for e in entries:
        details = details_text(e.details)
        if e.object_type == "user" and e.object_id is not None and account_name is not None:
            about = f"{t('audit.detail.account')}: {account_name(e.object_id)}"
            details = f"{about}; {details}" if details else about
        out.append({t("audit.col.when"): fmt.date_time(e.at, state.lang()),
                    t("audit.col.who"): e.actor_name if e.actor_id is not None
                    else t("audit.command_line"),
                    t("audit.col.action"): action_label(e.action),
                    t("audit.col.proposal"): f"P-{e.object_id}" if e.object_type == "proposal"
                    else "",
                    t("audit.col.details"): details})
    return out


def _account_namer(store):
    names: dict[int, str] = {}

    def name(user_id: int) -> str:
        if user_id not in names:
            try:
                names[user_id] = store.users.get(user_id).display_name
            except MarineError:
                names[user_id] = f"#{user_id}"
        return names[user_id]

    return name


def as_csv(table: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets read the scripts right); no cell becomes a
    formula."""
    out = io.StringIO()
    if table:
        writer = csv.DictWriter(out, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _choice(column, label: str, options: dict, key: str):
    value = column.selectbox(label, [ALL, *options], key=key,
                             format_func=lambda o: state.t("proposals.all") if o == ALL
                             else options[o])
    return None if value == ALL else value


def filters(everything) -> dict:
    t = state.t
    people = {e.actor_id: e.actor_name for e in everything if e.actor_id is not None}
    actions = {e.action: action_label(e.action) for e in everything}
    proposals = {e.object_id: f"P-{e.object_id}" for e in everything
                 if e.object_type == "proposal" and e.object_id is not None}
    cols = st.columns(5)
    chosen = {
        "proposal_id": _choice(cols[0], t("audit.proposal"), dict(sorted(proposals.items())),
                               "audit_proposal"),
        "actor_id": _choice(cols[1], t("audit.person"), people, "audit_person"),
        "action": _choice(cols[2], t("audit.action"), actions, "audit_action"),
    }
    since = cols[3].date_input(t("audit.since"), value=None, key="audit_since")
    until = cols[4].date_input(t("audit.until"), value=None, key="audit_until")
    if since:
        chosen["since"] = dt.datetime.combine(since, dt.time(), dt.UTC)
    if until:  # the whole day
        chosen["until"] = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
    return chosen


def render() -> None:
    t = state.t
    st.title(t("audit.title"))
    disclaimer_banner()
    user = state.user()
    if user is None:
        st.info(t("audit.sign_in"))
        return
    store = data.store()
    try:
        everything = store.audit.entries(user, limit=LIMIT)
        chosen = filters(everything)
        entries = store.audit.entries(user, limit=LIMIT, **chosen)
    except AccessDenied as exc:
        st.error(t("audit.refused"))
        st.caption(state.md(exc))
        return
    st.caption(t("audit.count", count=len(entries)))
    table = rows(entries, _account_namer(store))
    if table:
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.caption(t("audit.none"))
    st.download_button(t("audit.export"), as_csv(table), file_name="audit-log.csv",
                       mime="text/csv", key="audit_csv", disabled=not table)
