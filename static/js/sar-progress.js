// Poll a subject access export's progress and reload when it is ready (no inline script: CSP).
(function () {
  var box = document.getElementById('sar-progress');
  if (!box || !window.fetch) { return; }
  var waiting = ['received', 'in_progress'];
  if (waiting.indexOf(box.dataset.status) === -1) { return; }
  var timer = window.setInterval(function () {
    fetch(box.dataset.statusUrl, { credentials: 'same-origin' })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var label = box.querySelector('.js-sar-label');
        var percent = box.querySelector('.js-sar-percent');
        if (label) { label.textContent = data.label; }
        if (percent) { percent.textContent = data.progress; }
        if (waiting.indexOf(data.status) === -1) {
          window.clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () { window.clearInterval(timer); });
  }, 2000);
})();
