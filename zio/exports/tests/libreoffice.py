"""Open an exported Office file with an independent program: LibreOffice, headless."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT = 120  # seconds; a cold start of LibreOffice takes a few


def convert_to_pdf(source: Path, tmp_path: Path) -> Path:
    """Convert `source` to PDF with LibreOffice and return the PDF. Without LibreOffice the
    test is skipped on a workstation, but fails in CI, where it must be installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "LibreOffice (soffice) is not installed, and CI must check exports with it."
            )
        pytest.skip("LibreOffice (soffice) is not installed.")
    outdir = tmp_path / "pdf"
    outdir.mkdir()
    # An own profile per test: parallel runs (and a desktop LibreOffice) do not clash.
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    pdf = outdir / (source.stem + ".pdf")
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), f"LibreOffice made no PDF: {result.stdout} {result.stderr}"
    assert pdf.stat().st_size > 0
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def pdf_text(pdf: Path) -> str | None:
    """The PDF's text through poppler's pdftotext, or None when it is not installed."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    result = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout
