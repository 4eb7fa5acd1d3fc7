"""Domain-neutral building blocks every app may use: the rule-violation error, spreadsheet and PDF text guards.

The lowest layer: it imports nothing from the project's apps (tests/test_layers.py).
"""
