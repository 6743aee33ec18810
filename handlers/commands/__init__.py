"""One module per command kind; ``handlers.registry`` lists them in order."""
