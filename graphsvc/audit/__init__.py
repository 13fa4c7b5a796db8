"""The SHACL audit: pySHACL on a graph, the shapes compiled to SPARQL on any engine, one report."""
