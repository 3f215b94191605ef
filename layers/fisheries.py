"""Layer family 'fisheries' (being written)."""

from marine.catalogue import LayerSpec

LAYERS: list[LayerSpec] = []
