"""Data quality (a tab of the Review area, for supervisors) and merging two records of one young person."""
