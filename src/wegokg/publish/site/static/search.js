// The whole client-side search: a few lines, no library. normalize() mirrors search.normalize()
// (NFKD, combining marks dropped, case folded, white space collapsed); exact matches rank above
// prefixes above parts.
(function () {
  var q = new URLSearchParams(location.search).get("q");
  var box = document.getElementById("q");
  if (!q) return;
  box.value = q;
  function normalize(s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3")  // casefold's extra foldings
      .trim().split(/\s+/).join(" ");
  }
  var wanted = normalize(q.trim());
  var index = JSON.parse(document.getElementById("search-index").textContent);
  var hits = [];
  index.forEach(function (e) {
    var rank = 9;
    e.names.forEach(function (n) {
      if (n === wanted) rank = Math.min(rank, 0);
      else if (n.indexOf(wanted) === 0) rank = Math.min(rank, 1);
      else if (n.indexOf(wanted) > 0) rank = Math.min(rank, 2);
    });
    if (rank < 9) hits.push([rank, e]);
  });
  hits.sort(function (a, b) { return a[0] - b[0] || a[1].en.localeCompare(b[1].en); });
  var list = document.getElementById("results");
  var heading = document.getElementById("results-heading");
  heading.textContent = hits.length + " / " + q;
  hits.forEach(function (hit) {
    var e = hit[1], item = document.createElement("li"), a = document.createElement("a");
    a.href = e.path;
    a.textContent = [e.en, e.ko].filter(Boolean).join(" / ");
    item.appendChild(a);
    item.appendChild(document.createTextNode(" (" + e.type + ")"));
    list.appendChild(item);
  });
  document.getElementById("results-section").hidden = false;
  document.getElementById("all-names").hidden = true;
})();
