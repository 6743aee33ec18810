"""The durable inbox: webhook events stored first, claimed under a lease, worked on once."""
