"""Addresses anchored on a postcode: line 1, town and postcode with their spans."""
import pytest

from extraction.addresses import find_addresses, parse_address_value


@pytest.mark.parametrize("text, line1, town, postcode", [
    ("They now live at 4 Wren Lane, Fleetmoor, GU51 3XY.", "4 Wren Lane", "Fleetmoor", "GU51 3XY"),
    ("Address: Flat 2, 19 Quarry Road, Andover SP10 1AA", "Flat 2, 19 Quarry Road", "Andover", "SP10 1AA"),
    ("last seen at 7 Elm Court\nOakhurst\nRG24 9ZZ\n", "7 Elm Court", "Oakhurst", "RG24 9ZZ"),
    ("found on 30/09) at 17 Heron Way, Basingstoke, RG21 4QQ", "17 Heron Way", "Basingstoke", "RG21 4QQ"),
    ("lives at 3 Moss Row, Ash, Surrey, gu12 6zz", "3 Moss Row", "Ash", "GU12 6ZZ"),
    # a numbered building on a named road, and a room in a named building, keep the whole first line
    ("Address: 5 Brook Cottages, Mill Lane, Wickhurst, RG20 9ZZ", "5 Brook Cottages, Mill Lane", "Wickhurst", "RG20 9ZZ"),
    ("now at Room 12, Seaview House, 8 Dock Road, Portsea PO9 1ZZ", "Room 12, Seaview House, 8 Dock Road", "Portsea",
     "PO9 1ZZ"),
    ("at Unit 3, 22 Kiln Street, Alderley, GU51 4ZZ", "Unit 3, 22 Kiln Street", "Alderley", "GU51 4ZZ"),
    ("lives at 9 Mill House, Fleetmoor, GU51 3XY", "9 Mill House", "Fleetmoor", "GU51 3XY"),
    # a subject line's details parted by dashes
    ("CME referral Amira QUILL dob 9/7/14 - 19 Linden Grove Andover SP10 3ZZ - not in any school", "19 Linden Grove",
     "Andover", "SP10 3ZZ"),
    # the flat or named building before a numbered street, however the word before it is spelt
    ("They live now in Fleetmoor, adress Flat 2, 18 Brackley Way, Fleetmoor RG21 5ZZ.", "Flat 2, 18 Brackley Way",
     "Fleetmoor", "RG21 5ZZ"),
    ("We are staying in the Seaview Lodge Hotel, 40 Dock Road, Portsea PO9 1ZZ", "Seaview Lodge Hotel, 40 Dock Road",
     "Portsea", "PO9 1ZZ"),
    # no comma before the town, as a hurried writer types it
    ("we moved to 14 wren way fleetmoor GU51 3XY in oct", "14 wren way", "fleetmoor", "GU51 3XY"),
    ("moved to 8 Park View Road Lower Oakhurst RG24 9ZZ", "8 Park View Road", "Lower Oakhurst", "RG24 9ZZ"),
    # a pitch on a Traveller or holiday site: the site is the pitch's street
    ("Site address is Pitch 4, Lakeside Traveller Site, Silchester Road, Oakhurst RG24 9ZZ.",
     "Pitch 4, Lakeside Traveller Site", "Oakhurst", "RG24 9ZZ"),
    ("Address for post: Pitch 4, Brambles Park, Fleetmoor GU51 3XY", "Pitch 4, Brambles Park", "Fleetmoor", "GU51 3XY"),
    # a district named between the street and the town, no commas anywhere
    ("my address is 18 Pennycress Walk Leigh Park Havant PO9 5LR and my mobile is", "18 Pennycress Walk", "Havant",
     "PO9 5LR"),
    # "number 12" is how a neighbour says the house number
    ("writing about the Quills at number 12 Heron Way Fleetmoor GU51 3XY because", "12 Heron Way", "Fleetmoor",
     "GU51 3XY"),
    # an answer numbered as in a list: the list's number is no house number
    ("2. We're in the new house now, it's 9 Brook Vale Close, Fleetmoor GU51 3XY.", "9 Brook Vale Close", "Fleetmoor",
     "GU51 3XY"),
    # a flat and its house number run on with the town, no commas at all
    ("they are living at Flat 4 19 Gudge Heath Lane Fareham PO15 5BD, its a private rent", "Flat 4 19 Gudge Heath Lane",
     "Fareham", "PO15 5BD"),
    # the postcode's own label is no town
    ("They live at 8 Lark Rise, Fleetmoor, postcode GU51 3XY.", "8 Lark Rise", "Fleetmoor", "GU51 3XY"),
    # a date in brackets before the flat is no house number
    ("At approx 11:20 today (21/10/2026) officers attended Flat 3, 41 Weyhill Road, Andover SP10 3AN following a call.",
     "Flat 3, 41 Weyhill Road", "Andover", "SP10 3AN"),
])
def test_find_address(text: str, line1: str, town: str, postcode: str) -> None:
    (a,) = find_addresses(text)
    assert a.line1 is not None and a.town is not None
    assert (a.line1[0], a.town[0], a.postcode[0]) == (line1, town, postcode)
    for value, start, end in (a.line1, a.town):
        assert text[start:end] == value


def test_house_name_keeps_its_street() -> None:
    a = parse_address_value("The Old Mill, Ford Lane, Kingsworthy, SO23 7QQ")
    assert a is not None and a.line1 is not None and a.town is not None
    assert a.line1[0] == "The Old Mill, Ford Lane" and a.town[0] == "Kingsworthy"


@pytest.mark.parametrize("value", ["Little Orchard, Church Lane, Kingsworthy SO23 7QQ",
                                   "Little Orchard, Church Lane, Kingsworthy"])
