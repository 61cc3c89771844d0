"""Names vulture reports as unused that are in use where it cannot see (scripts/lint passes this file to vulture).

Add a name here only when something outside Python's own calls uses it (a framework, the codec, a vocabulary list);
real dead code is deleted instead. Regenerate the candidates with:
    vulture youthwork ui scripts benchmarks packaging tests --make-whitelist
"""

# ruff: noqa
# fmt: off

# Vocabulary members: stored and sent as codes, chosen from lists; few are named in code.
VIOLENCE  # unused variable (youthwork/domain/nfa.py:21)
ROBBERY  # unused variable (youthwork/domain/nfa.py:22)
WEAPON  # unused variable (youthwork/domain/nfa.py:23)
DRUGS  # unused variable (youthwork/domain/nfa.py:24)
THEFT  # unused variable (youthwork/domain/nfa.py:25)
CRIMINAL_DAMAGE  # unused variable (youthwork/domain/nfa.py:26)
PUBLIC_ORDER  # unused variable (youthwork/domain/nfa.py:27)
SEXUAL  # unused variable (youthwork/domain/nfa.py:28)
VEHICLE  # unused variable (youthwork/domain/nfa.py:29)
SAFEGUARDING  # unused variable (youthwork/domain/privacy.py:46)
REFERRAL  # unused variable (youthwork/domain/privacy.py:47)
SAFETY_PLAN  # unused variable (youthwork/domain/privacy.py:48)
SUPERVISION  # unused variable (youthwork/domain/privacy.py:49)
LEGAL  # unused variable (youthwork/domain/privacy.py:50)
SUBJECT_ACCESS  # unused variable (youthwork/domain/privacy.py:51)
RECORDED_IN_ERROR  # unused variable (youthwork/domain/privacy.py:69)
ROUTINE  # unused variable (youthwork/domain/referrals.py:31)
URGENT  # unused variable (youthwork/domain/referrals.py:32)
IMMEDIATE  # unused variable (youthwork/domain/referrals.py:33)
POSITIVE_REASONABLE  # unused variable (youthwork/domain/safety_plans.py:30)
POSITIVE_CONCLUSIVE  # unused variable (youthwork/domain/safety_plans.py:31)
NEGATIVE  # unused variable (youthwork/domain/safety_plans.py:32)
PENDING  # unused variable (youthwork/domain/safety_plans.py:33)
_._value_  # unused attribute (youthwork/domain/vocab.py:15)
ASIAN_BANGLADESHI  # unused variable (youthwork/domain/vocab.py:66)
ASIAN_CHINESE  # unused variable (youthwork/domain/vocab.py:67)
ASIAN_INDIAN  # unused variable (youthwork/domain/vocab.py:68)
ASIAN_PAKISTANI  # unused variable (youthwork/domain/vocab.py:69)
ASIAN_OTHER  # unused variable (youthwork/domain/vocab.py:70)
BLACK_AFRICAN  # unused variable (youthwork/domain/vocab.py:71)
BLACK_CARIBBEAN  # unused variable (youthwork/domain/vocab.py:72)
BLACK_OTHER  # unused variable (youthwork/domain/vocab.py:73)
MIXED_WHITE_ASIAN  # unused variable (youthwork/domain/vocab.py:74)
MIXED_WHITE_BLACK_AFRICAN  # unused variable (youthwork/domain/vocab.py:75)
MIXED_WHITE_BLACK_CARIBBEAN  # unused variable (youthwork/domain/vocab.py:76)
MIXED_OTHER  # unused variable (youthwork/domain/vocab.py:77)
WHITE_BRITISH  # unused variable (youthwork/domain/vocab.py:78)
WHITE_IRISH  # unused variable (youthwork/domain/vocab.py:79)
WHITE_GYPSY_TRAVELLER  # unused variable (youthwork/domain/vocab.py:80)
WHITE_ROMA  # unused variable (youthwork/domain/vocab.py:81)
WHITE_OTHER  # unused variable (youthwork/domain/vocab.py:82)
OTHER_ARAB  # unused variable (youthwork/domain/vocab.py:83)
OTHER_ANY  # unused variable (youthwork/domain/vocab.py:84)
NOT_STATED  # unused variable (youthwork/domain/vocab.py:85)
OUTREACH  # unused variable (youthwork/domain/vocab.py:94)
YOUTH_TRUCK  # unused variable (youthwork/domain/vocab.py:95)
POP_UP  # unused variable (youthwork/domain/vocab.py:96)
KICKS  # unused variable (youthwork/domain/vocab.py:97)
GROUP_WORK  # unused variable (youthwork/domain/vocab.py:98)
ONE_TO_ONE  # unused variable (youthwork/domain/vocab.py:99)
RED  # unused variable (youthwork/domain/vocab.py:110)
AMBER  # unused variable (youthwork/domain/vocab.py:111)
GREEN  # unused variable (youthwork/domain/vocab.py:112)
PREVENTION  # unused variable (youthwork/domain/vocab.py:116)
IDENTIFICATION  # unused variable (youthwork/domain/vocab.py:117)
ENGAGEMENT  # unused variable (youthwork/domain/vocab.py:118)
DIVERSION  # unused variable (youthwork/domain/vocab.py:119)
SUPPORT  # unused variable (youthwork/domain/vocab.py:120)
PROTECTION  # unused variable (youthwork/domain/vocab.py:121)
DISRUPTION  # unused variable (youthwork/domain/vocab.py:122)
ENFORCEMENT  # unused variable (youthwork/domain/vocab.py:123)
CCE  # unused variable (youthwork/domain/vocab.py:127)
CSE  # unused variable (youthwork/domain/vocab.py:128)
MISSING  # unused variable (youthwork/domain/vocab.py:129)
WEAPON  # unused variable (youthwork/domain/vocab.py:130)
GANG  # unused variable (youthwork/domain/vocab.py:131)
SUBSTANCE  # unused variable (youthwork/domain/vocab.py:132)
EXCLUSION  # unused variable (youthwork/domain/vocab.py:133)
NEET  # unused variable (youthwork/domain/vocab.py:134)
SEND  # unused variable (youthwork/domain/vocab.py:135)
LOOKED_AFTER  # unused variable (youthwork/domain/vocab.py:136)
VICTIM_VIOLENCE  # unused variable (youthwork/domain/vocab.py:137)
DOMESTIC_ABUSE  # unused variable (youthwork/domain/vocab.py:138)
IN_SCHOOL  # unused variable (youthwork/domain/vocab.py:142)
ALTERNATIVE_PROVISION  # unused variable (youthwork/domain/vocab.py:143)
EXCLUDED  # unused variable (youthwork/domain/vocab.py:144)
COLLEGE  # unused variable (youthwork/domain/vocab.py:145)
EMPLOYMENT  # unused variable (youthwork/domain/vocab.py:146)
TRAINING  # unused variable (youthwork/domain/vocab.py:147)
NEET  # unused variable (youthwork/domain/vocab.py:148)
LEGAL_CLAIMS  # unused variable (youthwork/domain/vocab.py:157)
PARENT_CARER  # unused variable (youthwork/domain/vocab.py:162)

