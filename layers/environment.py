"""Layer family 'environment' (being written)."""

from marine.catalogue import LayerSpec

LAYERS: list[LayerSpec] = []
