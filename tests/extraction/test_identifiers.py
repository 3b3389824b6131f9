"""UPNs, postcodes, phones and emails: found with their spans, validated, normalised."""
import pytest

from extraction.identifiers import (Found, find_emails, find_phones, find_postcodes, find_upns,
                                    normalise_email, normalise_phone, normalise_postcode, normalise_upn,
                                    postcode_area, postcode_district_split)

# B801200005001 is the valid example of python-stdnum's documentation; A801200005001 fails its check letter.


@pytest.mark.parametrize("text, found", [
    ("UPN: B801200005001", [Found("B801200005001", 5, 18)]),
    ("UPN B801 2000 05001 (Y4)", [Found("B801200005001", 4, 19)]),
    ("upn b801200005001", [Found("B801200005001", 4, 17)]),
])
def test_valid_upn(text: str, found: list[Found]) -> None:
    assert find_upns(text) == found


def test_invalid_upn_is_reported_never_returned() -> None:
    (hit,) = find_upns("UPN A801200005001 (as written)")
    assert hit.value is None and (hit.start, hit.end) == (4, 17)
    assert "A801200005001" in hit.problem and "not valid" in hit.problem
    assert normalise_upn("A801200005001") is None


def test_phone_number_is_not_a_upn() -> None:
    assert find_upns("Tel 07700 900123") == []


@pytest.mark.parametrize("text, value, span", [
    ("Andover SP10 3QJ.", "SP10 3QJ", (8, 16)),
    ("postcode rg214ab", "RG21 4AB", (9, 16)),
    ("Fareham po16 7gh", "PO16 7GH", (8, 16)),
    ("London SW1A 1AA", "SW1A 1AA", (7, 15)),
])
def test_postcodes(text: str, value: str, span: tuple[int, int]) -> None:
    assert find_postcodes(text) == [Found(value, *span)]


@pytest.mark.parametrize("text", ["Year 10 pupil", "room B12 3", "UPN B801200005001", "SO1"])
def test_not_postcodes(text: str) -> None:
    assert find_postcodes(text) == []


def test_normalise_postcode() -> None:
    assert normalise_postcode(" gu14  6pz ") == "GU14 6PZ"
    assert normalise_postcode("not one") is None


@pytest.mark.parametrize("postcode, area", [
    ("RG21 4AB", "hampshire"), ("SO51 8AA", "hampshire"), ("PO16 7GH", "hampshire"), ("GU14 6PZ", "hampshire"),
    ("SO15 2AA", "southampton"), ("SO18 5QR", "southampton"),
    ("PO4 8AA", "portsmouth"), ("PO1 1AA", "portsmouth"),
    ("PO30 1AA", "isle_of_wight"), ("PO41 0AA", "isle_of_wight"),
    ("PO19 1AA", "other:West Sussex"), ("PL4 6AB", "other:Plymouth"), ("SN1 1AA", "other:Swindon"),
    ("not a postcode", "unknown"),
])
def test_postcode_area(postcode: str, area: str) -> None:
    assert postcode_area(postcode) == area


def test_split_districts_are_said_to_be_split() -> None:
    assert postcode_district_split("PO10 7AA") and postcode_district_split("GU12 4AA")
    assert not postcode_district_split("RG21 4AB")


@pytest.mark.parametrize("text, value, span", [
    ("Mob: 07700 900123.", "07700900123", (5, 17)),
    ("call +44 7700 900123 today", "07700900123", (5, 20)),
    ("tel +44 (0)1632 960123", "01632960123", (4, 22)),
    ("0044 7700 900456", "07700900456", (0, 16)),
    ("office (01632) 960 789", "01632960789", (7, 22)),
    ("landline 01632-960-111", "01632960111", (9, 22)),
    ("Ward tel: 01632 960205 (24 hrs)", "01632960205", (10, 22)),  # the hours after it are not part of the number
])
def test_phones(text: str, value: str, span: tuple[int, int]) -> None:
    assert find_phones(text) == [Found(value, *span)]


@pytest.mark.parametrize("text", [
    "Police incident number 44260012345", "Crime ref: 01234 567890", "DOB 03/04/2015", "UPN B801200005001",
    "call 12345",
])
def test_not_phones(text: str) -> None:
    assert find_phones(text) == []


def test_normalise_phone() -> None:
    assert normalise_phone("+44 7700 900123") == "07700900123"
    assert normalise_phone("0770090012") is None  # one digit short


def test_emails() -> None:
    text = "Email: <mailto:J.Smith@School.Example.org> or jo@example.com."
    assert find_emails(text) == [Found("j.smith@school.example.org", 15, 41), Found("jo@example.com", 46, 60)]
    assert normalise_email("mailto:Ann.Lee@Example.COM") == "ann.lee@example.com"
    assert normalise_email("not an address") is None


def test_hyphenated_upn_and_doubled_space_postcode() -> None:
    from extraction.identifiers import find_postcodes, find_upns

    assert [f.value for f in find_upns("UPN: F850-2611-00123")] == ["F850261100123"]
    assert [f.value for f in find_postcodes("Fleet  GU51  3QP")] == ["GU51 3QP"]
