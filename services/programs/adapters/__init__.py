"""The programs service's adapters: tables, repositories, views and the projection."""
