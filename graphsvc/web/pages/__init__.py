"""The pages people read: home, plans, entities, search, validation, import, the map."""
