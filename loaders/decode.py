"""Decode stage: a file's bytes → the text a reader sees (first version: UTF-8 text)."""

from __future__ import annotations

from pathlib import Path

from loaders.model import DecodedText, DocumentError


def decode_file(path: Path) -> DecodedText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    return decode_bytes(data, path.name)


def decode_bytes(data: bytes, source: str) -> DecodedText:
    if not data.strip():
        raise DocumentError(f"{source}: empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{source}: not valid UTF-8 text (byte {exc.start})") from None
    return DecodedText(source=source, text=text, format="txt", encoding="utf-8")
