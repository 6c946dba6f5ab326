// carta serve: reloads the page when the site changes and shows the error panel when a save breaks
// the content. Served only by the live preview, never part of a built site. It listens to the
// server's event stream (Server-Sent Events): it never polls.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var returnFocus = null;

  function panel() {
    return document.getElementById("carta-serve-panel");
  }

  function focusables(box) {
    return box.querySelectorAll("button, [href], [tabindex]:not([tabindex='-1'])");
  }

  function onKey(event) {
    var box = panel();
    if (!box) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      // A modal dialog keeps the focus inside.
      var items = focusables(box);
      if (items.length === 0) {
        event.preventDefault();
        return;
      }
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || document.activeElement === box)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  function open(box) {
    if (returnFocus === null) {
      returnFocus = document.activeElement;
    }
    var button = box.querySelector("[data-carta-serve-close]");
    if (button) {
      button.addEventListener("click", close);
    }
    box.addEventListener("keydown", onKey);
    box.focus();
  }

  function close() {
    var box = panel();
    if (box) {
      box.parentNode.removeChild(box);
    }
    if (returnFocus && typeof returnFocus.focus === "function" && document.contains(returnFocus)) {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  function show(html) {
    var old = panel();
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var box = holder.firstElementChild;
    if (!box) {
      return;
    }
    if (old && old.getAttribute("data-attempt") === box.getAttribute("data-attempt")) {
      return;
    }
    if (old) {
      old.parentNode.replaceChild(box, old);
    } else {
      document.body.insertBefore(box, document.body.firstChild);
    }
    open(box);
  }

  var existing = panel();
  if (existing) {
    open(existing);
  }

  if (!window.EventSource) {
    return;
  }
  var source = new EventSource("/__carta/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.generation !== generation) {
      source.close();
      window.location.reload();
    } else if (state.panel) {
      show(state.panel);
    } else {
      close();
    }
  });
})();
