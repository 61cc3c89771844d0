"""The laptop's keys: the key slots, the passphrase rule and their errors, below the store (it opens with them)."""
