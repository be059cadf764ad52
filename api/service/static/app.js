// The landing page's forms: run a SPARQL query or a stance pattern and show the answer as a table.
// Everything is built with DOM calls and textContent, so no value from the graph is read as HTML.
"use strict";

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function table(head, rows) {
  const t = document.createElement("table");
  const tr = document.createElement("tr");
  for (const h of head) { const th = document.createElement("th"); th.textContent = h; tr.appendChild(th); }
  t.appendChild(tr);
  for (const row of rows) {
    const r = document.createElement("tr");
    for (const value of row) r.appendChild(cell(value));
    t.appendChild(r);
  }
  return t;
}

function showError(target, problem) {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = (problem.title || "Error") + ": " + (problem.detail || JSON.stringify(problem));
  target.replaceChildren(p);
}

async function runSparql(event) {
  event.preventDefault();
  const out = document.getElementById("sparql-result");
  out.textContent = "running...";
  const body = new URLSearchParams({ query: document.getElementById("query").value });
  const response = await fetch("/sparql", {
    method: "POST", body,
    headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
  });
  const type = response.headers.get("content-type") || "";
  if (!response.ok) { showError(out, await response.json()); return; }
  if (type.includes("json")) {
    const data = await response.json();
    if ("boolean" in data) { out.textContent = String(data.boolean); return; }
    const vars = data.head.vars;
    const rows = data.results.bindings.map(b => vars.map(v => (b[v] ? b[v].value : "")));
    out.replaceChildren(table(vars, rows), document.createTextNode(rows.length + " rows"));
  } else {
    const pre = document.createElement("pre");
    pre.textContent = await response.text();
    out.replaceChildren(pre);
  }
}

async function runAsk(event) {
  event.preventDefault();
  const out = document.getElementById("ask-result");
  const q = document.getElementById("ask-q").value;
  const response = await fetch("/api/ask?q=" + encodeURIComponent(q));
  const data = await response.json();
  if (!response.ok) { showError(out, data); return; }
  const rows = data.answers.map(a => data.variables.map(v => (a.values[v] ? a.values[v].label : "")));
  out.replaceChildren(table(data.variables, rows), document.createTextNode(rows.length + " answers"));
}

document.getElementById("sparql-form").addEventListener("submit", runSparql);
document.getElementById("ask-form").addEventListener("submit", runAsk);
document.getElementById("examples").addEventListener("change", e => {
  document.getElementById("query").value = e.target.value;
});
