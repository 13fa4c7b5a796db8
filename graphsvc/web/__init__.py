"""The web front end: a SPARQL 1.1 endpoint, pages for people, and the graph as linked data."""
