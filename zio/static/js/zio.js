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

  // Doen-sessie: the round's timer counts down (the server gives the end; screen readers get
  // the minutes from the board itself, which refreshes, not a number that changes every second).
  function tick() {
    document.querySelectorAll("[data-ends-at]").forEach(function (el) {
      var left = Math.max(0, Math.round((Date.parse(el.getAttribute("data-ends-at")) - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      el.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    });
  }
  tick();
  window.setInterval(tick, 1000);

  // Doen-sessie: drag a top-3 dot on the plane of draagvlak × haalbaarheid. Dropping fills in
  // and sends that dot's placement form, which keyboard and screen-reader users use directly.
  var drag = null;
  function planePoint(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }
  function clamp(value) {
    return Math.max(0, Math.min(100, Math.round(value)));
  }
  document.addEventListener("pointerdown", function (event) {
    var marker = event.target.closest && event.target.closest(".plane__svg--draggable .plane__marker");
    if (!marker) return;
    var form = document.getElementById("plaats-form-" + marker.getAttribute("data-choice"));
    if (!form) return;
    event.preventDefault();
    drag = { marker: marker, svg: marker.ownerSVGElement, form: form, moved: false };
    marker.setPointerCapture(event.pointerId);
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var p = planePoint(drag.svg, event);
    drag.marker.setAttribute("transform", "translate(" + clamp(p.x) + " " + clamp(p.y) + ")");
    drag.moved = true;
  });
  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var done = drag;
    drag = null;
    if (!done.moved) return;
    var p = planePoint(done.svg, event);
    var support = done.form.querySelector("input[name$='-support']");
    var feasibility = done.form.querySelector("input[name$='-feasibility']");
    support.value = 100 - clamp(p.y);
    feasibility.value = clamp(p.x);
    if (done.form.requestSubmit) done.form.requestSubmit(); else done.form.submit();
  });
  // While a dot is being dragged, the board keeps still (its polling would redraw the dot).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (drag && event.detail.target && event.detail.target.id === "bord") {
      event.detail.shouldSwap = false;
    }
  });

})();
