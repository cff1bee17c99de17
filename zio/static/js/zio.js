// Small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";

  if (window.htmx) {
    // Our Content-Security-Policy forbids inline styles and eval; tell htmx not to use them.
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
  }

  // "Kopieer" buttons: <button data-copy-target="id-of-input">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) return;
    field.select();
    var done = function () {
      if (status) status.textContent = button.getAttribute("data-copied-text");
    };
    var fallback = function () {
      // Older browsers, or when the clipboard permission is refused: copy the selection.
      if (document.execCommand && document.execCommand("copy")) done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  });

  // Buttons that are only useful with JavaScript start hidden.
  document.querySelectorAll("[data-needs-js]").forEach(function (el) {
    el.hidden = false;
  });

})();
