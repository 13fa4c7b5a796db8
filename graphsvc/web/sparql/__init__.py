"""The SPARQL 1.1 endpoint: protocol, results formats, service description."""
