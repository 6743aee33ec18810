"""Where customer data comes from by itself: files, HTTPS URLs, Webex Wholesale.

Each source gives a validated ``Snapshot`` (``fetch``); ``combine`` joins them
into one, and ``sync.sync_all`` applies it with the import rules (all or
nothing, transitions recorded, identical data a no-op) and remembers each
source's last success and error in the store (``state``). No Flask, no Webex
SDK: the bot, the CLI and the scheduler all call the same code.
"""
