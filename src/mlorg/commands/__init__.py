"""CLI command modules beyond the core ones; each exposes ``register(app)``.

Adding a module here adds its commands to ``mlorg`` without touching ``cli.py``.
"""
