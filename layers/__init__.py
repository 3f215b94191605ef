"""The layer registry: every layer family is one module declaring `LAYERS`, listed here
explicitly (adding a layer touches one module; adding a family touches this list)."""

from __future__ import annotations

from functools import lru_cache

from layers import base, claims, envelopes, environment, fisheries, gazetteer, shipping
from marine.catalogue import Catalogue, LayerSpec
from marine.config import cache_dir
from marine.io.cache import LayerCache

FAMILIES = (base, claims, envelopes, shipping, fisheries, environment, gazetteer)


def all_specs() -> list[LayerSpec]:
    return [spec for family in FAMILIES for spec in family.LAYERS]


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The catalogue used by the app and CLI: derived layers cached under `cache_dir()`."""
    return Catalogue(all_specs(), cache=LayerCache(cache_dir()))
