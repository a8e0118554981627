"""The `kb` command: each subcommand is a thin wrapper around the modules that do the work."""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import time
from pathlib import Path

import click

from kb.clickwords import LocalizedGroup, argument, option, speak_the_command_language
from kb.frontmatter import N_
from kb.loader import load_site
from kb.parallel import PARALLEL_FROM
from kb.taxonomy import AUDIENCES, LANGS, PHASES
from kb.terminal import (
    PROGRESS_AFTER,
    NewCommand,
    ask_new_entry,
    check_options,
    command_lang,
    french_name_if_all_given,
    gettext,
    live_output,
    localized,
    ngettext,
    number,
    problem_text,
    warnings_summary,
)
from kb.validate import errors

speak_the_command_language()  # click's words, in KB_LANG's language


def _root(root: str | None) -> Path:
    path = Path(root or os.environ.get("KB_ROOT") or Path.cwd()).resolve()
    if not (path / "content").is_dir():
        raise click.ClickException(
            gettext(
                "no content/ folder in %(path)s: run kb from the site's folder or pass --root",
                path=path,
            )
        )
    return path


def _site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--base-url checked as site.yml's site_url is, refused with the reason and the fix."""
    from kb.config import site_url

    try:
        return None if value is None else site_url(value)
    except ValueError as error:
        raise click.BadParameter(localized(error)) from None


root_option = option(
    "--root", type=click.Path(file_okay=False), help=N_("Site folder (default: .)")
)


@click.group(
    cls=LocalizedGroup, help=N_("kb: the Employment Services Transformation knowledge base.")
)
def main() -> None:
    pass


@main.command(help=N_("Validate all content; print every problem as path:line: message."))
@root_option
@option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("text: one line per problem; json: an array, for tools."),
)
@option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help=N_(
        "Language of the messages (fr: as on the French preview pages; default: KB_LANG, else en)."
    ),
)
def check(root: str | None, fmt: str, lang: str | None = None) -> None:
    from kb.i18n import translations

    site = load_site(_root(root))
    catalog = translations(lang or command_lang())
    if fmt == "json":
        found = [{**p.as_dict(), "message": p.localized(catalog.gettext)} for p in site.problems]
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        for problem in site.problems:
            click.echo(problem.shown(catalog.gettext), err=problem.level == "error")
        click.echo(_check_summary(lang or command_lang(), site))
    sys.exit(1 if errors(site.problems) else 0)


def _check_summary(lang: str, site) -> str:
    """The count line after the problems: entry files checked, errors and warnings (on stdout,
    so that every line on stderr stays a path:line: message)."""
    from babel.numbers import format_decimal

    from kb.i18n import translations
    from kb.taxonomy import LOCALES

    catalog = translations(lang)

    def number(value: int) -> str:
        return format_decimal(value, locale=LOCALES[lang])

    error_count = len(errors(site.problems))
    warning_count = len(site.problems) - error_count
    values = {
        "num": number(site.entry_files),
        "errors": catalog.ngettext("%(count)s error", "%(count)s errors", error_count)
        % {"count": number(error_count)},
        "warnings": catalog.ngettext("%(count)s warning", "%(count)s warnings", warning_count)
        % {"count": number(warning_count)},
    }
    if error_count:
        text = catalog.ngettext(
            "%(num)s entry checked: %(errors)s, %(warnings)s.",
            "%(num)s entries checked: %(errors)s, %(warnings)s.",
            site.entry_files,
        )
    elif warning_count:
        text = catalog.ngettext(
            "%(num)s entry checked: no errors, %(warnings)s.",
            "%(num)s entries checked: no errors, %(warnings)s.",
            site.entry_files,
        )
    else:
        text = catalog.ngettext(
            "%(num)s entry checked: no problems.",
            "%(num)s entries checked: no problems.",
            site.entry_files,
        )
    return text % values


