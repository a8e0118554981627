"""The review state and the editors' workspace: in `kb serve` only, never in build/."""

from __future__ import annotations

from kb.app import create_app
from kb.freeze import build
from kb.preview import preview_config

from support import entry, make_site, pair

OTHER = {
    "content/en/phase-2/transition.md": entry(id="transition", title="What is the transition?"),
    "content/fr/phase-2/transition-fr.md": entry(id="transition", title="La transition?"),
}


def test_an_entry_in_review_is_never_built_and_is_previewed_with_a_banner(tmp_path):
    root = make_site(tmp_path / "site", {**pair(status="review"), **OTHER})
    out = tmp_path / "out"
    build(root, out)
    built = "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()
    )
    assert "What is the planning period?" not in built and "planning/" not in built
    assert "période de planification" not in built and "planification/" not in built
    assert "What is the transition?" in built
    assert not (out / "_editor").exists()
    client = create_app(preview_config(root)).test_client()
    html = client.get("/en/questions/planning/").get_data(as_text=True)
    assert 'class="draft-banner review-banner"' in html and "This entry awaits review" in html
    html = client.get("/fr/questions/planification/").get_data(as_text=True)
    assert "Cette fiche attend une révision" in html
    assert "En attente de révision" in client.get("/fr/questions/").get_data(as_text=True)


def test_the_workspace_exists_only_in_the_preview(tmp_path):
    root = make_site(tmp_path, {**pair(status="review"), **OTHER})
    assert create_app({"KB_ROOT": root}).test_client().get("/_editor/").status_code == 404
    client = create_app(preview_config(root)).test_client()
    html = client.get("/_editor/?filter=review").get_data(as_text=True)
    assert 'href="/_editor/planning/?lang=en"' in html and "/_editor/transition/" not in html
    html = client.get("/_editor/?lang=fr").get_data(as_text=True)
    assert "Espace des rédacteurs" in html and "/_editor/transition/?lang=fr" in html
    html = client.get("/_editor/planning/").get_data(as_text=True)
    assert (
        "content/en/phase-2/planning.md" in html and "content/fr/phase-2/planification.md" in html
    )
    assert client.get("/_editor/nothing/").status_code == 404
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "_editor" not in sitemap
