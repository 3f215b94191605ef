"""Layer family 'gazetteer' (being written)."""

from marine.catalogue import LayerSpec

LAYERS: list[LayerSpec] = []
