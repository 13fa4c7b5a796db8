"""The three roles an agent has in a plan element, named once: the IRIs of the role scheme
(ontology/vocabularies.ttl) and the words answers, the map and the exports use for them."""

from graphsvc.namespaces import GS

ROLE_ORDER = ("lead", "supporting", "partner")  # how answers list them: who leads first
ROLES = {str(GS.Lead): "lead", str(GS.Supporting): "supporting", str(GS.Partner): "partner"}  # IRI -> word
