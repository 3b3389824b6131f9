"""Attachments: PDF text, tables and AcroForm fields, scanned PDFs (OCR), DOCX, attached emails, limits."""
from __future__ import annotations

from docx.enum.text import WD_BREAK  # noqa: F401 - python-docx is importable

from parsers.message import ParsedMessage, TextSource
from parsers.mime import attachment_bytes, parse_message
from tests.parsers import documents as make


def source(message: ParsedMessage, name: str) -> TextSource:
    return next(s for s in message.sources if s.part == f"attachment:{name}")


def pairs(src: TextSource, kind: str | None = None) -> dict[str, str]:
    for p in src.pairs:
        assert src.text[p.start:p.end] == p.value, p
    return {p.label: p.value for p in src.pairs if kind is None or p.kind == kind}


def test_acroform_fields_become_lines_and_pairs() -> None:
    form = make.pdf([(50, 40, "Referral form"), (50, 80, "Surname"), (50, 100, "Looked after")], fields=[
        {"T": "surname", "TU": "Surname", "V": "Quillford"},
        {"T": "forename", "V": "Ada"},  # no tooltip: the field name is the label
        {"T": "lac", "TU": "Looked after", "V": ("name", "Yes"), "FT": "Btn"},
        {"T": "cpp", "TU": "Child protection plan", "V": ("name", "Off"), "FT": "Btn"},
        {"T": "empty", "TU": "Other concerns"},  # never filled in
        {"T": "child", "kids": [{"T": "dob", "TU": "Date of birth", "V": "14/03/2015"}]},
        {"T": "parent", "TU": "Parent’s name", "V": "Zoë Quillford"},
    ])
    message = parse_message(make.email_with([("form.pdf", "application/pdf", form)]))
    src = source(message, "form.pdf")
    assert src.kind == "pdf"
    assert "Referral form" in src.text
    assert "Surname: Quillford" in src.text
    assert pairs(src, "form_field") == {
        "Surname": "Quillford", "forename": "Ada", "Looked after": "Yes", "Child protection plan": "No",
        "Date of birth": "14/03/2015", "Parent’s name": "Zoë Quillford",
    }
    assert message.problems == ()


def test_text_pdf_table_rows_become_lines_and_pairs() -> None:
    data = make.label_value_table_pdf(
        [("Surname", "ORMEROD"), ("Date of birth", "02/06/2013"), ("Home address", "7 Pellow Lane, Exampleton")],
        "Leaver notification")
    # scanners and some mail clients declare PDFs as octet-stream: the bytes decide
    message = parse_message(make.email_with([("scan0001", "application/octet-stream", data)]))
    src = source(message, "scan0001")
    assert src.kind == "pdf"
    assert src.text.splitlines()[0] == "Leaver notification"
    assert "Date of birth | 02/06/2013" in src.text.splitlines()
    assert pairs(src, "table_cell") == {
        "Surname": "ORMEROD", "Date of birth": "02/06/2013", "Home address": "7 Pellow Lane, Exampleton"}


def test_scanned_pdf_is_read_by_ocr_with_labels_beside_values() -> None:
    data = make.scanned_form_pdf(
        [("Surname", "QUILLFORD"), ("Date of birth", "14/03/2015"), ("Postcode", "EX4 7QT")], "PUPIL REFERRAL")
    message = parse_message(make.email_with([("scan.pdf", "application/pdf", data)]))
    src = source(message, "scan.pdf")
    assert src.kind == "pdf-ocr"
    assert "PUPIL REFERRAL" in src.text
    found = pairs(src)
    assert found.get("Surname") == "QUILLFORD"
    assert found.get("Date of birth") == "14/03/2015"
    assert found.get("Postcode") == "EX4 7QT"
    assert any("OCR" in p for p in message.problems)


def _referral_docx(document) -> None:
    document.add_paragraph("Pupil referral")
    p = document.add_paragraph("Child surname: ")
    p._p.append(make.content_control("Child surname", "Varley"))
    p = document.add_paragraph("Date of birth: ")
    p._p.append(make.content_control("Date of birth", "Click or tap to enter a date.", placeholder=True))
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text = "Forename"
    table.cell(0, 1).text = "Rowan"
    table.cell(1, 0).text = "Gender"
    gender = table.cell(1, 1).paragraphs[0]
    gender._p.append(make.checkbox_control("Male", True))
    gender.add_run(" Male ")
    gender._p.append(make.checkbox_control("Female", False))
    gender.add_run(" Female")
    table.cell(2, 0).text = "Known to social care"
    known = table.cell(2, 1).paragraphs[0]
    for run in make.legacy_checkbox(True):
        known._p.append(run)
    known.add_run(" Yes")
    table.cell(3, 0).text = "Address"
    table.cell(3, 1).text = "3 Colby Walk"
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(1, 0)).text = "Parents"
    merged.cell(0, 1).text = "Hana Varley"
    merged.cell(1, 1).text = "Tom Varley"
    outer = document.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "School"
    inner.cell(0, 1).text = "Brookmere Primary"
    document.add_paragraph("☐ Family moved abroad")
    document.add_paragraph("☑ Family moved within the county")
    document.add_paragraph("Sibling\tNoor Varley")
    p = document.add_paragraph("Previous school ")
    for run in make.legacy_text_field("PreviousSchool", "Elmcroft Infants"):
        p._p.append(run)
    p = document.add_paragraph("See note: ")
    p._p.append(make.text_box("Text box: Mum works nights"))


