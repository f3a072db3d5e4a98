// After a form comes back with errors, take the reader to the first one: the field in error
// (so typing fixes it), else the first error message. Without JavaScript the errors are still
// shown beside their fields and announced (role="alert").
(function () {
  "use strict";
  function focusFirstError() {
    var target = document.querySelector('[aria-invalid="true"], .field--error textarea, .field--error input, .field--error select');
    if (!target) {
      target = document.querySelector(".message--error");
      if (!target) return;
      target.setAttribute("tabindex", "-1");
    }
    var details = target.closest("details");
    if (details) details.open = true;
    target.focus();
    if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
