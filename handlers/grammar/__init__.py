"""Typed text, English or Swedish, to a command: the rules, the phrases, the time
words, schedules, and the language vote."""
