"""Reporting: performance facts, ES measures and the Service Quality Standard.

Only the pure ``domain`` exists so far; projections, queries and exports come later.
"""
