"""``python -m mlorg``: the same as the ``mlorg`` command."""

from mlorg.cli import main

main()
