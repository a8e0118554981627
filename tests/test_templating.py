"""kb's Jinja environment (kb.app._Environment): the same pages as Jinja's own, made cheaper."""

from __future__ import annotations

import jinja2
from jinja2 import pass_context, pass_environment, pass_eval_context

from kb.app import _Context, _Environment, create_app

from support import ROOT

TEMPLATE = """{% macro twice(x) %}{{ x }}{{ x }}{% endmacro -%}
{% set outer = "block" -%}
{% for item in items %}{% set inner = item * 2 %}{{ plain(item) }} {{ method(item) }} {{ builtin(items) }}
{{ who(inner) }} {{ env(item) }} {{ evalctx(item) }} {{ twice(item) }} {{ stops() is undefined }}
{% endfor %}{{ who("top") }} {{ caller_kw(a=1) }} {{ labels.with_context(3) }} {{ shout(4) }}
{% block part %}{% set in_block = "b" %}{{ who(in_block) }} {{ twice(x=in_block) }}{% endblock %}
{% macro wrap() %}[{{ caller() }}]{% endmacro %}{% call wrap() %}{{ who("called") }}{% endcall %}"""


@pass_context
def who(context, value):
    seen = [context.get(name, "-") for name in ("inner", "outer", "in_block")]
    return ":".join([str(value), *map(str, seen)])


def stops():
    raise StopIteration


class Labels:
    def method(self, value):
        return f"m{value}"

    @pass_context
    def with_context(self, context, value):
        return f"c{value}{context.get('outer')}"


class Shout:
    @pass_context
    def __call__(self, context, value):
        return f"s{value}{context.get('outer')}"


def render(environment: jinja2.Environment) -> str:
    return environment.from_string(TEMPLATE).render(
        items=[1, 2],
        plain=lambda value: f"p{value}",
        method=Labels().method,
        builtin=len,
        who=who,
        env=pass_environment(lambda environment, value: f"e{value}{environment.autoescape}"),
        evalctx=pass_eval_context(lambda ctx, value: f"v{value}{ctx.autoescape}"),
        stops=stops,
        caller_kw=lambda **kwargs: sorted(kwargs),
        labels=Labels(),
        shout=Shout(),
    )


def test_calls_from_templates_are_jinjas():
    """Plain functions, methods and builtins are called at once; functions that ask for the
    context, the environment or the evaluation context, and macros, get what Jinja gives."""
    app = create_app({"KB_ROOT": ROOT})
    assert isinstance(app.jinja_env, _Environment)
    assert app.jinja_env.context_class is _Context
    ours = _Environment(app, autoescape=True)
    stock = jinja2.Environment(autoescape=True)
    rendered = render(ours)
    assert rendered == render(stock)
    assert "4:4:block:-" in rendered and "top:-:block:-" in rendered and "True" in rendered
    assert "c3block s4block" in rendered and "b:-:block:b bb" in rendered
    assert "[called:-:block:-]" in rendered


def test_templates_read_their_globals_from_one_dict():
    """A template's globals are a dict, not Jinja's ChainMap (read key by key in Python on every
    render), and hold every global of the environment."""
    app = create_app({"KB_ROOT": ROOT})
    template = app.jinja_env.get_template("base.html")
    assert type(template.globals) is dict
    assert app.jinja_env.globals.items() <= template.globals.items()
    assert {"url_for", "_", "fragment", "phases"} <= template.globals.keys()


def test_templates_made_before_fragments_still_get_the_navigation():
    """A site's own copy of base.html may still ask for `site_nav(lang)`: it gets the
    navigation that `fragment("_nav.html")` gives."""
    app = create_app({"KB_ROOT": ROOT})
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        old = app.jinja_env.from_string("{{ site_nav(lang) }}").render(lang="fr")
        new = app.jinja_env.from_string('{{ fragment("_nav.html") }}').render()
    assert old == new
    assert '<nav class="site-nav"' in old and "Glossaire" in old


def test_templates_are_kept_in_a_plain_dict_and_forgotten_on_demand(tmp_path):
    """A plain dict (Jinja's bounded cache locks at every look-up); clearing it, as the preview
    does when a template changes, makes the next page read the template again."""
    import shutil

    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    app = create_app({"KB_ROOT": tmp_path})
    assert type(app.jinja_env.cache) is dict
    first = app.jinja_env.get_template("_contact.html")
    assert app.jinja_env.get_template("_contact.html") is first
    (tmp_path / "templates" / "_contact.html").write_text("changed", encoding="utf-8")
    app.jinja_env.cache.clear()
    assert app.jinja_env.get_template("_contact.html").render() == "changed"


def test_macros_get_the_evaluation_context_as_with_jinja():
    """A macro is given the evaluation context, as Jinja gives it: whether it returns markup
    follows the template that calls it (an imported text macro, an autoescape block)."""
    templates = {
        "m.txt": "{% macro m() %}<b>x</b>{% endmacro %}",
        "a.html": "{% from 'm.txt' import m %}[{{ m() }}]",
        "b.html": "{% macro m() %}<b>x</b>{% endmacro %}{% autoescape false %}"
        "[{{ m()|e }}][{{ m() + '<i>' }}]{% endautoescape %}",
    }
    app = create_app({"KB_ROOT": ROOT})

    def environment(kind):
        options = {"loader": jinja2.DictLoader(templates)}
        options["autoescape"] = jinja2.select_autoescape(["html"])
        return kind(app, **options) if kind is _Environment else kind(**options)

    ours, stock = environment(_Environment), environment(jinja2.Environment)
    for name in ("a.html", "b.html"):
        assert ours.get_template(name).render() == stock.get_template(name).render()
    assert ours.get_template("a.html").render() == "[<b>x</b>]"
