"""Staff surveys: instruments (package data), response CSVs, and scoring with a privacy floor.

A spec is one leader's view; survey answers are what the staff say. ``instruments`` loads the
questionnaires, ``responses`` reads and validates answer CSVs, ``scoring`` turns answers into team
and organization aggregates that never break down a group smaller than ``privacy_floor``.
"""
