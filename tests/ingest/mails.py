"""Fictitious test emails, written for these tests (drama-range phone numbers, example.* domains)."""
from __future__ import annotations

import uuid

CHILD_FIRST, CHILD_LAST, CHILD_DOB, CHILD_POSTCODE, CHILD_SCHOOL = "Peregrine", "Stobbart", "17/02/2015", "GU51 9ZT", "Quillfield Infant School"


def _id(tag: str) -> str:
    return f"<{tag}-{uuid.uuid4().hex[:12]}@example.org>"


def person_referral(sender: str = "k.olowe@quillfield.example.org", message_id: str | None = None,
                    subject: str | None = None) -> bytes:
    mid = message_id or _id("ref")
    subject = subject or f"Referral - {CHILD_FIRST} {CHILD_LAST} not attending"
    return f"""From: Kemi Olowe <{sender}>
To: cme@hants.gov.uk
Subject: {subject}
Date: Mon, 16 Nov 2026 10:12:00 +0000
Message-ID: {mid}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Dear CME team,

I am the attendance lead at {CHILD_SCHOOL}. I would like to refer {CHILD_FIRST} {CHILD_LAST},
date of birth {CHILD_DOB}, of 4 Hollyhock Mews, Fleet {CHILD_POSTCODE}. {CHILD_FIRST} has not
attended since 2 November and the family do not answer the phone. Mother: Sasha Stobbart,
07700 900418.

Kind regards,
Kemi Olowe
Attendance Lead, {CHILD_SCHOOL}
01632 960733
""".replace("\n", "\r\n").encode()


def second_person_referral() -> bytes:
    return f"""From: Tom Pyke <tom.pyke@example.com>
To: cme@hants.gov.uk
Subject: Child not in school next door
Date: Tue, 17 Nov 2026 18:40:00 +0000
Message-ID: {_id("neighbour")}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Hello, the boy next door, Alfie Grimsdyke, about 11 years old, has been at home every
day since September and says he has no school. We live at 12 Sorrel Lane, Hook RG27 9ZW.
Tom Pyke, 07700 900972
""".replace("\n", "\r\n").encode()


def out_of_office() -> bytes:
    return f"""From: Dana Whitlow <d.whitlow@example.org>
To: cme@hants.gov.uk
Subject: Automatic reply: Pupil enquiry
Date: Tue, 17 Nov 2026 09:00:00 +0000
Message-ID: {_id("ooo")}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"

I am out of the office until Thursday with no access to email.
""".replace("\n", "\r\n").encode()


def mailing_list() -> bytes:
    return f"""From: Education Bulletin <bulletin@news.example.com>
To: cme@hants.gov.uk
Subject: This week's education bulletin
Date: Wed, 18 Nov 2026 07:00:00 +0000
Message-ID: {_id("list")}
List-Id: <education-bulletin.news.example.com>
List-Unsubscribe: <mailto:leave@news.example.com>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"

News for schools this week: new guidance on attendance and children missing education.
""".replace("\n", "\r\n").encode()


def no_reply_form(referrer: str = "ola.brightwater@example.com") -> bytes:
    return f"""From: Council Forms <no-reply@forms.example.org>
To: cme@hants.gov.uk
Subject: Form submission: report a child missing education
Date: Wed, 18 Nov 2026 11:30:00 +0000
Message-ID: {_id("form")}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Report a child missing education

Your name: Ola Brightwater
Your email: {referrer}
Your phone: 07700 900257
Child's first name: Wren
Child's last name: Haddow
Child's date of birth: 03/07/2016
Postcode: SO53 9ZR
Why are you worried?: Wren has not been in school this term and the family has moved house.

This message was sent automatically. Do not reply.
""".replace("\n", "\r\n").encode()


def bounce_of(ack_message_id: str, reference: str) -> bytes:
    """A delivery status notification (RFC 3464) quoting one of our acknowledgements."""
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: cme@hants.gov.uk
Subject: Undelivered Mail Returned to Sender
Date: Thu, 19 Nov 2026 08:00:00 +0000
Message-ID: {_id("dsn")}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"

--dsn-boundary
Content-Type: text/plain; charset="us-ascii"

This is the mail system at host mx.example.org. Your message could not be delivered
to one or more recipients: the mailbox does not exist.

--dsn-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1

--dsn-boundary
Content-Type: text/rfc822-headers

From: cme@hants.gov.uk
To: gone@example.org
Subject: Your email to the Children Missing Education team [{reference}]
Message-ID: {ack_message_id}

--dsn-boundary--
""".replace("\n", "\r\n").encode()


def not_an_email() -> bytes:
    return b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17 garbage \x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" * 20 + b"\r\n"


def urgent_police() -> bytes:
    return f"""From: DC Farah Lindqvist <farah.lindqvist@police.example.org>
To: cme@hants.gov.uk
Subject: URGENT: missing child at risk of criminal exploitation
Date: Thu, 19 Nov 2026 07:30:00 +0000
Message-ID: {_id("police")}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Dear CME team,

Reece Tamworth, date of birth 04/04/2012, was reported missing from home yesterday by his
mother and was found overnight with adults linked to county lines drug supply. We believe he
is at risk of criminal exploitation. He has not attended school for several weeks.

DC Farah Lindqvist, Missing Persons Team, 01632 960118
""".replace("\n", "\r\n").encode()
