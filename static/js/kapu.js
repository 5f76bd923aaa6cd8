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

  // --- confirmation dialog ---
  // A link with data-confirm-dialog leads to a confirmation page (web.Confirm),
  // which is the real path. With this script the same form is fetched into a
  // <dialog> instead; Escape, the "keep it" link or the close button close it.
  // Anything that goes wrong simply follows the link.
  function openConfirm(link) {
    var req = new XMLHttpRequest();
    req.open("GET", link.href);
    req.setRequestHeader("Kapu-Fragment", "confirm");
    req.responseType = "document";
    req.onload = function () {
      var form = req.status === 200 && req.response && req.response.querySelector(".confirm");
      if (!form) { window.location.href = link.href; return; }
      var dlg = document.createElement("dialog");
      dlg.className = "confirm-dialog";
      dlg.setAttribute("aria-labelledby", "confirm-question");
      dlg.appendChild(document.importNode(form, true));
      var keep = dlg.querySelector("[data-confirm-keep]");
      if (keep) {
        keep.addEventListener("click", function (e) { e.preventDefault(); dlg.close(); });
      }
      dlg.addEventListener("close", function () {
        dlg.parentNode.removeChild(dlg);
        link.focus();
      });
      document.body.appendChild(dlg);
      dlg.showModal();
      var btn = dlg.querySelector("button[type=submit]");
      if (btn) btn.focus();
    };
    req.onerror = function () { window.location.href = link.href; };
    req.send();
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-confirm-dialog]");
    if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    if (typeof HTMLDialogElement !== "function") return; // the page does it
    e.preventDefault();
    openConfirm(link);
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
