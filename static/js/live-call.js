// Issue 24: live-call mode. Progressive enhancement only: without JavaScript the forms post
// and come back to the same screen. With it:
// - the time since the call started ticks (a role="timer" element, aria-live off: never
//   announced every second, read when the user reaches it);
// - keyboard shortcuts move focus, only while focus is not in a text field: C the
//   classification, N the next step, E ending the call. They are announced with
//   aria-keyshortcuts on their targets and shown in the hint text;
// - after a step is recorded in place (htmx), focus moves to the error summary if there is
//   one, else to the next step, and the outcome is said once in the status region.
(function () {
  'use strict';

  var elapsed = document.getElementById('live-elapsed');
  if (elapsed) {
    var started = parseInt(elapsed.getAttribute('data-started'), 10) * 1000;
    var tick = function () {
      var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      elapsed.textContent = minutes + ' min ' + (rest < 10 ? '0' : '') + rest + ' s ago';
    };
    tick();
    window.setInterval(tick, 1000);
  }

  var KEYS = { c: 'classify', n: 'next', e: 'end' };

  function target(name) {
    if (name === 'classify') {  // the chosen class, else the first: arrow keys then choose
      return document.querySelector('#live-classify-form input[name="behaviour"]:checked') ||
        document.querySelector('#live-classify-form input[name="behaviour"]') ||
        document.querySelector('#live-panel [data-live-shortcut="classify"]');
    }
    if (name === 'end') {
      return document.querySelector('#live-panel [data-live-shortcut-end]') ||
        document.querySelector('[data-live-shortcut-fallback="end"]');
    }
    return document.querySelector('#live-panel [data-live-shortcut="' + name + '"]');
  }

  // aria-keyshortcuts on the element each key moves to now (it changes as steps are taken).
  function announceShortcuts() {
    var marked = document.querySelectorAll('[aria-keyshortcuts]');
    for (var i = 0; i < marked.length; i++) { marked[i].removeAttribute('aria-keyshortcuts'); }
    Object.keys(KEYS).forEach(function (key) {
      var element = target(KEYS[key]);
      if (!element) { return; }
      var keys = (element.getAttribute('aria-keyshortcuts') || '').split(' ').filter(Boolean);
      keys.push(key.toUpperCase());
      element.setAttribute('aria-keyshortcuts', keys.join(' '));
    });
  }

  function isTextField(element) {
    if (!element) { return false; }
    if (element.isContentEditable) { return true; }
    var tag = element.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') { return true; }
    if (tag !== 'INPUT') { return false; }
    var type = (element.getAttribute('type') || 'text').toLowerCase();
    return ['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'range',
      'color'].indexOf(type) === -1;
  }

  function focusOn(element) {
    if (!element) { return; }
    var details = element.closest('details');
    if (details && !details.open) { details.open = true; }
    if (!element.hasAttribute('tabindex') && !element.matches('a, button, input, textarea, select')) {
      element.setAttribute('tabindex', '-1');
    }
    element.focus();
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    if (isTextField(document.activeElement)) { return; }
    var name = KEYS[(event.key || '').toLowerCase()];
    if (!name || !document.getElementById('live-panel')) { return; }
    var element = target(name);
    if (!element) { return; }
    event.preventDefault();
    focusOn(element);
  });

  document.body.addEventListener('htmx:afterSettle', function () {
    var panel = document.getElementById('live-panel');
    if (!panel) { return; }
    announceShortcuts();
    var summary = panel.querySelector('.govuk-error-summary');
    if (summary) {
      if (window.GOVUKFrontend && window.GOVUKFrontend.ErrorSummary) {
        try { new window.GOVUKFrontend.ErrorSummary(summary); } catch (e) { /* already set up */ }
      }
      summary.setAttribute('tabindex', '-1');
      summary.focus();
      return;
    }
    focusOn(panel.querySelector('[data-live-shortcut="next"]') ||
      panel.querySelector('#live-steps-heading') ||
      panel.querySelector('#live-recorded') ||
      panel.querySelector('#live-classification-heading'));
  });

  announceShortcuts();
})();
