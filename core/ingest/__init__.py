"""A snapshot file (canonical CSV or JSON, or a Partner Hub export) read,
validated and staged on disk for import."""
