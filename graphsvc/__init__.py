"""graphsvc: a knowledge graph of who is accountable for what in an organisation's strategy."""

__version__ = "0.1.0"
