"""Honest pages for areas that arrive in a later release: what will be here, not a fake screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.forms import hint, title

LATER: dict[str, tuple[str, list[str]]] = {
    "plans": (
        "Safety plans",
        [
            "Agree a safety plan with a young person: risks and triggers, warning signs, safe places and routes, "
            "trusted adults, who to call, agreed actions and a review date.",
            "Plans are versioned: a review makes a new version and the old one stays on the record.",
            "A reminder when a plan is due for review, and a plan prompted after a positive NRM decision.",
        ],
    ),
    "referrals": (
        "Referrals",
        [
            "Refer a young person to Targeted Youth Support, the Integrated Gangs Team and other agencies.",
            "Follow each referral: sent, acknowledged, accepted or declined, and the outcome.",
            "Every share of information is recorded: what, with whom, when and on what basis.",
        ],
    ),
    "review": (
        "Review",
        [
            "For supervisors: sessions, case notes and concerns waiting for sign-off.",
            "The week's figures: sessions, hours, young people reached (new and returning), referrals.",
            "Safeguarding concerns flagged on sessions appear here first.",
        ],
    ),
    "sync": (
        "Sync",
        [
            "Connect this laptop to your team's youthwork service.",
            "See when it last synced, how many changes are waiting to send, and any conflicts to review.",
            "Nothing waits for the network: you can keep recording offline.",
        ],
    ),
}


class ComingLaterPage(QWidget):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading, points = LATER[key]
        lay = QVBoxLayout(self)
        lay.addWidget(title(heading))
        lay.addWidget(hint("Coming in a later release. This is what will be here:"))
        body = QLabel("<ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul>")
        body.setWordWrap(True)
        lay.addWidget(body)
        lay.addStretch(1)


SUPERVISORS_ONLY: dict[str, tuple[str, str]] = {
    "review": (
        "Review",
        "Review is for supervisors: signing off sessions, the week's figures and the weekly report. "
        "Your sessions go to your supervisor when you submit them.",
    ),
    "privacy": (
        "Data protection",
        "This area is for supervisors: consent withdrawals to check, the retention review and the audit trail. "
        "A young person's consent, restricted details and a subject access export are on the Privacy tab "
        "of their profile.",
    ),
}


class SupervisorsOnlyPage(QWidget):
    """What a worker's laptop shows in place of a supervisor's area: one plain sentence, no data."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading, sentence = SUPERVISORS_ONLY[key]
        lay = QVBoxLayout(self)
        lay.addWidget(title(heading))
        self.sentence = hint(sentence)
        lay.addWidget(self.sentence)
        lay.addStretch(1)
