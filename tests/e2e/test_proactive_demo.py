"""The README's demo steps for proactive posts, followed as a new user would.

``statusbot demo`` leaves the sample's next day beside its database and prints the
line that imports it; the user types ``alerts on`` in the 1:1 with Statusbot,
pastes that line into another terminal, then subscribes and types ``send N now``.
The alert card and the digest card both arrive in the playground's space.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from webexpythonsdk import WebexAPI

from bot.cli.demo import BOT_EMAIL, DEMO_USERS, next_day_command, start_demo
from core.sample_changes import changed_sample
from tests.e2e.conftest import wait_until


def test_the_readme_steps_show_an_alert_and_a_digest(tmp_path: Path) -> None:
    demo = start_demo(port=0, data_dir=tmp_path)
    try:
        alice = WebexAPI(
            access_token=DEMO_USERS[0][1], base_url=demo.emulator.api_url, wait_on_rate_limit=False
        )
        bot_id = demo.bot.service.identity.id

        def replies(count: int) -> list[Any]:
            found = [m for m in alice.messages.list(roomId=room_id) if m.personId == bot_id]
            return list(reversed(found)) if len(found) >= count else []  # oldest first

        room_id = alice.messages.create(toPersonEmail=BOT_EMAIL, text="alerts on").roomId
        wait_until(lambda: replies(1), what="alerts on")

        # the line the demo prints, run as a user pastes it (a shell, another process)
        program = f"{sys.executable} -m bot.cli"
        line = next_day_command(demo.database, program)
        env = {k: v for k, v in os.environ.items() if not k.startswith("STATUSBOT_")}
        pasted = subprocess.run(
            line, shell=True, env=env, capture_output=True, text=True, check=False
        )
        assert pasted.returncode == 0, pasted.stdout + pasted.stderr
        *_, alert = wait_until(lambda: replies(2), timeout=90, what="the alert")
        assert alert.markdown.startswith(f"**{len(changed_sample()[1])} customers changed status**")
        assert alert.attachments

        alice.messages.create(roomId=room_id, text="subscribe daily 08:00 needing attention")
        *_, subscribed = wait_until(lambda: replies(3), what="the subscription")
        assert subscribed.markdown.startswith("Subscribed (2): ")
        alice.messages.create(roomId=room_id, text="send 2 now")
        *_, digest = wait_until(lambda: replies(4), what="the digest")
        assert digest.markdown.startswith("**Daily · Needing attention · 08:00 UTC**")
        assert digest.attachments
    finally:
        demo.stop()
