/* Search without a server: reads the index that kb/search/export.py wrote next to the site,
   analyzes the query with static/stem.js (the server's analysis) and matches, ranks, picks
   snippets and sub-results and suggests spellings by the rules of kb/search/ranking.py,
   passages.py and spelling.py, so the static page shows the same first page as `kb serve`. Loaded by the search page only; without it, the
   page still offers browsing by audience, phase and topic. */
(() => {
  "use strict";

  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
  const analysis = globalThis.kbAnalysis;
  const { TOKEN } = analysis;

  const box = document.getElementById("search-results");
  const configNode = document.getElementById("search-config");
  // The server already answered (kb serve), or there is nothing to do.
  if (!box || !configNode || box.hasAttribute("data-rendered")) return;
  const params = new URLSearchParams(window.location.search);
  const config = JSON.parse(configNode.textContent);
  const strings = config.strings;
  const labels = { phase: new Map(config.labels.phase), audience: new Map(config.labels.audience) };
  const lang = document.documentElement.lang;
  const indexUrl = new URL(box.dataset.index, document.baseURI);
  const rootUrl = new URL(box.dataset.root, document.baseURI);
  const files = new Map();

  const codePoints = (text) => Array.from(text);

  function clean(raw, maxChars) {
    const text = raw.normalize("NFC").replace(CONTROL, " ");
    return codePoints(text).slice(0, maxChars).join("").trim();
  }

  function fnv1a(text) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(text)) {
      hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
    return hash;
  }

  function load(path) {
    if (!files.has(path)) {
      files.set(
        path,
        fetch(new URL(path, indexUrl)).then((response) => {
          if (!response.ok) throw new Error(`${path}: ${response.status}`);
          return response.json();
        }),
      );
    }
    return files.get(path);
  }

  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  async function lookup(kind, count, keys) {
    const found = new Map();
    const shards = [...new Set(keys.map((key) => fnv1a(key) % count))];
    const loaded = await Promise.all(shards.map((n) => load(`${kind}/${n}.json`)));
    for (const key of keys) {
      const shard = loaded[shards.indexOf(fnv1a(key) % count)];
      found.set(key, own(shard, key) ? shard[key] : null);
    }
    return found;
  }

  /* Word groups: kb/search/thesaurus.py's expand(). */

  function thesaurus(groups) {
    const byAlternative = new Map();
    let longest = 1;
    groups.forEach((group, number) => {
      for (const alternative of group) {
        const key = alternative.join(" ");
        if (!byAlternative.has(key)) byAlternative.set(key, []);
        byAlternative.get(key).push(number);
        longest = Math.max(longest, alternative.length);
      }
    });
    return { groups, byAlternative, longest };
  }

  function expand(known, terms) {
    const result = [];
    let start = 0;
    while (start < terms.length) {
      let size = Math.min(known.longest, terms.length - start);
      while (size > 1 && !known.byAlternative.has(terms.slice(start, start + size).join(" "))) {
        size -= 1;
      }
      const span = terms.slice(start, start + size);
      const alternatives = new Map([[span.join(" "), span]]);
      for (const number of known.byAlternative.get(span.join(" ")) || []) {
        for (const alternative of known.groups[number]) {
          alternatives.set(alternative.join(" "), alternative);
        }
      }
      result.push({ span, alternatives: [...alternatives.values()] });
      start += size;
    }
    return result;
  }

  /* Matching and scores: kb/search/ranking.py. Scores are integers: sums and maxima are exact. */

  function allOf(maps) {
    if (!maps.length) return new Map();
    const ordered = [...maps].sort((a, b) => a.size - b.size);
    let found = new Map(ordered[0]);
    for (const scores of ordered.slice(1)) {
      const next = new Map();
      for (const [n, score] of found) if (scores.has(n)) next.set(n, score + scores.get(n));
      found = next;
    }
    return found;
  }

  function anyOf(maps) {
    const total = new Map();
    for (const scores of maps) {
      for (const [n, score] of scores) total.set(n, (total.get(n) || 0) + score);
    }
    return total;
  }

  function bestOf(maps) {
    const best = new Map();
    for (const scores of maps) {
      for (const [n, score] of scores) if (score > (best.get(n) || 0)) best.set(n, score);
    }
    return best;
  }

  function groupScores(postings, group) {
    const maps = group.alternatives.map((alternative) => postings(alternative.join(" ")));
    if (group.span.length > 1) maps.push(allOf(group.span.map(postings)));
    return bestOf(maps);
  }

  function match(postings, groups) {
    const maps = groups.map((group) => groupScores(postings, group));
    const matched = new Map();
    for (const scores of maps) for (const n of scores.keys()) matched.set(n, (matched.get(n) || 0) + 1);
    let best = 0;
    for (const count of matched.values()) best = Math.max(best, count);
    const least = Math.min(Math.ceil((2 * maps.length) / 3), best);
    const kept = new Map([...matched].filter(([, count]) => count >= least));
    const scores = anyOf(maps.map((m) => new Map([...m].filter(([n]) => kept.has(n)))));
    return { scores, matched: kept, relaxed: best < maps.length };
  }

  // Postings: numbers in base 32, low digits first, DIGITS[32..63] meaning "more digits follow"
  // (kb/search/export.py's varint); pairs of (document number difference, score).
  const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  const DIGIT = new Map([...DIGITS].map((digit, value) => [digit, value]));

  function decode(entry) {
    const numbers = [];
    let value = 0;
    let scale = 1;
    for (const digit of entry || "") {
      const d = DIGIT.get(digit);
      value += (d % 32) * scale;
      if (d < 32) {
        numbers.push(value);
        value = 0;
        scale = 1;
      } else {
        scale *= 32;
      }
    }
    const scores = new Map();
    let docnum = 0;
    for (let i = 0; i < numbers.length; i += 2) {
      docnum += numbers[i];
      scores.set(docnum, numbers[i + 1]);
    }
    return scores;
  }

  /* Did you mean: the nearest word of the entries, by edit distance, then frequency. */

  function distance(a, b, most) {
    const x = codePoints(a);
    const y = codePoints(b);
    if (Math.abs(x.length - y.length) > most) return most + 1;
    let before = null;
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i += 1) {
      const row = [i];
      for (let j = 1; j <= y.length; j += 1) {
        const cost = x[i - 1] === y[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
          row[j] = Math.min(row[j], before[j - 2] + 1); // a transposition
        }
      }
      before = previous;
      previous = row;
    }
    return previous[y.length];
  }

  async function nearest(meta, word) {
    const size = codePoints(word).length;
    const most = size > 4 ? 2 : 1;
    const lengths = meta.spell.filter((n) => Math.abs(n - size) <= most);
    const files = await Promise.all(lengths.map((n) => load(`spell/${n}.json`)));
    let best = null;
    for (const candidates of files) {
      for (const [candidate, frequency] of Object.entries(candidates)) {
        if (candidate === word) continue;
        const d = distance(word, candidate, most);
        if (d > most) continue;
        const better =
          !best ||
          d < best.d ||
          (d === best.d && frequency > best.frequency) ||
          (d === best.d && frequency === best.frequency && candidate < best.candidate);
        if (better) best = { candidate, d, frequency };
      }
    }
    return best && best.candidate;
  }

  /* Did you mean: kb/search/spelling.py's rule, after the results are shown. */
  async function suggest(meta, results) {
    const { plan, hasPostings } = results;
    if (results.total >= meta.fewResults) return null;
    const unknown = new Set();
    for (const group of plan.groups) {
      if (!group.alternatives.some((alternative) => hasPostings(alternative.join(" ")))) {
        group.span.forEach((term) => unknown.add(term));
      }
    }
    let text = plan.text;
    let changed = false;
    for (const word of [...plan.words].reverse()) {
      if (!unknown.has(word.term) || codePoints(word.text).length < meta.minSuggested) continue;
      const found = await nearest(meta, word.text);
      if (found) {
        text = text.slice(0, word.start) + found + text.slice(word.end);
        changed = true;
      }
    }
    return changed ? text : null;
  }

  /* Snippets and sub-results: kb/search/passages.py. */

  const SENTENCE = /(?<=[.!?…])\s+/;
  const escapeHtml = (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  function marks(text, alternatives) {
    const tokens = analysis.terms(lang, text);
    const terms = tokens.map((t) => t.term);
    const found = [];
    alternatives.forEach((group, number) => {
      for (const alternative of group) {
        const size = alternative.length;
        for (let i = 0; i + size <= terms.length; i += 1) {
          let same = true;
          for (let k = 0; k < size && same; k += 1) same = terms[i + k] === alternative[k];
          if (same) found.push({ start: tokens[i].start, end: tokens[i + size - 1].end, group: number });
        }
      }
    });
    found.sort((a, b) => a.start - b.start || b.end - a.end || a.group - b.group);
    const kept = [];
    for (const mark of found) if (!kept.length || mark.start >= kept[kept.length - 1].end) kept.push(mark);
    return kept;
  }

  const rank = (found) => [new Set(found.map((m) => m.group)).size, found.length];
  const better = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

  function snippet(meta, sections, alternatives, fallback) {
    let best = null;
    let bestRank = [0, 0];
    for (const [, , text] of sections) {
      for (const sentence of text.split(SENTENCE)) {
        const found = marks(sentence, alternatives);
        const r = rank(found);
        if (better(r, bestRank)) {
          best = [sentence, found];
          bestRank = r;
        }
      }
    }
    if (!best) return escapeHtml(fallback);
    const [text, found] = best;
    const [chars, before] = meta.snippet;
    let start = 0;
    let end = text.length;
    if (text.length > chars) {
      start = Math.max(0, found[0].start - before);
      if (start) {
        const space = text.slice(0, found[0].start).indexOf(" ", start);
        start = space >= 0 ? space + 1 : found[0].start;
      }
      end = Math.min(text.length, start + chars);
      if (end < text.length) {
        const space = text.slice(0, end).lastIndexOf(" ");
        end = space >= found[0].end ? space : Math.max(end, found[0].end);
      }
    }
    let out = "";
    let last = start;
    for (const mark of found) {
      if (mark.start < start || mark.end > end) continue;
      out += `${escapeHtml(text.slice(last, mark.start))}<mark>${escapeHtml(text.slice(mark.start, mark.end))}</mark>`;
      last = mark.end;
    }
    out += escapeHtml(text.slice(last, end));
    return (start ? "… " : "") + out + (end < text.length ? " …" : "");
  }

  function subResults(meta, sections, alternatives) {
    const ranked = [];
    sections.forEach(([anchor, heading, text], number) => {
      if (!anchor) return;
      const r = rank(marks(`${heading}. ${text}`, alternatives));
      if (r[0]) ranked.push([-r[0], -r[1], number, anchor, heading]);
    });
    ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return ranked.slice(0, meta.snippet[2]).map(([, , , anchor, heading]) => [anchor, heading]);
  }

  /* The search: kb/search/query.py's search(). */

  async function search(text, audience, phase, page) {
    const meta = await load("meta.json");
    const words = analysis.terms(lang, text);
    const groups = expand(thesaurus(meta.synonyms), words.map((w) => w.term));
    const plan = { text, words, groups: groups.slice(0, meta.maxGroups) };
    const results = { query: text, hits: [], total: 0, page: 1, pages: 0, relaxed: false, plan };
    results.counts = { phase: new Map(), audience: new Map() };
    results.hasPostings = () => false;
    if (!plan.groups.length) return results;

    const keys = new Set();
    for (const group of plan.groups) {
      group.alternatives.forEach((alternative) => keys.add(alternative.join(" ")));
      group.span.forEach((term) => keys.add(term));
    }
    const absent = new Set(meta.absent);
    const entries = await lookup("terms", meta.terms, [...keys].filter((key) => !absent.has(key)));
    const decoded = new Map();
    const postings = (term) => {
      if (!decoded.has(term)) decoded.set(term, decode(entries.get(term) || null));
      return decoded.get(term);
    };
    results.hasPostings = (key) => postings(key).size > 0;
    const { scores, matched, relaxed } = match(postings, plan.groups);
    results.relaxed = relaxed;

    const facetOf = (n) => meta.facets[meta.facetOf.charCodeAt(n) - 48];
    for (const n of scores.keys()) {
      const [docPhase, docAudiences] = facetOf(n);
      if (!audience || docAudiences.includes(audience)) {
        results.counts.phase.set(docPhase, (results.counts.phase.get(docPhase) || 0) + 1);
      }
      if (!phase || docPhase === phase) {
        for (const name of docAudiences) {
          results.counts.audience.set(name, (results.counts.audience.get(name) || 0) + 1);
        }
      }
    }
    const allowed = [...scores.keys()].filter((n) => {
      const [docPhase, docAudiences] = facetOf(n);
      return (!audience || docAudiences.includes(audience)) && (!phase || docPhase === phase);
    });
    allowed.sort((a, b) => matched.get(b) - matched.get(a) || scores.get(b) - scores.get(a) || a - b);
    const perPage = config.perPage;
    results.total = allowed.length;
    results.pages = Math.ceil(results.total / perPage);
    results.page = Math.min(Math.max(page, 1), Math.max(results.pages, 1));
    const shown = allowed.slice((results.page - 1) * perPage, results.page * perPage);

    const size = meta.docsPerShard;
    const shards = [...new Set(shown.map((n) => Math.floor(n / size)))];
    const loaded = new Map(
      await Promise.all(shards.map(async (s) => [s, await load(`docs/${s}.json`)])),
    );
    const alternatives = plan.groups.map((group) => group.alternatives);
    results.highlight = [...keys].join(",");
    results.hits = shown.map((n) => {
      const [id, title, url, summary, sections] = loaded.get(Math.floor(n / size))[n % size];
      const [docPhase, docAudiences] = facetOf(n);
      return {
        id, title, url, phase: docPhase, audiences: docAudiences,
        score: scores.get(n) / meta.scale,
        snippet: snippet(meta, sections, alternatives, summary),
        sections: subResults(meta, sections, alternatives).map(([anchor, heading]) => ({
          title: heading, url: `${url}#${anchor}`,
        })),
      };
    });
    results.suggestion = null;
    return results;
  }

  /* The page and `kb search --json` in the same terms, for tests and tools. */
  async function searchJson(text, options = {}) {
    const results = await search(clean(text, config.maxChars), options.audience || null,
      options.phase || null, options.page || 1);
    const meta = await load("meta.json");
    return {
      total: results.total, relaxed: results.relaxed,
      suggestion: await suggest(meta, results),
      counts: { phase: Object.fromEntries(results.counts.phase),
        audience: Object.fromEntries(results.counts.audience) },
      hits: results.hits.map(({ id, title, url, phase: p, audiences, score, snippet: s, sections }) =>
        ({ id, title, url, phase: p, audiences, score, snippet: s, sections })),
    };
  }
  globalThis.kbSearch = searchJson;

  /* The page: the same markup as templates/search.html renders on the server. */

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (own(values, name) ? values[name] : whole));
  }

  function snippetNode(html) {
    // Built by snippet() from escaped text and <mark> only.
    const node = el("p", { class: "snippet" });
    node.innerHTML = html;
    return node;
  }

  // An entry page highlights these terms on arrival (static/highlight.js).
  const landing = (href, results) => `${href}?${new URLSearchParams({ hl: results.highlight })}`;

  // The polite live region gets the count sentence alone, not the list of results.
  function announce(text) {
    const status = document.getElementById("search-status");
    if (status) status.textContent = text;
  }

  function render(results, audience, phase) {
    const link = (changes) => {
      const values = { q: results.query, audience, phase, page: null, ...changes };
      const query = new URLSearchParams();
      for (const key of ["q", "audience", "phase", "page"]) if (values[key]) query.set(key, values[key]);
      return `${window.location.pathname}?${query}`;
    };
    const parts = [];
    if (results.total) {
      const one = lang === "fr" ? results.total <= 1 : results.total === 1;
      const template = strings.results[one ? 0 : 1];
      parts.push(el("p", { class: "search-summary" },
        fill(template, { count: String(results.total), query: results.query })));
    } else {
      parts.push(el("p", { class: "search-summary" }, fill(strings.none, { query: results.query })));
    }
    const suggestion = el("p", { class: "search-suggestion", hidden: "" });
    parts.push(suggestion);
    results.showSuggestion = (text) => {
      const [before, after] = strings.suggestion.split("{suggestion}");
      const target = link({ q: text, audience: null, phase: null });
      suggestion.replaceChildren(before, el("a", { href: target }, text), after);
      suggestion.hidden = false;
      // The count was announced before the spelling was known: say both (WCAG 4.1.3).
      announce(`${parts[0].textContent} ${suggestion.textContent}`);
    };
    if (results.relaxed && results.total) {
      parts.push(el("p", { class: "search-note" }, strings.relaxed));
    }
    if (results.total || audience || phase) {
      const filters = el("div", { class: "search-filters" });
      for (const [kind, chosen, heading, any] of [
        ["audience", audience, strings.filterAudience, strings.anyAudience],
        ["phase", phase, strings.filterPhase, strings.anyPhase],
      ]) {
        const list = el("ul", { class: "filter-list" });
        const anyLink = el("a", { href: link({ [kind]: null }) }, any);
        if (!chosen) anyLink.setAttribute("aria-current", "true");
        list.append(el("li", {}, anyLink));
        for (const [id, label] of labels[kind]) {
          const count = results.counts[kind].get(id) || 0;
          const text = [`${label} `, el("span", { class: "count" }, `(${count})`)];
          if (count || chosen === id) {
            const a = el("a", { href: link({ [kind]: id }) }, ...text);
            if (chosen === id) a.setAttribute("aria-current", "true");
            list.append(el("li", {}, a));
          } else {
            list.append(el("li", {}, el("span", {}, ...text)));
          }
        }
        filters.append(el("nav", { "aria-labelledby": `filter-${kind}` },
          el("h2", { id: `filter-${kind}` }, heading), list));
      }
      parts.push(filters);
    }
    if (results.hits.length) {
      const start = (results.page - 1) * config.perPage + 1;
      const list = el("ol", { class: "search-hits", start: String(start) });
      for (const hit of results.hits) {
        const href = new URL(hit.url.replace(/^\//, ""), rootUrl).pathname;
        const audiences = hit.audiences.map((a) => labels.audience.get(a)).join(", ");
        const item = el("li", { "data-id": hit.id },
          el("h3", {}, el("a", { href: landing(href, results) }, hit.title)),
          snippetNode(hit.snippet));
        if (hit.sections.length) {
          item.append(el("ul", { class: "sub-results" }, ...hit.sections.map((section) => {
            const [path, anchor] = section.url.split("#");
            const target = new URL(path.replace(/^\//, ""), rootUrl).pathname;
            return el("li", {}, el("a", { href: `${landing(target, results)}#${anchor}` }, section.title));
          })));
        }
        item.append(el("p", { class: "meta" }, `${labels.phase.get(hit.phase)} · ${audiences}`));
        list.append(item);
      }
      parts.push(el("h2", { class: "visually-hidden" }, strings.hits), list);
    }
    if (results.pages > 1) {
      const nav = el("nav", { class: "pagination", "aria-label": strings.pages });
      if (results.page > 1) {
        nav.append(el("a", { rel: "prev", href: link({ page: results.page - 1 }) }, strings.previous));
      }
      nav.append(el("span", {}, fill(strings.page, { page: results.page, pages: results.pages })));
      if (results.page < results.pages) {
        nav.append(el("a", { rel: "next", href: link({ page: results.page + 1 }) }, strings.next));
      }
      parts.push(nav);
    }
    if (!results.total) parts.push(el("p", {}, strings.tryOther));
    box.replaceChildren(...parts);
    announce(parts[0].textContent);
    const browse = document.getElementById("browse-section");
    if (browse) browse.hidden = results.total > 0;
  }

  function chosen(name) {
    const value = params.get(name);
    return value && labels[name].has(value) ? value : null;
  }

  async function run() {
    const query = clean(params.get("q") || "", config.maxChars);
    if (!query) return; // as on the server: no query, the page offers browsing
    const audience = chosen("audience");
    const phase = chosen("phase");
    const page = /^\s*[+-]?\d+\s*$/.test(params.get("page") || "") ? Number(params.get("page")) : 1;
    box.setAttribute("aria-busy", "true");
    try {
      const results = await search(query, audience, phase, page);
      for (const id of ["search-q", "site-search"]) {
        const input = document.getElementById(id);
        if (input) input.value = results.query;
      }
      render(results, audience, phase);
      box.dataset.done = "true";
      // Spelling only after the results are on the page.
      const suggestion = await suggest(await load("meta.json"), results);
      if (suggestion) results.showSuggestion(suggestion);
      box.dataset.spelled = "true";
    } catch (error) {
      console.error(error);
      box.replaceChildren(el("p", { class: "search-summary" }, strings.failed));
      announce(strings.failed);
      box.dataset.done = "failed";
    } finally {
      box.removeAttribute("aria-busy");
    }
  }

  run();
})();
