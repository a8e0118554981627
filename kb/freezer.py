"""Frozen-Flask's freezer, writing into the new, empty staging folder a build makes."""

from __future__ import annotations

import mimetypes
import os
import warnings
from functools import cached_property, lru_cache
from pathlib import Path
from unicodedata import normalize

from flask_frozen import Freezer, MimetypeMismatchWarning, NotFoundWarning, RedirectWarning

from kb.pagecache import write_all


class StagingFreezer(Freezer):
    """Frozen-Flask's freezer for a folder that starts empty (kb.output.stage) and gets each page
    once. Each page is asked for and checked as Frozen-Flask does; what it leaves out is asking
    the disk, twice a page, whether the file is already there (it never is), and making the
    page's folder again for each page of it. With keep_bytes, each page's bytes are kept in
    `written` (by URL) for the page cache, which would otherwise read the file back.
    """

    def __init__(self, app, *args, keep_bytes: bool = False, **kwargs):
        super().__init__(app, *args, **kwargs)
        self.keep_bytes = keep_bytes
        self.written: dict[str, bytes] = {}
        self._folders: set[Path] = set()

    @cached_property
    def root(self) -> Path:  # asked several times a page
        return super().root

    def _build_one(self, url: str, last_modified=None) -> Path:
        config = self.app.config
        if (
            config["FREEZER_SKIP_EXISTING"]
            or config["FREEZER_RELATIVE_URLS"]
            or self.log_url_for
            or last_modified is not None
        ):
            return super()._build_one(url, last_modified)  # what kb does not use: as it was
        path = self.root / normalize("NFC", self.urlpath_to_filepath(url))
        policy = config["FREEZER_REDIRECT_POLICY"]
        response = self.app.test_client().get(
            url, follow_redirects=policy == "follow", base_url=config["FREEZER_BASE_URL"]
        )
        if response.status_code != 200:
            if response.status_code == 404 and config["FREEZER_IGNORE_404_NOT_FOUND"]:
                warnings.warn(f"Ignored {response.status!r} on URL {url}", NotFoundWarning, 3)
            elif response.status_code in (301, 302) and policy == "ignore":
                warnings.warn(f"Ignored {response.status!r} on URL {url}", RedirectWarning, 3)
            else:
                raise ValueError(f"Unexpected status {response.status!r} on URL {url}")
        if not config["FREEZER_IGNORE_MIMETYPE_WARNINGS"]:
            guessed = _guess_type(path.name) or config["FREEZER_DEFAULT_MIMETYPE"]
            if guessed != response.mimetype:
                warnings.warn(
                    f"Filename extension of {path.name!r} (type {guessed}) does not match "
                    f"Content-Type: {response.content_type}",
                    MimetypeMismatchWarning,
                    3,
                )
        folder = path.parent
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        content = response.data
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # as open(path, "wb")
        try:
            write_all(handle, [content])
        finally:
            os.close(handle)
        if self.keep_bytes:
            self.written[url] = content
        response.close()
        return path


@lru_cache(maxsize=256)
def _guess_type(name: str) -> str | None:
    """mimetypes' guess from a file name (nearly every page is an index.html)."""
    return mimetypes.guess_type(name)[0]