# Record fields and wire fields: written by the forms and services, read back through the codec and the wire.
_.rag_set_at  # unused attribute (youthwork/demo_data.py:158)
_.rag_set_by  # unused attribute (youthwork/demo_data.py:158)
recorded_by  # unused variable (youthwork/domain/nfa.py:44)
recorded_by  # unused variable (youthwork/domain/privacy.py:186)
consent_event_id  # unused variable (youthwork/domain/privacy.py:198)
confirmed_by  # unused variable (youthwork/domain/privacy.py:219)
placed_by  # unused variable (youthwork/domain/privacy.py:232)
lifted_by  # unused variable (youthwork/domain/privacy.py:234)
rag_set_at  # unused variable (youthwork/domain/records.py:109)
rag_set_by  # unused variable (youthwork/domain/records.py:110)
shared_by  # unused variable (youthwork/domain/referrals.py:120)
closed_reason  # unused variable (youthwork/domain/safety_plans.py:82)
_.lifted_by  # unused attribute (youthwork/privacy/erasure.py:153)
min_protocol_version  # unused variable (youthwork/server/models.py:18)
from_team_id  # unused variable (youthwork/server/models.py:41)
reported_at  # unused variable (tests/sync/test_declared_record_type.py:33): a field of the throwaway record type
notification  # unused variable (youthwork/services/nfa.py:19)
_.rag_set_at  # unused attribute (youthwork/services/people.py:128)
_.rag_set_by  # unused attribute (youthwork/services/people.py:128)
_.closed_reason  # unused attribute (youthwork/services/plans.py:136)

