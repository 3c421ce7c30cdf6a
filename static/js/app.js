// Start GOV.UK Frontend components (error summary focus, header menu, radios...).
if (window.GOVUKFrontend && document.body.classList.contains('govuk-frontend-supported')) {
  window.GOVUKFrontend.initAll();
}

// Issue 19, finding 9: what staff typed into a search box stays out of browser history.
// A search submitted without JavaScript lands on /contacts/?q=...; replace that history entry
// with the bare page (the results stay on screen).
(function () {
  var form = document.querySelector('form[data-search-form]');
  if (form && window.history && window.history.replaceState && window.location.search) {
    window.history.replaceState(null, '', window.location.pathname);
  }
})();

// Issue 24: tables at 320 px (a phone, or 400% zoom). A table's columns squeezed into a
// narrow window break words letter by letter; below the tablet breakpoint each row is shown
// as a block instead, every cell headed by its column's name (the responsive table pattern
// GOV.UK services use). The column names come from the table's own header row; explicit
// table roles keep the table a table for screen readers when its display changes. Without
// JavaScript the table stays a table.
(function () {
  function stack(root) {
    var tables = (root || document).querySelectorAll('table.govuk-table:not(.app-table--stacked)');
    Array.prototype.forEach.call(tables, function (table) {
      var head = table.querySelector('thead tr');
      if (!head) { return; }
      var names = Array.prototype.map.call(head.children, function (th) {
        return th.textContent.replace(/\s+/g, ' ').trim();
      });
      table.setAttribute('role', 'table');
      Array.prototype.forEach.call(table.querySelectorAll('tr'), function (row) {
        row.setAttribute('role', 'row');
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (row.parentNode.tagName === 'THEAD') {
            cell.setAttribute('role', 'columnheader');
            return;
          }
          cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
          if (names[index] && cell.textContent.trim()) {  // an empty cell shows nothing
            cell.setAttribute('data-label', names[index]);
          }
        });
      });
      Array.prototype.forEach.call(table.querySelectorAll('thead, tbody, tfoot'), function (group) {
        group.setAttribute('role', 'rowgroup');
      });
      table.classList.add('app-table--stacked');
    });
  }
  stack(document);
  document.addEventListener('htmx:afterSettle', function (event) { stack(event.target); });
})();
