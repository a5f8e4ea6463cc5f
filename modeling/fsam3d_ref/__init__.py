"""PyTorch/numpy reference of the host pipeline (pipeline.py) and FlexiCubes (flexicubes.py)."""
