"""The programs use cases: small functions over ports, today from an injected clock."""
