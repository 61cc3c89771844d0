"""youthwork core: domain, encrypted store, sync, reports and privacy. Never imports Qt."""

__version__ = "0.1.0"
