"""Outcomes and distance travelled on a young person's profile."""
