"""``python -m govlens.cli``: the same as the ``govlens`` command."""

from govlens.cli import main

main()
