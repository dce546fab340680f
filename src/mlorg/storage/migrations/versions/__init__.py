"""One module per revision; revision ids are stable names (``0001_survey``, ``0002_snapshots``)."""
