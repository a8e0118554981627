"""Front matter values (kb.frontmatter): built straight from libyaml's nodes, they are the values
PyYAML's own constructor gives, for every file of the site and for YAML's other shapes."""

from __future__ import annotations

import pytest
import yaml

from kb import frontmatter
from kb.frontmatter import SourceError, decode, parse_yaml, split_front_matter

from support import ROOT

DOCUMENTS = [
    "id: a\ntitle: 'Quoted: yes'\nphase: 2\norder: 10\ndraft: false\nweight: 1.5\nnothing: ~\n",
    "updated: 2024-01-01\nyes_word: yes\nOn: off\nhex: 0x1F\noctal: 0o17\nsexagesimal: 1:30\n",
    "big: 1_000\nneg: -3\nexp: 1e3\ninf: .inf\nnan: .NaN\nempty:\nnull_word: null\n",
    "list: [a, 1, true, null, 2.5]\nnested: {a: [1, {b: c}], d: {}}\nblock:\n  - x\n  - y: z\n",
    "1: one\ntrue: yes\n~: nothing\n2.5: float key\n",
    "dup: 1\ndup: 2\n",
    "base: {a: 1}\nmerged:\n  <<: {b: 2}\n  c: 3\n",
    "set: !!set {a, b}\nomap: !!omap [{a: 1}, {b: 2}]\nbinary: !!binary aGVsbG8=\n",
    "explicit: !!str 12\nint: !!int '7'\nfloat: !!float '3'\n",
    "? [a, b]\n: complex key\n",
    "- just\n- a\n- list\n",
    "plain scalar",
    "'quoted scalar'",
    "",
    "title: |\n  Two\n  lines\nfolded: >\n  one\n  two\n",
]


def stock(text: str):
    """What PyYAML's constructor gives on the same nodes (kb's resolvers and int check)."""
    loader = frontmatter._FastLoader(text)
    try:
        node = loader.get_single_node()
        return (
            None
            if node is None
            else yaml.constructor.SafeConstructor.construct_document(loader, node)
        )
    finally:
        loader.dispose()


def quick(text: str):
    return frontmatter._load(frontmatter._FastLoader, text, 1)[1]


def same(a, b) -> bool:
    """Equal, NaN included, and of the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


@pytest.mark.parametrize("text", DOCUMENTS)
def test_yamls_shapes_give_pyyamls_values(text):
    try:
        expected = stock(text)
    except yaml.YAMLError as error:
        with pytest.raises(type(error)):
            quick(text)
        return
    assert same(quick(text), expected)


def test_every_front_matter_of_the_site_gives_pyyamls_values():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 50
    for file in files:
        front_matter = split_front_matter(decode(file.read_bytes())).front_matter
        assert same(quick(front_matter), stock(front_matter)), file


@pytest.mark.parametrize(
    "text",
    [
        "a: [" + "9" * 200 + "]\nb: !!python/name:os.system x\n",
        "a:\n  b: " + "9" * 200 + "\nc: !!python/name:os.system x\n",
        "a: [!!float x]\nb: !!python/name:os.system y\n",
    ],
)
def test_a_wrong_value_is_reported_as_pyyamls_constructor_reports_it(text):
    """PyYAML's constructor meets the values in its own order: the same first error."""
    with pytest.raises(Exception) as expected:
        stock(text)
    with pytest.raises(type(expected.value)) as got:
        quick(text)
    assert str(got.value) == str(expected.value)


def test_a_number_too_long_is_still_refused():
    with pytest.raises(SourceError, match="a number of 101 digits"):
        parse_yaml("order: " + "9" * 101)


@pytest.mark.parametrize(
    "text,line,value,tag",
    [
        ("draft: !!bool maybe\n", 1, "maybe", "!!bool"),
        ("id: a\norder: !!float x\n", 2, "x", "!!float"),
        ("id: a\nlist:\n  - 1\n  - !!int ten\n", 4, "ten", "!!int"),
        ("id: a\nwhen: !!timestamp soon\n", 2, "soon", "!!timestamp"),
    ],
)
def test_a_tag_that_cannot_take_its_value_names_the_value_and_its_line(text, line, value, tag):
    """PyYAML's constructors fail on such a value with Python's own error (a KeyError, a
    ValueError): the editor gets the value, its line and the fix."""
    with pytest.raises(SourceError) as found:
        parse_yaml(text, first_line=1)
    assert found.value.line == line
    assert found.value.message == (
        f"'{value}' cannot be read as {tag}: correct the value, or remove {tag} to keep it as text"
    )
