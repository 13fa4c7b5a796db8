"""Everything that runs untrusted work: confined processes, the SPARQL query workers and their guard, uploads."""
