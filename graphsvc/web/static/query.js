// The SPARQL editor: YASGUI on this site's endpoint, with the example questions one click away.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = new URL(script.dataset.endpoint, window.location.href).href;
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var exampleText = function (name) {
    return examples.find(function (example) { return example.name === name; }).text;
  };
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: exampleText(script.dataset.first) }
  });
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var tab = yasgui.getTab();
      tab.setQuery(exampleText(button.dataset.example));
      tab.query();
    });
  });
  // Results link the graph's own IRIs to this site's pages, not to the persistent IRI's host
  // (which a reader of a local or private deployment may not reach).
  var local = script.dataset.local;
  var relink = function () {
    document.querySelectorAll('#yasgui a[href^="' + local + '"]').forEach(function (anchor) {
      anchor.setAttribute("href", "/id/" + anchor.getAttribute("href").slice(local.length));
    });
  };
  // YASGUI leaves a few things a screen reader or keyboard user needs (axe-core finds them):
  // names for its two inputs, and a scrollable editor that takes focus.
  var accessible = function () {
    var root = document.getElementById("yasgui");
    root.querySelectorAll("input.autocomplete:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", "SPARQL endpoint");
    });
    root.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (area) {
      area.setAttribute("aria-label", "SPARQL query");
    });
    root.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach(function (scroll) {
      scroll.setAttribute("tabindex", "0");
    });
  };
  new MutationObserver(function () { relink(); accessible(); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  accessible();
  window.graphsvcYasgui = yasgui;
})();
