"""EOCMS services: each a bounded context that imports ``contracts`` and ``chassis`` only."""
