"""The nano pack: a small SAM 3D-style model trained from procedural data (see DESIGN.md)."""