# Called or read by a framework: Qt event overrides, uvicorn's and sqlite's attributes, Alembic's names,
# pydantic's model_config, PyInstaller hook variables, pytest's marks and fixtures, Hypothesis' teardown.
datas  # unused variable (packaging/hooks/hook-PySide6.QtGui.py:36)
hiddenimports  # unused variable (packaging/hooks/hook-PySide6.QtGui.py:36)
priority  # unused variable (tests/core/test_secrets.py:15)
pytestmark  # unused variable (tests/packaging/test_bundle.py:24)
_.optionxform  # unused attribute (tests/packaging/test_desktop_metadata.py:29)
qapp  # unused variable (tests/packaging/test_desktop_metadata.py:132)
pytestmark  # unused variable (tests/server/test_server_pg_late_commit.py:30)
pytestmark  # unused variable (tests/server/test_server_processes.py:38)
_.teardown  # unused method (tests/sync/test_simulation.py:204)
qapp  # unused variable (tests/ui/test_signal_refcounts.py:24)
_.mousePressEvent  # unused method (ui/app_window.py:42)
pytest_runtest_makereport  # unused function (tests/ci_skips.py): a pytest hook
_._signal_tick  # unused attribute (ui/app.py:117): holds the timer alive
themed  # unused variable (tests/ui/test_layout.py:74): a pytest fixture taken for its effect
_.middleware_stack  # unused attribute (tests/server/test_server_errors.py:90): Starlette rebuilds it
_.exc_text  # unused attribute (youthwork/server/logs.py:25): logging.Formatter reads these
_.stack_info  # unused attribute (youthwork/server/logs.py:26)
_.formatException  # unused method (youthwork/server/logs.py:32): logging.Formatter overrides
_.formatStack  # unused method (youthwork/server/logs.py:35)
ei  # the overrides' parameters
stack_info
_.should_exit  # unused attribute (youthwork/demo.py:109)
_.force_exit  # unused attribute (youthwork/demo.py:112)
_.should_exit  # unused attribute (youthwork/demo.py:113)
model_config  # unused variable (youthwork/domain/protocol.py:39)
TAB_DETAILS  # unused variable (ui/people/profile_page.py:42): one of the tab indexes, unpacked together
_.isolation_level  # unused attribute (youthwork/server/db.py:61)
revision  # unused variable (youthwork/server/migrations/versions/0001_initial.py:12)
down_revision  # unused variable (youthwork/server/migrations/versions/0001_initial.py:13)
branch_labels  # unused variable (youthwork/server/migrations/versions/0001_initial.py:14)
depends_on  # unused variable (youthwork/server/migrations/versions/0001_initial.py:15)
downgrade  # unused function (youthwork/server/migrations/versions/0001_initial.py:156)
model_config  # unused variable (youthwork/server/models.py:12)
_.row_factory  # unused attribute (youthwork/store/database.py:100)

# Left for their owners (each goes when they finish reshaping the module).
_.last_report  # unused attribute (ui/sync/controller.py:118)
_.last_report  # unused attribute (ui/sync/controller.py:212): engineer uiops (what a sync changed)
_receive  # unused function (tests/core/test_referrals.py:95): engineer syncfix (apply_remote goes)
tracking  # unused function (youthwork/services/changes.py:66): engineer uiops (the UI operations layer, in progress)
_.failed_attempts  # unused property (youthwork/keys/slots.py:338): engineer keys
_.abandon_rotation  # unused method (youthwork/keys/slots.py:476): engineer keys
_.key_slots  # unused property (youthwork/store/profile.py:208): engineer keys
OWN_TEAM_TABLES  # unused variable (youthwork/server/scope.py:46): engineer policy (read by docs/access.md's readers)
PARTIAL_VIEWS  # unused variable (youthwork/server/scope.py:47): engineer policy
PARTIAL_WRITES  # unused variable (youthwork/server/scope.py:50): engineer policy
SEES_RESTRICTED  # unused variable (youthwork/server/scope.py:33): engineer policy
may_use_table  # unused function (youthwork/server/scope.py:64): engineer policy
within  # unused variable (youthwork/domain/policy.py:104): engineer policy (a declared rule not yet enforced?)
# Vocabularies and fields of missing episodes, return home interviews and joint visits: chosen in forms by iterating
# the vocabulary, written and read through the codec.
CARE_HOME  # unused variable (youthwork/domain/missing.py)
SOCIAL_WORKER  # unused variable (youthwork/domain/missing.py)
SCHOOL  # unused variable (youthwork/domain/missing.py)
CONSEQUENCES_EXPLAINED  # unused variable (youthwork/domain/joint_visits.py)
ENGAGED_WITH_TYS  # unused variable (youthwork/domain/joint_visits.py)
ADVICE_TO_PARENTS  # unused variable (youthwork/domain/joint_visits.py)
SAFEGUARDING_RAISED  # unused variable (youthwork/domain/joint_visits.py)
PARENT  # unused variable (youthwork/domain/missing.py)
POLICE  # unused variable (youthwork/domain/missing.py)
FAMILY_REFERRED  # unused variable (youthwork/domain/joint_visits.py)
reported_by_name  # unused variable (youthwork/domain/missing.py)
from_care  # unused variable (youthwork/domain/missing.py)
found_where  # unused variable (youthwork/domain/missing.py)
exploitation_concern  # unused variable (youthwork/domain/missing.py)
learned  # unused variable (youthwork/domain/missing.py)
people_linked  # unused variable (youthwork/domain/missing.py)
COMMUNITY  # unused variable (youthwork/domain/places.py: a deployment source, chosen in the form)
TASKING  # unused variable (youthwork/domain/places.py: a deployment source, chosen in the form)
