"""The language each space's questions were last asked in, for words that do not say.

"filter" or a card button reads the same in English and Swedish. A space that
has not chosen a language (``language sv``) is answered in the language of its
questions, so such a tie should go to the language the space was just speaking,
not to the bot's default. This is a memory of the conversation, not a setting:
it is kept per process and bounded (the least recent spaces are forgotten), and
losing it on a restart costs at most one reply in the default language.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from core.statuses import Lang

#: Spaces remembered; a bot in more spaces forgets the quietest ones first.
MAX_SPACES = 10_000


class FollowedLanguages:
    """Thread-safe, bounded map of space → language of its last worded question."""

    def __init__(self, max_spaces: int = MAX_SPACES) -> None:
        self._max = max_spaces
        self._langs: OrderedDict[str, Lang] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, room_id: str) -> Lang | None:
        with self._lock:
            return self._langs.get(room_id)

    def remember(self, room_id: str, lang: Lang) -> None:
        with self._lock:
            self._langs[room_id] = lang
            self._langs.move_to_end(room_id)
            while len(self._langs) > self._max:
                self._langs.popitem(last=False)
