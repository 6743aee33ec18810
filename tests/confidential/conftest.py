"""The end-to-end stack (emulator, bot, store over real HTTP) is the e2e suite's."""

from tests.e2e.conftest import stack

__all__ = ["stack"]
