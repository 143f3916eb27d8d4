"""Small real documents for tests: synthetic personal numbers, a Word file, a one-page PDF."""

from __future__ import annotations

from pathlib import Path

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str = "12010119900307123", valid: bool = True) -> str:
    """A synthetic 居民身份证号 with a correct (or deliberately wrong) GB 11643 check digit."""
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]
    if not valid:
        check = "0" if check != "0" else "1"
    return first17 + check


def luhn_number(first: str = "622202123456789") -> str:
    """`first` plus the Luhn check digit (a synthetic bank card number)."""
    total = 0
    for i, d in enumerate(reversed(first)):
        n = int(d) * (1 if i % 2 else 2)
        total += n - 9 if n > 9 else n
    return first + str((10 - total % 10) % 10)


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def write_pdf(path: Path, pages: list[str]) -> Path:
    """A minimal PDF, one ASCII text line per page, with a correct cross-reference table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out)
    return path
