"""Weekly activity, trends and board measures, computed from the laptop's store; exports.

The figures themselves (the counting rules, one pure function per section) and the UK weeks are the shared contract,
in youthwork.domain.figures and youthwork.domain.weeks; the command is `youthwork report weekly` (youthwork.cli.report).

weekly.py     the laptop's loader: weekly_report(db, week, team_id=, worker_id=), trend(db, week)
board.py      board_summary(db, Period.quarter(2026, 4))
drilldown.py  records_behind(db, figure): the records a figure counts
export.py     write_report(profile, report, "pdf"|"csv"|"xlsx"|"json", path), audited
"""
