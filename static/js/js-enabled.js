// Loaded first in <body>: lets GOV.UK Frontend style for JavaScript (no inline script, for the CSP).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
