// Results as you type in a search box: the best few from /suggest (the full-text index) in a
// list of links under the box, each with its kind, ref, title and a highlighted snippet.
// Arrow keys move through them, Enter follows one. Without JavaScript the box is a plain
// form that searches on submit. Text goes in with textContent only: nothing is parsed as HTML.
(function () {
  "use strict";
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  function marked(node, parts) {
    parts.forEach(function (part) {
      node.appendChild(part.match ? element("mark", "", part.text) : document.createTextNode(part.text));
    });
    return node;
  }
  function option(hit, id) {
    var link = element("a", "suggestion");
    link.href = hit.href || ("/search?q=" + encodeURIComponent(hit.title));
    link.id = id;
    link.setAttribute("role", "option");
    var head = element("span", "suggestion-head");
    head.appendChild(element("span", "kind", hit.kind));
    if (hit.ref) { head.appendChild(element("span", "ref", hit.ref)); }
    var matched = hit.snippet_parts.some(function (part) { return part.match; });
    var inTitle = hit.snippet === hit.title;  // the title matched: highlight it there
    head.appendChild(marked(element("span", "title"), inTitle ? hit.snippet_parts : [{text: hit.title}]));
    link.appendChild(head);
    if (matched && !inTitle) { link.appendChild(marked(element("span", "snippet"), hit.snippet_parts)); }
    return link;
  }
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var box = element("div", "suggestions");
    box.id = input.id + "-results";
    box.setAttribute("role", "listbox");
    box.hidden = true;
    input.form.classList.add("suggesting");
    input.form.appendChild(box);
    input.setAttribute("aria-controls", box.id);
    input.setAttribute("aria-autocomplete", "list");
    var pending = null, asked = 0, active = -1;
    function links() { return box.querySelectorAll("a.suggestion"); }
    function highlight(index) {
      var all = links();
      all.forEach(function (link, n) { link.classList.toggle("active", n === index); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", all[index].id); }
    }
    function close() { box.hidden = true; box.replaceChildren(); active = -1; }
    input.addEventListener("input", function () {
      clearTimeout(pending);
      var text = input.value.trim();
      if (!text) { close(); return; }
      pending = setTimeout(function () {
        var mine = ++asked;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text))
          .then(function (response) { return response.json(); })
          .then(function (found) {
            if (mine !== asked) { return; }  // a later keystroke has asked again
            box.replaceChildren.apply(box, found.map(function (hit, n) { return option(hit, box.id + "-" + n); }));
            box.hidden = found.length === 0;
            active = -1;
          });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      var all = links();
      if (box.hidden || !all.length) { return; }
      if (event.key === "ArrowDown") { highlight((active + 1) % all.length); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active <= 0 ? all.length - 1 : active - 1); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) { window.location.href = all[active].href; event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
    });
    document.addEventListener("click", function (event) {
      if (!input.form.contains(event.target)) { box.hidden = true; }
    });
    input.addEventListener("focus", function () { if (links().length) { box.hidden = false; } });
  });
})();
