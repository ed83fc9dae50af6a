"""End-to-end tests: services started as processes, driven over HTTP, checked on the bus."""
