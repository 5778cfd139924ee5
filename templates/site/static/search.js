/* Search in the catalogue, in the browser and offline (progressive enhancement: without this
   script the whole list is shown). Each card lists its words in data-search, folded by standardgen
   exactly as fold() folds the query here: lower case, æ/ø/å as ae/oe/aa, accents dropped.
   A card matches when every query word begins one of its words, or, from four letters on, occurs
   inside one (Danish compounds: "tilbud" finds "samværstilbud"). */
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  if (!form || !("normalize" in String.prototype)) { return; }
  var input = form.querySelector("input");
  var status = form.querySelector("[data-search-status]");
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-search]"))
    .filter(function (element) { return element !== form; });
  var index = cards.map(function (card) { return card.getAttribute("data-search").split(" "); });
  var letters = { "æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue" };

  function fold(text) {
    var folded = text.normalize("NFKC").toLowerCase()
      .replace(/[æøåäöü]/g, function (c) { return letters[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return folded.split(/[^a-z0-9]+/).filter(Boolean);
  }

  function matches(words, term) {
    return words.some(function (word) {
      return word.indexOf(term) === 0 || (term.length >= 4 && word.indexOf(term) > 0);
    });
  }

  function search() {
    var terms = fold(input.value);
    var shown = 0;
    cards.forEach(function (card, i) {
      var hit = terms.every(function (term) { return matches(index[i], term); });
      card.hidden = !hit;
      if (hit) { shown += 1; }
    });
    if (!terms.length) {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = "Ingen kvalitetsstandarder matcher søgningen.";
    } else {
      status.textContent = shown === 1 ? "1 kvalitetsstandard matcher søgningen."
        : shown + " kvalitetsstandarder matcher søgningen.";
    }
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; search(); }
}());
