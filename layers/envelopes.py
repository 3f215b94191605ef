"""Layer family 'envelopes' (being written)."""

from marine.catalogue import LayerSpec

LAYERS: list[LayerSpec] = []