@main.command(help=N_("Validate, index and freeze the site into OUTPUT, atomically."))
@root_option
@option(
    "--output",
    "-o",
    default="build",
    type=click.Path(file_okay=False),
    help=N_("Output folder (default: build/)."),
)
@option(
    "--base-url",
    default=None,
    callback=_site_url,
    help=N_(
        "URL the site is served from, e.g. https://example.org/kb/ "
        "(default: site_url in content/site.yml)."
    ),
)
@option("--quiet", "-q", is_flag=True, help=N_("Print only errors."))
@option("--strict", is_flag=True, help=N_("Fail on any warning too (for CI)."))
@option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help=N_(
        "Processes to build with (default: every core, for sites of %(count)d entry files or more)."
    ),
    help_values={"count": PARALLEL_FROM},
)
@option(
    "--compress",
    is_flag=True,
    help=N_(
        "Also write a .gz copy of each text file that gzip makes smaller, for servers that "
        "serve them."
    ),
)
def build(
    root: str | None,
    output: str,
    base_url: str | None,
    quiet: bool,
    jobs: int | None,
    compress: bool,
    strict: bool = False,
) -> None:
    from kb.freeze import BuildError, OutputError, Terminated
    from kb.freeze import build as freeze_build

    site_root = _root(root)
    started = time.perf_counter()
    show = live_output(quiet)
    shown = False

    def progress(count: int, url: str) -> None:
        nonlocal shown
        # Only for builds that take more than a moment: a quick build prints just its summary.
        if show and count % 10 == 0 and time.perf_counter() - started > PROGRESS_AFTER:
            click.echo(
                "\r  " + gettext("%(count)d pages written…", count=count), nl=False, err=True
            )
            shown = True

    try:
        report = freeze_build(
            site_root,
            Path(output),
            base_url=base_url,
            progress=progress,
            jobs=jobs,
            compress=compress,
            strict=strict,
        )
    except OutputError as error:
        raise click.ClickException(localized(error)) from None
    except KeyboardInterrupt as error:  # Ctrl-C or SIGTERM: the staging folder is gone already
        click.echo(
            "\n" + gettext("build interrupted; %(output)s/ was left as it was", output=output),
            err=True,
        )
        sys.exit(143 if isinstance(error, Terminated) else 130)
    except BuildError as error:
        for problem in error.problems:
            click.echo(problem_text(problem), err=True)
        reason = (
            ngettext("%(num)d problem", "%(num)d problems", len(error.problems))
            if error.problems
            else localized(error)
        )
        raise click.ClickException(
            gettext(
                "build stopped: %(reason)s; %(output)s/ was left as it was",
                reason=reason,
                output=output,
            )
        ) from None
    if shown:
        click.echo("\r" + " " * 40 + "\r", nl=False, err=True)
    if not quiet:
        counts = ", ".join(f"{number(n)} {lang}" for lang, n in report.published.items())
        click.echo(
            gettext(
                "Published %(counts)s entries; %(files)s files in %(output)s (%(seconds)s s).",
                counts=counts,
                files=number(report.files),
                output=report.output,
                seconds=number(round(time.perf_counter() - started, 1), "0.0"),
            )
        )
        if report.left_out:
            click.echo(gettext("Note: %(note)s", note=report.left_out), err=True)
    warnings_summary(report.warnings)
    # Everything is written: the collection Python makes on exiting would walk every object
    # still alive (a sixth of a second at 5,000 entries) for memory the exit gives back anyway.
    # (At exit, not now: a caller in the same process, a test, goes on with its collector.)
    atexit.register(gc.freeze)


@main.command(help=N_("Development server: live search, drafts shown, reload on change."))
@root_option
@option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@option("--port", default=8000, type=int, show_default=True, help=N_("Port to listen on."))
@option(
    "--poll",
    is_flag=True,
    help=N_(
        "Look at every content file before each request instead of being told of changes "
        "by the system: for content on a network drive, whose changes made on another machine "
        "the system does not see."
    ),
)
def serve(root: str | None, host: str, port: int, poll: bool) -> None:
    from kb.app import create_app
    from kb.preview import preview_config, run
    from kb.site import current_engine

    # Absolute URLs (sitemap, feeds, canonical links) name the preview's own host.
    app = create_app({**preview_config(_root(root), poll), "KB_HOST_URLS": True})
    with app.app_context():  # index now, not on the first search
        current_engine(drafts=True)
    run(app, host, port)  # kb.preview: reloads in place, writes the cache before it ends


