/* kb's text analysis in the browser: the steps of kb/search/analysis.py (tokens, case and accent
   folding, stop words) and ports of the stemmers Whoosh applies there (whoosh.lang.porter for
   English, whoosh.lang.snowball.french for French), so the static pages analyze any word as the
   server does. tests/test_search_stemmer.py checks them word for word against Whoosh. Used by
   search.js and highlight.js; also loadable in Node (module.exports). */
(() => {
  "use strict";

  const TOKEN = /[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*/gu; // Python's \w+(?:\.\w+)*
  const LIGATURES = { "œ": "oe", "æ": "ae", "ß": "ss" };
  // kb.search.analysis.STOP_WORDS, folded (the test compares them).
  const STOP = {
    en: new Set(
      "a about above after again against all also am an and any are as at be because been before being below between both but by can could d did do does doing don down during each few for from further get got had has have having he her here hers herself him himself his how i if in into is it its itself just let ll m me more most my myself no nor not now of off on once only or other our ours ourselves out over own re s same she should so some such t than that the their theirs them themselves then there these they this those through to too under until up us ve very was we were what when where which while who whom why will with would you your yours yourself yourselves".split(" "),
    ),
    fr: new Set(
      "a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants ayez ayons c ca ce ceci cela celle celui ces cet cette ceux comment d dans de des dont du elle elles en es est et etaient etais etait etant etante etantes etants ete etee etees etes etiez etions eu eue eues eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux fumes furent fus fusse fussent fusses fussiez fussions fut futes il ils j je l la le les leur leurs lorsque lui m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas pour pourquoi qu quand que quel quelle quelles quels qui s sa se sera serai seraient serais serait seras serez seriez serions serons seront ses si soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y".split(" "),
    ),
  };

  function fold(word) {
    return word
      .toLowerCase()
      .replace(/[œæß]/g, (ch) => LIGATURES[ch])
      .normalize("NFKD")
      .replace(/\p{M}/gu, "");
  }

  /* Words as readers type them, folded, without stop words, with where they are in the text. */
  function words(lang, text) {
    const found = [];
    for (const match of text.matchAll(TOKEN)) {
      const word = fold(match[0]);
      if (word && !STOP[lang].has(word)) {
        found.push({ text: word, start: match.index, end: match.index + match[0].length });
      }
    }
    return found;
  }

  /* English: whoosh.lang.porter.stem, step by step. */
  const STEP2 = {
    ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble",
    alli: "al", entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate",
    alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive",
    biliti: "ble", logi: "log",
  };
  const STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  const C = "[^aeiouy]+";
  const V = "[aeiou]+";
  const MGR0 = new RegExp(`^(${C})?${V}${C}`);
  const MEQ1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
  const MGR1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
  const S_V = new RegExp(`^(${C})?[aeiouy]`);
  const C_V = new RegExp(`^${C}[aeiouy][^aeiouwxy]$`);
  const ED_ING = /^(.*)(ed|ing)$/;
  const AT_BL_IZ = /^(at|bl|iz)$/; // Python's re.match on "(at|bl|iz)$": anchored at the start
  const STEP1B = /^([^aeiouylsz])\1$/;
  const RE2 = new RegExp(`^(.+?)(${Object.keys(STEP2).join("|")})$`);
  const RE3 = new RegExp(`^(.+?)(${Object.keys(STEP3).join("|")})$`);
  const RE4_1 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
  const RE4_2 = /^(.+?)(s|t)(ion)$/;
  const RE5 = /^(.+?)e$/;

  function stemEn(word) {
    let w = word;
    if (Array.from(w).length < 3) return w;
    const firstIsY = w[0] === "y";
    if (firstIsY) w = `Y${w.slice(1)}`;
    if (w.endsWith("s")) {
      if (w.endsWith("sses") || w.endsWith("ies")) w = w.slice(0, -2);
      else if (w[w.length - 2] !== "s") w = w.slice(0, -1);
    }
    let m;
    if (w.endsWith("eed")) {
      if (MGR0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((m = ED_ING.exec(w))) {
      const stem = m[1];
      if (S_V.test(stem)) {
        w = stem;
        if (AT_BL_IZ.test(w)) w += "e";
        else if (STEP1B.test(w)) w = w.slice(0, -1);
        else if (C_V.test(w)) w += "e";
      }
    }
    if (w.endsWith("y")) {
      const stem = w.slice(0, -1);
      if (S_V.test(stem)) w = `${stem}i`;
    }
    if ((m = RE2.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP2[m[2]];
    if ((m = RE3.exec(w)) && MGR0.test(m[1])) w = m[1] + STEP3[m[2]];
    if ((m = RE4_1.exec(w))) {
      if (MGR1.test(m[1])) w = m[1];
    } else if ((m = RE4_2.exec(w))) {
      if (MGR1.test(m[1] + m[2])) w = m[1] + m[2];
    }
    if ((m = RE5.exec(w))) {
      const stem = m[1];
      if (MGR1.test(stem) || (MEQ1.test(stem) && !C_V.test(stem))) w = stem;
    }
    if (w.endsWith("ll") && MGR1.test(w)) w = w.slice(0, -1);
    if (firstIsY) w = `y${w.slice(1)}`;
    return w;
  }

  /* French: whoosh.lang.snowball.french.FrenchStemmer.stem, including its quirks (a region
     "contains" a suffix anywhere in it, as Python's `in` does). */
  const FR_VOWELS = "aeiouyâàëéêèïîôûù";
  const isVowel = (ch) => ch !== undefined && ch !== "" && FR_VOWELS.includes(ch);
  const STEP1_FR = [
    "issements", "issement", "atrices", "atrice", "ateurs", "ations", "logies", "usions",
    "utions", "ements", "amment", "emment", "ances", "iqUes", "ismes", "ables", "istes", "ateur",
    "ation", "logie", "usion", "ution", "ences", "ement", "euses", "ments", "ance", "iqUe",
    "isme", "able", "iste", "ence", "ités", "ives", "eaux", "euse", "ment", "eux", "ité", "ive",
    "ifs", "aux", "if",
  ];
  const STEP2A_FR = [
    "issaIent", "issantes", "iraIent", "issante", "issants", "issions", "irions", "issais",
    "issait", "issant", "issent", "issiez", "issons", "irais", "irait", "irent", "iriez",
    "irons", "iront", "isses", "issez", "îmes", "îtes", "irai", "iras", "irez", "isse", "ies",
    "ira", "ît", "ie", "ir", "is", "it", "i",
  ];
  const STEP2B_FR = [
    "eraIent", "assions", "erions", "assent", "assiez", "èrent", "erais", "erait", "eriez",
    "erons", "eront", "aIent", "antes", "asses", "ions", "erai", "eras", "erez", "âmes", "âtes",
    "ante", "ants", "asse", "ées", "era", "iez", "ais", "ait", "ant", "ée", "és", "er", "ez",
    "ât", "ai", "as", "é", "a",
  ];
  const STEP2B_DELETE = new Set([
    "eraIent", "erions", "èrent", "erais", "erait", "eriez", "erons", "eront", "erai", "eras",
    "erez", "ées", "era", "iez", "ée", "és", "er", "ez", "é",
  ]);
  const STEP2B_A = new Set([
    "assions", "assent", "assiez", "aIent", "antes", "asses", "âmes", "âtes", "ante", "ants",
    "asse", "ais", "ait", "ant", "ât", "ai", "as", "a",
  ]);
  const STEP4_FR = ["ière", "Ière", "ion", "ier", "Ier", "e", "ë"];
  const R2_DELETE = new Set([
    "ance", "iqUe", "isme", "able", "iste", "eux", "ances", "iqUes", "ismes", "ables", "istes",
  ]);
  const at = (s, i) => (i < 0 ? s[s.length + i] : s[i]); // Python's s[i]
  const last = (s, n) => s.slice(Math.max(0, s.length - n)); // Python's s[-n:]
  const cut = (s, n) => s.slice(0, Math.max(0, s.length - n)); // Python's s[:-n]

  function regionsFr(word) {
    let r1 = "";
    let r2 = "";
    for (let i = 1; i < word.length; i += 1) {
      if (!isVowel(word[i]) && isVowel(word[i - 1])) {
        r1 = word.slice(i + 1);
        break;
      }
    }
    for (let i = 1; i < r1.length; i += 1) {
      if (!isVowel(r1[i]) && isVowel(r1[i - 1])) {
        r2 = r1.slice(i + 1);
        break;
      }
    }
    let rv = "";
    if (word.length >= 2) {
      if (/^(par|col|tap)/.test(word) || (isVowel(word[0]) && isVowel(word[1]))) {
        rv = word.slice(3);
      } else {
        for (let i = 1; i < word.length; i += 1) {
          if (isVowel(word[i])) {
            rv = word.slice(i + 1);
            break;
          }
        }
      }
    }
    return { r1, r2, rv };
  }

  const setAt = (s, i, ch) => s.slice(0, i) + ch + s.slice(i + 1);

  function stemFr(input) {
    let word = input.toLowerCase();
    let step1 = false;
    let rvEnding = false;
    let step2a = false;
    let step2b = false;
    for (let i = 1; i < word.length; i += 1) {
      if (word[i - 1] === "q" && word[i] === "u") word = setAt(word, i, "U");
    }
    for (let i = 1; i < word.length - 1; i += 1) {
      if (isVowel(word[i - 1]) && isVowel(word[i + 1])) {
        if (word[i] === "u") word = setAt(word, i, "U");
        else if (word[i] === "i") word = setAt(word, i, "I");
      }
      if ((isVowel(word[i - 1]) || isVowel(word[i + 1])) && word[i] === "y") {
        word = setAt(word, i, "Y");
      }
    }
    const regions = regionsFr(word);
    const { r1, r2 } = regions;
    let { rv } = regions;
    const inRv = (s) => rv.includes(s);
    for (const suffix of STEP1_FR) {
      if (!word.endsWith(suffix)) continue;
      const n = suffix.length;
      if (suffix === "eaux") {
        word = word.slice(0, -1);
        step1 = true;
      } else if (suffix === "euse" || suffix === "euses") {
        if (r2.includes(suffix)) {
          word = cut(word, n);
          step1 = true;
        } else if (r1.includes(suffix)) {
          word = `${cut(word, n)}eux`;
          step1 = true;
        }
      } else if ((suffix === "ement" || suffix === "ements") && inRv(suffix)) {
        word = cut(word, n);
        step1 = true;
        if (last(word, 2) === "iv" && r2.includes("iv")) {
          word = cut(word, 2);
          if (last(word, 2) === "at" && r2.includes("at")) word = cut(word, 2);
        } else if (last(word, 3) === "eus") {
          if (r2.includes("eus")) word = cut(word, 3);
          else if (r1.includes("eus")) word = `${cut(word, 1)}x`;
        } else if (last(word, 3) === "abl" || last(word, 3) === "iqU") {
          if (r2.includes("abl") || r2.includes("iqU")) word = cut(word, 3);
        } else if (last(word, 3) === "ièr" || last(word, 3) === "Ièr") {
          if (inRv("ièr") || inRv("Ièr")) word = `${cut(word, 3)}i`;
        }
      } else if (suffix === "amment" && inRv(suffix)) {
        word = `${cut(word, 6)}ant`;
        rv = `${cut(rv, 6)}ant`;
        rvEnding = true;
      } else if (suffix === "emment" && inRv(suffix)) {
        word = `${cut(word, 6)}ent`;
        rvEnding = true;
      } else if (
        (suffix === "ment" || suffix === "ments") &&
        inRv(suffix) &&
        !rv.startsWith(suffix) &&
        isVowel(at(rv, rv.lastIndexOf(suffix) - 1))
      ) {
        word = cut(word, n);
        rv = cut(rv, n);
        rvEnding = true;
      } else if (suffix === "aux" && r1.includes(suffix)) {
        word = `${cut(word, 2)}l`;
        step1 = true;
      } else if (
        (suffix === "issement" || suffix === "issements") &&
        r1.includes(suffix) &&
        !isVowel(at(word, -n - 1))
      ) {
        word = cut(word, n);
        step1 = true;
      } else if (R2_DELETE.has(suffix) && r2.includes(suffix)) {
        word = cut(word, n);
        step1 = true;
      } else if (
        ["atrice", "ateur", "ation", "atrices", "ateurs", "ations"].includes(suffix) &&
        r2.includes(suffix)
      ) {
        word = cut(word, n);
        step1 = true;
        if (last(word, 2) === "ic") word = r2.includes("ic") ? cut(word, 2) : `${cut(word, 2)}iqU`;
      } else if ((suffix === "logie" || suffix === "logies") && r2.includes(suffix)) {
        word = `${cut(word, n)}log`;
        step1 = true;
      } else if (["usion", "ution", "usions", "utions"].includes(suffix) && r2.includes(suffix)) {
        word = `${cut(word, n)}u`;
        step1 = true;
      } else if ((suffix === "ence" || suffix === "ences") && r2.includes(suffix)) {
        word = `${cut(word, n)}ent`;
        step1 = true;
      } else if ((suffix === "ité" || suffix === "ités") && r2.includes(suffix)) {
        word = cut(word, n);
        step1 = true;
        if (last(word, 4) === "abil") {
          word = r2.includes("abil") ? cut(word, 4) : `${cut(word, 2)}l`;
        } else if (last(word, 2) === "ic") {
          word = r2.includes("ic") ? cut(word, 2) : `${cut(word, 2)}iqU`;
        } else if (last(word, 2) === "iv") {
          if (r2.includes("iv")) word = cut(word, 2);
        }
      } else if (["if", "ive", "ifs", "ives"].includes(suffix) && r2.includes(suffix)) {
        word = cut(word, n);
        step1 = true;
        if (last(word, 2) === "at" && r2.includes("at")) {
          word = cut(word, 2);
          if (last(word, 2) === "ic") {
            word = r2.includes("ic") ? cut(word, 2) : `${cut(word, 2)}iqU`;
          }
        }
      }
      break;
    }
    if (!step1 || rvEnding) {
      for (const suffix of STEP2A_FR) {
        if (!word.endsWith(suffix)) continue;
        if (
          inRv(suffix) &&
          rv.length > suffix.length &&
          !isVowel(at(rv, rv.lastIndexOf(suffix) - 1))
        ) {
          word = cut(word, suffix.length);
          step2a = true;
        }
        break;
      }
      if (!step2a) {
        for (const suffix of STEP2B_FR) {
          if (!rv.endsWith(suffix)) continue;
          if (suffix === "ions" && r2.includes("ions")) {
            word = cut(word, 4);
            step2b = true;
          } else if (STEP2B_DELETE.has(suffix)) {
            word = cut(word, suffix.length);
            step2b = true;
          } else if (STEP2B_A.has(suffix)) {
            word = cut(word, suffix.length);
            rv = cut(rv, suffix.length);
            step2b = true;
            if (rv.endsWith("e")) word = cut(word, 1);
          }
          break;
        }
      }
    }
    if (step1 || step2a || step2b) {
      if (at(word, -1) === "Y") word = `${cut(word, 1)}i`;
      else if (at(word, -1) === "ç") word = `${cut(word, 1)}c`;
    } else {
      if (word.length >= 2 && word.endsWith("s") && !"aiouès".includes(at(word, -2))) {
        word = cut(word, 1);
      }
      for (const suffix of STEP4_FR) {
        if (!word.endsWith(suffix)) continue;
        if (inRv(suffix)) {
          if (suffix === "ion" && r2.includes(suffix) && "st".includes(at(rv, -4) ?? "\u0000")) {
            word = cut(word, 3);
          } else if (["ier", "ière", "Ier", "Ière"].includes(suffix)) {
            word = `${cut(word, suffix.length)}i`;
          } else if (suffix === "e") {
            word = cut(word, 1);
          } else if (suffix === "ë" && word.slice(-3, -1) === "gu") {
            word = cut(word, 1);
          }
          break;
        }
      }
    }
    if (["enn", "onn", "ett", "ell", "eill"].some((end) => word.endsWith(end))) {
      word = cut(word, 1);
    }
    for (let i = 1; i < word.length; i += 1) {
      if (isVowel(at(word, -i))) {
        if (i !== 1 && (at(word, -i) === "é" || at(word, -i) === "è")) {
          word = `${word.slice(0, word.length - i)}e${word.slice(word.length - i + 1)}`;
        }
        break;
      }
    }
    return word.replace(/I/g, "i").replace(/U/g, "u").replace(/Y/g, "y");
  }

  const STEMMERS = { en: stemEn, fr: stemFr };

  /* Index terms of a text, as kb.search.analysis.terms(): words, then stems. */
  function terms(lang, text) {
    return words(lang, text.normalize("NFC")).map((w) => ({ ...w, term: STEMMERS[lang](w.text) }));
  }

  const api = { TOKEN, fold, words, terms, stem: STEMMERS, stop: STOP };
  if (typeof module === "object" && module.exports) module.exports = api;
  else globalThis.kbAnalysis = api;
})();
