"""Working groups as the reader sees them: the store's records, named in the UI language
through the templates' group names (same slugs for the five seeded groups; a group created
later is matched by English name, else shown by its own name)."""

from __future__ import annotations

from marine.templates import WORKING_GROUPS


def template_group(group) -> str | None:
    """The templates' id for a store working group."""
    if group.slug in WORKING_GROUPS:
        return group.slug
    return next((gid for gid, names in WORKING_GROUPS.items()
                 if names.get("en", "").casefold() == group.name.casefold()), None)


def group_label(group, lang: str) -> str:
    """The group's name in `lang`: the templates' translation while the group keeps its
    English name; a group renamed by an administrator shows its new name."""
    gid = template_group(group)
    if gid is None or WORKING_GROUPS[gid].get("en", "").casefold() != group.name.casefold():
        return group.name
    return WORKING_GROUPS[gid].get(lang) or group.name