@main.command(
    cls=NewCommand, help=N_("Start an entry: English and French drafts with valid front matter.")
)
@root_option
@option("--id", "id_", help=N_("Id shared by both languages, also the English file name."))
@option("--phase", help=N_("prototype, phase-1, phase-2, phase-3 or all."))
@option("--audience", "audiences", multiple=True, help=N_("Repeat for each audience."))
@option("--topic", "topics", multiple=True, help=N_("Repeat for each topic of content/topics.yml."))
@option("--title-en", help=N_("The question, in English."))
@option("--title-fr", help=N_("The question, in French."))
@option("--slug-en", help=N_("English file name (default: the id)."))
@option("--slug-fr", help=N_("French file name (default: from the French title)."))
@click.pass_context
def new(
    ctx: click.Context,
    root: str | None,
    id_: str | None,
    phase: str | None,
    audiences: tuple[str, ...],
    topics: tuple[str, ...],
    title_en: str | None,
    title_fr: str | None,
    slug_en: str | None,
    slug_fr: str | None,
) -> None:
    import datetime as dt

    from kb import scaffold

    site_root = _root(root)
    site = load_site(site_root)
    choices = {"phase": list(PHASES), "audience": list(AUDIENCES), "topic": list(site.topics)}
    checks = {
        "--id": lambda v: scaffold.new_id(v, site),
        "--phase": lambda v: scaffold.one_of("phase", v.strip(), choices["phase"]),
        "--audience": lambda v: scaffold.some_of("audience", v, choices["audience"]),
        "--topic": lambda v: scaffold.some_of("topic", v, choices["topic"]),
        "--title-en": scaffold.title,
        "--title-fr": scaffold.title,
        "--slug-en": lambda v: scaffold.new_slug(v, site_root, "en"),
        "--slug-fr": lambda v: scaffold.new_slug(v, site_root, "fr"),
    }
    given = check_options(
        ctx,
        {
            option: (value, checks[option])
            for option, value in [
                ("--id", id_),
                ("--phase", phase),
                ("--audience", ",".join(audiences) or None),
                ("--topic", ",".join(topics) or None),
                ("--title-en", title_en),
                ("--title-fr", title_fr),
                # Without --slug-en the English file is named after the id: that name must be free too.
                (
                    "--slug-en",
                    slug_en if slug_en is not None else lambda values: values.get("--id"),
                ),
                (
                    "--slug-fr",
                    slug_fr if slug_fr is not None else french_name_if_all_given,
                ),
            ]
        },
    )
    entry = ask_new_entry(given, checks, choices, suggest_slug_fr=slug_fr is None)
    try:
        scaffold.write(site_root, entry, dt.date.today())
    except OSError as error:
        raise click.ClickException(localized(error)) from None
    click.echo(
        gettext(
            "Wrote %(en)s and %(fr)s (status: draft).\nReplace the TODO: and À FAIRE : "
            "text, preview with `kb serve`, run `kb check`, then set 'status: "
            "published' in both files.",
            en=entry.path("en"),
            fr=entry.path("fr"),
        )
    )


@main.command(
    help=N_("Every entry file: status, translation state, errors and warnings. Always exit 0.")
)
@root_option
@option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("text: a table; json: an array of rows, for tools."),
)
def status(root: str | None, fmt: str) -> None:
    from kb import status as report

    rows = report.rows(load_site(_root(root)))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(report.text(rows), nl=False)


@main.command(
    help=N_("Mark pairs as saying the same thing: rewrites only each file's fingerprint line.")
)
@root_option
@argument("ids", nargs=-1)
@option("--all", "all_", is_flag=True, help=N_("Every pair of the site."))
def sync(root: str | None, ids: tuple[str, ...], all_: bool) -> None:
    from kb.sync import SyncError
    from kb.sync import sync as mark

    site = load_site(_root(root))
    if all_ and ids:
        raise click.UsageError(gettext("give the ids of the entries to sync or --all, not both"))
    if not all_ and not ids:
        raise click.UsageError(gettext("give the ids of the entries to sync, or --all"))
    chosen = sorted({id for _, id in site.entries}) if all_ else list(ids)
    try:
        changed = mark(site, chosen)
    except SyncError as error:
        raise click.ClickException(localized(error)) from None
    for path in changed:
        click.echo(gettext("synced %(path)s", path=path))
    click.echo(
        ngettext("%(num)d entry in line; ", "%(num)d entries in line; ", len(chosen))
        + ngettext("%(num)d file changed.", "%(num)d files changed.", len(changed))
    )


@main.command(
    help=N_("Search the entries; with no QUERY, one query per line of stdin, one JSON line each.")
)
@root_option
@argument("query", required=False)
@option("--lang", required=True, type=click.Choice(LANGS), help=N_("Language searched."))
@option(
    "--limit",
    default=10,
    type=click.IntRange(1, 1000),
    show_default=True,
    help=N_("Most results shown."),
)
@option("--json", "as_json", is_flag=True, help=N_("Print a JSON array of results."))
@option("--audience", type=click.Choice(list(AUDIENCES)), help=N_("Only entries for them."))
@option("--phase", type=click.Choice(list(PHASES)), help=N_("Only entries of this phase."))
def search(
    root: str | None,
    query: str | None,
    lang: str,
    limit: int,
    as_json: bool,
    audience: str | None,
    phase: str | None,
) -> None:
    from kb.cache import CACHE_DIR
    from kb.search.listing import listing
    from kb.search.persist import persisted_engine

    site_root = _root(root)
    engine = persisted_engine(load_site(site_root), site_root / CACHE_DIR / "search")
    options = {"limit": limit, "audience": audience, "phase": phase}
    if query is None:
        for line in sys.stdin.buffer:
            text = line.decode("utf-8", errors="replace").rstrip("\r\n")
            click.echo(json.dumps(engine.search_json(lang, text, **options), ensure_ascii=False))
    elif as_json:
        click.echo(
            json.dumps(engine.search_json(lang, query, **options), ensure_ascii=False, indent=2)
        )
    else:
        click.echo(listing(engine.search(lang, query, **options)))
