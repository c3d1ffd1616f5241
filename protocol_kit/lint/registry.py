"""Every rule, in the order `protokit rules` lists them. Adding a rule means adding it here."""

from __future__ import annotations

from protocol_kit.lint.base import Rule
from protocol_kit.lint.rules.absolute_promise import AbsolutePromise
from protocol_kit.lint.rules.advice_contradicted import AdviceContradicted
from protocol_kit.lint.rules.condition_movement import ConditionMovementRule
from protocol_kit.lint.rules.contraindicated_indication import ContraindicatedIndication
from protocol_kit.lint.rules.contraindicated_population import ContraindicatedPopulation
from protocol_kit.lint.rules.contraindication_precaution import ContraindicationPrecaution
from protocol_kit.lint.rules.display_mismatch import DisplayMismatch
from protocol_kit.lint.rules.dosage_text import DosageText
from protocol_kit.lint.rules.dosage_unsafe import DosageUnsafe
from protocol_kit.lint.rules.dosage_unusual import DosageUnusual
from protocol_kit.lint.rules.empty_safety_text import EmptySafetyText
from protocol_kit.lint.rules.icd_not_billable import IcdNotBillable
from protocol_kit.lint.rules.icd_unknown import IcdUnknown
from protocol_kit.lint.rules.ignore_pain import IgnorePain
from protocol_kit.lint.rules.last_reviewed import LastReviewed
from protocol_kit.lint.rules.media_missing import MediaMissing
from protocol_kit.lint.rules.pain_guide_bands import PainGuideBands
from protocol_kit.lint.rules.pain_target import PainTarget
from protocol_kit.lint.rules.placeholder import Placeholder
from protocol_kit.lint.rules.pose_range import PoseRange
from protocol_kit.lint.rules.pose_support import PoseSupport
from protocol_kit.lint.rules.reading_level import ReadingLevel
from protocol_kit.lint.rules.red_flag_and import RedFlagAnd
from protocol_kit.lint.rules.red_flag_covers import RedFlagCovers
from protocol_kit.lint.rules.red_flag_language import RedFlagLanguageUnread
from protocol_kit.lint.rules.red_flag_missing import RedFlagMissing
from protocol_kit.lint.rules.red_flag_routing import RedFlagRouting
from protocol_kit.lint.rules.retired_protocol import RetiredProtocol
from protocol_kit.lint.rules.review_dates import ReviewDates
from protocol_kit.lint.rules.review_overdue import ReviewOverdue
from protocol_kit.lint.rules.reviewer_is_author import ReviewerIsAuthor
from protocol_kit.lint.rules.safety_in_tips import SafetyInTips
from protocol_kit.lint.rules.safety_translation import SafetyTranslation
from protocol_kit.lint.rules.emergency_translation import EmergencyTranslation
from protocol_kit.lint.rules.screening_links import ScreeningLinks
from protocol_kit.lint.rules.session_time import SessionTime
from protocol_kit.lint.rules.side_steps import SideSteps
from protocol_kit.lint.rules.sign_off_identity import SignOffIdentity
from protocol_kit.lint.rules.snomed_identifier import SnomedIdentifier
from protocol_kit.lint.rules.stage_plan import StagePlan
from protocol_kit.lint.rules.starter_text import StarterText
from protocol_kit.lint.rules.suppressions import (
    SuppressionTarget,
    UnknownSuppressedRule,
    UnusedSuppression,
)
from protocol_kit.lint.rules.template_values import TemplateValues
from protocol_kit.lint.rules.uncomparable_coding import UncomparableCoding
from protocol_kit.lint.rules.unilateral_side import UnilateralSide
from protocol_kit.lint.rules.unknown_measure import UnknownMeasure
from protocol_kit.lint.rules.unmanaged_precaution import UnmanagedPrecaution
from protocol_kit.lint.rules.unprintable_character import UnprintableCharacter
from protocol_kit.lint.rules.version_not_bumped import VersionNotBumped
from protocol_kit.lint.rules.who_icd_unknown import WhoIcdUnknown

RULES: tuple[Rule, ...] = (
    ContraindicatedIndication(),
    UnmanagedPrecaution(),
    EmptySafetyText(),
    PainGuideBands(),
    RedFlagMissing(),
    RedFlagRouting(),
    RedFlagCovers(),
    RedFlagAnd(),
    RedFlagLanguageUnread(),
    ContraindicatedPopulation(),
    ContraindicationPrecaution(),
    ScreeningLinks(),
    ConditionMovementRule(),
    IgnorePain(),
    PainTarget(),
    SafetyTranslation(),
    EmergencyTranslation(),
    DosageUnsafe(),
    DosageUnusual(),
    UnilateralSide(),
    SessionTime(),
    StagePlan(),
    DosageText(),
    SideSteps(),
    IcdUnknown(),
    IcdNotBillable(),
    SnomedIdentifier(),
    DisplayMismatch(),
    WhoIcdUnknown(),
    UncomparableCoding(),
    UnknownMeasure(),
    ReviewOverdue(),
    RetiredProtocol(),
    ReviewerIsAuthor(),
    SignOffIdentity(),
    VersionNotBumped(),
    ReviewDates(),
    LastReviewed(),
    TemplateValues(),
    StarterText(),
    MediaMissing(),
    PoseRange(),
    PoseSupport(),
    ReadingLevel(),
    AbsolutePromise(),
    Placeholder(),
    UnprintableCharacter(),
    SafetyInTips(),
    AdviceContradicted(),
    UnusedSuppression(),
    UnknownSuppressedRule(),
    SuppressionTarget(),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
# Rules the engine applies itself, after the others; they cannot be suppressed.
SUPPRESSION_RULES = ("SUP001", "SUP002", "SUP003")


def rule_summaries() -> dict[str, str]:
    """Code -> one-line summary, for reporters (SARIF lists them)."""
    return {rule.code: rule.summary for rule in RULES}
