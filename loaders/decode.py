"""Decode stage: a file's bytes → the text a reader sees, and how it was read.

Plain text in UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK (strictly
decoded, checked for plausibility, charset-normalizer as a last resort); HTML; .docx
(paragraphs, with Word's automatic list numbers written out, and table cells in body
order); .pdf with a text layer. Anything else,
and empty, binary or undecodable input, raises DocumentError with one line naming the file.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

from loaders.html import declared_charset, html_to_text, looks_like_html
from loaders.model import DecodedText, DocumentError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".tsv", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
UNSUPPORTED = {".doc": "legacy Word .doc", ".xls": "Excel .xls", ".xlsx": "Excel .xlsx", ".ppt": "PowerPoint",
               ".pptx": "PowerPoint", ".wps": "WPS", ".rtf": "RTF", ".odt": "OpenDocument", ".zip": "zip archive",
               ".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".tif": "image",
               ".tiff": "image", ".ofd": "OFD"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_file(path: Path, source: str | None = None) -> DecodedText:
    """Decode a file; its document is named `source` (default: the file's name)."""
    path = Path(path)
    if path.is_dir():
        raise DocumentError(f"{path}: is a directory, not a document")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    return decode_bytes(data, source or path.name)


def decode_bytes(data: bytes, source: str) -> DecodedText:
    """The text of a file's bytes, with their digest (see file_digest)."""
    return replace(_decode(data, source), digest=file_digest(data))


def file_digest(data: bytes) -> str:
    """SHA-256 of a file's bytes, in hex: what the store records to recognise a file it already holds."""
    return hashlib.sha256(data).hexdigest()


def _decode(data: bytes, source: str) -> DecodedText:
    """Sniff the format from the content first (a .txt holding HTML is HTML), then the name."""
    suffix = Path(source).suffix.lower()
    if not data.strip():
        raise DocumentError(f"{source}: empty file")
    if data.startswith(b"%PDF-"):
        return DecodedText(source=source, text=_pdf_text(data, source), format="pdf")
    if data.startswith(b"PK\x03\x04"):
        if suffix in (".docx", "") or _is_docx(data):
            return DecodedText(source=source, text=_docx_text(data, source), format="docx")
        raise DocumentError(f"{source}: unsupported format ({UNSUPPORTED.get(suffix, 'zip archive')})")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"{source}: unsupported format (legacy Office file; save it as .docx or .pdf)")
    if suffix in (".pdf", ".docx"):
        raise DocumentError(f"{source}: not a valid {suffix[1:]} file")
    if suffix in UNSUPPORTED:
        raise DocumentError(f"{source}: unsupported format ({UNSUPPORTED[suffix]})")
    text, encoding = _decode_text(data, source)
    if suffix in HTML_SUFFIXES or looks_like_html(text):
        body = html_to_text(text)
        if not body.strip():
            raise DocumentError(f"{source}: HTML page without text")
        return DecodedText(source=source, text=body, format="html", encoding=encoding)
    return DecodedText(source=source, text=text, format="txt", encoding=encoding)


# --- plain text ----------------------------------------------------------------------

def _plausible(text: str, cjk: bool = True) -> bool:
    """Real prose: few control characters, and (for a legacy encoding) non-ASCII mostly common CJK."""
    if not text.strip():
        return False
    if len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        return False
    if not cjk:
        return True
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return True
    common = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or ch in "·×÷≥≤°")
    return common / len(wide) >= 0.85


def _decode_text(data: bytes, source: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise DocumentError(f"{source}: binary file, not a text document")
        declared = declared_charset(data)
        candidates = ["utf-8", "gb18030"]
        if declared and declared not in ("utf-8", "utf8"):
            candidates.insert(0, "gb18030" if declared in ("gbk", "gb2312", "gb18030", "x-gbk") else declared)
    for encoding in dict.fromkeys(candidates):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text, cjk=not encoding.startswith("utf")):
            return text, encoding
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    raise DocumentError(f"{source}: binary or undecodable file (not UTF-8, GB18030 or another known text encoding)")


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return (text, best.encoding) if _plausible(text) else None


# --- Office and PDF ------------------------------------------------------------------

def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _docx_text(data: bytes, source: str) -> str:
    """Paragraphs and tables in body order; a table row is its cells joined by tabs."""
    import docx
    from docx.oxml.ns import qn

    from loaders.docx_numbering import ListNumbers
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken packages
        raise DocumentError(f"{source}: not a readable .docx file ({type(exc).__name__})") from None
    numbers = ListNumbers(document)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(numbers.label(child) + Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.replace("\n", " ").strip()
                    if not cells or cells[-1] != text:  # merged cells repeat
                        cells.append(text)
                lines.append("\t".join(cells))
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise DocumentError(f"{source}: .docx file without text")
    return text + "\n"


def _unspace(line: str) -> str:
    """Undo the letter-spacing PDF extraction gives CJK lines (“绵 阳 市 …” → “绵阳市…”)."""
    chars = len(line.replace(" ", ""))
    single_gaps = len(re.findall(r"(?<=\S) (?=\S)", line))
    if chars >= 4 and single_gaps >= 0.4 * chars:
        line = re.sub(r"(?<=\S) (?=\S)", "", line)
        line = re.sub(r" {2,}", " ", line)
    return line.strip()


def _pdf_text(data: bytes, source: str) -> str:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported by DocumentError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{source}: encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds for broken files
        raise DocumentError(f"{source}: not a readable PDF ({type(exc).__name__})") from None
    # some fonts' ToUnicode maps leave NULs between characters; they carry nothing
    pages = [_CONTROL.sub("", page.replace("\x0c", "\n")) for page in pages]
    text = "\n".join(_unspace(line) for page in pages for line in page.strip("\n").split("\n"))
    if not text.strip():
        raise DocumentError(f"{source}: PDF without a text layer (scanned pages need OCR first)")
    return text + "\n"
