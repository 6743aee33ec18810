"""One Flask blueprint per Webex resource, each made by a factory given the context."""
