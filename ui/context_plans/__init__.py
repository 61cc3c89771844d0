"""A context safety plan (Level 2), for a place or a peer group: the editing dialog, its kept versions, the panel a
place's page and a group's page both show, and the context conference pack as a PDF."""
