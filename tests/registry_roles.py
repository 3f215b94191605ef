"""Test catalogues play the roles their real namesakes declare in the registry (coast, places,
report sections, defaults), so a fixture layer called 'places' feeds the places section."""

from __future__ import annotations

from functools import cache

ROLE_FIELDS = ("role", "section", "measured", "on_by_default", "draft_context", "in_packs",
               "protection")


@cache
def _registry() -> dict:
    from layers import all_specs

    return {s.id: s for s in all_specs()}


def registry_roles(layer_id: str) -> dict:
    """The role fields of the registry layer `layer_id` ({} for an id the registry lacks)."""
    real = _registry().get(layer_id)
    return {f: getattr(real, f) for f in ROLE_FIELDS} if real else {}
