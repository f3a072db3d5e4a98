/* Search as you type, on /search/ only: a progressive enhancement.
 *
 * Without JavaScript the form is a plain GET form and every search is a page load. With it,
 * typing (debounced) or submitting fetches the same URL with the `KB-Partial: results`
 * header, which answers the results region alone (search/views.py); the region is swapped
 * in place, the address bar follows with history.replaceState, and a polite live region
 * announces the new count. The previous results stay on screen until the new ones arrive,
 * so nothing jumps while the member types.
 */
(function () {
  "use strict";

  var DELAY_MS = 300;
  var form = document.querySelector("form[data-live-search]");
  if (!form || !window.fetch || !window.history || !window.URLSearchParams) {
    return;
  }
  var region = document.querySelector(form.getAttribute("data-live-search"));
  var status = document.getElementById("search-status");
  var input = form.querySelector("input[type=search]");
  if (!region || !status || !input) {
    return;
  }

  var timer = null;
  var controller = null;
  var lastUrl = window.location.pathname + window.location.search;

  function urlOfForm() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && value !== "") {
        params.append(name, value);
      }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function announce(fragment) {
    var count = fragment.querySelector(".results__count");
    var error = fragment.querySelector("[role=alert]");
    status.textContent = count ? count.textContent.trim() : error ? error.textContent.trim() : "";
    var invalid = !!fragment.querySelector("#search-error");
    if (invalid) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "search-error");
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  function update(force) {
    var url = urlOfForm();
    if (url === lastUrl && !force) {
      return;
    }
    lastUrl = url;
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    region.setAttribute("aria-busy", "true");
    fetch(url, {
      headers: { "KB-Partial": "results" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        // Errors (400, 503) answer a fragment too: show it, as the full page would.
        return response.text();
      })
      .then(function (html) {
        region.innerHTML = html;
        region.removeAttribute("aria-busy");
        history.replaceState(history.state, "", url);
        document.title = document.title.replace(/^[^·]*·/, titleFor(input.value) + " ·");
        announce(region);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        // Network trouble: fall back to an ordinary page load.
        region.removeAttribute("aria-busy");
        window.location.assign(url);
      });
  }

  function titleFor(text) {
    text = text.trim();
    return text ? "Search: " + text + " " : "Search ";
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, DELAY_MS);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== input) {
      window.clearTimeout(timer);
      update();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update(true);
  });
})();
