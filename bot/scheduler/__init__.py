"""The scheduler process: one leader runs the digest and alert runners and the
jobs that drive them (sync, the day change); posting is keyed, checked and sent once."""
