// Runs first (right after #script-errors): any later script error lands in the page, where
// tests/python/test_report_browser.py looks for it.
(function () {
  "use strict";
  function report(text) {
    var box = document.getElementById("script-errors");
    if (box) box.textContent += (box.textContent ? "\n" : "") + text;
  }
  window.onerror = function (message, source, line, column) {
    report("script error: " + message + (line ? " (line " + line + ":" + column + ")" : ""));
  };
  window.addEventListener("unhandledrejection", function (event) {
    report("unhandled rejection: " + (event.reason && event.reason.message || event.reason));
  });
})();
