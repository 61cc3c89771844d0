"""Transitions at 18 on the Today page: who turns 18 within six months and their planned handover."""