def test_a_house_named_like_a_street_keeps_the_road_it_stands_on(value: str) -> None:
    a = parse_address_value(value)
    assert a is not None and a.line1 is not None and a.line1[0] == "Little Orchard, Church Lane"


@pytest.mark.parametrize("value, line1, town", [
    ("8 Pemberton Walk Basingstoke", "8 Pemberton Walk", "Basingstoke"),
    ("27 Kimber Close", "27 Kimber Close", None),
])
def test_a_table_cells_address_without_commas_splits_at_the_street(value: str, line1: str, town: str | None) -> None:
    a = parse_address_value(value)
    assert a is not None and a.line1 is not None and a.line1[0] == line1
    assert (a.town[0] if a.town else None) == town


def test_no_postcode_no_address_in_prose() -> None:
    assert find_addresses("They moved to Leeds in the summer.") == []


def test_postcode_wrapped_onto_its_own_line_after_a_long_sentence() -> None:
    text = ("They told me they moved here from Reading in the summer holidays. They live at 8 Oak Lane, Fleetmoor,\n"
            "GU51 3XY. No concerns.")
    (a,) = find_addresses(text)
    assert a.line1 is not None and a.town is not None
    assert (a.line1[0], a.town[0], a.postcode[0]) == ("8 Oak Lane", "Fleetmoor", "GU51 3XY")


@pytest.mark.parametrize("value, line1, town", [
    ("Ivy Cottage, Mill Lane, Romsey", "Ivy Cottage, Mill Lane", "Romsey"),
    ("Flat 9, Kestrel House, Wyndham Road, Gosport", "Flat 9, Kestrel House, Wyndham Road", "Gosport"),
    ("Flat 3, 27 Beechwood Rise, (not provided)", "Flat 3, 27 Beechwood Rise", None),
    ("Flat 3, 27 Beechwood Rise, RG21 4AB", "Flat 3, 27 Beechwood Rise", None),
])
def test_a_house_name_or_flat_keeps_its_street_and_a_street_is_never_the_town(value, line1, town) -> None:
    from extraction.addresses import parse_address_value

    found = parse_address_value(value)
    assert (found.line1[0] if found.line1 else None, found.town[0] if found.town else None) == (line1, town)


def test_a_house_number_wrapped_onto_the_line_above_stays_with_its_street() -> None:
    (a,) = find_addresses("My name is Example and I live at 17\nWessex Close, Oakhurst GU34 2LP with my mum.")
    assert a.line1 is not None and a.line1[0] == "17 Wessex Close"


def test_an_aside_in_brackets_is_not_part_of_the_address() -> None:
    a = parse_address_value("14 Kingsclere Road (next door to me), Oakhurst")
    assert a is not None and a.line1 is not None and a.town is not None
    assert (a.line1[0], a.town[0]) == ("14 Kingsclere Road", "Oakhurst")


def test_a_bulleted_address_keeps_its_room_and_building_in_the_first_line(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Hello,\n\nThree children from one family use the food bank:\n\n  *   Connor Beal, 12\n  *   Kayden Beal, 9\n"
            "  *   Room 6, Hatherden Lodge, 58 Sarum Hill, Oakhurst RG24 9ZZ (emergency housing)\n\nGraham\n")
    record = extract_mail(extraction_context, body, "Graham Oduya <coordinator@example-foodbank.org.uk>")
    assert {c["address"]["line1"]["value"] for c in record["children"]} == {"Room 6, Hatherden Lodge, 58 Sarum Hill"}


def test_a_flat_on_the_line_above_its_street_is_part_of_the_first_line() -> None:
    text = "Current address (TA):\nFlat 6\n41 Whitworth Road\nGosport\nPO12 3NQ\n"
    a = next(x for x in find_addresses(text) if x.postcode[0] == "PO12 3NQ")
    assert (a.line1[0], a.town[0]) == ("Flat 6, 41 Whitworth Road", "Gosport")


def test_a_letters_letterhead_in_capitals_and_its_addressee_are_not_the_childs_address(extraction_context) -> None:
    from tests.extraction.mail import extract_mail

    body = ("Please see the letter below.\n\nKind regards\nSharon\nReception\n\n------------------------------------\n\n"
            "OAKBANK MEDICAL PRACTICE\nUnit 4, Fernhill Health Park, Romsey SO51 7ZZ\nTel: 01632 960271\n\n"
            "Children Missing Education Team\nHampshire County Council\nElizabeth II Court North\nWinchester SO23 8UG\n\n"
            "Dear Sir/Madam\n\nRe: Omar FARIS   DOB: 5th Feb 2016\n    22 Pellow Close, Romsey SO51 8QQ\n\n"
            "I saw this boy in surgery during the school day with his father Mr Samir Faris. He has not been to school "
            "since the family moved here in the summer.\n\nYours faithfully\n\nDr Ana Petrie\nGP Partner\n")
    record = extract_mail(extraction_context, body, "Oakbank Practice <oakbank.reception@nhs.net>")
    assert [(c["first_name"]["value"], c["address"]["line1"]["value"], c["address"]["postcode"]["value"])
            for c in record["children"]] == [("Omar", "22 Pellow Close", "SO51 8QQ")]


def test_a_date_and_a_label_before_a_postcode_are_no_address() -> None:
    (a,) = find_addresses("ok that's 10 days+ for both, send to CME. his DOB is 14/04/2012, postcode PO8 9QL")
    assert (a.line1, a.town, a.postcode[0]) == (None, None, "PO8 9QL")