def test_docx_fields_tables_and_tick_boxes() -> None:
    data = make.docx_bytes(_referral_docx)
    message = parse_message(make.email_with([("Referral - R Varley.docx",
                                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                              data)]))
    src = source(message, "Referral - R Varley.docx")
    assert src.kind == "docx"
    lines = src.text.splitlines()
    assert "Child surname: Varley" in lines
    assert "Click or tap" not in src.text  # a placeholder is not a value
    assert "Forename | Rowan" in lines
    assert "Gender | ☒ Male ☐ Female" in lines
    assert "Known to social care | ☒ Yes" in lines
    assert lines.count("Parents | Hana Varley") == 1 and "Tom Varley" in lines
    assert "School | Brookmere Primary" in lines
    assert "Text box: Mum works nights" in lines
    assert "☒ Family moved within the county" in lines
    found = pairs(src)
    assert found["Child surname"] == "Varley"
    assert "Date of birth" not in found
    assert found["Forename"] == "Rowan"
    assert found["Address"] == "3 Colby Walk"
    assert found["School"] == "Brookmere Primary"
    assert "Sibling | Noor Varley" in lines and found["Sibling"] == "Noor Varley"
    assert "Previous school Elmcroft Infants" in lines and found["PreviousSchool"] == "Elmcroft Infants"
    boxes = pairs(src, "checkbox")
    assert boxes["Gender: Male"] == "☒" and boxes["Gender: Female"] == "☐"
    assert boxes["Family moved abroad"] == "☐" and boxes["Family moved within the county"] == "☒"


def test_attached_email_with_a_pdf_inside() -> None:
    pdf = make.label_value_table_pdf([("Surname", "ORMEROD")], "Leaver notification")
    inner = make.email_with([("leaver.pdf", "application/pdf", pdf)], body="Hello MASH,\n\nDetails attached.\n",
                            subject="Family left", sender="Pat Quayle <Pat.Quayle@police.example.org>")
    outer = make.email_with([("Family left.eml", "message/rfc822", inner)], subject="FW: Family left")
    message = parse_message(outer)
    email_src = source(message, "Family left.eml")
    assert email_src.kind == "email"
    assert email_src.text.startswith("From: Pat Quayle <pat.quayle@police.example.org>\nSent: 2026-11-10T10:00:00+00:00\n"
                                     "To: cme@example.com\nSubject: Family left\n\n")
    assert "Details attached." in email_src.text
    forwarded = email_src.segments[0]
    assert (forwarded.kind, forwarded.from_address, forwarded.from_name) == (
        "forwarded", "pat.quayle@police.example.org", "Pat Quayle")
    assert (forwarded.start, forwarded.end) == (0, len(email_src.text))
    assert pairs(source(message, "leaver.pdf")) == {"Surname": "ORMEROD"}
    assert [(a.filename, a.index, a.parent) for a in message.attachments] == [
        ("Family left.eml", 0, None), ("leaver.pdf", 1, 0)]


def test_attachments_are_listed_and_fetchable_by_index() -> None:
    pdf = make.label_value_table_pdf([("Surname", "ORMEROD")], "Leaver notification")
    raw = make.email_with([("photo.png", "image/png", b"\x89PNG\r\n\x1a\nnot really"), ("leaver.pdf", "application/pdf", pdf),
                           ("notes.txt", "text/plain", "Sibling: Mo Ormerod\n".encode())])
    message = parse_message(raw)
    assert [(a.filename, a.content_type, a.index) for a in message.attachments] == [
        ("photo.png", "image/png", 0), ("leaver.pdf", "application/pdf", 1), ("notes.txt", "text/plain", 2)]
    assert attachment_bytes(raw, 1) == ("leaver.pdf", "application/pdf", pdf)
    import hashlib
    assert message.attachments[1].sha256 == hashlib.sha256(pdf).hexdigest()
    assert message.attachments[1].size == len(pdf)
    assert pairs(source(message, "notes.txt")) == {"Sibling": "Mo Ormerod"}
    assert not any(s.part == "attachment:photo.png" for s in message.sources)


