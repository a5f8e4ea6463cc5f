"""Seeded procedural data generator for the nano pack (see ../DESIGN.md, "Data")."""
