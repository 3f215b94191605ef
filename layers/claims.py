"""Layer family 'claims' (being written)."""

from marine.catalogue import LayerSpec

LAYERS: list[LayerSpec] = []
