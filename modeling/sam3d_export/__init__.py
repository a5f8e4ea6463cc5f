"""SAM 3D Objects checkpoint -> fsam3d stage-pack exporter (see docs/real-sam3d.md)."""
