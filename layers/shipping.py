"""Layer family 'shipping' (being written)."""

from marine.catalogue import LayerSpec

LAYERS: list[LayerSpec] = []
