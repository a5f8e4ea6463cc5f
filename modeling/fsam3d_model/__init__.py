"""Tiny random-weight SAM 3D Objects networks for the test stage pack (see docs/pack-format.md)."""
