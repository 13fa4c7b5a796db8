/* The current view of the map as a standalone SVG document, for reports.
 * Written here because the cytoscape-svg extension is GPLv3 and this package is MIT: it reads each
 * element's position and computed style from Cytoscape, so the picture is the one on the screen. */
(function () {
  "use strict";

  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function number(value) { return Math.round(value * 10) / 10; }

  function polygon(points, x, y, w, h) {
    return points.map(function (p) { return number(x + p[0] * w / 2) + "," + number(y + p[1] * h / 2); }).join(" ");
  }

  var POLYGONS = {
    diamond: [[0, -1], [1, 0], [0, 1], [-1, 0]],
    hexagon: [[-1, 0], [-0.5, -1], [0.5, -1], [1, 0], [0.5, 1], [-0.5, 1]]
  };

  function dash(style, width) {
    if (style === "dashed") return ' stroke-dasharray="' + 3 * width + " " + 2 * width + '"';
    if (style === "dotted") return ' stroke-dasharray="' + width + " " + width + '"';
    return "";
  }

  function shape(node) {
    var p = node.position();
    var box = node.isParent() ? node.boundingBox({ includeLabels: false, includeOverlays: false }) : null;
    var x = box ? (box.x1 + box.x2) / 2 : p.x;
    var y = box ? (box.y1 + box.y2) / 2 : p.y;
    var w = box ? box.w : node.width();
    var h = box ? box.h : node.height();
    var borderWidth = parseFloat(node.style("border-width"));
    var paint = ' fill="' + node.style("background-color") + '" fill-opacity="' + node.style("background-opacity") +
      '" stroke="' + node.style("border-color") + '" stroke-width="' + borderWidth + '"' +
      dash(node.style("border-style"), borderWidth) + ' opacity="' + node.style("opacity") + '"';
    var kind = node.style("shape");
    var body;
    if (POLYGONS[kind]) {
      body = '<polygon points="' + polygon(POLYGONS[kind], x, y, w, h) + '"' + paint + "/>";
    } else if (kind === "ellipse") {
      body = '<ellipse cx="' + number(x) + '" cy="' + number(y) + '" rx="' + number(w / 2) + '" ry="' + number(h / 2) + '"' + paint + "/>";
    } else {
      var r = kind === "round-rectangle" ? Math.min(8, w / 4, h / 4) : 0;
      body = '<rect x="' + number(x - w / 2) + '" y="' + number(y - h / 2) + '" width="' + number(w) +
        '" height="' + number(h) + '" rx="' + number(r) + '"' + paint + "/>";
    }
    var label = node.data("label") || "";
    var top = node.isParent() || node.style("text-valign") === "top";
    var ty = top ? y - h / 2 - 4 : y + h / 2 + parseFloat(node.style("font-size")) + 2;
    var text = '<text x="' + number(x) + '" y="' + number(ty) + '" text-anchor="middle" font-size="' +
      node.style("font-size") + '"' + (node.isParent() ? ' font-weight="bold"' : "") +
      ' fill="' + node.style("color") + '" opacity="' + node.style("text-opacity") + '">' + escape(label) + "</text>";
    return body + text;
  }

  function edge(e, markers) {
    var colour = e.style("line-color");
    var width = parseFloat(e.style("width"));
    var id = "arrow-" + colour.replace(/[^0-9a-z]/gi, "");
    markers[id] = colour;
    var s = e.sourceEndpoint();
    var t = e.targetEndpoint();
    var controls = e.controlPoints();
    var d = "M" + number(s.x) + "," + number(s.y) + (controls && controls.length
      ? " Q" + number(controls[0].x) + "," + number(controls[0].y) + " "
      : " L") + number(t.x) + "," + number(t.y);
    return '<path d="' + d + '" fill="none" stroke="' + colour + '" stroke-width="' + width + '"' +
      dash(e.style("line-style"), width) + ' opacity="' + e.style("opacity") + '" marker-end="url(#' + id + ')"/>';
  }

  window.graphsvcMapSvg = function (cy, title) {
    var box = cy.elements().boundingBox({ includeLabels: true });
    var pad = 20;
    var markers = {};
    var parents = cy.nodes().filter(function (n) { return n.isParent(); })
      .sort(function (a, b) { return a.ancestors().length - b.ancestors().length; });
    var body = parents.map(shape)
      .concat(cy.edges().map(function (e) { return edge(e, markers); }))
      .concat(cy.nodes().filter(function (n) { return !n.isParent(); }).map(shape));
    var defs = Object.keys(markers).map(function (id) {
      return '<marker id="' + id + '" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">' +
        '<path d="M0,0 L10,5 L0,10 z" fill="' + markers[id] + '"/></marker>';
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<svg xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" viewBox="' +
      [number(box.x1 - pad), number(box.y1 - pad), number(box.w + 2 * pad), number(box.h + 2 * pad)].join(" ") +
      '" width="' + number(box.w + 2 * pad) + '" height="' + number(box.h + 2 * pad) + '">\n' +
      "<title>" + escape(title || "Dependency map") + "</title>\n" +
      "<defs>" + defs.join("") + "</defs>\n" +
      '<rect x="' + number(box.x1 - pad) + '" y="' + number(box.y1 - pad) + '" width="' + number(box.w + 2 * pad) +
      '" height="' + number(box.h + 2 * pad) + '" fill="#ffffff"/>\n' + body.join("\n") + "\n</svg>\n";
  };
})();
