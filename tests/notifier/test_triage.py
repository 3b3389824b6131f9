"""Triage: what happens to each kind of message, and who is acknowledged."""
from __future__ import annotations

import pytest

from config.settings import load_settings
from extraction.model import Field, MessageInfo, Referral, Referrer, SenderTrust, Span
from notifier.triage import decide

TEAMS = load_settings({}).teams


def referral(category: str = "cme_referral", sender: str | None = "parent@example.com", acknowledge: bool = True,
             referrer_email: str | None = None, urgent: bool = False, needs_review: bool = False,
             suspect: bool = False) -> Referral:
    email = Field(referrer_email, 0.9, Span("body", 0, 5, referrer_email)) if referrer_email else None
    trust = SenderTrust(True, "The sender's address hants-gov.uk imitates hants.gov.uk.") if suspect else SenderTrust()
    return Referral(source=MessageInfo("x.eml", "<x@example.com>", sender, "s", None), category=category,
                    acknowledge=acknowledge, urgent=urgent, needs_review=needs_review, referrer=Referrer(email=email),
                    sender=trust)


@pytest.mark.parametrize("category, action, forward_to", [
    ("cme_referral", "new_case", None),
    ("roll_removal", "new_case", None),
    ("la_enquiry", "new_case", None),
    ("other", "new_case", None),
    ("case_update", "attach", None),
    ("ehe", "forward", TEAMS.ehe),
    ("attendance", "forward", TEAMS.attendance),
    ("reduced_hours", "forward", TEAMS.reduced_hours),
    ("auto_reply", "store", None),
    ("bounce", "store", None),
])
def test_each_category_goes_where_the_contract_says(category, action, forward_to):
    decision = decide(referral(category), TEAMS)
    assert decision.action == action
    assert (decision.forward.address if decision.forward else None) == forward_to


@pytest.mark.parametrize("sender, referrer_email, expected", [
    ("parent@example.com", None, "parent@example.com"),
    ("Parent@Example.COM", "someone@example.org", "parent@example.com"),
    ("no-reply@forms.example.org", "worker@example.org", "worker@example.org"),
    ("noreply@forms.example.org", "NoReply@example.org", None),
    ("donotreply@forms.example.org", None, None),
    ("MAILER-DAEMON@mx.example.org", None, None),
    ("postmaster@example.org", None, None),
    ("cme@hants.gov.uk", None, None),
    ("ehe@hants.gov.uk", None, None),
    ("not an address", None, None),
    ("victim@example.com\r\nBcc: everyone@example.com", None, None),
    (None, None, None),
])
def test_acknowledgement_goes_to_a_person_never_a_robot_or_ourselves(sender, referrer_email, expected):
    assert decide(referral(sender=sender, referrer_email=referrer_email), TEAMS).ack_to == expected


@pytest.mark.parametrize("category", ["auto_reply", "bounce"])
def test_automatic_mail_is_never_acknowledged_even_if_the_record_says_so(category):
    assert decide(referral(category, acknowledge=True), TEAMS).ack_to is None


def test_no_acknowledgement_when_the_record_says_not_to():
    assert decide(referral(acknowledge=False), TEAMS).ack_to is None


def test_urgent_mail_is_always_reviewed_and_confident_mail_is_not():
    assert decide(referral(urgent=True), TEAMS).review
    assert decide(referral("auto_reply", urgent=True), TEAMS).review
    assert not decide(referral(needs_review=False), TEAMS).review
    assert decide(referral(needs_review=True), TEAMS).review
    assert not decide(referral("auto_reply", needs_review=True), TEAMS).review


def test_misdirected_mail_goes_to_the_team_mailboxes_the_council_s_policy_publishes():
    forwarded = {category: decide(referral(category), TEAMS).forward.address
                 for category in ("ehe", "attendance", "reduced_hours")}
    assert forwarded == {"ehe": "ehe@hants.gov.uk", "attendance": "attendance.queries@hants.gov.uk",
                         "reduced_hours": "reducedhoursdata@hants.gov.uk"}


@pytest.mark.parametrize("category", ["cme_referral", "case_update", "la_enquiry", "other"])
def test_a_suspect_sender_is_never_acknowledged_and_always_reviewed(category):
    decision = decide(referral(category, sender="data.check@hants-gov.uk", suspect=True), TEAMS)
    assert decision.ack_to is None and decision.forward is None and decision.review
    assert "no acknowledgement: the sender is suspect" in decision.notes


@pytest.mark.parametrize("category", ["ehe", "attendance", "reduced_hours"])
def test_mail_from_a_suspect_sender_is_not_forwarded_but_opens_a_case_for_review(category):
    decision = decide(referral(category, sender="data.check@hants-gov.uk", suspect=True), TEAMS)
    assert (decision.action, decision.forward, decision.ack_to, decision.review) == ("new_case", None, None, True)


def test_a_suspect_form_robot_s_referrer_is_not_acknowledged_either():
    decision = decide(referral(sender="no-reply@forms.example.org", referrer_email="worker@example.org", suspect=True),
                      TEAMS)
    assert decision.ack_to is None
