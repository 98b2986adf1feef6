"""``python -m neuralscope.cli``."""

from neuralscope.cli import main

main()
