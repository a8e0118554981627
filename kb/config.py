"""The site's configuration, content/site.yml: public URL, publisher, contact, sources, feedback."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from kb.datafiles import DataFile
from kb.frontmatter import N_, Phrase
from kb.taxonomy import LANGS
from kb.validate import Problem

NAME = "site.yml"
KEYS = ("site_url", "publisher", "contact", "sources", "feedback_url")
EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Characters a URL path keeps as they are (RFC 3986 pchar and '/'); '%' keeps escapes already made.
PATH_SAFE = "/:@!$&'()*+,;=-._~%"
SET_IT = N_(
    "set site_url in content/site.yml (site_url: https://example.org/kb/) "
    "or pass --base-url https://example.org/kb/"
)


@dataclass(frozen=True)
class Link:
    """A link shown to readers: where it goes, and the text, per language."""

    href: dict[str, str]
    text: dict[str, str | None]


@dataclass(frozen=True)
class SiteConfig:
    """What content/site.yml says; every value checked. site_url is None when none is given."""

    site_url: str | None = None
    publisher: dict[str, str] = field(default_factory=dict)
    contact: Link | None = None
    sources: tuple[Link, ...] = ()
    feedback_url: str | None = None

    def with_site_url(self, url: str | None) -> SiteConfig:
        """The same configuration served from another URL (a --base-url given on the command line)."""
        return self if url is None else replace(self, site_url=_checked_site_url(url))

    @property
    def absolute(self) -> str | None:
        """'https://host' when the site has a public URL (for sitemaps, feeds, canonical links)."""
        if not self.site_url or not urlsplit(self.site_url).netloc:
            return None
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def path(self) -> str:
        """The sub-path the site is served from, '/' at the root of a host."""
        return urlsplit(self.site_url).path if self.site_url else "/"


def _host(hostname: str, port: int | None, raw: str) -> str:
    """The host in ASCII: an internationalised name as punycode, an IPv6 address in brackets."""
    if ":" in hostname:  # urlsplit already removed the brackets of an IPv6 literal
        return f"[{hostname}]" + (f":{port}" if port else "")
    try:
        ascii_host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError(
            Phrase(
                N_("'%(url)s' has a host name that cannot be written in a URL: check its spelling"),
                url=raw,
            )
        ) from None
    if not all(HOST_LABEL.match(label) for label in ascii_host.split(".")):
        raise ValueError(
            Phrase(
                N_(
                    "'%(url)s' has a host name with characters a host cannot "
                    "have (spaces, '_' or punctuation): check its spelling"
                ),
                url=raw,
            )
        )
    return ascii_host + (f":{port}" if port else "")


# What is left of a scheme typed wrong (http:/x, https//x): not part of the address suggested.
MISTYPED_SCHEME = re.compile(r"^(?:https?:/|https?//)", re.IGNORECASE)


def absolute_url(value: Any, what: str = N_("the URL"), query: bool = True) -> str:
    """A checked http(s) URL in ASCII; raise ValueError (its message a Phrase) saying what to
    write instead; `what` names the URL ('the site URL', N_ for the catalog)."""
    what = what if isinstance(what, Phrase) else Phrase(what)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            Phrase(N_("%(what)s must be a URL such as https://example.org/"), what=what)
        )
    raw = value.strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not raw.lower().startswith(
        f"{parts.scheme.lower()}://"
    ):
        # The address as it would be accepted: a site URL (query=False) has no query or fragment.
        example = MISTYPED_SCHEME.sub("", raw.split("://", 1)[-1]).lstrip("/")
        if not query:
            example = example.split("?", 1)[0].split("#", 1)[0]
        example = example or "example.org/"
        raise ValueError(
            Phrase(
                N_(
                    "%(what)s '%(url)s' must start with https:// or http://, "
                    "e.g. https://%(example)s"
                ),
                what=what,
                url=raw,
                example=example,
            )
        )
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            Phrase(
                N_(
                    "%(what)s '%(url)s' holds a user name or password: remove "
                    "the part before '@' (a public URL needs none)"
                ),
                what=what,
                url=raw,
            )
        )
    if not query and ("?" in raw or parts.query):
        raise ValueError(
            Phrase(
                N_("%(what)s '%(url)s' has a query ('?…'): a site URL cannot have one, remove it"),
                what=what,
                url=raw,
            )
        )
    if not query and ("#" in raw or parts.fragment):
        raise ValueError(
            Phrase(
                N_(
                    "%(what)s '%(url)s' has a fragment ('#…'): a site URL "
                    "cannot have one, remove it"
                ),
                what=what,
                url=raw,
            )
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError(
            Phrase(
                N_("%(what)s '%(url)s' has a port that is not a number from 1 to 65535"),
                what=what,
                url=raw,
            )
        ) from None
    if not parts.hostname:
        raise ValueError(
            Phrase(
                N_("%(what)s '%(url)s' has no host: write it as https://example.org/"),
                what=what,
                url=raw,
            )
        )
    host = _host(parts.hostname, port, raw)
    path = quote(parts.path, safe=PATH_SAFE)
    rest = (f"?{quote(parts.query, safe=PATH_SAFE + '?')}" if parts.query else "") + (
        f"#{quote(parts.fragment, safe=PATH_SAFE + '?#')}" if parts.fragment else ""
    )
    return f"{parts.scheme.lower()}://{host}{path or '/'}{rest}"


def site_url(value: Any) -> str:
    """The site's URL, checked: http(s), a host, no query, fragment or password, ending in '/'.

    A path alone ('/kb/') is accepted too: the site is served from that sub-path on a host not
    named, so pages get root-relative links and nothing absolute.
    """
    if (
        isinstance(value, str)
        and value.strip().startswith("/")
        and not value.strip().startswith("//")
    ):
        path = value.strip()
        if "?" in path or "#" in path:
            raise ValueError(
                Phrase(N_("the site URL '%(url)s' has a query or fragment: remove it"), url=path)
            )
        path = quote(path, safe=PATH_SAFE)
    else:
        path = absolute_url(value, N_("the site URL"), query=False)
    return path if path.endswith("/") else path + "/"


@functools.lru_cache(maxsize=16)
def _checked_site_url(value: str) -> str:
    return site_url(value)  # asked for on every absolute URL of a page: parsed once


def _lines(file: Path) -> dict[tuple, int]:
    """The line of every key and list item, by its path from the top ('sources', 0, 'en', 'url')."""
    try:
        node = yaml.compose(file.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeError, yaml.YAMLError):
        return {}  # DataFile has reported it
    lines: dict[tuple, int] = {}
    seen: set[int] = set()

    def walk(node: yaml.Node, path: tuple) -> None:
        if id(node) in seen or len(path) > 6:  # aliases may point back up; the file is shallow
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, item in node.value:
                lines[path + (str(key.value),)] = key.start_mark.line + 1
                walk(item, path + (str(key.value),))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + 1
                walk(item, path + (index,))

    if node is not None:
        walk(node, ())
    return lines


class _Reader:
    """Checks each value of site.yml, reporting at the line of the key that holds it."""

    def __init__(self, data: DataFile, lines: dict[tuple, int]):
        self.data, self.lines = data, lines

    def report(self, where: tuple, message: str) -> None:
        while where and where not in self.lines:
            where = where[:-1]
        self.data.report(self.lines.get(where, 1), message)

    def bilingual_text(self, value: Any, where: tuple, label: str) -> dict[str, str] | None:
        if not isinstance(value, dict):
            self.report(
                where,
                Phrase(N_("%(label)s must give 'en:' and 'fr:', each a line of text"), label=label),
            )
            return None
        texts = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.report(
                    where + (lang,),
                    Phrase(N_("%(label)s needs its text in '%(lang)s:'"), label=label, lang=lang),
                )
                return None
            texts[lang] = text.strip()
        return texts

    def url(self, value: Any, where: tuple, what: str) -> str | None:
        try:
            return absolute_url(value, what)
        except ValueError as error:
            self.report(where, error.args[0])  # a Phrase
            return None

    def contact(self, value: Any) -> Link | None:
        per_lang = value if isinstance(value, dict) else {lang: value for lang in LANGS}
        href, text = {}, {}
        for lang in LANGS:
            item = per_lang.get(lang)
            where = ("contact", lang) if isinstance(value, dict) else ("contact",)
            if isinstance(item, str) and EMAIL.match(item.strip().removeprefix("mailto:")):
                address = item.strip().removeprefix("mailto:")
                href[lang], text[lang] = f"mailto:{address}", address
            elif isinstance(item, str) and "://" in item:
                href[lang], text[lang] = self.url(item, where, N_("the contact URL")), None
                if href[lang] is None:
                    return None
            else:
                self.report(
                    where,
                    Phrase(
                        N_(
                            "contact must be an email address (info@example.org) or a URL "
                            "(https://example.org/contact/), or one of each in 'en:' and 'fr:'"
                        )
                    ),
                )
                return None
        return Link(href, text)

    def source(self, value: Any, index: int) -> Link | None:
        where, label = ("sources", index), Phrase(N_("source %(number)d"), number=index + 1)
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), dict) for lang in LANGS
        ):
            self.report(
                where,
                Phrase(
                    N_("%(label)s must give 'en:' and 'fr:', each with a title and a url"),
                    label=label,
                ),
            )
            return None
        titles = self.bilingual_text(
            {lang: value[lang].get("title") for lang in LANGS},
            where,
            Phrase(N_("%(label)s: the title"), label=label),
        )
        if titles is None:
            return None
        hrefs = {}
        for lang in LANGS:
            url = value[lang].get("url")
            # A source that is not online (a document sent to partners) is named without a link.
            hrefs[lang] = (
                None
                if url is None
                else self.url(
                    url, where + (lang, "url"), Phrase(N_("the URL of %(label)s"), label=label)
                )
            )
            if url is not None and hrefs[lang] is None:
                return None
        return Link(hrefs, titles)


def load_config(root: Path, problems: list[Problem]) -> SiteConfig:
    """Read and check content/site.yml; a missing file is a site with no URL and no footer links."""
    data = DataFile(root, NAME, problems)
    if data.value is None:
        return SiteConfig()
    if not isinstance(data.value, dict):
        data.say(1, N_("must be a mapping of keys (site_url:, publisher:, …) at the top level"))
        return SiteConfig()
    reader = _Reader(
        data, _lines(root / "content" / NAME) or {(k,): v for k, v in data.lines.items()}
    )
    for key in data.value:
        if key not in KEYS:
            reader.report(
                (str(key),),
                Phrase(
                    N_("unknown key '%(key)s': site.yml has %(keys)s"),
                    key=key,
                    keys=", ".join(KEYS),
                ),
            )
    values = data.value
    url = None
    if values.get("site_url") is not None:
        try:
            url = site_url(values["site_url"])
        except ValueError as error:
            reader.report(("site_url",), error.args[0])  # a Phrase
    publisher = {}
    if "publisher" not in values:
        data.say(1, N_("missing 'publisher:' with the publisher's name in 'en:' and 'fr:'"))
    else:
        publisher = reader.bilingual_text(values["publisher"], ("publisher",), "publisher") or {}
    contact = None
    if "contact" not in values:
        data.say(1, N_("missing 'contact:' with an email address or a URL readers can write to"))
    else:
        contact = reader.contact(values["contact"])
    sources: list[Link] = []
    if not isinstance(values.get("sources"), list) or not values["sources"]:
        reader.report(
            ("sources",),
            Phrase(
                N_(
                    "'sources:' must list the official sources, each "
                    "with 'en:' and 'fr:' giving its title and url"
                )
            ),
        )
    else:
        sources = [s for i, v in enumerate(values["sources"]) if (s := reader.source(v, i))]
    feedback = None
    if values.get("feedback_url") is not None:
        feedback = reader.url(values["feedback_url"], ("feedback_url",), N_("the feedback URL"))
    return SiteConfig(url, publisher, contact, tuple(sources), feedback)
