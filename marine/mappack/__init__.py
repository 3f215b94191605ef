"""Map packs: one zip with a printable atlas, an offline map and the data."""