def test_broken_and_oversized_attachments_are_problems() -> None:
    raw = make.email_with([
        ("broken.pdf", "application/pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
        ("broken.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04garbage"),
        ("huge.txt", "text/plain", b"a" * (21 * 1024 * 1024)),
        ("long.pdf", "application/pdf", make.pdf([(50, 40, "page")], pages_count=51)),
    ])
    message = parse_message(raw)
    text = " ".join(message.problems)
    assert "'broken.pdf'" in text and "'broken.docx'" in text
    assert "'huge.txt'" in text and "20 MB" in text
    assert "'long.pdf'" in text and "51 pages" in text
    assert [s.part for s in message.sources] == ["header", "body"]


def test_blank_pdf_page_is_not_sent_to_ocr() -> None:
    message = parse_message(make.email_with([("blank.pdf", "application/pdf", make.pdf([]))]))
    assert source(message, "blank.pdf").kind == "pdf"
    assert not any("OCR" in p for p in message.problems)


def test_unruled_pdf_form_columns_stay_apart() -> None:
    data = make.pdf([(50, 40, "Pupil details"), (50, 70, "Surname"), (250, 70, "PELLING"),
                     (50, 90, "Date of birth"), (250, 90, "30/11/2014"), (50, 110, "A plain sentence with words.")])
    src = source(parse_message(make.email_with([("leaver.pdf", "application/pdf", data)])), "leaver.pdf")
    assert src.text.splitlines() == ["Pupil details", "Surname | PELLING", "Date of birth | 30/11/2014",
                                     "A plain sentence with words."]
    assert pairs(src) == {"Surname": "PELLING", "Date of birth": "30/11/2014"}


def test_attachments_with_the_same_name_get_distinct_parts() -> None:
    first = make.label_value_table_pdf([("Surname", "ORMEROD")], "Form one")
    second = make.label_value_table_pdf([("Surname", "PELLING")], "Form two")
    raw = make.email_with([("form.pdf", "application/pdf", first), ("form.pdf", "application/pdf", second)])
    message = parse_message(raw)
    assert [a.filename for a in message.attachments] == ["form.pdf", "form (2).pdf"]
    assert pairs(source(message, "form (2).pdf")) == {"Surname": "PELLING"}
    assert attachment_bytes(raw, 1) == ("form (2).pdf", "application/pdf", second)


def test_attachments_inside_attached_emails_are_numbered_on_and_fetchable() -> None:
    import hashlib

    first = make.label_value_table_pdf([("Surname", "ORMEROD")], "Form one")
    second = make.label_value_table_pdf([("Surname", "PELLING")], "Form two")
    third = make.label_value_table_pdf([("Surname", "QUAYLE")], "Form three")
    deepest = make.email_with([("form.pdf", "application/pdf", third)], subject="Oldest")
    middle = make.email_with([("form.pdf", "application/pdf", second), ("older.eml", "message/rfc822", deepest)],
                             subject="Older")
    raw = make.email_with([("fwd.eml", "message/rfc822", middle), ("form.pdf", "application/pdf", first),
                           ("notes.txt", "text/plain", b"Sibling: Mo Ormerod\n")])
    message = parse_message(raw)
    # each attached email's attachments follow it; a name taken by one of ours gets a number
    assert [(a.filename, a.index, a.parent) for a in message.attachments] == [
        ("fwd.eml", 0, None), ("form (2).pdf", 1, 0), ("older.eml", 2, 0), ("form (3).pdf", 3, 2),
        ("form.pdf", 4, None), ("notes.txt", 5, None)]
    assert pairs(source(message, "form.pdf")) == {"Surname": "ORMEROD"}
    assert pairs(source(message, "form (2).pdf")) == {"Surname": "PELLING"}
    assert pairs(source(message, "form (3).pdf")) == {"Surname": "QUAYLE"}
    for listed in message.attachments:
        name, ctype, data = attachment_bytes(raw, listed.index)
        assert (name, ctype, hashlib.sha256(data).hexdigest()) == (listed.filename, listed.content_type, listed.sha256)
    assert attachment_bytes(raw, 3) == ("form (3).pdf", "application/pdf", third)
    import pytest
    with pytest.raises(IndexError):
        attachment_bytes(raw, 6)


def _bold_question_form(document) -> None:
    document.add_paragraph("Referral: Child Missing Education")
    for question, answer in [("Child's full name", "Rowan Varley"), ("Date of birth", "30/04/2014"),
                             ("Gender", "Male"), ("School last attended", "Brookmere Primary")]:
        document.add_paragraph().add_run(question).bold = True
        document.add_paragraph(answer)
    document.add_paragraph().add_run("Why do you think the child is missing education?").bold = True
    document.add_paragraph("The family moved in July. He has not been in any school since. " * 3)


def test_a_docx_form_of_bold_questions_with_each_answer_below_gives_its_pairs() -> None:
    data = make.docx_bytes(_bold_question_form)
    message = parse_message(make.email_with([("Referral.docx",
                                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                              data)]))
    found = pairs(source(message, "Referral.docx"))
    assert (found["Child's full name"], found["Date of birth"], found["Gender"]) == ("Rowan Varley", "30/04/2014", "Male")
    assert not any(v.startswith("The family moved") for v in found.values())  # a long answer is prose, not a value
