"""Answering one inbox event: the worker threads, one attempt, what to say,
and the one way to post it."""
