// 8.1: print the case-file copy of a terminated-call log.
document.querySelectorAll('[data-app-print]').forEach(function (button) {
  button.addEventListener('click', function () { window.print(); });
});
