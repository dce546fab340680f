"""``python -m mlorg.docs_gen TARGET``: print a generated reference page to stdout."""

from __future__ import annotations

import sys

from mlorg.docs_gen import TARGETS


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in TARGETS:
        names = ", ".join(sorted(TARGETS))
        sys.stderr.write(f"usage: python -m mlorg.docs_gen TARGET > docs/TARGET.md  (targets: {names})\n")
        return 2
    sys.stdout.write(TARGETS[argv[0]]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
