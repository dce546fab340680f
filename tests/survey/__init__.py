"""Tests of staff surveys, their storage and the survey web app."""
