/* Highlight on arrival: a search result links to its entry with ?hl=<index terms> (kb/search,
   static/search.js); this marks those terms in the answer. Without `hl` it does nothing and
   loads nothing; with it, it loads static/stem.js to analyze the page's words as search does. */
(() => {
  "use strict";

  const wanted = new URLSearchParams(window.location.search).get("hl");
  const body = document.querySelector("[data-highlight]");
  if (!wanted || !body) return;
  const phrases = wanted.split(",").map((term) => term.split(" ")).filter((p) => p[0]);

  function mark(analysis) {
    const lang = document.documentElement.lang;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.nodeValue;
      const tokens = analysis.terms(lang, text);
      const found = [];
      for (let i = 0; i < tokens.length; i += 1) {
        // The longest phrase that starts here: a synonym's words are marked together.
        let size = 0;
        for (const phrase of phrases) {
          if (phrase.length > size && phrase.every((term, k) => tokens[i + k]?.term === term)) {
            size = phrase.length;
          }
        }
        if (size) {
          found.push([tokens[i].start, tokens[i + size - 1].end]);
          i += size - 1;
        }
      }
      if (!found.length) continue;
      const parts = [];
      let last = 0;
      for (const [start, end] of found) {
        const highlight = document.createElement("mark");
        highlight.textContent = text.slice(start, end);
        parts.push(text.slice(last, start), highlight);
        last = end;
      }
      parts.push(text.slice(last));
      node.replaceWith(...parts);
    }
    body.dataset.highlighted = "true";
  }

  const script = document.createElement("script");
  script.src = new URL("stem.js", document.currentScript.src).href;
  script.onload = () => mark(globalThis.kbAnalysis);
  document.head.append(script);
})();
