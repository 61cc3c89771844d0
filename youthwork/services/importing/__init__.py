"""Importing what a service already has (an Upshot export, a register sheet, an old database's CSV): young people,
and sessions with their registers, from CSV or Excel, through a saved column mapping, with a preview, a dry run,
duplicates matched against existing records and every refused row's reason. See run.py for why a stopped import
is never half-done."""

from youthwork.services.importing.mapping import (
    BUILT_IN,
    TARGETS,
    Mapping,
    best_for,
    mapping_named,
    mappings,
    save_mapping,
)
from youthwork.services.importing.plan import OUTCOME_WORDS, ImportPlan, NoNameColumn, Outcome, RowResult
from youthwork.services.importing.run import ImportService
from youthwork.services.importing.sheet import Sheet, SheetError, read_sheet

__all__ = [
    "BUILT_IN",
    "OUTCOME_WORDS",
    "TARGETS",
    "ImportPlan",
    "ImportService",
    "Mapping",
    "NoNameColumn",
    "Outcome",
    "RowResult",
    "Sheet",
    "SheetError",
    "best_for",
    "mapping_named",
    "mappings",
    "read_sheet",
    "save_mapping",
]
