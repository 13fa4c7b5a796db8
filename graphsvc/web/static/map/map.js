/* The dependency map: draws /map.json with Cytoscape.js and keeps the view (filters, focus, layout)
 * in the page's URL, so that a view can be shared, reloaded and its data fetched by other tools.
 * The list beside the canvas (the whole page below 600 px) is the server's: map.js fetches it for
 * each view rather than build it again, so phones, screen readers and the canvas read one view. */
(function () {
  "use strict";

  // How each kind of node and role of edge looks comes with the data (graphsvc.map_data.STYLE),
  // so the page, its legend, the SVG export and `graphsvc map --format svg` agree.
  var KINDS = {};
  var ROLES = {};
  var FLAG_COLOUR = "#d0261b";
  var RAGS = {};  // the RAG an item is coloured by, its word drawn beside it (body.style.rags)
  var FILTERS = ["plan", "strand", "group", "role", "partners_only", "rag", "as-at", "layout", "focus"];
  var PAGE_ONLY = ["layout"];  // what the data endpoints do not need
  var LOCAL = "https://w3id.org/graphsvc/id/";
  // The columns layout draws labels at 13 px and never zooms them below 11 px: readable on a laptop.
  var FONT = 13, SMALLEST_FONT = 11;
  var narrow = window.matchMedia("(max-width: 599px)");
  // Above this many elements labels and edges are drawn only when zoomed in and while still.
  var LARGE = 1500;

  var cy = null;
  var data = null;
  var shown = null;  // the query string of the view drawn (or being drawn)
  var form = document.getElementById("map-filters");
  if (!form.elements.focus) form.appendChild(element("input", null, { type: "hidden", name: "focus", value: "" }));

  function style() {
    var rules = [
      { selector: "node", style: {
          "label": "data(caption)", "font-size": 12, "text-wrap": "ellipsis", "text-max-width": 170,
          "text-valign": "bottom", "text-margin-y": 3, "color": "#1d2330",
          "width": "data(size)", "height": "data(size)", "border-width": 1, "min-zoomed-font-size": 7 } },
      { selector: "node:parent", style: {
          "text-valign": "top", "font-weight": "bold", "font-size": 14, "padding": 14, "text-max-width": 420,
          "background-opacity": 0.6, "border-style": "solid" } },
      { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.8, "opacity": 0.85 } },
      { selector: "node.spof", style: { "border-width": 4, "border-color": FLAG_COLOUR, "border-style": "double" } },
      { selector: "node.critical", style: { "border-width": 4, "border-color": FLAG_COLOUR } },
      { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0 } },
      { selector: "node.found", style: { "underlay-color": "#ffd400", "underlay-opacity": 0.7, "underlay-padding": 6 } },
      { selector: "node:selected", style: { "overlay-color": "#ffd400", "overlay-opacity": 0.35 } }
    ];
    Object.keys(KINDS).forEach(function (kind) {
      var k = KINDS[kind];
      rules.splice(2, 0, { selector: 'node[kind = "' + kind + '"]', style: {
        "shape": k.shape, "background-color": k.colour, "border-color": k.border } });
    });
    Object.keys(RAGS).forEach(function (word) {
      rules.push({ selector: 'node[kind = "item"][rag = "' + word + '"]', style: {
        "background-color": RAGS[word].colour, "border-color": RAGS[word].border, "border-width": 2 } });
    });
    Object.keys(ROLES).forEach(function (role) {
      var r = ROLES[role];
      rules.splice(rules.length - 4, 0, { selector: 'edge[role = "' + role + '"]', style: {
        "line-color": r.colour, "target-arrow-color": r.colour, "width": r.width, "line-style": r.style } });
    });
    return rules;
  }

  // Columns: owners (label on the left) -> items (label below) -> partner agencies (label on the right).
  function columnsStyle() {
    return [
      { selector: "node", style: {
          "label": "data(caption)", "font-size": FONT, "text-wrap": "wrap", "text-max-width": 175,
          "min-zoomed-font-size": 0, "text-background-color": "#ffffff", "text-background-opacity": 0.85,
          "text-background-padding": 1, "width": "mapData(size, 22, 70, 18, 36)", "height": "mapData(size, 22, 70, 18, 36)" } },
      { selector: 'node[kind = "item"]', style: { "text-valign": "bottom", "text-halign": "center", "text-max-width": 200 } },
      { selector: 'node[kind = "partner"]', style: { "text-valign": "center", "text-halign": "right", "text-margin-x": 6 } },
      { selector: 'node[kind != "item"][kind != "partner"]', style: { "text-valign": "center", "text-halign": "left", "text-margin-x": -6 } },
      { selector: "edge", style: { "curve-style": "straight", "opacity": 0.7 } },
      { selector: "node.focused", style: { "font-weight": "bold", "underlay-color": "#ffd400", "underlay-opacity": 0.6, "underlay-padding": 6 } }
    ];
  }

  function shorten(text, most) {
    return text.length <= most ? text : text.slice(0, text.lastIndexOf(" ", most - 1) > most / 2 ? text.lastIndexOf(" ", most - 1) : most - 1) + "…";
  }

  // Without the group boxes (a box spans rows of a column), an owner's group goes in its label.
  // A business group that owns items itself stays, as an owner.
  function columnsElements(body) {
    var linked = {};
    body.elements.edges.forEach(function (e) { linked[e.data.source] = linked[e.data.target] = true; });
    var nodes = body.elements.nodes.filter(function (n) { return n.data.kind !== "business group" || linked[n.data.id]; }).map(function (n) {
      var d = Object.assign({}, n.data);
      delete d.parent;
      if (d.kind === "item") d.caption = shorten(d.label, 64) + (d.rag ? " · " + d.rag : "");
      else if (d.group && d.label.indexOf("(" + d.group + ")") < 0) d.caption = d.label + " · " + d.group;
      return { data: d, classes: n.classes };
    });
    return nodes.concat(body.elements.edges);
  }

  function columnsLayout() {
    var GAP_X = 60, GAP_Y = 12;
    var cols = [[], [], []];
    cy.nodes().forEach(function (n) { cols[{ item: 1, partner: 2 }[n.data("kind")] || 0].push(n); });
    var byName = new Intl.Collator(undefined, { numeric: true }).compare;
    cols[1].sort(function (a, b) { return byName(b.data("plan"), a.data("plan")) || byName(a.data("ref"), b.data("ref")); });
    // Owners and partners next to the items they are on; then items next to them (fewer crossings).
    function rank(col) { var at = {}; col.forEach(function (n, i) { at[n.id()] = i; }); return at; }
    function sortBy(col, at) {
      var centre = function (n) {
        var seen = n.neighborhood("node").map(function (m) { return at[m.id()]; }).filter(function (i) { return i !== undefined; });
        return seen.length ? seen.reduce(function (a, b) { return a + b; }, 0) / seen.length : Infinity;
      };
      col.sort(function (a, b) { return centre(a) - centre(b) || byName(a.data("caption"), b.data("caption")); });
    }
    sortBy(cols[0], rank(cols[1]));
    sortBy(cols[2], rank(cols[1]));
    var sides = Object.assign(rank(cols[0]), {});
    var partnerAt = rank(cols[2]);
    Object.keys(partnerAt).forEach(function (id) { sides[id] = partnerAt[id] * cols[0].length / Math.max(cols[2].length, 1); });
    sortBy(cols[1], sides);
    sortBy(cols[0], rank(cols[1]));
    sortBy(cols[2], rank(cols[1]));
    // Each node's box with its label, measured by Cytoscape, so that no two labels can overlap.
    var box = {};
    cy.nodes().forEach(function (n) {
      var p = n.position(), b = n.boundingBox({ includeLabels: true });
      box[n.id()] = { l: b.x1 - p.x, r: b.x2 - p.x, t: b.y1 - p.y, h: b.h };
    });
    var height = Math.max.apply(null, cols.map(function (col) {
      return col.reduce(function (sum, n) { return sum + box[n.id()].h + GAP_Y; }, 0);
    }));
    var positions = {}, x = 0;
    cols.forEach(function (col) {
      if (!col.length) return;
      var centre = x - Math.min.apply(null, col.map(function (n) { return box[n.id()].l; }));
      var used = col.reduce(function (sum, n) { return sum + box[n.id()].h; }, 0);
      var gap = (height - used) / col.length, y = gap / 2;
      col.forEach(function (n) { positions[n.id()] = { x: centre, y: y - box[n.id()].t }; y += box[n.id()].h + gap; });
      x = centre + Math.max.apply(null, col.map(function (n) { return box[n.id()].r; })) + GAP_X;
    });
    return { name: "preset", positions: positions, fit: false, animate: false };
  }

  // Fit the view, but never so small that a label is under SMALLEST_FONT px: pan instead.
  function fitReadable() {
    cy.fit(undefined, 16);
    var least = SMALLEST_FONT / FONT;
    if (cy.zoom() < least) {
      var box = cy.elements().boundingBox();
      cy.zoom(least);
      cy.pan({ x: 16 - box.x1 * least, y: 16 - box.y1 * least });
    } else if (cy.zoom() > 1.25) {
      cy.zoom(1.25);
      cy.center();
    }
  }

  function layoutOptions(name, size) {
    if (name === "columns") return columnsLayout();
    if (name === "dagre") {
      return { name: "dagre", rankDir: "LR", nodeSep: 8, rankSep: 220, animate: false, fit: true, padding: 20 };
    }
    return { name: "fcose", quality: size > LARGE ? "draft" : "default", randomize: true, animate: false,
             fit: true, padding: 20, nodeRepulsion: 45000, idealEdgeLength: 110, edgeElasticity: 0.3,
             nestingFactor: 0.4, gravity: 0.15, nodeSeparation: 90, numIter: size > LARGE ? 1200 : 2500,
             tile: true, tilingPaddingVertical: 20, tilingPaddingHorizontal: 20 };
  }

  function query() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      if (name === "rag" && field.value === "computed") return;  // the default: the address stays short
      if (field instanceof RadioNodeList || field.length > 1 && field[0].type === "checkbox") {
        Array.prototype.forEach.call(field, function (box) { if (box.checked) params.append(name, box.value); });
      } else if (field.type === "checkbox") {
        params.set(name, field.checked ? "1" : "0");  // absent means the page's default, partners only
      } else if (field.dataset.wanted || field.value) {
        params.set(name, field.dataset.wanted || field.value);  // before the options arrive, the URL's value
      }
    });
    return params;
  }

  function queryString(params) {
    return params.toString().replace(/%2F/g, "/");  // focus=partner/home-office reads better
  }

  function restore(params) {
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      var values = params.getAll(name);
      if (field instanceof RadioNodeList || field.length > 1 && field[0].type === "checkbox") {
        Array.prototype.forEach.call(field, function (box) {
          box.checked = values.length === 0 || values.indexOf(box.value) >= 0;
        });
      } else if (field.type === "checkbox") {
        field.checked = values.length === 0 || ["1", "true", "yes", "on"].indexOf(values[0].toLowerCase()) >= 0;
      } else if (name === "layout") {
        field.value = values[0] || "columns";
        if (!field.value) field.value = "columns";
      } else if (name === "focus" || name === "as-at") {
        field.value = values[0] || "";
      } else if (name === "rag") {
        field.value = values[0] || "computed";
        if (!field.value) field.value = "computed";
      } else {
        field.dataset.wanted = values[0] || "";
      }
    });
  }

  function fillSelect(select, options, anyLabel) {
    var wanted = select.dataset.wanted !== undefined ? select.dataset.wanted : select.value;
    select.innerHTML = "";
    select.appendChild(new Option(anyLabel, ""));
    options.forEach(function (o) { select.appendChild(new Option(o.label, o.id)); });
    select.value = options.some(function (o) { return o.id === wanted; }) ? wanted : "";
    delete select.dataset.wanted;
  }

  function fillOptions(options) {
    fillSelect(form.elements.plan, options.plans, "All plans");
    var plan = form.elements.plan.value;
    var strand = form.elements.strand;
    var wanted = strand.dataset.wanted !== undefined ? strand.dataset.wanted : strand.value;
    strand.innerHTML = "";
    strand.appendChild(new Option("All strands / objectives", ""));
    options.plans.forEach(function (p) {
      if (plan && p.id !== plan) return;
      var group = element("optgroup", null, { label: p.label });
      options.strands.forEach(function (s) {
        if (s.plan !== p.id) return;
        var option = new Option(s.label, s.id, false, s.id === wanted && (plan === s.plan));
        option.dataset.plan = s.plan;
        group.appendChild(option);
      });
      strand.appendChild(group);
    });
    delete strand.dataset.wanted;
    fillSelect(form.elements.group, options.groups, "All business groups");
  }

  function setStatus(text) { document.getElementById("map-status").textContent = text; }

  function dataQuery(params) {
    var copy = new URLSearchParams(params);
    PAGE_ONLY.forEach(function (name) { copy.delete(name); });
    var text = copy.toString();
    return text ? "?" + text : "";
  }

  // push: a new view (a focus, the way back) gets its own history entry, so Back returns to the last one.
  var generation = 0;
  function load(push) {
    var mine = ++generation;
    var params = query();
    var search = queryString(params);
    shown = search;
    var address = location.pathname + (search ? "?" + search : "");
    if (push) history.pushState(null, "", address); else history.replaceState(null, "", address);
    document.querySelectorAll("a[data-export]").forEach(function (link) {
      link.href = link.dataset.export + dataQuery(params);
    });
    setStatus("Loading…");
    document.body.dataset.ready = "";
    var started = performance.now();
    var root = document.getElementById("map-root").dataset;
    var list = fetch(root.page + (search ? "?" + search : ""), { headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); });
    return fetch(root.json + dataQuery(params), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            // A filter that leaves the focused node out of the view drops the focus, not the view.
            if (response.status === 400 && form.elements.focus.value) {
              form.elements.focus.value = "";
              return load(false).then(function () { return null; });
            }
            throw new Error(body.error || response.statusText);
          }
          return list.then(function (html) { showList(html); return body; });
        });
      })
      .then(function (body) {
        if (!body || generation !== mine) return;  // a later view was asked for meanwhile
        data = body;
        KINDS = body.style.kinds;
        ROLES = body.style.roles;
        FLAG_COLOUR = body.style.flag;
        RAGS = body.rag && body.rag.by !== "none" && body.rag.reported ? body.style.rags : {};
        window.graphsvcMap.kinds = KINDS;
        var present = {};
        body.elements.nodes.forEach(function (node) { present[node.data.kind] = true; });
        legend(present);
        fillOptions(body.options);
        draw(body, started);
        showExposure(body.analyses.partner_exposure);
      })
      .catch(function (error) { setStatus("Could not load the map: " + error.message); });
  }

  function showList(html) {
    var fetched = new DOMParser().parseFromString(html, "text/html");
    ["map-focusbar", "map-list"].forEach(function (id) {
      var fresh = fetched.getElementById(id);
      if (fresh) document.getElementById(id).replaceWith(document.adoptNode(fresh));
    });
  }

  function draw(body, started) {
    var columns = form.elements.layout.value === "columns";
    var elements = columns ? columnsElements(body) : body.elements.nodes.concat(body.elements.edges);
    var large = elements.length > LARGE;
    if (cy) cy.destroy();
    cy = null;
    window.graphsvcMap.cy = null;
    if (narrow.matches) {  // the list is the view below 600 px; the canvas is drawn when there is room
      setStatus("");
      document.body.dataset.ready = "1";
      return;
    }
    cy = cytoscape({
      container: document.getElementById("cy"),
      elements: elements,
      style: columns ? style().concat(columnsStyle()) : style(),
      layout: { name: "preset" },
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      motionBlur: false
    });
    // At national scale a label shows only once zoomed in far enough to read it among its neighbours.
    if (large) cy.style().selector("node").style("min-zoomed-font-size", 16).update();
    window.graphsvcMap.cy = cy;
    cy.on("tap", "node", function (event) {
      if (event.target.isParent()) showPanel(event.target); else focusOn(event.target);
    });
    cy.on("tap", function (event) { if (event.target === cy) clearPanel(); });
    var layout = cy.layout(layoutOptions(form.elements.layout.value, elements.length));
    layout.one("layoutstop", function () {
      if (columns) fitReadable();
      // Ready once the laid-out view has been painted: that is what a person sees (and can click).
      cy.one("render", function () {
        requestAnimationFrame(function () {
          var ms = Math.round(performance.now() - started);
          var c = { nodes: cy.nodes().length, edges: cy.edges().length };  // as drawn: columns have no boxes
          setStatus(c.nodes + " nodes, " + c.edges + " edges · drawn in " + ms + " ms");
          window.graphsvcMap.firstRender = ms;
          highlight(document.getElementById("map-search").value);
          if (body.focus) {
            var focused = cy.getElementById(body.focus.iri).addClass("focused");
            showPanel(focused);
            setStatus("Focused on " + body.focus.label + " · " + c.nodes + " nodes, " + c.edges + " edges");
          }
          document.body.dataset.ready = "1";
        });
      });
    });
    layout.run();
  }

  function localId(iri) { return iri.indexOf(LOCAL) === 0 ? iri.slice(LOCAL.length) : iri; }

  // Focus on a node (a cy node or a local id): its items and everyone on them, as a new history entry.
  function focusOn(node) {
    var id = typeof node === "string" ? node : localId(node.id());
    if (typeof node !== "string") showPanel(node);  // at once, while its neighbourhood loads
    if (form.elements.focus.value === id) return Promise.resolve();
    form.elements.focus.value = id;
    return load(true);
  }

  function unfocus() {
    form.elements.focus.value = "";
    return load(true);
  }

  function highlight(text) {
    if (!cy) return;
    cy.elements().removeClass("faded found");
    var needle = (text || "").trim().toLowerCase();
    if (!needle) return;
    var found = cy.nodes().filter(function (n) {
      return !n.isParent() && (n.data("label") || "").toLowerCase().indexOf(needle) >= 0;
    });
    if (found.empty()) { setStatus("No node matches “" + text + "”"); return; }
    var neighbourhood = found.closedNeighborhood().union(found.closedNeighborhood().ancestors());
    cy.elements().not(neighbourhood).addClass("faded");
    found.addClass("found");
    cy.fit(neighbourhood, 60);
    if (cy.zoom() > 1.5) cy.zoom({ level: 1.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    if (found.length === 1) showPanel(found[0]);
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function list(items) {
    var ul = element("ul");
    items.forEach(function (item) {
      var li = element("li");
      li.appendChild(item.href ? element("a", item.label, { href: item.href }) : document.createTextNode(item.label));
      if (item.note) li.appendChild(document.createTextNode(" (" + item.note + ")"));
      ul.appendChild(li);
    });
    return ul;
  }

  function describe(node) {
    var kind = node.data("kind");
    return { label: node.data("label"), href: node.data("href"), note: kind === "item" ? "" : KINDS[kind].label.toLowerCase() };
  }

  function showPanel(node) {
    var panel = document.getElementById("map-panel-body");
    panel.innerHTML = "";
    var d = node.data();
    panel.appendChild(element("h2", d.label));
    panel.appendChild(element("p", KINDS[d.kind].label + (d.groups && d.groups.length ? " in " + d.groups.join(", ") : "")));
    if (d.spof) panel.appendChild(element("p", "Single point of failure: " + d.spof, { "class": "flag" }));
    if (d.critical) panel.appendChild(element("p", "Critical: " + d.critical, { "class": "flag" }));
    if (d.kind === "item" && (d.owner_rag !== undefined || d.computed_rag !== undefined)) {
      panel.appendChild(element("p", "Computed RAG: " + (d.computed_rag || "none") + "; owner's RAG: " + (d.owner_rag || "none") +
        (data && data.rag ? " (as at " + data.rag.as_at + ")" : "")));
    }
    if (d.centrality !== undefined) panel.appendChild(element("p", "Betweenness centrality " + d.centrality.toFixed(3)));
    var byRole = {};
    node.connectedEdges().forEach(function (edge) {
      var other = edge.source().same(node) ? edge.target() : edge.source();
      (byRole[edge.data("role")] = byRole[edge.data("role")] || []).push(describe(other));
    });
    Object.keys(ROLES).forEach(function (role) {
      if (!byRole[role]) return;
      var heading = d.kind === "item" ? ROLES[role].label + (role === "partner" ? "s" : "") :
        "Items as " + ROLES[role].label.toLowerCase();
      panel.appendChild(element("h3", heading + " (" + byRole[role].length + ")"));
      panel.appendChild(list(byRole[role]));
    });
    if (node.isParent()) {
      panel.appendChild(element("h3", "Inside (" + node.children().length + ")"));
      panel.appendChild(list(node.children().map(describe)));
    }
    if (d.href) {
      var p = element("p");
      p.appendChild(element("a", "Open its page →", { href: d.href, id: "map-panel-link" }));
      panel.appendChild(p);
    }
    node.select();
  }

  function clearPanel() {
    document.getElementById("map-panel-body").innerHTML = "<p>Click a node to see its items.</p>";
  }

  function showExposure(rows) {
    var box = document.getElementById("map-exposure");
    box.innerHTML = "";
    if (!rows.length) { box.appendChild(element("p", "No item in this view depends on a partner agency.")); return; }
    var table = element("table", null, { "class": "exposure" });
    var head = table.createTHead().insertRow();
    ["Partner agency", "Item", "Owned by"].forEach(function (t) { head.appendChild(element("th", t)); });
    var tbody = table.createTBody();
    rows.forEach(function (row) {
      row.items.forEach(function (item, index) {
        var tr = tbody.insertRow();
        var partner = tr.insertCell();
        if (index === 0) partner.appendChild(element("a", row.partner.label, { href: row.partner.href }));
        tr.insertCell().appendChild(element("a", item.ref, { href: item.href, title: item.label }));
        tr.insertCell().appendChild(list(item.owners.map(function (o) {
          return { label: o.label, href: o.href, note: o.role };
        })));
      });
    });
    box.appendChild(table);
  }

  function legend(present) {
    var ul = document.querySelector("#map-legend ul");
    var svg = function (inner) {
      return '<svg width="28" height="16" viewBox="0 0 28 16" aria-hidden="true">' + inner + "</svg>";
    };
    var shapes = {
      "round-rectangle": function (k) { return '<rect x="6" y="2" width="16" height="12" rx="3" fill="' + k.colour + '" stroke="' + k.border + '"/>'; },
      "rectangle": function (k) { return '<rect x="6" y="2" width="16" height="12" fill="' + k.colour + '" stroke="' + k.border + '"/>'; },
      "hexagon": function (k) { return '<polygon points="8,8 11,2 17,2 20,8 17,14 11,14" fill="' + k.colour + '" stroke="' + k.border + '"/>'; },
      "ellipse": function (k) { return '<ellipse cx="14" cy="8" rx="7" ry="6" fill="' + k.colour + '" stroke="' + k.border + '"/>'; },
      "diamond": function (k) { return '<polygon points="14,1 21,8 14,15 7,8" fill="' + k.colour + '" stroke="' + k.border + '"/>'; }
    };
    var dashes = { solid: "", dashed: ' stroke-dasharray="5 3"', dotted: ' stroke-dasharray="2 2"' };
    var rows = Object.keys(KINDS).filter(function (kind) { return present[kind]; }).map(function (kind) {
      return "<li>" + svg(shapes[KINDS[kind].shape](KINDS[kind])) + KINDS[kind].label + "</li>";
    }).concat(Object.keys(ROLES).map(function (role) {
      var r = ROLES[role];
      return "<li>" + svg('<line x1="2" y1="8" x2="26" y2="8" stroke="' + r.colour + '" stroke-width="' + r.width + '"' + dashes[r.style] + "/>") +
        r.label + " link</li>";
    })).concat([
      "<li>" + svg('<rect x="6" y="2" width="16" height="12" fill="#fff" stroke="' + FLAG_COLOUR + '" stroke-width="3"/>') +
        '<a class="term" href="/glossary#single-point-of-failure">Single point of failure</a> (red border)</li>',
      "<li>" + svg('<circle cx="9" cy="8" r="3" fill="#888"/><circle cx="20" cy="8" r="6" fill="#888"/>') +
        'Unit size: <a class="term" href="/glossary#betweenness">betweenness centrality</a></li>'
    ]).concat(Object.keys(RAGS).sort(function (a, b) { return RAGS[a].order - RAGS[b].order; }).map(function (word) {
      return "<li>" + svg('<rect x="6" y="2" width="16" height="12" fill="' + RAGS[word].colour + '" stroke="' + RAGS[word].border + '"/>') +
        "Item, " + data.rag.label + " " + word + " (the word follows its ref)</li>";
    }));
    ul.innerHTML = rows.join("");
  }

  function download(name, blob) {
    var link = element("a", null, { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function bindControls() {
    form.addEventListener("change", function (event) {
      var strand = form.elements.strand;
      if (event.target.name === "plan") strand.value = "";
      // A strand's ref is unique only within its plan: choosing one chooses its plan too.
      if (event.target.name === "strand" && strand.value) form.elements.plan.value = strand.selectedOptions[0].dataset.plan;
      // Only a change of the view's filters reloads it.
      if (event.target.name === "layout") {  // the same data, drawn again
        shown = queryString(query());
        history.replaceState(null, "", location.pathname + "?" + shown);
        if (data) draw(data, performance.now());
        return;
      }
      if (queryString(query()) !== shown) load(false);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); load(false); });
    var search = document.getElementById("map-search");
    search.addEventListener("input", function () { highlight(search.value); });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !cy) return;
      event.preventDefault();
      var found = cy.nodes(".found");
      if (found.nonempty()) focusOn(found[0]);
    });
    // The list's names focus the map in place (without JavaScript they are links to the same view).
    document.getElementById("map-panel").addEventListener("click", function (event) {
      var link = event.target.closest("a[data-focus], a#map-unfocus");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      (link.id === "map-unfocus" ? unfocus() : focusOn(link.dataset.focus)).then(function () {
        var title = document.getElementById("map-list-title");
        if (title) { title.tabIndex = -1; title.focus(); }
      });
    });
    document.getElementById("cy").addEventListener("keydown", keyboard);
    window.addEventListener("popstate", function () {
      restore(new URLSearchParams(location.search));
      load(false);
    });
    narrow.addEventListener("change", function () { if (data) draw(data, performance.now()); });
    document.getElementById("map-fit").addEventListener("click", function () { if (cy) cy.fit(undefined, 20); });
    document.getElementById("export-png").addEventListener("click", function () {
      download("dependency-map.png", cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }));
    });
    document.getElementById("export-svg").addEventListener("click", function () {
      download("dependency-map.svg", new Blob([window.graphsvcMapSvg(cy, data.title)], { type: "image/svg+xml" }));
    });
  }

  // The canvas by keyboard: arrows step through the nodes (column by column, top to bottom),
  // Enter focuses on the one selected, Escape goes back to the whole view.
  function keyboard(event) {
    if (!cy) return;
    var nodes = cy.nodes().filter(function (n) { return !n.isParent(); }).sort(function (a, b) {
      return a.position("x") - b.position("x") || a.position("y") - b.position("y");
    });
    if (!nodes.length) return;
    var selected = cy.nodes(":selected").filter(function (n) { return !n.isParent(); });
    var at = selected.empty() ? -1 : nodes.indexOf(selected[0]);
    var step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (step) {
      var next = nodes[at < 0 ? 0 : (at + step + nodes.length) % nodes.length];
      cy.nodes().unselect();
      showPanel(next);
      var p = next.renderedPosition();
      if (p.x < 0 || p.y < 0 || p.x > cy.width() || p.y > cy.height()) cy.center(next);
      setStatus(next.data("label") + ", " + KINDS[next.data("kind")].label.toLowerCase() + ". Enter to focus on it.");
    } else if (event.key === "Enter" && at >= 0) {
      focusOn(nodes[at]);
    } else if (event.key === "Escape" && form.elements.focus.value) {
      unfocus();
    } else {
      return;
    }
    event.preventDefault();
  }

  window.graphsvcMap = { cy: null };
  restore(new URLSearchParams(location.search));
  clearPanel();
  bindControls();
  load(false);
})();
