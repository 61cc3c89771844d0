"""The Review area: the team's week at a glance, the records behind every figure, sign-off, trends, exports."""
