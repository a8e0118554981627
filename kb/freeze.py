"""Freezing: every URL of the site into plain files, swapped in only when the whole build succeeded."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_frozen import Freezer, FrozenFlaskWarning

from kb.app import create_app
from kb.content import Site, load_site
from kb.search.export import export_site
from kb.taxonomy import LANGS
from kb.urls import all_pages
from kb.validate import Problem, errors


class BuildError(Exception):
    """The build stopped; the previous output folder is untouched."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class BuildReport:
    output: Path
    published: dict[str, int]
    files: int


def make_freezer(app: Flask, site: Site) -> Freezer:
    freezer = Freezer(app, with_no_argument_rules=False, log_url_for=False)
    freezer.register_generator(lambda: all_pages(site))
    return freezer


def build(
    root: Path,
    output: Path,
    base_url: str = "/",
    progress: Callable[[int, str], None] | None = None,
) -> BuildReport:
    """Check, then freeze into a temporary folder next to output, then swap it in."""
    site = load_site(root)
    if errors(site.problems):
        raise BuildError("content has errors", errors(site.problems))
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
    try:
        app = create_app({
            "KB_ROOT": root,
            "SITE": site,
            "KB_SITE_URL": base_url if urlsplit(base_url).netloc else "http://localhost:8000/",
            "FREEZER_DESTINATION": str(staging),
            "FREEZER_BASE_URL": base_url,
            "FREEZER_REMOVE_EXTRA_FILES": False,
            "FREEZER_STATIC_IGNORE": ["*.tmp"],
        })
        freezer = make_freezer(app, site)
        with warnings.catch_warnings():
            # A page never generated, or a wrong mime type, is a broken site: fail the build.
            warnings.simplefilter("error", FrozenFlaskWarning)
            count = 0
            for count, url in enumerate(freezer.freeze_yield(), start=1):
                if progress:
                    progress(count, url.url)
        export_site(site, staging)  # search/<lang>/: the index static/search.js reads
        _swap(staging, output)
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    published = {lang: len(site.entries_in(lang)) for lang in LANGS}
    return BuildReport(output=output, published=published, files=count)


def _swap(staging: Path, output: Path) -> None:
    """Replace output by staging with two renames, so readers never see a half-written site."""
    backup = None
    if output.exists():
        backup = output.with_name(f".{output.name}.old-{staging.name[-8:]}")
        output.rename(backup)
    staging.rename(output)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
