// Start GOV.UK Frontend components (error summary focus, header menu, radios...).
if (window.GOVUKFrontend && document.body.classList.contains('govuk-frontend-supported')) {
  window.GOVUKFrontend.initAll();
}
