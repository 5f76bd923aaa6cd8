// Kapu: small optional niceties. Every page works without this file.
(function () {
  "use strict";

  // htmx requests carry the CSRF token as a header, for hx-post etc. outside forms.
  document.addEventListener("htmx:configRequest", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && e.detail && e.detail.headers) {
      e.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });

  // data-confirm="Are you sure?" on a form (or its submit button) asks first.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var btn = e.submitter;
    var text = (btn && btn.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // data-autosubmit on a form: changing a select or checkbox submits it (filter bars).
  document.addEventListener("change", function (e) {
    var el = e.target;
    var form = el.form;
    if (!form || !form.hasAttribute("data-autosubmit")) return;
    if (el.tagName === "SELECT" || el.type === "checkbox" || el.type === "radio") {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });

  function ready() {
    // Escape closes the phone menu.
    var menu = document.getElementById("nav-open");
    if (menu) {
      document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && menu.checked) {
          menu.checked = false;
          menu.focus();
        }
      });
    }

    // After a failed submit, bring the reader to the problem.
    var summary = document.querySelector(".form-errors");
    var firstInvalid = document.querySelector('[aria-invalid="true"]');
    if (summary) {
      summary.focus();
    } else if (firstInvalid) {
      firstInvalid.focus();
    }

    // Tables that scroll sideways can be scrolled with the keyboard.
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      if (w.scrollWidth > w.clientWidth + 1 && !w.hasAttribute("tabindex")) {
        w.setAttribute("tabindex", "0");
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
