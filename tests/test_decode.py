"""Decode stage: every input format gives the same reading; bad input gives one clear line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from loaders.decode import decode_bytes, decode_file
from loaders.model import DocumentError
from loaders.pipeline import read_bytes, read_document
from loaders.structure import read_outline

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reader"


def outline_shape(sections) -> list:
    return [(s.number, s.title, s.level, outline_shape(s.children)) for s in sections]


@pytest.fixture(scope="module")
def measures_text() -> str:
    return (FIXTURES / "measures.txt").read_text(encoding="utf-8")


# --- plain text in several encodings ----------------------------------------------------

@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: t.encode("utf-16"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom"],
)
def test_text_encodings_give_the_same_text(measures_text, encode, encoding):
    decoded = decode_bytes(encode(measures_text), "measures.txt")
    assert decoded.format == "txt"
    assert decoded.encoding == encoding
    assert decoded.text == measures_text


def test_gb18030_document_has_the_same_outline(measures_text):
    from_utf8 = read_bytes(measures_text.encode("utf-8"), "m.txt", extract=False)
    from_gb = read_bytes(measures_text.encode("gb18030"), "m.txt", extract=False)
    assert outline_shape(from_gb.sections) == outline_shape(from_utf8.sections)
    assert [s.start for s in from_gb.all_sections()] == [s.start for s in from_utf8.all_sections()]
    assert from_gb.issuer == from_utf8.issuer == "绵阳市市场监督管理局"


def test_seed_in_gb18030_has_the_same_outline(seeds_dir):
    path = seeds_dir / "001_46451a5033d84576.txt"
    text = path.read_text(encoding="utf-8")
    decoded = decode_bytes(text.encode("gb18030"), path.name)
    assert decoded.encoding == "gb18030" and decoded.text == text
    assert outline_shape(read_outline(decoded.text)) == outline_shape(read_outline(text))


def test_decode_file_names_the_file_and_keeps_text_unnormalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("一、总则\r\n（一）适用范围。本办法适用于全县。\r\n".encode("utf-8"))
    decoded = decode_file(path)
    assert decoded.source == "crlf.txt"
    assert "\r\n" in decoded.text  # offsets index the text as decoded, so nothing is rewritten
    sections = read_outline(decoded.text)
    assert sections[0].title == "总则"
    assert sections[0].children[0].title == "适用范围"


# --- HTML -----------------------------------------------------------------------------

def test_html_drops_scripts_navigation_and_footer():
    decoded = decode_file(FIXTURES / "article.html")
    assert decoded.format == "html"
    assert decoded.encoding == "utf-8"
    text = decoded.text
    assert "东港区“十四五”市场监管规划发布" in text
    for chrome in ("脚本里的字", "导航栏目", "首页", "版权所有", "font-size"):
        assert chrome not in text
    assert "指标\t目标值" in text  # table cells stay apart, one row a line


def test_html_outline_and_metadata():
    doc = read_document(FIXTURES / "article.html", extract=False)
    assert [(s.number, s.title) for s in doc.sections] == [("01", "强化食品安全"), ("02", "优化营商环境")]
    assert doc.doc_type == "press_article"
    assert doc.date == "2022-05-10"
    assert doc.region is not None and doc.region.adcode == "371102"
    assert doc.about == "日照市东港区“十四五”市场监管规划"


def test_html_in_gbk_without_declared_charset():
    page = "<html><body><p>一、总体要求</p><p>加强监管。</p></body></html>"
    decoded = decode_bytes(page.encode("gbk"), "page.htm")
    assert decoded.format == "html" and decoded.encoding == "gb18030"
    assert decoded.text.splitlines() == ["一、总体要求", "加强监管。"]


def test_html_is_recognised_by_content_whatever_the_name():
    decoded = decode_bytes("<!DOCTYPE html><html><body><p>正文内容</p></body></html>".encode(), "saved.txt")
    assert decoded.format == "html"
    assert decoded.text.strip() == "正文内容"


# --- docx and pdf -----------------------------------------------------------------------

def test_docx_paragraphs_and_table_cells_in_order(tmp_path, measures_text):
    import docx

    document = docx.Document()
    lines = measures_text.splitlines()
    for line in lines[:4]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标值"
    table.cell(1, 0).text, table.cell(1, 1).text = "检验收费减免比例", "50%"
    for line in lines[4:]:
        document.add_paragraph(line)
    path = tmp_path / "measures.docx"
    document.save(path)

    decoded = decode_file(path)
    assert decoded.format == "docx" and decoded.encoding is None
    text_lines = decoded.text.splitlines()
    assert text_lines[:4] == lines[:4]
    assert text_lines[4:6] == ["指标\t目标值", "检验收费减免比例\t50%"]
    assert text_lines[6:] == lines[4:]
    doc = read_document(path, extract=False)
    assert [s.title for s in doc.sections] == ["降低经营成本", "优化登记服务"]
    assert doc.issuer == "绵阳市市场监督管理局"


def test_docx_automatic_list_numbers_are_written_out(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        "</w:abstractNum>"
    ))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        num_pr = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = 90

    numbered("总体要求", 0)
    numbered("指导思想", 1)
    numbered("主要目标", 1)
    numbered("重点任务", 0)
    numbered("强化监管", 1)
    path = tmp_path / "numbered.docx"
    document.save(path)
    assert decode_file(path).text.splitlines() == ["一、总体要求", "（一）指导思想", "（二）主要目标", "二、重点任务", "（一）强化监管"]
    sections = read_document(path, extract=False).sections
    assert [(s.title, [c.title for c in s.children]) for s in sections] == [
        ("总体要求", ["指导思想", "主要目标"]), ("重点任务", ["强化监管"]),
    ]


def test_pdf_text_layer(measures_text):
    decoded = decode_file(FIXTURES / "measures.pdf")
    assert decoded.format == "pdf"
    assert decoded.text.split() == measures_text.split()
    doc = read_document(FIXTURES / "measures.pdf", extract=False)
    assert [s.number for s in doc.all_sections()] == ["一、", "1.", "2.", "二、", "3."]
    assert doc.date == "2022-03-15" and doc.region is not None and doc.region.adcode == "510700"


def test_pdf_made_on_the_fly_with_fpdf2(tmp_path, measures_text):
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 builds a PDF fixture on the fly")
    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font.exists():
        pytest.skip("no CJK font to lay out Chinese text")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("noto", fname=str(font), collection_font_number=0)
    pdf.set_font("noto", size=12)
    for line in measures_text.splitlines():
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "onthefly.pdf"
    pdf.output(str(path))
    assert decode_file(path).text.split() == measures_text.split()


# --- bad input ------------------------------------------------------------------------

def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _broken_docx() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<not-xml")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\r\n ", "empty"),
        ("image.txt", bytes(range(256)) * 8, "binary"),
        ("noise.txt", bytes(range(0x80, 0x100)) * 40, "undecodable"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "unsupported"),
        ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 64, "unsupported"),
        ("table.xls", "一、总则".encode(), "unsupported"),
        ("broken.pdf", b"%PDF-1.7\n garbage that is no pdf", "PDF"),
        ("scan.pdf", _blank_pdf(), "text layer"),
        ("truncated.docx", b"PK\x03\x04 truncated", "docx"),
        ("broken.docx", _broken_docx(), "docx"),
        ("renamed.pdf", "一、总则".encode(), "pdf"),
    ],
)
def test_bad_input_raises_one_line_naming_the_file(name, data, reason):
    with pytest.raises(DocumentError) as caught:
        decode_bytes(data, name)
    message = str(caught.value)
    assert message.startswith(name + ":")
    assert reason in message
    assert "\n" not in message


def test_bad_files_on_disk(tmp_path):
    with pytest.raises(DocumentError, match=r"missing\.txt: cannot read file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match="is a directory"):
        read_document(tmp_path)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"<html><body><script>var x;</script></body></html>")
    with pytest.raises(DocumentError, match=r"empty\.html: HTML page without text"):
        read_document(empty)
