"""Sync between a laptop's store and the central service: the wire protocol, clocks, and the client engine."""
