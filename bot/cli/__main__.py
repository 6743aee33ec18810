"""``python -m bot.cli``: the same command line as the ``statusbot`` script."""

from bot.cli.main import console

console()
