// Sortable tables: click (or Enter on) a header to sort by that column;
// numbers sort by their data-v value, text alphabetically. Printing opens
// the collapsed tables.
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.tabIndex = 0;
  function sort() {
    var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    function key(tr) { var c = tr.cells[col]; return c && c.hasAttribute("data-v") ? parseFloat(c.getAttribute("data-v")) : (c ? c.textContent : ""); }
    Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b);
      return dir * (typeof x === "number" ? x - y : String(x).localeCompare(String(y)));
    }).forEach(function (tr) { body.appendChild(tr); });
  }
  th.addEventListener("click", sort);
  th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
});
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
});
// "Hide unchanged rows": in a comparison, show only the outcome rows whose
// difference is significant.
document.querySelectorAll("input.hide-unchanged").forEach(function (box) {
  box.addEventListener("change", function () {
    box.closest("section").classList.toggle("only-changed", box.checked);
  });
});
