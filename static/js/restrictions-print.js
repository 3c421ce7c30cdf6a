// The "Print this letter" button on restriction letters (no inline script: CSP).
document.querySelectorAll('.app-restrictions-print-button').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
