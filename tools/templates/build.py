"""Build the downloadable templates into content/<module>/templates/, deterministically.

    .venv/bin/python -m tools.templates.build            # write the files, print their sizes
    .venv/bin/python -m tools.templates.build --check    # exit 1 if a shipped file differs from what is built

The files are committed (content/ is what import_content reads); this script is how they are
rebuilt after a change of wording or layout. Each template's title per language, used on the site
and as the downloaded file's name, is declared in the module's module.yaml (`templates`).
"""
from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import documents, spreadsheets

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"

# (module, key, format, builder, languages)
TEMPLATES: list[tuple[str, str, str, Callable[[str], bytes], list[str]]] = [
    ("basic-finance", "annual-budget", "xlsx", spreadsheets.annual_budget, ["fr", "zh-hans"]),
    ("basic-finance", "bank-reconciliation", "xlsx", spreadsheets.bank_reconciliation, ["fr", "zh-hans"]),
    ("basic-finance", "cash-plan", "xlsx", spreadsheets.cash_plan, ["fr", "zh-hans"]),
    ("communication", "consent-form", "docx", documents.consent_form, ["fr", "zh-hans"]),
    ("communication", "editorial-calendar", "xlsx", spreadsheets.editorial_calendar, ["fr", "zh-hans"]),
    ("communication", "one-page-presentation", "docx", documents.one_page_presentation, ["fr", "zh-hans"]),
    ("project-funding", "logframe", "docx", documents.logframe, ["fr", "zh-hans"]),
    ("volunteer-management", "volunteer-agreement", "docx", documents.volunteer_agreement, ["fr", "zh-hans", "en"]),
]


def build_all() -> dict[Path, bytes]:
    files = {}
    for module, key, file_format, builder, languages in TEMPLATES:
        for language in languages:
            files[CONTENT / module / "templates" / f"{key}.{language}.{file_format}"] = builder(language)
    return files


def package_members(data: bytes) -> dict[str, bytes]:
    """What a package holds, member by member (compression may differ between zlib builds)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped files, write nothing")
    args = parser.parse_args(argv)
    different = []
    for path, data in build_all().items():
        relative = path.relative_to(ROOT)
        if args.check:
            if not path.exists() or package_members(path.read_bytes()) != package_members(data):
                different.append(str(relative))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        print(f"{relative}  {len(data):>7,} bytes")
    if different:
        print("Not what the generator builds (run python -m tools.templates.build):", *different, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
