"""Readers and writers: the only part of the core that touches files."""
