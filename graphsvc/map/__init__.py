"""The delivery network: its data and analyses, and every export of it (GraphML, GEXF, cyjs, DOT, SVG)."""
