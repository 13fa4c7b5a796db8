// Suggestions as you type in a search box: names from /suggest fill the box's datalist.
// Without JavaScript the box is a plain form that searches on submit.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var pending = null;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      var text = input.value.trim();
      if (!text) { list.replaceChildren(); return; }
      pending = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text))
          .then(function (response) { return response.json(); })
          .then(function (found) {
            list.replaceChildren.apply(list, found.map(function (entity) {
              var option = document.createElement("option");
              option.value = entity.label;
              option.label = entity.label + " (" + entity.kind + ")";
              return option;
            }));
          });
      }, 150);
    });
  });
})();
