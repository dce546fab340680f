"""One module per analysis of DESIGN §2; each exposes ``analyze(ctx) -> Result``.

Analyses are pure functions of the spec index and settings; they never read files or the
clock, so the same spec always gives the same result.
"""
