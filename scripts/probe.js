// Appended to a copy of a report by html-screenshots.sh (never shipped in a
// report): measures what must be visible and writes it into the DOM, which
// `chromium --dump-dom` prints.
(function () {
  function box(el) {
    if (!el) return null;
    var r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  }
  var graph = document.querySelector("svg.graph");
  var g = box(graph);
  var nodes = graph ? graph.querySelectorAll("g.node rect") : [];
  var outside = 0;
  Array.prototype.forEach.call(nodes, function (n) {
    var b = box(n);
    if (b.width < 1 || b.x < g.x - 1 || b.y < g.y - 1 || b.x + b.width > g.x + g.width + 1 || b.y + b.height > g.y + g.height + 1) outside++;
  });
  var checklist = document.querySelector("#checklist");
  var table = checklist ? checklist.nextElementSibling : null;
  while (table && !table.querySelector("table")) table = table.nextElementSibling;
  var repos = document.getElementById("repos");
  var out = {
    kind: repos ? "fleet" : "audit",
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    checklist: box(table),
    graph: g,
    graphEmpty: !graph && !!document.getElementById("graph"),
    nodes: nodes.length,
    nodesOutside: outside,
    funnel: box(document.querySelector("svg.funnel")),
    repos: box(repos),
    rows: repos ? repos.tBodies[0].rows.length : 0
  };
  var pre = document.createElement("pre");
  pre.id = "kubeready-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
