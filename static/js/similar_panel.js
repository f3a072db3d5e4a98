// The editor's similar-cases panel follows the draft: after a pause in typing, the text as
// it stands is posted to the panel's URL (nothing is saved) and the panel is replaced by
// the answer. Without JavaScript the panel shows the matches of the last saved draft.
(function () {
  "use strict";
  var FIELDS = ["title", "observation", "discussion", "lesson_identified"];
  var PAUSE_MS = 800;

  function setUp(panel) {
    var form = panel.closest("form");
    if (!form) return;
    var timer = null;
    var latest = 0;
    function refresh() {
      var data = new FormData();
      FIELDS.forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && "value" in field) data.append(name, field.value);
      });
      var token = form.elements.namedItem("csrfmiddlewaretoken");
      var ask = ++latest;
      fetch(panel.dataset.similarUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null && ask === latest) {  // an older answer never overwrites a newer
            panel.innerHTML = html;
            panel.dataset.updated = String(ask);
          }
        })
        .catch(function () {});
    }
    form.addEventListener("input", function (event) {
      if (FIELDS.indexOf(event.target.name) === -1) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, PAUSE_MS);
    });
  }

  function start() {
    document.querySelectorAll(".kb-similar-panel[data-similar-url]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
