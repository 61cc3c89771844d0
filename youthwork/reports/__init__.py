"""Weekly activity, trends and board measures, computed from the store (or the service's records); exports.

weeks.py      IsoWeek (UK time, clock changes) and Period (quarters)
figures.py    the pure figure functions and counting rules, shared by the laptop and the service
weekly.py     the laptop's loader: weekly_report(db, week, team_id=, worker_id=), trend(db, week)
board.py      board_summary(db, Period.quarter(2026, 4))
drilldown.py  records_behind(db, figure): the records a figure counts
export.py     write_report(profile, report, "pdf"|"csv"|"xlsx"|"json", path), audited
command.py    `youthwork report weekly`
"""
