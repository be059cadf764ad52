/* stancegraph page script: reads the graph data (JSON, never HTML), builds text-only tooltips and wires
   the search, focus and filter controls to a vis DataView. No network access; no text is parsed as markup. */
(function () {
  "use strict";
  if (window.stancegraphMount) { return; }
  window.stancegraphPages = window.stancegraphPages || {};

  function tipElement(lines) {
    var box = document.createElement("div");
    box.className = "sg-tip";
    for (var i = 0; i < lines.length; i++) {
      var row = document.createElement("div");
      if (i === 0) { row.className = "sg-tip-head"; }
      row.textContent = String(lines[i]);
      box.appendChild(row);
    }
    return box;
  }

  window.stancegraphMount = function (root) {
    var data = JSON.parse(root.querySelector("script.sg-data").textContent);
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var item = Object.assign({}, n);
      item.title = tipElement(n.tip && n.tip.length ? n.tip : [n.label]);
      delete item.tip;
      return item;
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      var item = Object.assign({}, e);
      if (e.tip && e.tip.length) { item.title = tipElement(e.tip); }
      delete item.tip;
      return item;
    }));
    var degree = {};
    data.edges.forEach(function (e) {
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
    });
    var state = { kinds: null, sourceIri: "", since: "", until: "", selected: null, focus: null };
    var shownNodes = null, shownEdges = null;

    function edgePasses(e) {
      if (state.kinds && !state.kinds[e.kind]) { return false; }
      if (state.sourceIri && e.sourceIri && e.sourceIri !== state.sourceIri) { return false; }
      if (e.date) {
        if (state.since && e.date < state.since) { return false; }
        if (state.until && e.date > state.until) { return false; }
      }
      if (state.focus !== null && e.from !== state.focus && e.to !== state.focus) { return false; }
      return true;
    }

    function compute() {
      shownEdges = {};
      var touched = {};
      data.edges.forEach(function (e) {
        if (edgePasses(e)) { shownEdges[e.id] = true; touched[e.from] = true; touched[e.to] = true; }
      });
      shownNodes = {};
      data.nodes.forEach(function (n) {
        if (state.focus !== null) {
          if (n.id === state.focus || touched[n.id]) { shownNodes[n.id] = true; }
        } else if (touched[n.id] || !degree[n.id]) {
          shownNodes[n.id] = true;
        }
      });
    }
    compute();

    var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownNodes[n.id] === true; } });
    var edgeView = new vis.DataView(edges, { filter: function (e) { return shownEdges[e.id] === true; } });
    var canvas = root.querySelector(".sg-canvas");
    var network = new vis.Network(canvas, { nodes: nodeView, edges: edgeView }, data.options);
    var count = root.querySelector(".sg-count");
    var focusButton = root.querySelector(".sg-focus");

    function showCount() {
      count.textContent = nodeView.length + " of " + data.nodes.length + " nodes, " +
        edgeView.length + " of " + data.edges.length + " edges shown";
    }
    function apply() {
      compute();
      nodeView.refresh();
      edgeView.refresh();
      showCount();
      if (page.firstDraw !== null) { placeSoon(); }
    }

    // labels: each one drawn is LABEL_PX tall on screen whatever the zoom, and none covers another; the
    // biggest nodes are labelled first, the others as the zoom makes room (hovering names every node).
    // Labels inside their shape (plan points) are always drawn, at the page's font size.
    var LABEL_PX = 13, HIDDEN = 0.001;
    var inside = { box: true, ellipse: true, circle: true, database: true, text: true };
    var baseFont = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 14;
    var order = data.nodes.slice().sort(function (a, b) {
      return (b.size || 0) - (a.size || 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
    var drawnSize = {};
    function placeLabels() {
      var scale = network.getScale() || 1;
      var px = LABEL_PX / scale;
      var positions = network.getPositions();
      var cells = {}, cell = Math.max(px * 8, 1);
      function key(cx, cy) { return cx + "," + cy; }
      function free(box) {
        for (var cx = Math.floor(box[0] / cell); cx <= Math.floor(box[2] / cell); cx++) {
          for (var cy = Math.floor(box[1] / cell); cy <= Math.floor(box[3] / cell); cy++) {
            var held = cells[key(cx, cy)] || [];
            for (var k = 0; k < held.length; k++) {
              var o = held[k];
              if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) { return false; }
            }
          }
        }
        return true;
      }
      function take(box) {
        for (var cx = Math.floor(box[0] / cell); cx <= Math.floor(box[2] / cell); cx++) {
          for (var cy = Math.floor(box[1] / cell); cy <= Math.floor(box[3] / cell); cy++) {
            (cells[key(cx, cy)] = cells[key(cx, cy)] || []).push(box);
          }
        }
      }
      var changes = [];
      order.forEach(function (n) {
        var at = positions[n.id];
        if (!at || !shownNodes[n.id]) { return; }
        var r = n.size || 10, size;
        if (inside[n.shape]) {
          var w = 0.6 * baseFont * String(n.label).length + 10, h = baseFont + 10;
          take([at.x - w / 2, at.y - h / 2, at.x + w / 2, at.y + h / 2]);
          return;
        }
        var width = 0.58 * px * String(n.label).length;
        var box = [at.x - width / 2, at.y + r, at.x + width / 2, at.y + r + 1.3 * px];
        if (free(box)) { take(box); size = px; } else { size = HIDDEN; }
        if (drawnSize[n.id] !== size) { drawnSize[n.id] = size; changes.push({ id: n.id, font: { size: size } }); }
      });
      if (changes.length) { nodes.update(changes); }
      page.labelled = Object.keys(drawnSize).filter(function (id) { return drawnSize[id] !== HIDDEN; }).length;
    }
    var placing = null;
    function placeSoon() {
      if (placing !== null) { clearTimeout(placing); }
      placing = setTimeout(function () { placing = null; placeLabels(); }, 60);
    }
    network.on("zoom", placeSoon);
    network.on("dragEnd", placeSoon);

    var page = {
      data: data, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, network: network,
      mountedAt: performance.now(), firstDraw: null, state: state, apply: apply, placeLabels: placeLabels,
      labelled: null
    };
    window.stancegraphPages[data.id] = page;

    network.once("afterDrawing", function () {
      page.firstDraw = performance.now();
      placeLabels();
      root.setAttribute("data-drawn", "true");
    });
    if (data.options.physics && data.options.physics.enabled) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        placeSoon();
      });
    }

    // search: pick a node by its label
    var names = root.querySelector("datalist");
    var labels = data.nodes.map(function (n) { return n.label; }).sort();
    var seen = {};
    labels.forEach(function (label) {
      if (seen[label]) { return; }
      seen[label] = true;
      var option = document.createElement("option");
      option.value = label;
      names.appendChild(option);
    });
    function select(id) {
      state.selected = id;
      focusButton.disabled = id === null;
      if (id !== null) {
        network.selectNodes(shownNodes[id] ? [id] : []);
        if (shownNodes[id]) { network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false }); }
      }
    }
    root.querySelector(".sg-search").addEventListener("change", function (event) {
      var text = event.target.value.trim().toLowerCase();
      if (!text) { return; }
      var exact = data.nodes.filter(function (n) { return n.label.toLowerCase() === text; });
      var found = exact.length ? exact : data.nodes.filter(function (n) { return n.label.toLowerCase().indexOf(text) >= 0; });
      if (found.length) { select(found[0].id); }
    });
    network.on("selectNode", function (params) { if (params.nodes.length) { select(params.nodes[0]); } });
    focusButton.addEventListener("click", function () {
      if (state.selected === null) { return; }
      state.focus = state.selected;
      apply();
      network.fit({ animation: false });
      placeSoon();
    });

    // filters
    var kindBoxes = root.querySelectorAll(".sg-kinds input[type=checkbox]");
    function readKinds() {
      state.kinds = {};
      kindBoxes.forEach(function (box) { state.kinds[box.value] = box.checked; });
      // kinds with no checkbox stay visible
      data.edges.forEach(function (e) { if (!(e.kind in state.kinds)) { state.kinds[e.kind] = true; } });
    }
    kindBoxes.forEach(function (box) { box.addEventListener("change", function () { readKinds(); apply(); }); });
    var sourceSelect = root.querySelector(".sg-source");
    if (sourceSelect) {
      sourceSelect.addEventListener("change", function () { state.sourceIri = sourceSelect.value; apply(); });
    }
    var since = root.querySelector(".sg-since"), until = root.querySelector(".sg-until");
    if (since) { since.addEventListener("change", function () { state.since = since.value; apply(); }); }
    if (until) { until.addEventListener("change", function () { state.until = until.value; apply(); }); }
    root.querySelector(".sg-reset").addEventListener("click", function () {
      kindBoxes.forEach(function (box) { box.checked = true; });
      if (sourceSelect) { sourceSelect.value = ""; }
      if (since) { since.value = ""; }
      if (until) { until.value = ""; }
      root.querySelector(".sg-search").value = "";
      state.kinds = null; state.sourceIri = ""; state.since = ""; state.until = ""; state.focus = null;
      select(null);
      network.unselectAll();
      apply();
      network.fit({ animation: false });
      placeSoon();
    });
    showCount();
  };
})();
