"""Missing episodes and return home interviews on a young person's profile, and what Today says is due."""
