"""The screens before the workspace, one module per page: first run (create a profile), the recovery key shown once,
unlock, and the new passphrase after a recovery-key unlock."""

from ui.gate.first_run import FirstRunPage
from ui.gate.new_passphrase import NewPassphrasePage
from ui.gate.passphrase import passphrase_problem, strength_text
from ui.gate.recovery_key import RecoveryKeyPage
from ui.gate.unlock import UnlockPage

__all__ = ["FirstRunPage", "NewPassphrasePage", "RecoveryKeyPage", "UnlockPage", "passphrase_problem", "strength_text"]
