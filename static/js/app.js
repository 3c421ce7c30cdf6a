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
