"""Bundled survey instruments (YAML package data); loaded by :mod:`mlorg.survey.catalog`."""
