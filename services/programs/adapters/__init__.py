"""The programs service's adapters: tables, repositories, lookups and the projections."""
