"""The questions users ask, answered from any engine: names, ownership, dependencies, figures."""
