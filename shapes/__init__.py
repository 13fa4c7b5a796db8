"""Data folder shipped inside the graphsvc package (see pyproject.toml); holds no code."""
